//! The transports: SMTP (STARTTLS, implicit TLS or plain, with a connection pool) or
//! `.eml` files in a folder, behind one `Mailer`.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{
    Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use crate::templates::Rendered;
use crate::{MailError, MailSettings, TlsMode, TransportKind};

#[derive(Clone)]
enum Backend {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Sends rendered messages from the configured sender over the configured transport.
#[derive(Clone)]
pub struct Mailer {
    backend: Backend,
    from: Mailbox,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Mailer, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| MailError::Config(format!("from: {e}")))?;
        let backend = match settings.transport {
            TransportKind::File => {
                std::fs::create_dir_all(&settings.file_dir).map_err(|e| {
                    MailError::Config(format!("{}: {e}", settings.file_dir.display()))
                })?;
                Backend::File(AsyncFileTransport::new(&settings.file_dir))
            }
            TransportKind::Smtp => {
                let smtp = &settings.smtp;
                let tls = match smtp.tls {
                    TlsMode::None => Tls::None,
                    TlsMode::Starttls | TlsMode::Implicit => {
                        let parameters = TlsParameters::new(smtp.host.clone())
                            .map_err(|e| MailError::Config(format!("tls: {e}")))?;
                        if smtp.tls == TlsMode::Starttls {
                            Tls::Required(parameters)
                        } else {
                            Tls::Wrapper(parameters)
                        }
                    }
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone())
                        .port(smtp.port)
                        .tls(tls)
                        .timeout(Some(std::time::Duration::from_secs(smtp.timeout_secs)))
                        .pool_config(PoolConfig::new().max_size(smtp.pool_max.max(1)));
                if !smtp.username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        smtp.username.clone(),
                        smtp.password.clone(),
                    ));
                }
                Backend::Smtp(builder.build())
            }
        };
        Ok(Mailer { backend, from })
    }

    /// Builds the message: our Message-ID (the same on every attempt), the recipient, the
    /// rendered parts and, for subscribers, the one-click unsubscribe headers (RFC 8058).
    pub fn build(
        &self,
        kind: &str,
        message_id: &str,
        recipient: &str,
        name: Option<&str>,
        date: std::time::SystemTime,
        rendered: &Rendered,
    ) -> Result<Message, MailError> {
        let address: Address = recipient
            .parse()
            .map_err(|e| MailError::Address(format!("{e}")))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(name.map(str::to_owned), address))
            .subject(rendered.subject.clone())
            .message_id(Some(message_id.to_owned()))
            .date(date)
            // Lets a mailbox rule (or a test) sort mail by notice without parsing subjects.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("X-CPR-Notice"),
                kind.to_owned(),
            ));
        if let Some(url) = &rendered.one_click_url {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                rendered.text.clone(),
                rendered.html.clone(),
            ))
            .map_err(|e| MailError::Build(e.to_string()))
    }

    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        match &self.backend {
            Backend::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| MailError::Send(e.to_string())),
            Backend::File(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| MailError::Send(e.to_string())),
        }
    }
}
