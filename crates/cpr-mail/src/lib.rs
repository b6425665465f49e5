//! Mail of cpr: the templates of each notice (subject, plain text and HTML, compiled in),
//! the transports (SMTP with lettre, or `.eml` files in a folder) and the delivery worker
//! that drains the outbox.
//!
//! The outbox rows are written by the store in the transaction of the change that causes
//! them; this crate only reads them through the service, so a change never waits for mail
//! and mail never goes out for a change that was rolled back.

mod templates;
mod transport;
mod worker;

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

pub use templates::{Rendered, Templates};
pub use transport::Mailer;
pub use worker::{Worker, run_scheduler};

/// What can go wrong while preparing or sending one message. Every such error is recorded
/// on the message, which stays queued (and is retried) until it is dead-lettered.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("template {template}: {detail}")]
    Template { template: String, detail: String },
    #[error("invalid address: {0}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("delivery failed: {0}")]
    Send(String),
    #[error("mail configuration: {0}")]
    Config(String),
}

/// Which transport carries the mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// `.eml` files written to `file_dir`: what would have been sent, readable at once.
    File,
    Smtp,
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// Plain SMTP upgraded with STARTTLS, required (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Implicit,
    /// No encryption: only for a relay on the same host or a trusted network.
    None,
}

/// The `[mail.smtp]` settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// Connections kept open to the relay and reused.
    pub pool_max: u32,
    pub timeout_secs: u64,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("pool_max", &self.pool_max)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

/// The `[mail]` settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: TransportKind,
    /// Where the file transport writes its `.eml` files (created if missing).
    pub file_dir: PathBuf,
    /// The sender, e.g. `CPR Secretariat <noreply@cpr.example>`.
    pub from: String,
    /// Links in mail point here (the public pages of reviews).
    pub public_base_url: String,
    /// The right-hand side of Message-IDs (`<outbox-row-id@domain>`).
    pub message_id_domain: String,
    /// Whether `cpr serve` runs the delivery worker itself.
    pub worker: bool,
    /// Whether `cpr serve` runs the deadline scheduler itself.
    pub scheduler: bool,
    pub poll_interval_ms: u64,
    pub batch_size: u64,
    /// Attempts before a message is dead-lettered.
    pub max_attempts: u32,
    pub backoff_base_secs: u64,
    pub backoff_max_secs: u64,
    /// How long a claimed message is reserved for the worker that claimed it.
    pub lease_secs: u64,
    /// How often the deadline scheduler looks for passed deadlines and due reminders.
    pub scheduler_interval_ms: u64,
    pub smtp: SmtpSettings,
}

impl MailSettings {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }

    pub fn scheduler_interval(&self) -> Duration {
        Duration::from_millis(self.scheduler_interval_ms.max(10))
    }

    /// When the attempt after `attempts` failed ones is due: the base delay doubled per
    /// failure, at most the maximum; `None` once the attempts are used up.
    pub fn retry_delay(&self, attempts_before: u32) -> Option<time::Duration> {
        if attempts_before + 1 >= self.max_attempts {
            return None;
        }
        let factor = 1u64.checked_shl(attempts_before).unwrap_or(u64::MAX);
        let secs = self
            .backoff_base_secs
            .saturating_mul(factor)
            .min(self.backoff_max_secs);
        Some(time::Duration::seconds(
            i64::try_from(secs).unwrap_or(i64::MAX),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        MailSettings {
            transport: TransportKind::File,
            file_dir: "mail".into(),
            from: "CPR <noreply@cpr.invalid>".into(),
            public_base_url: "http://127.0.0.1:8080".into(),
            message_id_domain: "cpr.invalid".into(),
            worker: true,
            scheduler: true,
            poll_interval_ms: 1000,
            batch_size: 20,
            max_attempts: 4,
            backoff_base_secs: 60,
            backoff_max_secs: 150,
            lease_secs: 900,
            scheduler_interval_ms: 60_000,
            smtp: SmtpSettings {
                host: "127.0.0.1".into(),
                port: 25,
                tls: TlsMode::None,
                username: String::new(),
                password: "secret".into(),
                pool_max: 4,
                timeout_secs: 30,
            },
        }
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_maximum_then_give_up() {
        let s = settings();
        assert_eq!(s.retry_delay(0), Some(time::Duration::seconds(60)));
        assert_eq!(s.retry_delay(1), Some(time::Duration::seconds(120)));
        assert_eq!(s.retry_delay(2), Some(time::Duration::seconds(150)));
        assert_eq!(s.retry_delay(3), None);
    }

    #[test]
    fn the_smtp_password_is_never_printed() {
        assert!(!format!("{:?}", settings()).contains("secret"));
    }
}
