//! What operators rely on: liveness without the database, readiness with it, Retry-After
//! on every 503, idempotency keys, rate limits, per-route body limits, metrics, and
//! instances migrating one database together.

use time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

fn statements(answer: &Answer) -> u32 {
    answer
        .header("x-sql-statements")
        .and_then(|v| v.parse().ok())
        .expect("the test server counts statements")
}

#[tokio::test]
async fn liveness_never_asks_the_database_and_readiness_reports_a_recorded_break() {
    let app = spawn_app().await;
    let health = app.get("/healthz", None).await;
    assert_eq!(
        statements(&health),
        0,
        "/healthz must not touch the database"
    );
    assert_eq!(health.expect(200)["status"], "ok");
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.expect(200)["status"], "ready");

    // A break the integrity check recorded: not ready, and it says why.
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        "INSERT INTO integrity_failures (chain, seq, detail, detected_at) \
         VALUES ('registry', NULL, 'planted by the test', '2027-01-01T00:00:00Z')",
    )
    .await
    .unwrap();
    // (Not through `app.get`, which fails a test on any 5xx.)
    let (status, headers, body) = app.fetch_bytes("/readyz", None).await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status.as_u16(), 503, "{body:#}");
    assert_eq!(body["error"]["code"], "not_ready");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("integrity"),
        "{body:#}"
    );
    assert_eq!(headers["retry-after"], "2");
    // Liveness is unaffected: the process itself is fine.
    app.get("/healthz", None).await.expect(200);

    // Once a full check passes, the operator clears the record and the instance is ready.
    assert!(
        app.service
            .clear_integrity_failures()
            .await
            .unwrap()
            .is_ok()
    );
    app.get("/readyz", None).await.expect(200);
}

async fn cycles(app: &TestApp) -> usize {
    app.list("/api/v1/cycles", Some(&app.secretariat))
        .await
        .as_array()
        .unwrap()
        .len()
}

fn cycle_body(name: &str) -> Value {
    json!({"name": name, "starts_on": "2027-01-01", "pool": POOL})
}

#[tokio::test]
async fn a_request_sent_again_with_its_idempotency_key_is_answered_as_the_first_time() {
    let app = spawn_app().await;
    let send = |key: &'static str, body: Value, token: String| {
        let remote = app.remote();
        async move {
            remote
                .call_with(
                    Method::POST,
                    "/api/v1/cycles",
                    Some(&token),
                    Some(body),
                    &[("idempotency-key", key)],
                )
                .await
        }
    };
    let first = send("cycle-2027", cycle_body("2027"), app.secretariat.clone()).await;
    assert_eq!(first.status.as_u16(), 201, "{:#}", first.body);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = send("cycle-2027", cycle_body("2027"), app.secretariat.clone()).await;
    assert_eq!(again.status.as_u16(), 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body, "the replay is the first answer");
    assert_eq!(again.header("content-type"), first.header("content-type"));
    assert_eq!(cycles(&app).await, 1, "applied once");

    // The same key for another request is refused, and changes nothing.
    send("cycle-2027", cycle_body("2028"), app.secretariat.clone())
        .await
        .expect_error(422, "idempotency_key_reused");
    assert_eq!(cycles(&app).await, 1);

    // A key that is not one.
    let bad = app
        .call_with(
            Method::POST,
            "/api/v1/cycles",
            Some(&app.secretariat),
            Some(cycle_body("2029")),
            &[("idempotency-key", "two words")],
        )
        .await;
    bad.expect_error(400, "invalid_idempotency_key");
    assert_eq!(cycles(&app).await, 1);

    // A refusal is kept too: the same request is refused the same way, without being
    // decided again.
    let unknown_state = json!({"name": "2030", "starts_on": "2030-01-01", "pool": ["ZZZ"]});
    let refused = send("dup", unknown_state.clone(), app.secretariat.clone()).await;
    assert!(refused.status.is_client_error(), "{:#}", refused.body);
    assert_eq!(
        refused.header("idempotent-replayed"),
        None,
        "{:#}",
        refused.body
    );
    let refused_again = send("dup", unknown_state, app.secretariat.clone()).await;
    assert_eq!(
        refused_again.status, refused.status,
        "{:#}",
        refused_again.body
    );
    assert_eq!(
        refused_again.header("idempotent-replayed"),
        Some("true"),
        "{:#} then {:#}",
        refused.body,
        refused_again.body
    );
}

/// A request applied whose answer was never kept (the instance died between the two):
/// copies wait while it could still be running, then learn it was applied — never a
/// second change, never a key blocked for a day.
#[tokio::test]
async fn a_key_whose_answer_was_lost_after_its_change_says_so_and_applies_nothing_twice() {
    let app = spawn_app().await;
    let send = || {
        app.call_with(
            Method::POST,
            "/api/v1/cycles",
            Some(&app.secretariat),
            Some(cycle_body("2027")),
            &[("idempotency-key", "lost-answer")],
        )
    };
    assert_eq!(send().await.status.as_u16(), 201);
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    // What a kill between the change's COMMIT and the answer leaves: the change, and the
    // key marked applied by the change's own transaction, without its answer.
    let marked = sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        "UPDATE idempotency_keys SET status = NULL, headers = NULL, body = NULL \
         WHERE client_key = 'lost-answer' AND applied = 1",
    )
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(marked, 1, "the change's transaction marked its key applied");
    send().await.expect_error(409, "idempotency_key_in_use");
    // Past the request timeout and its margin, the first copy cannot be running.
    app.clock.advance(time::Duration::minutes(2));
    send().await.expect_error(409, "idempotency_answer_lost");
    assert_eq!(cycles(&app).await, 1, "applied once");

    // A key taken by a request that died before its change. Its fingerprint (method,
    // address, body) is read off a refused copy sent by someone else; the key is planted
    // as the secretariat's, taken as long ago as the first one.
    app.call_with(
        Method::POST,
        "/api/v1/cycles",
        None,
        Some(cycle_body("2028")),
        &[("idempotency-key", "fingerprint-of-2028")],
    )
    .await
    .expect_error(401, "unauthenticated");
    sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        "INSERT INTO idempotency_keys (caller, client_key, fingerprint, created_at) \
         SELECT mine.caller, 'died-before-its-change', theirs.fingerprint, mine.created_at \
         FROM idempotency_keys mine, idempotency_keys theirs \
         WHERE mine.client_key = 'lost-answer' AND theirs.client_key = 'fingerprint-of-2028'",
    )
    .await
    .unwrap();
    let copy = app
        .call_with(
            Method::POST,
            "/api/v1/cycles",
            Some(&app.secretariat),
            Some(cycle_body("2028")),
            &[("idempotency-key", "died-before-its-change")],
        )
        .await;
    assert_eq!(copy.status.as_u16(), 201, "{:#}", copy.body);
    assert_eq!(copy.header("idempotent-replayed"), None);
    assert_eq!(
        cycles(&app).await,
        2,
        "the abandoned request applied by its copy"
    );
}

#[tokio::test]
async fn copies_sent_at_once_with_one_key_are_applied_once() {
    let app = spawn_app().await;
    let copies = 20;
    let mut tasks = Vec::new();
    for _ in 0..copies {
        let remote = app.remote();
        let token = app.secretariat.clone();
        tasks.push(tokio::spawn(async move {
            remote
                .call_with(
                    Method::POST,
                    "/api/v1/cycles",
                    Some(&token),
                    Some(cycle_body("2027")),
                    &[("idempotency-key", "one-cycle")],
                )
                .await
        }));
    }
    let mut applied = 0;
    let mut replayed = 0;
    let mut in_use = 0;
    for task in tasks {
        let answer = task.await.unwrap();
        match (answer.status.as_u16(), answer.header("idempotent-replayed")) {
            (201, None) => applied += 1,
            (201, Some("true")) => replayed += 1,
            (409, _) if answer.code() == "idempotency_key_in_use" => in_use += 1,
            other => panic!("unexpected answer {other:?}: {:#}", answer.body),
        }
    }
    println!("{copies} copies: {applied} applied, {replayed} replayed, {in_use} told in use");
    assert_eq!(applied, 1);
    assert_eq!(replayed + in_use, copies - 1);
    assert_eq!(cycles(&app).await, 1);
}

#[tokio::test]
async fn idempotency_keys_are_the_caller_s_own() {
    let app = spawn_app().await;
    let delegate = app.delegate("DEU").await;
    let send = |token: String| {
        let remote = app.remote();
        async move {
            remote
                .call_with(
                    Method::POST,
                    "/api/v1/cycles",
                    Some(&token),
                    Some(cycle_body("2027")),
                    &[("idempotency-key", "same-key")],
                )
                .await
        }
    };
    send(app.secretariat.clone()).await.expect(201);
    // Another caller's request under the same key is its own: decided (and refused) for
    // who it is, not answered with the secretariat's 201.
    let other = send(delegate.clone()).await;
    assert_eq!(other.header("idempotent-replayed"), None);
    other.expect_error(403, "secretariat_only");
    assert_eq!(cycles(&app).await, 1);
}

#[tokio::test]
async fn over_its_rate_a_client_is_answered_429_with_retry_after_and_health_is_spared() {
    let app = spawn_app_configured(AppOptions::default(), |settings| {
        let rate = &mut settings.http.rate_limit;
        rate.enabled = true;
        rate.anonymous_burst = 5.0;
        rate.anonymous_per_second = 0.01;
        rate.token_burst = 3.0;
        rate.token_per_second = 0.01;
    })
    .await;
    for _ in 0..5 {
        app.get("/api/v1/reviews", None).await.expect(200);
    }
    let limited = app.get("/api/v1/reviews", None).await;
    let wait: u64 = limited
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a 429 says when to try again");
    assert!(wait >= 1, "{wait}");
    limited.expect_error(429, "rate_limited");
    // The public site is limited the same way (it is anonymous too).
    assert_eq!(app.fetch_bytes("/", None).await.0.as_u16(), 429);
    // Probes and scrapes always get through.
    for _ in 0..10 {
        app.get("/healthz", None).await.expect(200);
        app.get("/readyz", None).await.expect(200);
    }
    // A token has a bucket of its own.
    for _ in 0..3 {
        app.get("/api/v1/cycles", Some(&app.secretariat))
            .await
            .expect(200);
    }
    app.get("/api/v1/cycles", Some(&app.secretariat))
        .await
        .expect_error(429, "rate_limited");
}

#[tokio::test]
async fn short_resources_take_short_bodies_while_documents_take_the_general_limit() {
    let app = spawn_app_configured(AppOptions::default(), |settings| {
        settings.http.max_body_bytes = 2 * 1024 * 1024;
    })
    .await;
    let long = "x".repeat(300 * 1024);
    app.post(
        "/api/v1/cycles",
        &app.secretariat,
        json!({"name": long, "starts_on": "2027-01-01", "pool": POOL}),
    )
    .await
    .expect_error(413, "payload_too_large");
    assert_eq!(cycles(&app).await, 0);
    // A review's document may be longer: refused for its content, not its size.
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let review = app.open_review(&cycle, SUR).await;
    let answer = app
        .put(
            &format!("/api/v1/reviews/{review}/report/draft"),
            &app.secretariat,
            json!({"text": long}),
        )
        .await;
    assert_ne!(answer.status.as_u16(), 413, "{:#}", answer.body);
    assert!(answer.status.is_client_error(), "{:#}", answer.body);
}

fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_transitions_by_stage_and_read_the_database() {
    let app = spawn_app_configured(AppOptions::default(), |settings| {
        settings.http.metrics_token = "scrape-secret".into();
    })
    .await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let review = app.open_review(&cycle, SUR).await;
    for _ in 0..3 {
        app.get(&format!("/api/v1/reviews/{review}"), None)
            .await
            .expect(200);
    }
    app.get("/api/v1/reviews/not-an-id", None).await;
    // The report is missed: the scheduler moves the review on.
    app.advance(Duration::days(200));
    app.service.run_deadlines().await.unwrap();
    let stage = app
        .get(&format!("/api/v1/reviews/{review}"), None)
        .await
        .expect(200)["stage"]
        .as_str()
        .unwrap()
        .to_owned();

    app.get("/metrics", None)
        .await
        .expect_error(401, "unauthenticated");
    let (status, headers, body) = {
        let response = app
            .client
            .get(format!("{}/metrics", app.base))
            .bearer_auth("scrape-secret")
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.headers().clone(),
            response.text().await.unwrap(),
        )
    };
    assert_eq!(status.as_u16(), 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let reads = "cpr_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/reviews/{id}\",status=\"200\"}";
    assert_eq!(metric(&body, reads), Some(4.0), "{body}");
    assert!(
        metric(&body, "cpr_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/reviews/{id}\",status=\"400\"}").is_some()
            || metric(&body, "cpr_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/reviews/{id}\",status=\"404\"}").is_some(),
        "{body}"
    );
    assert!(
        metric(
            &body,
            &format!("cpr_transitions_total{{stage=\"{stage}\"}}")
        )
        .is_some_and(|n| n >= 1.0),
        "{body}"
    );
    assert_eq!(metric(&body, "cpr_database_up"), Some(1.0));
    assert_eq!(metric(&body, "cpr_integrity_failures"), Some(0.0));
    assert!(
        metric(&body, "cpr_log_size").is_some_and(|n| n >= 2.0),
        "{body}"
    );
    assert!(body.contains("cpr_db_pool_connections{pool="), "{body}");
    assert!(body.contains(",state=\"in_use\"}"), "{body}");
    assert!(
        metric(&body, "cpr_db_pool_acquire_timeouts_total").is_some(),
        "{body}"
    );
    // The scrape itself is being answered.
    assert!(
        metric(&body, "cpr_http_requests_in_flight").is_some_and(|n| n >= 1.0),
        "{body}"
    );
    assert!(
        metric(&body, "cpr_deliveries_total{outcome=\"sent\"}").is_some(),
        "{body}"
    );
    assert!(metric(&body, "cpr_outbox_leased").is_some(), "{body}");
}

#[tokio::test]
async fn instances_started_together_on_an_empty_database_all_come_up() {
    // Only PostgreSQL serves several instances; SQLite is one process's file.
    if std::env::var("CPR_TEST_POSTGRES_URL").map_or(true, |url| url.is_empty()) {
        println!("SQLite: several instances on one database are not a supported deployment");
        return;
    }
    let app = spawn_app().await;
    let (url, _database) = fresh_database().await;
    let mut settings = app.settings.clone();
    settings.database_url = url;
    let clock = app.clock.clone();
    let starts = (0..3).map(|_| {
        let settings = settings.clone();
        let clock = clock.clone();
        tokio::spawn(async move { cpr_server::Application::build(&settings, clock).await })
    });
    let mut built = Vec::new();
    for start in starts {
        built.push(start.await.unwrap().expect("every instance comes up"));
    }
    for instance in &built {
        let readiness = instance.service().readiness().await;
        assert!(readiness.is_ready(), "{readiness:?}");
    }
    println!("3 instances migrated one empty database together");
}

/// Sends the head of a POST and half its body on a connection of its own: the request is
/// in flight, its handler waiting for the rest. Returns the connection and the rest.
async fn half_sent_post(app: &TestApp, path: &str, body: &str) -> (tokio::net::TcpStream, String) {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: cpr.test\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        app.secretariat,
        body.len()
    );
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    // Time for the server to take the request in.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    (stream, rest.to_owned())
}

#[tokio::test]
async fn a_stopping_server_finishes_the_requests_in_flight_and_takes_no_new_ones() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut app = spawn_app().await;
    let body = cycle_body("2027").to_string();
    let (mut in_flight, rest) = half_sent_post(&app, "/api/v1/cycles", &body).await;
    let stopped = app.begin_stop().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !stopped.is_finished(),
        "the server waits for the request in flight"
    );
    // A new connection is no longer taken.
    let address = app.base.trim_start_matches("http://").to_owned();
    assert!(
        tokio::net::TcpStream::connect(&address).await.is_err(),
        "a stopping server takes no new connection"
    );
    // The request in flight is answered whole, and then the server stops.
    in_flight.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    tokio::time::timeout(std::time::Duration::from_secs(15), stopped)
        .await
        .expect("stopped once its last request was answered")
        .unwrap();
}

#[tokio::test]
async fn a_request_that_never_ends_holds_a_stop_no_longer_than_the_grace() {
    let mut app = spawn_app().await;
    let mut settings = app.settings.clone();
    settings.http.shutdown_grace_secs = 1;
    app.restart_with(settings).await;
    let body = cycle_body("2027").to_string();
    // The rest of the body never comes.
    let (stuck, _rest) = half_sent_post(&app, "/api/v1/cycles", &body).await;
    let stopped = app.begin_stop().unwrap();
    // Without the grace the stuck request would hold the stop for its whole request
    // timeout (30 s).
    tokio::time::timeout(std::time::Duration::from_secs(15), stopped)
        .await
        .expect("stopped once the grace was over")
        .unwrap();
    drop(stuck);
}
