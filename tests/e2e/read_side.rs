//! The read side: what a request costs in SQL statements does not grow with the
//! database (a count, not a time: the same on every machine), the projections a rebuild
//! recomputes are exactly those the changes wrote, a snapshot of the first release still
//! loads, and the review lists answer in pages.

use reqwest::Method;
use serde_json::{Value, json};

use crate::pages::check_pages;
use crate::support::*;

/// The SQL statements a request issued, as the test server answers them.
fn statements(answer: &Answer) -> u32 {
    answer
        .header("x-sql-statements")
        .and_then(|v| v.parse().ok())
        .expect("the test server counts statements")
}

/// The reads whose cost must not grow, with who makes them.
struct Reads {
    review: String,
    cycle: String,
}

/// A read to count: what it is, its path and its headers.
type Read = (&'static str, String, Vec<(&'static str, String)>);

impl Reads {
    fn requests(&self, tag: &str) -> Vec<Read> {
        let review = |rest: &str| format!("/api/v1/reviews/{}{rest}", self.review);
        let page = "limit=50";
        vec![
            ("a review read", review(""), vec![]),
            (
                "a conditional read",
                review(""),
                vec![("if-none-match", tag.to_owned())],
            ),
            (
                "the cycle's yearly report",
                format!("/api/v1/cycles/{}/report", self.cycle),
                vec![],
            ),
            (
                "a page of the cycle's reviews",
                format!("/api/v1/reviews?cycle={}&{page}", self.cycle),
                vec![],
            ),
            (
                "a page of all reviews",
                format!("/api/v1/reviews?{page}"),
                vec![],
            ),
            (
                "a page of published documents",
                format!("/api/v1/documents?{page}"),
                vec![],
            ),
            (
                "a page of documents on a norm",
                format!("/api/v1/documents?norm=13e&{page}"),
                vec![],
            ),
            (
                "a page of recommendations",
                format!("/api/v1/recommendations?{page}"),
                vec![],
            ),
            (
                "a page of noted recommendations",
                format!("/api/v1/recommendations?response=noted&{page}"),
                vec![],
            ),
            (
                "a review's documents",
                review(&format!("/documents?{page}")),
                vec![],
            ),
            (
                "a review's audit chain",
                review(&format!("/audit?{page}")),
                vec![],
            ),
            (
                "a review's recommendations",
                review(&format!("/recommendations?{page}")),
                vec![],
            ),
        ]
    }

    async fn count(&self, app: &TestApp, token: Option<&str>) -> Vec<(&'static str, u32)> {
        let review = format!("/api/v1/reviews/{}", self.review);
        let tag = app
            .get(&review, token)
            .await
            .header("etag")
            .unwrap()
            .to_owned();
        let mut counts = Vec::new();
        for (what, path, headers) in self.requests(&tag) {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let answer = app
                .call_with(Method::GET, &path, token, None, &headers)
                .await;
            let expected = if headers.is_empty() { 200 } else { 304 };
            assert_eq!(answer.status.as_u16(), expected, "{what}: {}", answer.body);
            counts.push((what, statements(&answer)));
        }
        counts
    }
}

/// Opens reviews of `count` states in `cycle`, each with its report submitted and an
/// input filed, as many reviews of a busy cycle have.
async fn busy_reviews(app: &TestApp, cycle: &str, states: &[String], stakeholder: &str) {
    for state in states {
        let review = app
            .post(
                &format!("/api/v1/cycles/{cycle}/reviews"),
                &app.secretariat,
                json!({"state": state, "wg_session": "2029-06-15T09:00:00Z"}),
            )
            .await
            .expect(201);
        let review = review["id"].as_str().unwrap().to_owned();
        let path = |rest: &str| format!("/api/v1/reviews/{review}{rest}");
        let delegate = app.delegate(state).await;
        app.put(&path("/report/draft"), &delegate, report_body())
            .await
            .expect(200);
        app.act(&path("/report/submission"), &delegate)
            .await
            .expect(200);
        let input = app
            .post(&path("/inputs"), stakeholder, input_body())
            .await
            .expect(201);
        let input = input["created_input"].as_str().unwrap().to_owned();
        app.act(&path(&format!("/inputs/{input}/filing")), stakeholder)
            .await
            .expect(200);
    }
}

/// Posts an implementation update of the fixture's first recommendation: a write whose
/// cost must not grow either.
async fn implementation_update(app: &TestApp, f: &Fixture) -> u32 {
    let answer = app
        .call(
            Method::POST,
            &f.path("/recommendations/1/updates"),
            Some(&f.sur),
            Some(json!({"text": "Progress."})),
        )
        .await;
    assert_eq!(answer.status.as_u16(), 201, "{}", answer.body);
    statements(&answer)
}

#[tokio::test]
async fn no_read_costs_more_statements_as_the_database_grows_from_one_review_to_193() {
    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    let reads = Reads {
        review: f.review.clone(),
        cycle: f.cycle.clone(),
    };
    // A recommendation with a history: its page reads the history too.
    implementation_update(&app, &f).await;
    let small = (
        reads.count(&app, None).await,
        reads.count(&app, Some(&app.secretariat)).await,
    );
    let small_write = implementation_update(&app, &f).await;

    // A second cycle with every state of the register in its pool, and its reviews
    // under way: 30, then 193.
    let states: Vec<String> = app
        .list("/api/v1/states", None)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states.len(), 193);
    app.set_time(time::macros::datetime!(2028-12-01 09:00 UTC));
    let states_refs: Vec<&str> = states.iter().map(String::as_str).collect();
    let cycle = app.open_cycle("2029", "2029-01-01", &states_refs).await;
    let (_, stakeholder) = app.member_of_new("stakeholder", "Busy Watch").await;
    busy_reviews(&app, &cycle, &states[..30], &stakeholder).await;
    let at_30 = (
        reads.count(&app, None).await,
        reads.count(&app, Some(&app.secretariat)).await,
    );
    let write_at_30 = implementation_update(&app, &f).await;
    let yearly = format!("/api/v1/cycles/{cycle}/report");
    let report_at_30 = app.get(&yearly, None).await;
    busy_reviews(&app, &cycle, &states[30..], &stakeholder).await;
    let report_at_193 = app.get(&yearly, None).await;
    assert_eq!(
        statements(&report_at_30),
        statements(&report_at_193),
        "the yearly report of a cycle of 30 and of 193 reviews"
    );
    assert_eq!(report_at_193.expect(200)["totals"]["reviews"], 193);
    let at_193 = (
        reads.count(&app, None).await,
        reads.count(&app, Some(&app.secretariat)).await,
    );
    let write_at_193 = implementation_update(&app, &f).await;

    for (what, count) in small.0.iter().chain(&small.1) {
        eprintln!("statements: {what}: {count}");
    }
    eprintln!("statements: an implementation update: {small_write}");
    assert_eq!(small, at_30, "30 reviews under way");
    assert_eq!(small, at_193, "193 reviews under way");
    assert_eq!((small_write, write_at_30), (write_at_193, write_at_193));
    // The cycle's listing pages through its 193 reviews.
    let listed = app
        .get(&format!("/api/v1/reviews?cycle={cycle}&limit=200"), None)
        .await
        .expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 193);
}

#[tokio::test]
async fn a_review_read_costs_the_same_whatever_the_length_of_its_chain() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    let draft = |n: usize| json!({"foreign_activity": format!("draft {n}")});
    let short = statements(&app.get(&f.path(""), None).await);
    // The first write reads the cycle's calendar once; later ones find it kept.
    app.put(&f.path("/report/draft"), &f.sur, draft(0))
        .await
        .expect(200);
    let first_write = statements(&app.put(&f.path("/report/draft"), &f.sur, draft(1)).await);
    for n in 2..200 {
        app.put(&f.path("/report/draft"), &f.sur, draft(n))
            .await
            .expect(200);
    }
    let last_write = statements(&app.put(&f.path("/report/draft"), &f.sur, draft(200)).await);
    let long = statements(&app.get(&f.path(""), None).await);
    assert_eq!(app.audit(&f.review).await.len(), 202);
    assert_eq!(short, long, "a read after 200 drafts");
    assert_eq!(first_write, last_write, "a draft after 200 drafts");
    eprintln!("statements: a review read {short}, a report draft {first_write}");
    // The review answers the head of its chain, which the chain's pages end with.
    let review = app.get(&f.path(""), None).await.expect(200);
    let entries = app.list(&f.path("/audit"), None).await;
    let last = entries.as_array().unwrap().last().unwrap();
    assert_eq!(review["audit"]["entries"], last["seq"]);
    assert_eq!(review["audit"]["head"], last["hash"]);
}

#[tokio::test]
async fn rebuilding_the_projections_gives_exactly_what_the_changes_wrote() {
    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    // Errata, a redaction made before publication (in the fixture's journey none), an
    // implementation update, and a second review carrying the first one's
    // recommendations.
    app.post(
        &f.path("/errata/compilation"),
        &app.secretariat,
        json!({"reason": "A figure was wrong.", "body": {"text": "The corrected compilation."}}),
    )
    .await
    .expect(200);
    app.post(
        &f.path("/recommendations/1/updates"),
        &f.sur,
        json!({"text": "The framework was published."}),
    )
    .await
    .expect(201);
    let next = app.open_cycle("2028", "2028-01-01", &POOL).await;
    app.post(
        &format!("/api/v1/cycles/{next}/reviews"),
        &app.secretariat,
        json!({"state": SUR, "wg_session": "2028-06-15T09:00:00Z"}),
    )
    .await
    .expect(201);

    let incremental = app.service.store().projections().await.unwrap();
    let published = incremental["published_documents"].as_array().unwrap();
    assert!(published.len() >= 6, "{published:#?}");
    assert!(
        !incremental["recommendation_norms"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(app.service.rebuild_projections().await.unwrap(), 2);
    let rebuilt = app.service.store().projections().await.unwrap();
    assert_eq!(rebuilt, incremental);
}

/// A concluded review as the first release stored it (its domain's serialisation).
const FIRST_RELEASE_SNAPSHOT: &str =
    include_str!("../fixtures/snapshots/review-format-0-concluded.json");

#[tokio::test]
async fn a_review_stored_by_the_first_release_loads_after_an_upgrade() {
    use sea_orm::{ConnectionTrait, Statement};

    let mut app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let mut snapshot: Value = serde_json::from_str(FIRST_RELEASE_SNAPSHOT).unwrap();
    let id = uuid::Uuid::now_v7();
    snapshot["id"] = json!(id);
    snapshot["cycle"] = json!(cycle);
    // Inserted as that release wrote its rows: no format, no summary, no chain head.
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    let backend = db.get_database_backend();
    let (sql, values): (&str, Vec<sea_orm::Value>) = match backend {
        sea_orm::DbBackend::Postgres => (
            "INSERT INTO reviews (id, cycle_id, state_code, stage, version, snapshot, opened_at, \
             updated_at) VALUES ($1, $2, 'FRA', 'concluded', 17, $3, $4, $4)",
            vec![
                id.into(),
                uuid::Uuid::parse_str(&cycle).unwrap().into(),
                snapshot.to_string().into(),
                START.into(),
            ],
        ),
        _ => (
            "INSERT INTO reviews (id, cycle_id, state_code, stage, version, snapshot, opened_at, \
             updated_at) VALUES (?, ?, 'FRA', 'concluded', 17, ?, ?, ?)",
            vec![
                id.into(),
                uuid::Uuid::parse_str(&cycle).unwrap().into(),
                snapshot.to_string().into(),
                START.into(),
                START.into(),
            ],
        ),
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap();
    // As if the projections had never been written: the next start brings them up.
    db.execute_unprepared("DELETE FROM projection_versions")
        .await
        .unwrap();
    app.restart(AppOptions::default()).await;

    let review = app
        .get(&format!("/api/v1/reviews/{id}"), None)
        .await
        .expect(200);
    assert_eq!(review["stage"], "concluded");
    assert_eq!(review["version"], 17);
    assert_eq!(
        review["report"]["submission"]["sha256"],
        snapshot["report"]["sha256"]
    );
    assert_eq!(review["oversight"]["statements"][0]["number"], 1);
    let listed = app
        .list(&format!("/api/v1/reviews?cycle={cycle}"), None)
        .await;
    assert_eq!(listed[0]["id"], json!(id));
    assert_eq!(listed[0]["stage"], "concluded");
    // Its published documents are listed, by their digests: their bodies went with the
    // table the first release kept them in, which its successor dropped.
    let documents = app
        .list(&format!("/api/v1/reviews/{id}/documents"), None)
        .await;
    let report = documents
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"] == "state_report")
        .expect("the report is listed");
    assert_eq!(
        report["versions"][0]["sha256"],
        snapshot["report"]["sha256"]
    );
    let published = app.list("/api/v1/documents?state=FRA", None).await;
    assert!(
        published
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["review"] == json!(id) && d["kind"] == "compilation"),
        "{published:#}"
    );
}

#[tokio::test]
async fn the_review_lists_answer_in_pages() {
    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    for state in ["DEU", "GBR", "USA", "CHN", "RUS"] {
        app.open_review(&f.cycle, state).await;
    }
    let reviews = check_pages(&app, &format!("/api/v1/reviews?cycle={}", f.cycle), None, 2).await;
    assert_eq!(reviews.len(), 6);
    assert_eq!(
        check_pages(&app, "/api/v1/reviews?state=DEU", None, 1)
            .await
            .len(),
        1
    );
    let documents = check_pages(&app, "/api/v1/documents", None, 2).await;
    assert!(documents.len() >= 6);
    check_pages(&app, "/api/v1/documents?sector=healthcare", None, 1).await;
    let recommendations = check_pages(&app, "/api/v1/recommendations", None, 2).await;
    assert_eq!(recommendations.len(), 3);
    check_pages(&app, &f.path("/documents"), None, 2).await;
    check_pages(&app, &f.path("/documents"), Some(&app.secretariat), 3).await;
    check_pages(&app, &f.path("/recommendations"), None, 2).await;
}
