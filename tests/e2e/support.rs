//! `spawn_app()` and the typed helpers the tests use.

use std::sync::Arc;

use cpr_mail::{MailSettings, SmtpSettings, TlsMode, TransportKind};
use cpr_server::settings::{
    AttachmentSettings, AttachmentStore, HttpSettings, LogFormat, LogSettings,
    TransparencyLogSettings,
};
use cpr_server::{Application, Settings};
use cpr_service::{Clock, ManualClock, Service};
pub use cpr_testkit::fixtures::{STAKEHOLDER_INPUT, input_body, report_body};
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
    /// The server's service, for tests that need to reach behind the API.
    #[allow(dead_code)]
    pub service: Service,
    /// The secretariat's bearer token, bootstrapped as `cpr token issue` does.
    pub secretariat: String,
    /// The settings the server was started with.
    #[allow(dead_code)]
    pub settings: Settings,
    server: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    )>,
    _mail_dir: TempDir,
    /// Where the server stores attachments (a fresh directory of the test's own).
    pub attachments_root: std::path::PathBuf,
    _database: Database,
    _attachments: TempDir,
    /// Holds the transparency log's signing key.
    _log_dir: TempDir,
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

    /// Asserts the error shape every refusal has: `{"error": {"code", "message"}}` and
    /// nothing else.
    #[track_caller]
    pub fn assert_error_shape(&self) {
        let object = self.body.as_object();
        let error = self.body["error"].as_object();
        assert!(
            object.is_some_and(|o| o.len() == 1) && error.is_some_and(|e| e.len() == 2),
            "not the error shape ({}): {:#}",
            self.status,
            self.body
        );
        assert!(
            !self.code().is_empty() && self.body["error"]["message"].is_string(),
            "not the error shape ({}): {:#}",
            self.status,
            self.body
        );
    }

    /// The message of an error answer.
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }

    /// A header of the answer, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
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

pub enum Database {
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

/// A fresh, empty database (dropped with the value returned): its URL.
pub async fn fresh_database() -> (String, Database) {
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

/// How a test server handles mail.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Send mail over SMTP (no TLS) to this port of 127.0.0.1; otherwise the file transport
    /// writes into a temporary folder.
    pub smtp_port: Option<u16>,
    /// Run the delivery worker inside the server (polling every 50 ms).
    pub worker: bool,
    /// Run the deadline scheduler inside the server (every 100 ms).
    pub scheduler: bool,
    /// Attempts before a message is dead-lettered (default 5).
    pub max_attempts: Option<u32>,
}

/// The mail settings of a test server.
pub fn mail_settings(dir: &std::path::Path, options: &AppOptions) -> MailSettings {
    MailSettings {
        transport: if options.smtp_port.is_some() {
            TransportKind::Smtp
        } else {
            TransportKind::File
        },
        file_dir: dir.to_owned(),
        from: "Cyber Peer Review <noreply@cpr.test>".into(),
        public_base_url: "https://cpr.test".into(),
        message_id_domain: "cpr.test".into(),
        worker: options.worker,
        scheduler: options.scheduler,
        poll_interval_ms: 50,
        batch_size: 20,
        max_attempts: options.max_attempts.unwrap_or(5),
        backoff_base_secs: 60,
        backoff_max_secs: 3600,
        lease_secs: 900,
        scheduler_interval_ms: 100,
        smtp: SmtpSettings {
            host: "127.0.0.1".into(),
            port: options.smtp_port.unwrap_or(25),
            tls: TlsMode::None,
            username: String::new(),
            password: String::new(),
            pool_max: 4,
            timeout_secs: 10,
        },
    }
}

/// Starts the real server on a random port against a fresh database, with a clock the
/// test moves, and bootstraps one secretariat account with a token. Mail is queued but
/// not delivered (no worker).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

/// [`spawn_app`] with mail handled as `options` say.
pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    spawn_app_configured(options, |_| {}).await
}

/// [`spawn_app_with`], with settings the test changes first (a smaller limit, say).
pub async fn spawn_app_configured(
    options: AppOptions,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let (database_url, database) = fresh_database().await;
    let mail_dir = TempDir(
        std::env::temp_dir().join(format!("cpr_test_mail_{}", uuid::Uuid::new_v4().simple())),
    );
    let attachments = TempDir(std::env::temp_dir().join(format!(
        "cpr_test_attachments_{}",
        uuid::Uuid::new_v4().simple()
    )));
    let log_dir = TempDir(
        std::env::temp_dir().join(format!("cpr_test_log_{}", uuid::Uuid::new_v4().simple())),
    );
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url,
        database: Default::default(),
        http: HttpSettings {
            max_body_bytes: 256 * 1024,
            request_timeout_secs: 30,
            statement_count_header: true,
            ..HttpSettings::default()
        },
        log: LogSettings {
            format: LogFormat::Text,
            filter: "info,sqlx=warn,sea_orm=warn".into(),
        },
        mail: mail_settings(&mail_dir.0, &options),
        attachments: AttachmentSettings {
            max_bytes: 20 * 1024 * 1024,
            store: AttachmentStore::Local,
            local_root: attachments.0.clone(),
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            s3_allow_http: false,
        },
        transparency_log: TransparencyLogSettings {
            origin: "cpr.test/log".into(),
            signing_key_file: log_dir.0.join("log.key"),
            create_key_if_missing: true,
            sign: true,
            checkpoint_interval_ms: 200,
            integrity_check_interval_secs: 0,
        },
    };
    configure(&mut settings);
    if std::env::var_os("TEST_LOG").is_some() {
        cpr_server::telemetry::init(&settings.log);
    }
    let clock = Arc::new(ManualClock::new(START));
    let (service, server) = start_server(&settings, clock.clone()).await;
    let base = format!("http://127.0.0.1:{}", server.0);

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
        settings,
        server: Some(server.1),
        _mail_dir: mail_dir,
        attachments_root: attachments.0.clone(),
        _database: database,
        _attachments: attachments,
        _log_dir: log_dir,
    }
}

type Running = (
    u16,
    (
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ),
);

async fn start_server(settings: &Settings, clock: Arc<ManualClock>) -> (Service, Running) {
    let app = Application::build(settings, clock).await.unwrap();
    let port = app.port();
    let service = app.service().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        app.run_until(async move {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (service, (port, (stop, handle)))
}

impl TestApp {
    /// Stops the server (its worker and scheduler finish what they hold), as a process
    /// that is shut down.
    #[allow(dead_code)]
    pub async fn stop(&mut self) {
        if let Some((stop, handle)) = self.server.take() {
            let _ = stop.send(());
            handle.await.unwrap();
        }
    }

    /// Tells the server to stop, without waiting: the handle ends once it has stopped.
    #[allow(dead_code)]
    pub fn begin_stop(&mut self) -> Option<tokio::task::JoinHandle<()>> {
        let (stop, handle) = self.server.take()?;
        let _ = stop.send(());
        Some(handle)
    }

    /// Starts the server again on the same database and clock, with `options` for mail.
    #[allow(dead_code)]
    pub async fn restart(&mut self, options: AppOptions) {
        let mut settings = self.settings.clone();
        settings.mail = mail_settings(&self._mail_dir.0, &options);
        self.restart_with(settings).await;
    }

    /// Starts the server again on the same database and clock, with `settings`.
    #[allow(dead_code)]
    pub async fn restart_with(&mut self, settings: Settings) {
        self.stop().await;
        self.settings = settings;
        let (service, (port, server)) = start_server(&self.settings, self.clock.clone()).await;
        self.base = format!("http://127.0.0.1:{port}");
        self.service = service;
        self.server = Some(server);
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
        self.call_with(method, path, token, body, &[]).await
    }

    /// Sends a request with extra headers; `body` is sent as JSON when given.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.remote()
            .call_with(method, path, token, body, headers)
            .await
    }

    /// Sends raw bytes with exactly the headers given (no Content-Type unless given).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Answer {
        self.remote().raw(method, path, headers, body).await
    }

    /// Sends a request and returns the answer's body as bytes, whatever it holds.
    pub async fn fetch_bytes(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.bytes().await.unwrap().to_vec())
    }

    /// A handle on the server that can be moved into spawned tasks.
    pub fn remote(&self) -> Remote {
        Remote {
            base: self.base.clone(),
            client: self.client.clone(),
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

    /// Creates an account of `body` and returns its first token, obtained as its holder
    /// obtains it: by the invitation mailed to the account's address.
    async fn account_token(&self, body: Value) -> String {
        self.account(body).await.token
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
        if kind != "stakeholder" {
            let organisation = self
                .post("/api/v1/organisations", &self.secretariat, body)
                .await
                .expect(201);
            return organisation["id"].as_str().unwrap().to_owned();
        }
        // A stakeholder is accredited through the real procedure, without disturbing the
        // test's timeline: it is registered and proposed one objection period (a day)
        // before now, and the decision is taken now, when the period has just ended.
        let now = self.clock.now();
        self.set_time(now - Duration::days(1));
        let organisation = self
            .post("/api/v1/organisations", &self.secretariat, body)
            .await
            .expect(201);
        let id = organisation["id"].as_str().unwrap().to_owned();
        self.propose(&id, 1).await;
        self.set_time(now);
        self.decide(&id, json!({"outcome": "accredited"})).await;
        id
    }

    /// The secretariat proposes `organisation` for accreditation, opening an objection
    /// period of `days`.
    pub async fn propose(&self, organisation: &str, days: u32) -> Value {
        self.post(
            &format!("/api/v1/organisations/{organisation}/accreditation/proposal"),
            &self.secretariat,
            json!({"objection_period_days": days}),
        )
        .await
        .expect(200)
    }

    /// The secretariat records its decision (`{"outcome": ..., "reason": ...}`).
    pub async fn decide(&self, organisation: &str, decision: Value) -> Value {
        self.post(
            &format!("/api/v1/organisations/{organisation}/accreditation/decision"),
            &self.secretariat,
            decision,
        )
        .await
        .expect(200)
    }

    /// A member of a new stakeholder organisation that has applied but is not accredited;
    /// returns (organisation, token).
    pub async fn member_of_applicant(&self, name: &str) -> (String, String) {
        let organisation = self
            .post(
                "/api/v1/organisations",
                &self.secretariat,
                json!({"kind": "stakeholder", "name": name, "stakeholder_kind": "ngo"}),
            )
            .await
            .expect(201);
        let organisation = organisation["id"].as_str().unwrap().to_owned();
        let email = format!("member.{}@org.example", uuid::Uuid::new_v4().simple());
        let token = self
            .account_token(json!({"role": "stakeholder", "organisation": organisation, "name": format!("Member of {name}"), "email": email}))
            .await;
        (organisation, token)
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

/// A working-group report with one recommendation per member.
pub fn wg_report_body(members: &[String]) -> Value {
    let recommendations: Vec<Value> = members
        .iter()
        .zip(["13e", "13f", "13k"])
        .enumerate()
        .map(|(n, (member, norm))| {
            let mut recommendation = json!({
                "text": format!("Recommendation proposed by {member} on norm {norm}."),
                "norms": [norm],
                "proposed_by": member,
            });
            // The first is about people harmed, not only norms.
            if n == 0 {
                recommendation["sectors"] = json!(["media_and_journalists"]);
                recommendation["groups"] = json!(["journalists", "human_rights_defenders"]);
            }
            recommendation
        })
        .collect();
    json!({
        "findings": "The working group finds that the report covers every norm.",
        "recommendations": recommendations,
    })
}

/// A response answering recommendations 1 to `count`: the first supported, the others
/// noted.
pub fn response_body(count: u32) -> Value {
    let answers: Vec<Value> = (1..=count)
        .map(|n| {
            json!({
                "recommendation": n,
                "position": if n == 1 { "supported" } else { "noted" },
                "explanation": format!("Our answer to recommendation {n}."),
            })
        })
        .collect();
    json!({"answers": answers, "general": "General comments of the state."})
}

/// The server's address and a client, cheap to clone into concurrent tasks.
#[derive(Clone)]
pub struct Remote {
    pub base: String,
    pub client: reqwest::Client,
}

impl Remote {
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut all: Vec<(&str, String)> = headers
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect();
        if let Some(token) = token {
            all.push(("authorization", format!("Bearer {token}")));
        }
        let bytes = body.map(|body| {
            all.push(("content-type", "application/json".to_owned()));
            serde_json::to_vec(&body).unwrap()
        });
        let all: Vec<(&str, &str)> = all.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.raw(method, path, &all, bytes).await
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Answer {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let plain = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain"));
        let body = if text.is_empty() {
            Value::Null
        } else if plain {
            Value::String(text)
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{method} {path}: not JSON ({status}): {text}"))
        };
        assert!(
            !status.is_server_error(),
            "{method} {path} answered {status}: {body:#}"
        );
        Answer {
            status,
            headers,
            body,
        }
    }
}

// --- accounts with their ids --------------------------------------------------------------

/// An account created by the secretariat, with one token.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub token: String,
    pub token_id: String,
}

impl TestApp {
    /// Creates an account of `body` with one token, and returns its ids. The secretariat
    /// creates the account; its holder reads the invitation mailed to its address and
    /// redeems the secret for the first token, as a holder does.
    pub async fn account(&self, body: Value) -> Account {
        let email = body["email"].as_str().unwrap().to_owned();
        let account = self
            .post("/api/v1/accounts", &self.secretariat, body)
            .await
            .expect(201);
        let id = account["id"].as_str().unwrap().to_owned();
        let secret = self.invitation_secret(&email).await;
        let token = self
            .call(
                Method::POST,
                "/api/v1/invitations",
                None,
                Some(json!({"secret": secret, "label": "tests"})),
            )
            .await
            .expect(201);
        assert_eq!(token["account"], json!(id));
        Account {
            id,
            token: token["token"].as_str().unwrap().to_owned(),
            token_id: token["id"].as_str().unwrap().to_owned(),
        }
    }

    /// The secret of the latest invitation mailed to `email`, read from the mail: the
    /// `.eml` file the server's worker delivered into the mail folder when it runs with
    /// the file transport, otherwise the message of the outbox rendered by the worker's
    /// own templates (the very text it sends or will send over SMTP).
    pub async fn invitation_secret(&self, email: &str) -> String {
        let mail = &self.settings.mail;
        if mail.worker && mail.transport == cpr_mail::TransportKind::File {
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
            loop {
                if let Some(text) = self.delivered_invitations(email).pop() {
                    return secret_in_mail(&text)
                        .unwrap_or_else(|| panic!("no invitation secret in {text}"));
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "no invitation delivered to {email}"
                );
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
        let text = self.queued_invitation(email).await;
        secret_in_mail(&text).unwrap_or_else(|| panic!("no invitation secret in {text}"))
    }

    /// The invitation mails delivered into the mail folder for `email`, oldest first.
    pub fn delivered_invitations(&self, email: &str) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(&self._mail_dir.0) else {
            return Vec::new();
        };
        let mut found: Vec<(std::time::SystemTime, String)> = dir
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let text = std::fs::read_to_string(entry.path()).ok()?;
                let modified = entry.metadata().ok()?.modified().ok()?;
                let to_them = text.lines().any(|line| {
                    line.to_ascii_lowercase().starts_with("to:") && line.contains(email)
                });
                (to_them && text.contains("X-CPR-Notice: account_invitation"))
                    .then_some((modified, text))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, text)| text).collect()
    }

    /// The newest invitation to `email` in the outbox, rendered as the worker renders it.
    async fn queued_invitation(&self, email: &str) -> String {
        let caller = self.service.authenticate(&self.secretariat).await.unwrap();
        let page = cpr_service::PageRequest::first(200);
        let messages = self
            .service
            .outbox(&caller.actor, None, None, &page)
            .await
            .unwrap();
        let message = messages
            .items
            .into_iter()
            .find(|m| {
                m.kind == cpr_service::INVITATION_KIND && m.recipient.eq_ignore_ascii_case(email)
            })
            .unwrap_or_else(|| panic!("no invitation queued for {email}"));
        cpr_mail::Templates::new(&self.settings.mail.public_base_url)
            .unwrap()
            .render(&message.kind, &message.data)
            .unwrap()
            .text
    }

    /// A delegate of `state`, with its account id.
    pub async fn delegate_account(&self, state: &str) -> Account {
        let email = format!(
            "{}.{}@delegation.example",
            state.to_lowercase(),
            uuid::Uuid::new_v4().simple()
        );
        self.account(json!({"role": "state", "state": state, "name": format!("Delegate of {state}"), "email": email}))
            .await
    }
}

pub use cpr_testkit::smtp::secret_in_mail;

// --- reviews at a given point of the process ---------------------------------------------

/// The state under review of every fixture.
pub const SUR: &str = "FRA";
/// A pool state that is not under review in the fixture: never on a working group.
pub const OTHER_STATE: &str = "DEU";
/// The fixture's working-group session.
pub const WG_SESSION: &str = "2027-06-15T09:00:00Z";
/// The fixture's oversight session.
pub const OVERSIGHT_SESSION: &str = "2027-07-01T10:00:00Z";
/// The first moment the input window of the fixture is closed (it closes 2027-04-06 23:59:59).
pub const AFTER_INPUT_WINDOW: OffsetDateTime = time::macros::datetime!(2027-04-07 08:00 UTC);
/// When the fixture's working-group session is over.
pub const AFTER_WG_SESSION: OffsetDateTime = time::macros::datetime!(2027-06-15 13:00 UTC);
/// During the fixture's oversight session.
pub const IN_OVERSIGHT_SESSION: OffsetDateTime = time::macros::datetime!(2027-07-01 10:05 UTC);

/// Points on the way of a review, in order; [`TestApp::review_at`] takes a fresh review
/// there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum At {
    /// Stage 1, just opened (the clock at [`START`]).
    StateReport,
    /// Stage 2: the report submitted, no input filed yet.
    StakeholderInput,
    /// Stage 3: one input filed by the fixture's stakeholder, not screened yet; the clock
    /// at [`AFTER_INPUT_WINDOW`].
    Compilation,
    /// Stage 4: the input admitted and the compilation published; no draw yet.
    WorkingGroup,
    /// Stage 4: the working group drawn, its members' delegates have tokens.
    WgDrawn,
    /// Stage 4: the session scheduled at [`WG_SESSION`] (not yet held).
    WgScheduled,
    /// Stage 5: the report drafted and approved by all, the session held (the clock at
    /// [`AFTER_WG_SESSION`]).
    Response,
    /// Stage 6: the response submitted; no oversight session scheduled.
    Oversight,
    /// Stage 6: the oversight session scheduled at [`OVERSIGHT_SESSION`] and under way
    /// (the clock at [`IN_OVERSIGHT_SESSION`]).
    OversightInSession,
    /// The outcome adopted.
    Concluded,
}

/// A delegate of a working-group state.
#[derive(Clone, Debug)]
pub struct Member {
    pub state: String,
    pub token: String,
}

/// A review at some point of the process and the people around it.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub cycle: String,
    pub review: String,
    /// A delegate of the state under review ([`SUR`]).
    pub sur: String,
    /// A delegate of [`OTHER_STATE`], which never sits on the working group.
    pub other_state: String,
    /// A member of an accredited stakeholder organisation.
    pub stakeholder: String,
    pub stakeholder_org: String,
    /// A member of the oversight body.
    pub chair: String,
    /// The input filed on the way (from [`At::Compilation`] on).
    pub input: Option<String>,
    /// The working group's states with a delegate's token each (from [`At::WgDrawn`] on).
    pub wg: Vec<Member>,
}

impl Fixture {
    /// The path of the review with `rest` appended.
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/reviews/{}{rest}", self.review)
    }
}

/// Which party a request is made as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Secretariat,
    /// A delegate of the state under review.
    Sur,
    /// A delegate of a state neither under review nor on the working group.
    OtherState,
    /// A delegate of a working-group state.
    WgMember,
    /// A member of an accredited stakeholder organisation.
    Stakeholder,
    /// A member of the oversight body.
    Chair,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Secretariat,
        Role::Sur,
        Role::OtherState,
        Role::WgMember,
        Role::Stakeholder,
        Role::Chair,
    ];
}

/// What tests compare to show that a refused request changed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub version: i64,
    pub stage: String,
    pub audit_len: usize,
    pub last_hash: String,
}

/// `words` words of text.
pub fn words(count: usize) -> String {
    let mut text = String::with_capacity(count * 6);
    for i in 0..count {
        text.push_str(if i % 10 == 9 { "word\n" } else { "word " });
    }
    text
}

/// Rechecks a chain as listed by an audit endpoint, as anyone could.
#[track_caller]
pub fn verify_entries(entries: &[Value]) {
    let links: Vec<cpr_domain::verify::ChainLink> = entries
        .iter()
        .map(|entry| serde_json::from_value(entry.clone()).unwrap())
        .collect();
    assert_eq!(cpr_domain::verify::verify_chain(&links), Ok(()));
}

impl TestApp {
    /// The token of `role` around `fixture` (`None` for a working-group member before the
    /// draw).
    pub fn token<'a>(&'a self, fixture: &'a Fixture, role: Role) -> Option<&'a str> {
        match role {
            Role::Secretariat => Some(&self.secretariat),
            Role::Sur => Some(&fixture.sur),
            Role::OtherState => Some(&fixture.other_state),
            Role::WgMember => fixture.wg.first().map(|m| m.token.as_str()),
            Role::Stakeholder => Some(&fixture.stakeholder),
            Role::Chair => Some(&fixture.chair),
        }
    }

    /// Every item of a paged list, read page after page by following `next` (pages of
    /// 200), as one JSON array.
    pub async fn list(&self, path: &str, token: Option<&str>) -> Value {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page_path = match &cursor {
                None => format!("{path}{separator}limit=200"),
                Some(next) => format!("{path}{separator}limit=200&cursor={next}"),
            };
            let page = self.get(&page_path, token).await.expect(200);
            items.extend(page["items"].as_array().expect("a page has items").clone());
            match page["next"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Value::Array(items),
            }
        }
    }

    /// The review's audit chain as the secretariat reads it.
    pub async fn audit(&self, review: &str) -> Vec<Value> {
        self.list(
            &format!("/api/v1/reviews/{review}/audit"),
            Some(&self.secretariat),
        )
        .await
        .as_array()
        .unwrap()
        .clone()
    }

    /// The review as the secretariat reads it.
    pub async fn review(&self, review: &str) -> Value {
        self.get(
            &format!("/api/v1/reviews/{review}"),
            Some(&self.secretariat),
        )
        .await
        .expect(200)
    }

    /// The version (checked against the `ETag`), stage and audit chain of a review.
    pub async fn snapshot(&self, review: &str) -> Snapshot {
        let answer = self
            .get(
                &format!("/api/v1/reviews/{review}"),
                Some(&self.secretariat),
            )
            .await;
        let etag = answer.header("etag").map(str::to_owned);
        let body = answer.expect(200);
        let version = body["version"].as_i64().unwrap();
        // The ETag is the quoted version, followed by `.<mask>` when deadlines are
        // overdue (they change with the clock alone).
        let tag = etag.unwrap_or_default();
        let quoted = format!("\"{version}\"");
        let with_overdue = format!("\"{version}.");
        assert!(
            tag == quoted
                || (tag.starts_with(&with_overdue)
                    && !body["overdue"].as_array().unwrap().is_empty()),
            "the ETag {tag} names version {version}"
        );
        let audit = self.audit(review).await;
        Snapshot {
            version,
            stage: body["stage"].as_str().unwrap().to_owned(),
            audit_len: audit.len(),
            last_hash: audit
                .last()
                .map(|e| e["hash"].as_str().unwrap().to_owned())
                .unwrap_or_default(),
        }
    }

    /// Sends a request that must be refused with `status` and `code`, and checks that the
    /// review did not change (its version and its audit chain).
    #[allow(clippy::too_many_arguments)]
    pub async fn refused(
        &self,
        review: &str,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        status: u16,
        code: &str,
    ) -> Answer {
        let before = self.snapshot(review).await;
        let answer = self.call(method.clone(), path, token, body).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (status, code),
            "{method} {path}: unexpected answer {:#}",
            answer.body
        );
        answer.assert_error_shape();
        let after = self.snapshot(review).await;
        assert_eq!(
            before, after,
            "{method} {path} was refused but changed the review"
        );
        answer
    }

    /// Opens a cycle with [`POOL`] and a review of [`SUR`], and takes it to `at`, moving
    /// the clock as the process needs.
    pub async fn review_at(&self, at: At) -> Fixture {
        let cycle = self
            .open_cycle(
                &format!("cycle {}", uuid::Uuid::new_v4().simple()),
                "2027-01-01",
                &POOL,
            )
            .await;
        let mut f = self.fixture_in(&cycle).await;
        self.take(&mut f, At::StateReport, at).await;
        f
    }

    /// Opens a review of [`SUR`] in `cycle` (session at [`WG_SESSION`]) and gives a token
    /// to each party around it.
    pub async fn fixture_in(&self, cycle: &str) -> Fixture {
        let review = self.open_review(cycle, SUR).await;
        let (stakeholder_org, stakeholder) = self
            .member_of_new("stakeholder", "Digital Rights Watch")
            .await;
        let (_, chair) = self
            .member_of_new("oversight", "First Committee bureau")
            .await;
        Fixture {
            cycle: cycle.to_owned(),
            review,
            sur: self.delegate(SUR).await,
            other_state: self.delegate(OTHER_STATE).await,
            stakeholder,
            stakeholder_org,
            chair,
            input: None,
            wg: Vec::new(),
        }
    }

    /// Takes the review of `f`, now at `from`, on to `to`, moving the clock as the process
    /// needs.
    pub async fn take(&self, f: &mut Fixture, from: At, to: At) {
        let step = |point: At| from < point && point <= to;
        if step(At::StakeholderInput) {
            self.put(&f.path("/report/draft"), &f.sur, report_body())
                .await
                .expect(200);
            self.act(&f.path("/report/submission"), &f.sur)
                .await
                .expect(200);
        }
        if step(At::Compilation) {
            let drafted = self
                .post(&f.path("/inputs"), &f.stakeholder, input_body())
                .await
                .expect(201);
            let input = drafted["created_input"].as_str().unwrap().to_owned();
            self.act(&f.path(&format!("/inputs/{input}/filing")), &f.stakeholder)
                .await
                .expect(200);
            f.input = Some(input);
            self.set_time(AFTER_INPUT_WINDOW);
            self.act(&f.path("/input-window/close"), &self.secretariat)
                .await
                .expect(200);
        }
        if step(At::WorkingGroup) {
            let input = f.input.clone().unwrap();
            self.post(
                &f.path(&format!("/inputs/{input}/screening")),
                &self.secretariat,
                json!({"admitted": true}),
            )
            .await
            .expect(200);
            self.put(
                &f.path("/compilation/draft"),
                &self.secretariat,
                json!({"text": "Compilation of the inputs, by norm."}),
            )
            .await
            .expect(200);
            self.act(&f.path("/compilation/publication"), &self.secretariat)
                .await
                .expect(200);
        }
        if step(At::WgDrawn) {
            let drawn = self
                .act(&f.path("/working-group/draw"), &self.secretariat)
                .await
                .expect(200);
            for seat in drawn["working_group"]["members"].as_array().unwrap() {
                let state = seat["state"].as_str().unwrap().to_owned();
                let token = self.delegate(&state).await;
                f.wg.push(Member { state, token });
            }
            assert_eq!(f.wg.len(), 3);
        }
        if step(At::WgScheduled) {
            self.post(
                &f.path("/working-group/session"),
                &self.secretariat,
                json!({"at": WG_SESSION}),
            )
            .await
            .expect(200);
        }
        if step(At::Response) {
            let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
            self.put(
                &f.path("/working-group/report"),
                &f.wg[0].token,
                wg_report_body(&members),
            )
            .await
            .expect(200);
            for member in &f.wg {
                self.act(&f.path("/working-group/report/approval"), &member.token)
                    .await
                    .expect(200);
            }
            self.set_time(AFTER_WG_SESSION);
            let held = self
                .act(&f.path("/working-group/session/held"), &self.secretariat)
                .await
                .expect(200);
            assert_eq!(held["stage"], "response");
        }
        if step(At::Oversight) {
            self.put(&f.path("/response/draft"), &f.sur, response_body(3))
                .await
                .expect(200);
            self.act(&f.path("/response/submission"), &f.sur)
                .await
                .expect(200);
        }
        if step(At::OversightInSession) {
            self.post(
                &f.path("/oversight/session"),
                &self.secretariat,
                json!({"at": OVERSIGHT_SESSION, "webcast_url": "https://webtv.example/cpr/fra"}),
            )
            .await
            .expect(200);
            self.set_time(IN_OVERSIGHT_SESSION);
        }
        if step(At::Concluded) {
            let concluded = self
                .post(
                    &f.path("/oversight/outcome"),
                    &f.chair,
                    json!({"text": "The outcome of the review of France is adopted."}),
                )
                .await
                .expect(200);
            assert_eq!(concluded["stage"], "concluded");
        }
    }
}

// --- every command of a review, with who may take it -------------------------------------

/// Who may take an action, as the spec's table of actors says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Sur,
    Wg,
    Secretariat,
    Stakeholder,
    Oversight,
    /// Delegates of states neither under review nor on the working group.
    OtherState,
    /// Other states (on the working group or not) and accredited stakeholders.
    Speakers,
}

impl Who {
    pub fn admits(self, role: Role) -> bool {
        matches!(
            (self, role),
            (Who::Sur, Role::Sur)
                | (Who::Wg, Role::WgMember)
                | (Who::Secretariat, Role::Secretariat)
                | (Who::Stakeholder, Role::Stakeholder)
                | (Who::Oversight, Role::Chair)
                | (Who::OtherState, Role::OtherState)
                | (
                    Who::Speakers,
                    Role::OtherState | Role::WgMember | Role::Stakeholder
                )
        )
    }

    pub fn role(self) -> Role {
        match self {
            Who::Sur => Role::Sur,
            Who::Wg => Role::WgMember,
            Who::Secretariat => Role::Secretariat,
            Who::Stakeholder => Role::Stakeholder,
            Who::Oversight => Role::Chair,
            Who::OtherState | Who::Speakers => Role::OtherState,
        }
    }
}

/// One command of a review as an HTTP request.
#[derive(Clone, Debug)]
pub struct ActionCall {
    pub name: &'static str,
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
    pub who: Who,
    /// The stages (1 to 6) in which the spec lets it happen.
    pub stages: &'static [u8],
}

/// Every command of a review, written from the spec: who acts (its table of stages and
/// actors) and in which stages, with a well-formed body for `f`.
pub fn actions(f: &Fixture) -> Vec<ActionCall> {
    let input = f
        .input
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let member = f.wg.first().map_or("ZAF", |m| m.state.as_str());
    let row = |name, method: Method, rest: &str, body: Option<Value>, who, stages| ActionCall {
        name,
        method,
        path: f.path(rest),
        body,
        who,
        stages,
    };
    let text = |t: &str| Some(json!({ "text": t }));
    let members: Vec<String> = if f.wg.is_empty() {
        vec!["ZAF".into(), "BRA".into(), "JPN".into()]
    } else {
        f.wg.iter().map(|m| m.state.clone()).collect()
    };
    vec![
        row(
            "draft_report",
            Method::PUT,
            "/report/draft",
            Some(report_body()),
            Who::Sur,
            &[1],
        ),
        row(
            "submit_report",
            Method::POST,
            "/report/submission",
            None,
            Who::Sur,
            &[1],
        ),
        row(
            "record_report_deadline_passed",
            Method::POST,
            "/report/deadline-passed",
            None,
            Who::Secretariat,
            &[1],
        ),
        row(
            "request_own_group_member",
            Method::POST,
            "/working-group/own-group-request",
            None,
            Who::Sur,
            &[1, 2, 3, 4],
        ),
        row(
            "draft_input",
            Method::POST,
            "/inputs",
            Some(json!({"text": "An input.", "norms": ["13a"], "sectors": ["energy"]})),
            Who::Stakeholder,
            &[2],
        ),
        row(
            "file_input",
            Method::POST,
            &format!("/inputs/{input}/filing"),
            None,
            Who::Stakeholder,
            &[2],
        ),
        row(
            "close_input_window",
            Method::POST,
            "/input-window/close",
            None,
            Who::Secretariat,
            &[2],
        ),
        row(
            "screen_input",
            Method::POST,
            &format!("/inputs/{input}/screening"),
            Some(json!({"admitted": true})),
            Who::Secretariat,
            &[3],
        ),
        row(
            "redact_section",
            Method::POST,
            "/redactions",
            Some(
                json!({"document": {"kind": "state_report"}, "section": "13c", "reason": "Names an official."}),
            ),
            Who::Secretariat,
            &[3],
        ),
        row(
            "draft_compilation",
            Method::PUT,
            "/compilation/draft",
            text("A compilation."),
            Who::Secretariat,
            &[3],
        ),
        row(
            "publish_compilation",
            Method::POST,
            "/compilation/publication",
            None,
            Who::Secretariat,
            &[3],
        ),
        row(
            "send_advance_question",
            Method::POST,
            "/questions",
            text("How are operations authorised?"),
            Who::OtherState,
            &[4],
        ),
        row(
            "forward_advance_questions",
            Method::POST,
            "/questions/forwarding",
            None,
            Who::Wg,
            &[4],
        ),
        row(
            "draw_working_group",
            Method::POST,
            "/working-group/draw",
            None,
            Who::Secretariat,
            &[4],
        ),
        row(
            "substitute_wg_member",
            Method::POST,
            "/working-group/substitution",
            Some(json!({"member": member})),
            Who::Sur,
            &[4],
        ),
        row(
            "excuse_wg_member",
            Method::POST,
            "/working-group/recusal",
            None,
            Who::Wg,
            &[4],
        ),
        row(
            "schedule_wg_session",
            Method::POST,
            "/working-group/session",
            Some(json!({"at": WG_SESSION})),
            Who::Secretariat,
            &[4],
        ),
        row(
            "record_wg_session_held",
            Method::POST,
            "/working-group/session/held",
            None,
            Who::Secretariat,
            &[4],
        ),
        row(
            "draft_wg_report",
            Method::PUT,
            "/working-group/report",
            Some(wg_report_body(&members)),
            Who::Wg,
            &[4],
        ),
        row(
            "approve_wg_report",
            Method::POST,
            "/working-group/report/approval",
            None,
            Who::Wg,
            &[4],
        ),
        row(
            "draft_response",
            Method::PUT,
            "/response/draft",
            Some(response_body(3)),
            Who::Sur,
            &[5],
        ),
        row(
            "submit_response",
            Method::POST,
            "/response/submission",
            None,
            Who::Sur,
            &[5],
        ),
        row(
            "reply_to_input",
            Method::POST,
            &format!("/inputs/{input}/reply"),
            text("The state's reply."),
            Who::Sur,
            &[4, 5, 6],
        ),
        row(
            "record_response_deadline_passed",
            Method::POST,
            "/response/deadline-passed",
            None,
            Who::Secretariat,
            &[5],
        ),
        row(
            "schedule_oversight_session",
            Method::POST,
            "/oversight/session",
            Some(json!({"at": "2027-12-01T10:00:00Z", "webcast_url": "https://webtv.example/cpr"})),
            Who::Secretariat,
            &[6],
        ),
        row(
            "request_to_speak",
            Method::POST,
            "/oversight/speakers/requests",
            None,
            Who::Speakers,
            &[6],
        ),
        row(
            "draw_speakers",
            Method::POST,
            "/oversight/speakers/draw",
            None,
            Who::Secretariat,
            &[6],
        ),
        row(
            "record_statement",
            Method::POST,
            "/oversight/statements",
            Some(json!({"speaker": {"kind": "state_under_review"}, "summary": "A statement."})),
            Who::Oversight,
            &[6],
        ),
        row(
            "adopt_outcome",
            Method::POST,
            "/oversight/outcome",
            text("An outcome."),
            Who::Oversight,
            &[6],
        ),
        row(
            "extend_deadline",
            Method::POST,
            "/deadlines/response/extension",
            Some(json!({"to": "2027-12-31T23:59:59Z", "reason": "A public reason."})),
            Who::Secretariat,
            &[1, 2, 3, 4, 5],
        ),
        row(
            "withdraw",
            Method::POST,
            "/withdrawal",
            Some(json!({"reason": "A public reason."})),
            Who::Secretariat,
            &[1, 2, 3, 4, 5, 6],
        ),
    ]
}

// --- more processes on the same database ------------------------------------------------

/// Another cpr process without HTTP (as `cpr worker`): its own connection pool, delivery
/// worker and scheduler, on the test's database and clock.
#[allow(dead_code)]
pub struct Process {
    pub service: Service,
    server: (
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ),
}

#[allow(dead_code)]
impl Process {
    /// Stops it; the batch in flight is finished first.
    pub async fn stop(self) {
        let (stop, handle) = self.server;
        let _ = stop.send(());
        handle.await.unwrap();
    }
}

impl TestApp {
    /// Starts another process on this app's database, with mail handled as `options` say.
    #[allow(dead_code)]
    pub async fn process(&self, options: AppOptions) -> Process {
        let mut settings = self.settings.clone();
        settings.mail = mail_settings(&self._mail_dir.0, &options);
        let store = cpr_server::open_store(&settings).await.unwrap();
        let service = Service::new(store, self.clock.clone());
        let background = cpr_server::Background::new(&service, &settings).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(background.run_until(async move {
            let _ = stopped.await;
        }));
        Process {
            service,
            server: (stop, handle),
        }
    }
}
