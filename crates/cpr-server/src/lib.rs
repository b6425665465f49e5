//! The cpr server: settings, logging and the HTTP server, as a library so that the
//! end-to-end tests start exactly what the binary starts.

pub mod settings;
pub mod telemetry;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use cpr_service::{Attachments, Clock, Service};
use cpr_store::{BlobStore, Store};
use tokio::net::TcpListener;

pub use settings::Settings;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database: {0}")]
    Store(#[from] cpr_store::StoreError),
    /// The attachment storage is misconfigured or cannot be opened.
    #[error("{0}")]
    Attachments(String),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Serve(std::io::Error),
}

/// Connects to the database and applies pending migrations.
pub async fn open_store(settings: &Settings) -> Result<Store, ServerError> {
    let store = Store::connect(&settings.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

/// Opens the attachment storage the settings name.
pub fn open_attachments(settings: &Settings) -> Result<Attachments, ServerError> {
    let config = settings
        .attachments
        .blob_store()
        .map_err(ServerError::Attachments)?;
    let blobs = BlobStore::open(&config).map_err(|e| ServerError::Attachments(e.to_string()))?;
    Ok(Attachments::new(blobs, settings.attachments.max_bytes))
}

/// A server bound to its address, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    router: axum::Router,
    service: Service,
}

impl Application {
    /// Migrates the database, binds the listener (port 0 picks a free port) and builds the
    /// router.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Self, ServerError> {
        cpr_store::install_tls_provider();
        let store = open_store(settings).await?;
        let service = Service::new(store, clock).with_attachments(open_attachments(settings)?);
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| ServerError::Bind {
                    address: settings.listen,
                    source,
                })?;
        let address = listener.local_addr().map_err(ServerError::Serve)?;
        let router = cpr_api::router(service.clone(), settings.http.limits());
        Ok(Self {
            listener,
            address,
            router,
            service,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        tracing::info!(address = %self.address, "listening");
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServerError::Serve)
    }

    /// Serves until ctrl-c or SIGTERM.
    pub async fn run_until_stopped(self) -> Result<(), ServerError> {
        self.run_until(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
