//! Settings: `config/default.toml` (compiled in, so the binary runs from anywhere), then
//! an optional file, then `CPR_...` environment variables.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database_url: String,
    pub http: HttpSettings,
    pub log: LogSettings,
    pub mail: cpr_mail::MailSettings,
}

#[derive(Clone, Debug, Deserialize)]
pub struct HttpSettings {
    pub max_body_bytes: usize,
    pub request_timeout_secs: u64,
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

impl HttpSettings {
    pub fn limits(&self) -> cpr_api::HttpLimits {
        cpr_api::HttpLimits {
            max_body_bytes: self.max_body_bytes,
            request_timeout: Duration::from_secs(self.request_timeout_secs),
        }
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
