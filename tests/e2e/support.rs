//! `spawn_app()` and the typed helpers the tests use.

use std::sync::Arc;

use cpr_server::settings::{HttpSettings, LogFormat, LogSettings};
use cpr_server::{Application, Settings};
use cpr_service::{ManualClock, Service};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// When the tests' clock starts: early in the first cycle's year.
pub const START: OffsetDateTime = datetime!(2027-01-10 09:00 UTC);

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub service: Service,
    /// The secretariat's bearer token, bootstrapped as `cpr token issue` does.
    pub secretariat: String,
    _database: Database,
}

/// An answer from the server.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The stable error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected answer: {:#}",
            self.body
        );
        self.body
    }

    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) {
        assert_eq!(
            (self.status.as_u16(), self.code()),
            (status, code),
            "unexpected answer: {:#}",
            self.body
        );
    }
}

enum Database {
    Sqlite(#[allow(dead_code)] TempDir),
    Postgres { admin_url: String, name: String },
}

/// A directory removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // The test's runtime is shutting down; drop the database from a thread of its
            // own. FORCE ends the server's pooled connections.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    if let Ok(db) = sea_orm::Database::connect(admin_url.as_str()).await {
                        let _ = sea_orm::ConnectionTrait::execute_unprepared(
                            &db,
                            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                        )
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

async fn fresh_database() -> (String, Database) {
    let name = format!("cpr_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("CPR_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let db = sea_orm::Database::connect(admin_url.as_str())
                .await
                .expect("CPR_TEST_POSTGRES_URL is set but PostgreSQL cannot be reached");
            sea_orm::ConnectionTrait::execute_unprepared(
                &db,
                &format!("CREATE DATABASE \"{name}\""),
            )
            .await
            .unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            (
                format!("{base}/{name}"),
                Database::Postgres { admin_url, name },
            )
        }
        _ => {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}", dir.join("cpr.db").display());
            (url, Database::Sqlite(TempDir(dir)))
        }
    }
}

/// Starts the real server on a random port against a fresh database, with a clock the
/// test moves, and bootstraps one secretariat account with a token.
pub async fn spawn_app() -> TestApp {
    let (database_url, database) = fresh_database().await;
    let settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url,
        http: HttpSettings {
            max_body_bytes: 256 * 1024,
            request_timeout_secs: 30,
        },
        log: LogSettings {
            format: LogFormat::Text,
            filter: "info,sqlx=warn,sea_orm=warn".into(),
        },
    };
    if std::env::var_os("TEST_LOG").is_some() {
        cpr_server::telemetry::init(&settings.log);
    }
    let clock = Arc::new(ManualClock::new(START));
    let app = Application::build(&settings, clock.clone()).await.unwrap();
    let base = format!("http://{}", app.address());
    let service = app.service().clone();
    tokio::spawn(app.run_until(std::future::pending()));

    let account = service
        .bootstrap_secretariat_account(
            cpr_domain::ShortText::parse("Secretariat officer").unwrap(),
            "officer@secretariat.example",
        )
        .await
        .unwrap();
    let secretariat = service
        .bootstrap_token(account.id, cpr_domain::ShortText::parse("tests").unwrap())
        .await
        .unwrap()
        .secret;
    TestApp {
        base,
        client: reqwest::Client::new(),
        clock,
        service,
        secretariat,
        _database: database,
    }
}

impl TestApp {
    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
        };
        assert!(
            !status.is_server_error(),
            "{method_path} answered {status}: {body:#}",
            method_path = path
        );
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    /// A POST without a body, for commands that carry no data.
    pub async fn act(&self, path: &str, token: &str) -> Answer {
        self.call(Method::POST, path, Some(token), None).await
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    pub fn set_time(&self, to: OffsetDateTime) {
        self.clock.set(to);
    }

    // --- registers --------------------------------------------------------------------------

    /// Creates an account of `body` and returns a fresh token for it.
    async fn account_token(&self, body: Value) -> String {
        let account = self
            .post("/api/v1/accounts", &self.secretariat, body)
            .await
            .expect(201);
        let path = format!(
            "/api/v1/accounts/{}/tokens",
            account["id"].as_str().unwrap()
        );
        let token = self
            .post(&path, &self.secretariat, json!({"label": "tests"}))
            .await
            .expect(201);
        token["token"].as_str().unwrap().to_owned()
    }

    /// A delegate of `state`, with a token.
    pub async fn delegate(&self, state: &str) -> String {
        let email = format!(
            "{}.{}@delegation.example",
            state.to_lowercase(),
            uuid::Uuid::new_v4().simple()
        );
        self.account_token(json!({"role": "state", "state": state, "name": format!("Delegate of {state}"), "email": email}))
            .await
    }

    /// A new organisation of `kind` (and stakeholder kind), returning its id.
    pub async fn organisation(&self, kind: &str, name: &str) -> String {
        let mut body = json!({"kind": kind, "name": name});
        if kind == "stakeholder" {
            body["stakeholder_kind"] = json!("ngo");
        }
        let organisation = self
            .post("/api/v1/organisations", &self.secretariat, body)
            .await
            .expect(201);
        organisation["id"].as_str().unwrap().to_owned()
    }

    /// A member of a new organisation of `kind`, with a token; returns (organisation, token).
    pub async fn member_of_new(&self, kind: &str, name: &str) -> (String, String) {
        let organisation = self.organisation(kind, name).await;
        let email = format!("member.{}@org.example", uuid::Uuid::new_v4().simple());
        let token = self
            .account_token(json!({"role": kind, "organisation": organisation, "name": format!("Member of {name}"), "email": email}))
            .await;
        (organisation, token)
    }

    /// Opens a cycle starting on 2027-01-01 with `pool`, returning its id.
    pub async fn open_cycle(&self, name: &str, starts_on: &str, pool: &[&str]) -> String {
        let cycle = self
            .post(
                "/api/v1/cycles",
                &self.secretariat,
                json!({"name": name, "starts_on": starts_on, "pool": pool}),
            )
            .await
            .expect(201);
        cycle["id"].as_str().unwrap().to_owned()
    }

    /// Opens a review of `state` whose working-group session is on 2027-06-15 09:00 UTC.
    pub async fn open_review(&self, cycle: &str, state: &str) -> String {
        let review = self
            .post(
                &format!("/api/v1/cycles/{cycle}/reviews"),
                &self.secretariat,
                json!({"state": state, "wg_session": "2027-06-15T09:00:00Z"}),
            )
            .await
            .expect(201);
        review["id"].as_str().unwrap().to_owned()
    }
}

/// The pool of the tests: the 17 states of the spec's test vectors.
pub const POOL: [&str; 17] = [
    "AUS", "CAN", "CHN", "DEU", "DNK", "EST", "FRA", "GBR", "IRN", "ISR", "JPN", "KOR", "NLD",
    "NOR", "PRK", "RUS", "USA",
];

/// A realistic state report (the fixture copied from the team's shared documents).
pub const STATE_REPORT: &str = include_str!("../fixtures/state-report.md");
/// A realistic joint stakeholder input with non-Latin scripts.
pub const STAKEHOLDER_INPUT: &str = include_str!("../fixtures/stakeholder-input.md");
