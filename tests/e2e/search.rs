//! Search (`GET /api/v1/search`): a review carried to publication and adoption is found
//! by the words of its published report, its admitted input, its compilation and its
//! recommendations, with filters and highlighted snippets, in pages that add up; words
//! planted where the public may not read (a draft, a confidential part, the contact
//! line, a not-admitted input, a redacted section, an input never filed, the version an
//! erratum replaced) are never found; a malformed query is a 400 with a code; a search
//! costs the same number of statements whatever the database holds.

use serde_json::{Value, json};

use crate::pages::check_pages;
use crate::support::*;

/// Words planted in the review, each a word no fixture text holds.
const REPORT: &str = "tessellaria";
const INPUT: &str = "quorvantic";
const COMPILATION: &str = "brimfelder";
const CORRECTED: &str = "ostrakine";
const DRAFT: &str = "draftonlyvex";
const CONFIDENTIAL: &str = "zelmirconf";
const CONTACT: &str = "contactyrn";
const NOT_ADMITTED: &str = "rejectivorn";
const NEVER_FILED: &str = "unfiledwex";
const REDACTED: &str = "redactquil";

/// The secret words, and where each is planted.
const NEVER_FOUND: [(&str, &str); 7] = [
    (DRAFT, "a superseded draft of the report"),
    (CONFIDENTIAL, "the confidential parts"),
    (CONTACT, "the contact lines"),
    (NOT_ADMITTED, "an input not admitted"),
    (NEVER_FILED, "an input never filed"),
    (REDACTED, "a redacted section of the report"),
    (COMPILATION, "the compilation's version an erratum replaced"),
];

/// `text` for a query string.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn search_path(q: &str, filters: &str) -> String {
    format!("/api/v1/search?q={}{filters}", encode(q))
}

/// Every hit of a search, all pages read.
async fn hits(app: &TestApp, q: &str, filters: &str) -> Vec<Value> {
    app.list(&search_path(q, filters), None)
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The highlighted words of a hit, and its snippet as plain text.
fn snippet(hit: &Value) -> (Vec<String>, String) {
    let segments = hit["snippet"].as_array().unwrap();
    let marked = segments
        .iter()
        .filter(|s| s["highlighted"].as_bool().unwrap())
        .map(|s| s["text"].as_str().unwrap().to_owned())
        .collect();
    let text = segments
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    (marked, text)
}

fn statements(answer: &Answer) -> u32 {
    answer
        .header("x-sql-statements")
        .and_then(|v| v.parse().ok())
        .expect("the test server counts statements")
}

fn input(text: &str) -> Value {
    json!({
        "text": text,
        "norms": ["13e"],
        "sectors": ["healthcare"],
        "groups": ["journalists"],
        "confidential": format!("{CONFIDENTIAL} witness statements."),
        "contact": format!("{CONTACT} research@example.org"),
    })
}

/// A review of [`SUR`] published with the planted words, adopted and concluded, and its
/// compilation corrected by an erratum.
async fn published_review(app: &TestApp) -> Fixture {
    let cycle = app.open_cycle("Cycle 2027", "2027-01-01", &POOL).await;
    let mut f = app.fixture_in(&cycle).await;
    let s = app.secretariat.clone();
    let mut report = report_body();
    report["foreign_activity"] = json!(format!("{DRAFT} an early outline."));
    report["confidential"] = json!(format!("{CONFIDENTIAL} names of the officials."));
    report["contact"] = json!(format!("{CONTACT} cyber desk"));
    app.put(&f.path("/report/draft"), &f.sur, report.clone())
        .await
        .expect(200);
    // The text shown as it was written, markup included: the snippet is data.
    report["foreign_activity"] = json!(format!(
        "France reports <b>no</b> <script>x()</script> {REPORT} operations abroad &amp; at home."
    ));
    report["norms"]["13c"] = json!(format!("A section on {REDACTED} matters."));
    app.put(&f.path("/report/draft"), &f.sur, report)
        .await
        .expect(200);
    app.act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);

    let file = |token: String, body: Value| {
        let path = f.path("/inputs");
        async move {
            let created = app.post(&path, &token, body).await.expect(201);
            let id = created["created_input"].as_str().unwrap().to_owned();
            (id, token)
        }
    };
    let (admitted, token) = file(
        f.stakeholder.clone(),
        input(&format!("Hospitals were hit; {INPUT} evidence follows.")),
    )
    .await;
    app.act(&f.path(&format!("/inputs/{admitted}/filing")), &token)
        .await
        .expect(200);
    let (_, other) = app.member_of_new("stakeholder", "Unrelated Group").await;
    let (refused, token) = file(other, input(&format!("Off topic {NOT_ADMITTED}."))).await;
    app.act(&f.path(&format!("/inputs/{refused}/filing")), &token)
        .await
        .expect(200);
    let (_, third) = app.member_of_new("stakeholder", "Quiet Coalition").await;
    file(third, input(&format!("A draft {NEVER_FILED}."))).await;

    // Submitted, but published only with the compilation.
    assert!(hits(app, REPORT, "").await.is_empty());

    app.set_time(AFTER_INPUT_WINDOW);
    app.act(&f.path("/input-window/close"), &s)
        .await
        .expect(200);
    for (id, body) in [
        (&admitted, json!({"admitted": true})),
        (
            &refused,
            json!({"admitted": false, "reason": "Outside the review."}),
        ),
    ] {
        app.post(&f.path(&format!("/inputs/{id}/screening")), &s, body)
            .await
            .expect(200);
    }
    app.post(
        &f.path("/redactions"),
        &s,
        json!({"document": {"kind": "state_report"}, "section": "13c", "reason": "Harm to people."}),
    )
    .await
    .expect(200);
    app.put(
        &f.path("/compilation/draft"),
        &s,
        json!({"text": format!("The compilation: {COMPILATION} by norm.")}),
    )
    .await
    .expect(200);
    app.act(&f.path("/compilation/publication"), &s)
        .await
        .expect(200);
    assert_eq!(hits(app, COMPILATION, "").await.len(), 1);

    f.input = Some(admitted);
    app.take(&mut f, At::WorkingGroup, At::Concluded).await;
    app.post(
        &f.path("/errata/compilation"),
        &s,
        json!({"reason": "A word was wrong.", "body": {"text": format!("The compilation: {CORRECTED} by norm.")}}),
    )
    .await
    .expect(200);
    f
}

#[tokio::test]
async fn search_finds_what_is_published_and_nothing_else() {
    let app = spawn_app().await;
    let f = published_review(&app).await;

    // The report, the admitted input, the compilation as corrected.
    for (word, key) in [
        (REPORT, "state_report".to_owned()),
        (INPUT, format!("input/{}", f.input.as_deref().unwrap())),
        (CORRECTED, "compilation".to_owned()),
    ] {
        let found = hits(&app, word, "").await;
        assert_eq!(found.len(), 1, "{word}: {found:#?}");
        let hit = &found[0];
        assert_eq!(hit["kind"], "document");
        assert_eq!(hit["review"], f.review.as_str());
        assert_eq!(hit["cycle"], f.cycle.as_str());
        assert_eq!(hit["state"], SUR);
        assert_eq!(hit["document"]["key"], key.as_str(), "{hit:#}");
        assert!(hit["recommendation"].is_null());
        let (marked, text) = snippet(hit);
        assert_eq!(marked, [word], "{word}: {hit:#}");
        assert!(text.contains(word), "{text}");
    }
    let compilation = &hits(&app, CORRECTED, "").await[0];
    assert_eq!(compilation["document"]["revision"], 2);
    let input = &hits(&app, INPUT, "").await[0];
    assert_eq!(input["document"]["kind"], "stakeholder_input");
    assert!(
        input["document"]["stakeholder_kind"].is_string(),
        "{input:#}"
    );

    // Case does not matter, and markup in a text comes back as text, never as markup.
    let report = hits(&app, &REPORT.to_uppercase(), "").await;
    let (marked, text) = snippet(&report[0]);
    assert_eq!(marked, [REPORT]);
    assert!(text.contains("<b>no</b> <script>x()</script>"), "{text}");
    assert!(
        !text.contains("<mark>") && !text.contains('\u{E000}'),
        "{text}"
    );
    // Words inside markup are words like any other, on both databases.
    assert_eq!(hits(&app, "\"b no b script x script\"", "").await.len(), 1);

    // A phrase, a prefix, several words (all must occur).
    assert_eq!(
        hits(&app, &format!("\"{REPORT} operations\""), "")
            .await
            .len(),
        1
    );
    assert_eq!(
        hits(&app, &format!("\"operations {REPORT}\""), "")
            .await
            .len(),
        0
    );
    assert_eq!(hits(&app, "tessel*", "").await.len(), 1);
    assert_eq!(hits(&app, &format!("{REPORT} France"), "").await.len(), 1);
    assert_eq!(hits(&app, &format!("{REPORT} {INPUT}"), "").await.len(), 0);

    // The recommendations, and the adopted report that holds them.
    let proposed = hits(&app, "proposed", "").await;
    assert_eq!(proposed.len(), 4, "{proposed:#?}");
    let recommendations = hits(&app, "proposed", "&kind=recommendation").await;
    assert_eq!(recommendations.len(), 3);
    let mut numbers: Vec<u64> = recommendations
        .iter()
        .map(|h| h["recommendation"]["number"].as_u64().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 3]);
    for hit in &recommendations {
        assert!(hit["document"].is_null());
        assert!(hit["recommendation"]["proposed_by"].is_string());
        assert_eq!(snippet(hit).0, ["proposed"], "{hit:#}");
    }
    let documents = hits(&app, "proposed", "&kind=document").await;
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["document"]["key"], "wg_report");

    // Filters.
    let supported = hits(&app, "proposed", "&response=supported").await;
    assert_eq!(supported.len(), 1);
    assert_eq!(supported[0]["recommendation"]["number"], 1);
    assert_eq!(supported[0]["recommendation"]["response"], "supported");
    assert_eq!(hits(&app, "proposed", "&response=noted").await.len(), 2);
    let on_13f = hits(&app, "proposed", "&kind=recommendation&norm=13f").await;
    assert_eq!(on_13f.len(), 1);
    assert_eq!(on_13f[0]["recommendation"]["number"], 2);
    let journalists = "&kind=recommendation&affected_group=journalists";
    assert_eq!(hits(&app, "proposed", journalists).await.len(), 1);
    let media = "&kind=recommendation&sector=media_and_journalists";
    assert_eq!(hits(&app, "proposed", media).await.len(), 1);
    for (filters, expected) in [
        ("&norm=13e".to_owned(), 1),
        ("&norm=13k".to_owned(), 0),
        ("&sector=healthcare".to_owned(), 1),
        ("&sector=energy".to_owned(), 0),
        ("&affected_group=journalists".to_owned(), 1),
        ("&affected_group=children".to_owned(), 0),
        (format!("&state={SUR}"), 1),
        (format!("&state={OTHER_STATE}"), 0),
        (format!("&cycle={}", f.cycle), 1),
        (format!("&cycle={}", uuid::Uuid::now_v7()), 0),
        ("&kind=document".to_owned(), 1),
        ("&kind=recommendation".to_owned(), 0),
        ("&response=supported".to_owned(), 0),
    ] {
        assert_eq!(
            hits(&app, INPUT, &filters).await.len(),
            expected,
            "{INPUT}{filters}"
        );
    }

    // What the public may not read is never found, whoever asks.
    for (word, where_) in NEVER_FOUND {
        let found = hits(&app, word, "").await;
        assert!(found.is_empty(), "{word} ({where_}) was found: {found:#?}");
        let found = app
            .get(&search_path(word, ""), Some(&app.secretariat))
            .await
            .expect(200);
        assert_eq!(found["items"], json!([]), "{where_}");
    }

    // Pages add up, in a stable order.
    for limit in [1, 2, 3] {
        check_pages(&app, &search_path("proposed", ""), None, limit).await;
    }

    // The rebuilt index finds the same.
    app.service.rebuild_projections().await.unwrap();
    assert_eq!(hits(&app, "proposed", "").await, proposed);
    for (word, _) in NEVER_FOUND {
        assert!(
            hits(&app, word, "").await.is_empty(),
            "{word} after rebuild"
        );
    }
}

#[tokio::test]
async fn a_malformed_search_is_refused_with_a_code_and_odd_text_is_searched_safely() {
    let app = spawn_app().await;
    let long = "a".repeat(10_000);
    for (query, code) in [
        ("q=".to_owned(), "no_search_words"),
        (String::new(), "no_search_words"),
        ("q=%22%22".to_owned(), "no_search_words"),
        ("q=AND%20OR".to_owned(), "no_search_words"),
        ("q=*".to_owned(), "no_search_words"),
        ("q=NEAR(".to_owned(), "no_search_words"),
        ("q=%20-%20%5E%20%3A".to_owned(), "no_search_words"),
        (format!("q={long}"), "text_too_long"),
        ("q=a%00b".to_owned(), "invalid_character"),
        ("q=x&norm=13z".to_owned(), "invalid_norm"),
        ("q=x&sector=moon".to_owned(), "invalid_sector"),
        (
            "q=x&affected_group=moon".to_owned(),
            "invalid_affected_group",
        ),
        ("q=x&state=FR".to_owned(), "invalid_state_code"),
        ("q=x&response=maybe".to_owned(), "invalid_response_filter"),
        ("q=x&kind=pledge".to_owned(), "invalid_kind_filter"),
        ("q=x&limit=0".to_owned(), "invalid_limit"),
        ("q=x&limit=201".to_owned(), "invalid_limit"),
        ("q=x&cursor=nonsense".to_owned(), "invalid_cursor"),
        ("q=x&cycle=not-a-uuid".to_owned(), "invalid_query"),
        ("q=x&group=victims".to_owned(), "invalid_query"),
    ] {
        let answer = app.get(&format!("/api/v1/search?{query}"), None).await;
        let shown: String = query.chars().take(40).collect();
        assert_eq!(answer.status.as_u16(), 400, "{shown}: {}", answer.body);
        assert_eq!(answer.code(), code, "{shown}");
        answer.assert_error_shape();
    }
    // Cursors of another list's shape, or with an offset no page ends at.
    for (cursor, what) in [
        ("b3RoZXIfNQ", "other\x1f5"),
        ("c2VhcmNoHy01", "search\x1f-5"),
        ("c2VhcmNoHzA", "search\x1f0"),
        ("c2VhcmNoH3g", "search\x1fx"),
        ("YR9iH2M", "a\x1fb\x1fc"),
    ] {
        let answer = app
            .get(&format!("/api/v1/search?q=x&cursor={cursor}"), None)
            .await;
        assert_eq!(answer.status.as_u16(), 400, "{what}");
        assert_eq!(answer.code(), "invalid_cursor", "{what}");
    }
    // Operators, quotes and SQL of every kind are only words to look for.
    for q in [
        "x' OR 1=1 --",
        "\"unbalanced",
        "a*b",
        "NEAR(a b)",
        "-a OR b",
        "a:* & !b | c",
        "{col}: a",
        "\"\" x \"\"",
        "hôpitaux 医院 مستشفى",
        "\u{E000}mark\u{E001}",
    ] {
        let answer = app.get(&search_path(q, ""), None).await;
        assert_eq!(answer.status.as_u16(), 200, "{q}: {}", answer.body);
        assert_eq!(answer.body["items"], json!([]), "{q}");
    }
}

#[tokio::test]
async fn a_search_costs_the_same_statements_whatever_it_finds_and_the_database_holds() {
    let app = spawn_app().await;
    // Two reviews in two cycles, taken through the process side by side: each step
    // starts for both at the same time.
    let mut reviews = Vec::new();
    for _ in 0..2 {
        let cycle = app
            .open_cycle(
                &format!("cycle {}", uuid::Uuid::new_v4().simple()),
                "2027-01-01",
                &POOL,
            )
            .await;
        reviews.push(app.fixture_in(&cycle).await);
    }
    let steps = [
        At::StateReport,
        At::StakeholderInput,
        At::Compilation,
        At::WorkingGroup,
        At::WgDrawn,
        At::WgScheduled,
        At::Response,
        At::Oversight,
        At::OversightInSession,
        At::Concluded,
    ];
    for pair in steps.windows(2) {
        let at = app.service.now();
        for f in &mut reviews {
            app.set_time(at);
            app.take(f, pair[0], pair[1]).await;
        }
    }
    let f = &reviews[0];
    let count = |path: String| {
        let app = &app;
        async move {
            let answer = app.get(&path, None).await;
            assert_eq!(answer.status.as_u16(), 200, "{path}: {}", answer.body);
            (
                answer.body["items"].as_array().unwrap().len(),
                statements(&answer),
            )
        }
    };
    let first = count(search_path("proposed", "&limit=2")).await;
    let next = app
        .get(&search_path("proposed", "&limit=2"), None)
        .await
        .expect(200)["next"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = count(search_path("proposed", &format!("&limit=2&cursor={next}"))).await;
    let filtered = count(search_path(
        "proposed",
        &format!(
            "&limit=2&cycle={}&norm=13e&sector=media_and_journalists\
             &affected_group=journalists&response=supported&kind=recommendation&state={SUR}",
            f.cycle
        ),
    ))
    .await;
    let nothing = count(search_path("nowhereword", "")).await;
    let all = count(search_path("proposed", "&limit=200")).await;
    assert_eq!(first, (2, 2), "the hits, then their snippets");
    assert_eq!(second, (2, 2));
    assert_eq!(filtered, (1, 2));
    assert_eq!(nothing, (0, 1), "no hit, no snippet to read");
    assert_eq!(all, (8, 2), "two reviews' recommendations and reports");
}

#[tokio::test]
async fn a_database_of_the_previous_release_gets_its_search_index_at_the_next_start() {
    use sea_orm::ConnectionTrait;

    let mut app = spawn_app().await;
    app.review_at(At::Concluded).await;
    assert_eq!(hits(&app, "proposed", "").await.len(), 4);
    // As the previous release left it: projections at version 2, no index rows.
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    db.execute_unprepared("DELETE FROM search_entries")
        .await
        .unwrap();
    db.execute_unprepared("UPDATE projection_versions SET version = 2")
        .await
        .unwrap();
    drop(db);
    assert!(hits(&app, "proposed", "").await.is_empty());
    app.restart(AppOptions::default()).await;
    assert_eq!(hits(&app, "proposed", "").await.len(), 4);
}
