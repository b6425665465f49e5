//! Settings: `config/default.toml` (compiled in, so the binary runs from anywhere), then
//! an optional file, then `CPR_...` environment variables.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cpr_store::{BlobStoreConfig, S3Config};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database_url: String,
    #[serde(default)]
    pub database: DatabaseSettings,
    pub http: HttpSettings,
    pub log: LogSettings,
    pub mail: cpr_mail::MailSettings,
    pub attachments: AttachmentSettings,
    pub transparency_log: TransparencyLogSettings,
}

/// The transparency log: its origin, its signing key's file, how often it signs and how
/// often the whole record is rechecked.
#[derive(Clone, Debug, Deserialize)]
pub struct TransparencyLogSettings {
    pub origin: String,
    pub signing_key_file: PathBuf,
    pub create_key_if_missing: bool,
    pub sign: bool,
    pub checkpoint_interval_ms: u64,
    pub integrity_check_interval_secs: u64,
}

impl TransparencyLogSettings {
    pub fn checkpoint_interval(&self) -> Duration {
        Duration::from_millis(self.checkpoint_interval_ms.max(10))
    }

    /// `None`: the full check runs only at start.
    pub fn integrity_check_interval(&self) -> Option<Duration> {
        (self.integrity_check_interval_secs > 0)
            .then(|| Duration::from_secs(self.integrity_check_interval_secs))
    }
}

/// The `[database]` settings: how long a request waits for a connection, and where the
/// public reads go.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    pub acquire_timeout_ms: u64,
    pub sqlite_write_queue_timeout_ms: u64,
    pub max_connections: u32,
    /// A streaming replica of the PostgreSQL database: when set, anonymous GETs (the
    /// public site, the public API reads, the transparency log) are read from it, and
    /// from the primary when it cannot answer (`cpr_api::reads`).
    pub replica_url: Option<String>,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        let pool = cpr_store::PoolOptions::default();
        Self {
            acquire_timeout_ms: millis(pool.acquire_timeout),
            sqlite_write_queue_timeout_ms: millis(pool.sqlite_write_queue_timeout),
            max_connections: pool.max_connections,
            replica_url: None,
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl DatabaseSettings {
    pub fn pool(&self) -> cpr_store::PoolOptions {
        cpr_store::PoolOptions {
            acquire_timeout: Duration::from_millis(self.acquire_timeout_ms.max(1)),
            sqlite_write_queue_timeout: Duration::from_millis(
                self.sqlite_write_queue_timeout_ms.max(1),
            ),
            max_connections: self.max_connections.max(2),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct HttpSettings {
    pub max_body_bytes: usize,
    pub request_timeout_secs: u64,
    /// Answer each request's SQL statement count in `x-sql-statements` (benchmarks).
    #[serde(default)]
    pub statement_count_header: bool,
    /// How long a stopping server lets the requests in flight finish.
    #[serde(default = "default_shutdown_grace_secs")]
    pub shutdown_grace_secs: u64,
    #[serde(default)]
    pub rate_limit: RateLimitSettings,
    /// When not empty, `/metrics` answers only scrapes with this bearer token.
    #[serde(default)]
    pub metrics_token: String,
}

fn default_shutdown_grace_secs() -> u64 {
    20
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            max_body_bytes: 2 * 1024 * 1024,
            request_timeout_secs: 30,
            statement_count_header: false,
            shutdown_grace_secs: default_shutdown_grace_secs(),
            rate_limit: RateLimitSettings::default(),
            metrics_token: String::new(),
        }
    }
}

/// The `[http.rate_limit]` settings: token buckets per bearer token and, for anonymous
/// requests, per client address.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    pub enabled: bool,
    pub token_per_second: f64,
    pub token_burst: f64,
    pub anonymous_per_second: f64,
    pub anonymous_burst: f64,
    /// The header the load balancer in front writes the client's address to (its last
    /// address is taken), e.g. `x-forwarded-for`; empty: the TCP peer.
    pub client_address_header: String,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        let limits = cpr_api::RateLimits::default();
        Self {
            enabled: limits.enabled,
            token_per_second: limits.token.per_second,
            token_burst: limits.token.burst,
            anonymous_per_second: limits.anonymous.per_second,
            anonymous_burst: limits.anonymous.burst,
            client_address_header: String::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LogSettings {
    pub format: LogFormat,
    pub filter: String,
}

/// Where attachments are stored and how large one may be.
#[derive(Clone, Deserialize)]
pub struct AttachmentSettings {
    pub max_bytes: u64,
    pub store: AttachmentStore,
    pub local_root: PathBuf,
    pub s3_bucket: String,
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: String,
    pub s3_allow_http: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentStore {
    Local,
    S3,
}

impl AttachmentSettings {
    /// The object store these settings name; an S3 store needs its bucket and keys.
    pub fn blob_store(&self) -> Result<BlobStoreConfig, String> {
        match self.store {
            AttachmentStore::Local => Ok(BlobStoreConfig::Local {
                root: self.local_root.clone(),
            }),
            AttachmentStore::S3 => {
                let required = [
                    ("s3_bucket", &self.s3_bucket),
                    ("s3_region", &self.s3_region),
                    ("s3_access_key_id", &self.s3_access_key_id),
                    ("s3_secret_access_key", &self.s3_secret_access_key),
                ];
                if let Some((key, _)) = required.iter().find(|(_, value)| value.is_empty()) {
                    return Err(format!("attachments.{key} is required when store = \"s3\""));
                }
                Ok(BlobStoreConfig::S3(S3Config {
                    bucket: self.s3_bucket.clone(),
                    endpoint: Some(self.s3_endpoint.clone()).filter(|e| !e.is_empty()),
                    region: self.s3_region.clone(),
                    access_key_id: self.s3_access_key_id.clone(),
                    secret_access_key: self.s3_secret_access_key.clone(),
                    allow_http: self.s3_allow_http,
                }))
            }
        }
    }
}

/// Keeps the S3 secret out of logs.
impl fmt::Debug for AttachmentSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttachmentSettings")
            .field("max_bytes", &self.max_bytes)
            .field("store", &self.store)
            .field("local_root", &self.local_root)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key_id", &self.s3_access_key_id)
            .field("s3_secret_access_key", &"<redacted>")
            .field("s3_allow_http", &self.s3_allow_http)
            .finish()
    }
}

impl HttpSettings {
    /// The HTTP layer's limits; `max_upload_bytes` is the largest attachment.
    pub fn limits(&self, max_upload_bytes: u64) -> Result<cpr_api::HttpLimits, String> {
        let rate = &self.rate_limit;
        let client_address = match rate.client_address_header.trim() {
            "" => cpr_api::ClientAddress::Peer,
            name => cpr_api::ClientAddress::ForwardedBy(
                axum::http::HeaderName::try_from(name).map_err(|_| {
                    format!("http.rate_limit.client_address_header: {name:?} is not a header name")
                })?,
            ),
        };
        let positive = |value: f64, key: &str| {
            if value.is_finite() && value > 0.0 {
                Ok(value)
            } else {
                Err(format!("http.rate_limit.{key} must be a positive number"))
            }
        };
        Ok(cpr_api::HttpLimits {
            max_body_bytes: self.max_body_bytes,
            max_idempotent_body_bytes: usize::try_from(max_upload_bytes).unwrap_or(usize::MAX),
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            statement_count_header: self.statement_count_header,
            rate_limits: cpr_api::RateLimits {
                enabled: rate.enabled,
                token: cpr_api::Rate {
                    per_second: positive(rate.token_per_second, "token_per_second")?,
                    burst: positive(rate.token_burst, "token_burst")?.max(1.0),
                },
                anonymous: cpr_api::Rate {
                    per_second: positive(rate.anonymous_per_second, "anonymous_per_second")?,
                    burst: positive(rate.anonymous_burst, "anonymous_burst")?.max(1.0),
                },
                client_address,
            },
            metrics_token: Some(self.metrics_token.clone()).filter(|t| !t.is_empty()),
        })
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }
}

impl Settings {
    /// Loads the settings; `file`, when given, must exist.
    pub fn load(file: Option<&Path>) -> Result<Settings, Box<figment::Error>> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(file) = file {
            if !file.is_file() {
                return Err(Box::new(figment::Error::from(format!(
                    "configuration file {} does not exist",
                    file.display()
                ))));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment
            .merge(Env::prefixed("CPR_").split("__").ignore(&["config"]))
            .extract()
            .map_err(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_defaults_parse() {
        let settings: Settings = Figment::from(Toml::string(DEFAULTS)).extract().unwrap();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database_url, "sqlite://cpr.db");
        assert_eq!(settings.log.format, LogFormat::Text);
        assert_eq!(settings.mail.transport, cpr_mail::TransportKind::File);
        assert_eq!(settings.attachments.max_bytes, 20 * 1024 * 1024);
        assert_eq!(
            settings.attachments.blob_store(),
            Ok(BlobStoreConfig::Local {
                root: PathBuf::from("attachments")
            })
        );
    }

    #[test]
    // figment's `Jail` fixes the closure's error type; its size is not ours to choose.
    #[allow(clippy::result_large_err)]
    fn attachments_go_to_s3_by_configuration() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CPR_ATTACHMENTS__STORE", "s3");
            jail.set_env("CPR_ATTACHMENTS__MAX_BYTES", "1048576");
            jail.set_env("CPR_ATTACHMENTS__S3_BUCKET", "cpr-attachments");
            jail.set_env("CPR_ATTACHMENTS__S3_ENDPOINT", "http://127.0.0.1:9000");
            jail.set_env("CPR_ATTACHMENTS__S3_ACCESS_KEY_ID", "cpr");
            jail.set_env("CPR_ATTACHMENTS__S3_SECRET_ACCESS_KEY", "very-secret");
            jail.set_env("CPR_ATTACHMENTS__S3_ALLOW_HTTP", "true");
            let settings = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(settings.attachments.max_bytes, 1_048_576);
            let Ok(BlobStoreConfig::S3(s3)) = settings.attachments.blob_store() else {
                return Err("not an S3 store".into());
            };
            assert_eq!(s3.bucket, "cpr-attachments");
            assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
            assert_eq!(s3.region, "us-east-1");
            assert!(s3.allow_http);
            assert!(!format!("{:?}", settings.attachments).contains("very-secret"));

            jail.set_env("CPR_ATTACHMENTS__S3_BUCKET", "");
            let settings = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(
                settings.attachments.blob_store(),
                Err("attachments.s3_bucket is required when store = \"s3\"".into())
            );
            Ok(())
        });
    }

    #[test]
    // figment's `Jail` fixes the closure's error type; its size is not ours to choose.
    #[allow(clippy::result_large_err)]
    fn environment_variables_override_the_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CPR_DATABASE_URL", "postgres://127.0.0.1/cpr");
            jail.set_env("CPR_HTTP__MAX_BODY_BYTES", "1024");
            let settings = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(settings.database_url, "postgres://127.0.0.1/cpr");
            assert_eq!(settings.http.max_body_bytes, 1024);
            Ok(())
        });
    }
}
