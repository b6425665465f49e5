//! The cpr server: settings, logging and the HTTP server, as a library so that the
//! end-to-end tests start exactly what the binary starts.

pub mod settings;
pub mod telemetry;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use cpr_service::{Attachments, Clock, LogIdentity, Service, Signing};
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
    #[error("mail: {0}")]
    Mail(#[from] cpr_mail::MailError),
    #[error("transparency log: {0}")]
    LogKey(#[from] cpr_service::KeyFileError),
    #[error("settings: {0}")]
    Settings(String),
}

/// The log's identity from its key file, created first where the settings allow it.
pub fn open_log(settings: &Settings) -> Result<LogIdentity, ServerError> {
    let log = &settings.transparency_log;
    let created = if log.create_key_if_missing && !log.signing_key_file.exists() {
        match LogIdentity::generate_key_file(&log.signing_key_file, &log.origin) {
            Ok(identity) => {
                tracing::warn!(
                    file = %log.signing_key_file.display(),
                    verifier_key = identity.verifier_key(),
                    "created a new signing key for the transparency log: publish its verifier key"
                );
                Some(identity)
            }
            // Another instance starting beside this one created it first: use that one.
            Err(cpr_service::KeyFileError::Exists { .. }) => None,
            Err(other) => return Err(other.into()),
        }
    } else {
        None
    };
    let identity = match created {
        Some(identity) => identity,
        None => LogIdentity::from_key_file(&log.signing_key_file, &log.origin)?,
    };
    Ok(if log.sign {
        identity
    } else {
        identity.without_signing()
    })
}

/// Signs a checkpoint whenever the tree has grown, checking first that it extends the
/// last one, until `stopped`.
async fn run_signer(
    service: Service,
    interval: std::time::Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match service.sign_checkpoint().await {
            Ok(Signing::Signed(checkpoint)) => {
                tracing::debug!(size = checkpoint.size, "checkpoint signed");
            }
            Ok(Signing::Unchanged) => {}
            Ok(Signing::Refused(_)) => {
                tracing::error!("the log does not extend its last checkpoint: signing stopped");
            }
            Err(error) => tracing::warn!(%error, "cannot sign a checkpoint now"),
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}

/// The full integrity check, once at start and then every `interval` (if any), until
/// `stopped`.
async fn run_integrity_checks(
    service: Service,
    interval: Option<std::time::Duration>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match service.check_integrity(true).await {
            Ok(report) if report.passed() => tracing::info!(
                chains = report.chains,
                entries = report.entries,
                leaves = report.leaves,
                checkpoints = report.checkpoints,
                "integrity check passed"
            ),
            Ok(report) => tracing::error!(
                problems = report.problems.len(),
                "integrity check failed: writes to what is broken are refused"
            ),
            Err(error) => tracing::warn!(%error, "cannot run the integrity check now"),
        }
        let Some(interval) = interval else { return };
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}

/// Forgets expired idempotency keys every hour, until `stopped`.
async fn run_housekeeping(service: Service, mut stopped: tokio::sync::watch::Receiver<bool>) {
    loop {
        match service.purge_idempotency_keys().await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "expired idempotency keys forgotten"),
            Err(error) => tracing::warn!(%error, "cannot purge idempotency keys now"),
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}

/// Connects to the database and applies pending migrations.
pub async fn open_store(settings: &Settings) -> Result<Store, ServerError> {
    let store = Store::connect_with(&settings.database_url, settings.database.pool())
        .await?
        .with_message_id_domain(&settings.mail.message_id_domain);
    store.migrate().await?;
    Ok(store)
}

/// Connects to the read replica the settings name, if any. Nothing is migrated or
/// checked there: the replica holds what the primary committed.
pub async fn open_replica(settings: &Settings) -> Result<Option<Store>, ServerError> {
    let Some(url) = settings
        .database
        .replica_url
        .as_deref()
        .filter(|u| !u.is_empty())
    else {
        return Ok(None);
    };
    let postgres = |url: &str| url.starts_with("postgres:") || url.starts_with("postgresql:");
    if !postgres(url) || !postgres(&settings.database_url) {
        return Err(ServerError::Settings(
            "database.replica_url: a read replica is for PostgreSQL (both URLs postgres://)".into(),
        ));
    }
    let replica = Store::connect_with(url, settings.database.pool())
        .await?
        .with_message_id_domain(&settings.mail.message_id_domain);
    Ok(Some(replica))
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
    /// The delivery worker and the scheduler, when this process runs them.
    background: Option<Background>,
    checkpoint_interval: std::time::Duration,
    integrity_check_interval: Option<std::time::Duration>,
    shutdown_grace: std::time::Duration,
}

/// The tasks that run beside the HTTP server: mail delivery and deadlines.
#[derive(Clone)]
pub struct Background {
    worker: Option<cpr_mail::Worker>,
    scheduler: Option<(Service, std::time::Duration)>,
}

impl Background {
    /// The worker and the scheduler as `settings.mail` enables them in `cpr serve`.
    pub fn new(service: &Service, settings: &Settings) -> Result<Background, ServerError> {
        let mail = &settings.mail;
        Ok(Background {
            worker: mail
                .worker
                .then(|| cpr_mail::Worker::new(service.clone(), mail.clone()))
                .transpose()?,
            scheduler: mail
                .scheduler
                .then(|| (service.clone(), mail.scheduler_interval())),
        })
    }

    /// Both, whatever the settings say (`cpr worker`).
    pub fn both(service: &Service, settings: &Settings) -> Result<Background, ServerError> {
        let mut mail = settings.mail.clone();
        mail.worker = true;
        mail.scheduler = true;
        Background::new(
            service,
            &Settings {
                mail,
                ..settings.clone()
            },
        )
    }

    fn is_empty(&self) -> bool {
        self.worker.is_none() && self.scheduler.is_none()
    }

    /// Runs the worker and the scheduler until `shutdown` completes; the batch in flight
    /// is finished first.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let until_stopped = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        let mut tasks = Vec::new();
        if let Some(worker) = self.worker {
            tasks.push(tokio::spawn(worker.run(until_stopped(stopped.clone()))));
        }
        if let Some((service, interval)) = self.scheduler {
            tasks.push(tokio::spawn(cpr_mail::run_scheduler(
                service,
                interval,
                until_stopped(stopped),
            )));
        }
        shutdown.await;
        let _ = stop.send(true);
        for task in tasks {
            let _ = task.await;
        }
    }
}

impl Application {
    /// Migrates the database, binds the listener (port 0 picks a free port) and builds the
    /// router.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Self, ServerError> {
        cpr_store::install_tls_provider();
        let store = open_store(settings).await?;
        let service = Service::new(store, clock.clone())
            .with_attachments(open_attachments(settings)?)
            .with_log(open_log(settings)?);
        // The bounded check before the first answer; the full one runs in the background.
        let report = service
            .check_integrity(false)
            .await
            .map_err(|e| ServerError::Store(cpr_store::StoreError::Corrupt(e.to_string())))?;
        if !report.passed() {
            tracing::error!(
                problems = report.problems.len(),
                "integrity check at start failed: writes to what is broken are refused"
            );
        }
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| ServerError::Bind {
                    address: settings.listen,
                    source,
                })?;
        let address = listener.local_addr().map_err(ServerError::Serve)?;
        let limits = settings
            .http
            .limits(settings.attachments.max_bytes)
            .map_err(ServerError::Settings)?;
        let background = Some(Background::new(&service, settings)?).filter(|b| !b.is_empty());
        let public_base = Some(settings.mail.public_base_url.as_str());
        let reads = match open_replica(settings).await? {
            Some(replica) => {
                let reads = Service::new(replica, clock.clone())
                    .with_attachments(open_attachments(settings)?)
                    .with_log(open_log(settings)?);
                tracing::info!("public reads from the read replica");
                Some(cpr_api::PublicReads {
                    site: cpr_web::router_at(reads.clone(), public_base),
                    service: reads,
                })
            }
            None => None,
        };
        let router = cpr_api::router_with_public_reads(
            service.clone(),
            limits,
            cpr_web::router_at(service.clone(), public_base),
            reads,
        );
        Ok(Self {
            listener,
            address,
            router,
            service,
            background,
            checkpoint_interval: settings.transparency_log.checkpoint_interval(),
            integrity_check_interval: settings.transparency_log.integrity_check_interval(),
            shutdown_grace: settings.http.shutdown_grace(),
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

    /// Serves until `shutdown` completes, then stops accepting connections, lets the
    /// requests in flight finish within the grace, and stops the delivery worker (which
    /// settles what it sent and releases its other leases) and the scheduler.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        tracing::info!(address = %self.address, "listening");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let (draining, mut drain_started) = tokio::sync::watch::channel(false);
        let shutdown = async move {
            shutdown.await;
            let _ = draining.send(true);
        };
        let grace = self.shutdown_grace;
        let grace_over = async move {
            let _ = drain_started.wait_for(|started| *started).await;
            tokio::time::sleep(grace).await;
        };
        let housekeeping = tokio::spawn(run_housekeeping(self.service.clone(), stopped.clone()));
        let background = self.background.map(|background| {
            let mut stopped = stopped.clone();
            tokio::spawn(background.run_until(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            }))
        });
        let signer = tokio::spawn(run_signer(
            self.service.clone(),
            self.checkpoint_interval,
            stopped.clone(),
        ));
        let checks = tokio::spawn(run_integrity_checks(
            self.service.clone(),
            self.integrity_check_interval,
            stopped.clone(),
        ));
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown);
        let served = tokio::select! {
            served = serve => served.map_err(ServerError::Serve),
            () = grace_over => {
                tracing::warn!(
                    grace_secs = grace.as_secs(),
                    "requests still in flight after the shutdown grace: stopping without them"
                );
                Ok(())
            }
        };
        let _ = stop.send(true);
        let _ = housekeeping.await;
        if let Some(background) = background {
            let _ = background.await;
        }
        let _ = signer.await;
        let _ = checks.await;
        served
    }

    /// Serves until ctrl-c or SIGTERM.
    pub async fn run_until_stopped(self) -> Result<(), ServerError> {
        self.run_until(shutdown_signal()).await
    }
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
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
