//! The public website's pages (home, cycle, review, state) over HTTP: what they show of
//! a concluded review in each language, that nothing unpublished appears on any of them,
//! their headers, their answers to conditional requests as the record changes, and
//! their error pages.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::json;

use crate::support::{Fixture, TestApp};
use crate::visibility::{NEVER_PUBLIC, concluded_with_planted_secrets};

const LANGS: [&str; 6] = ["ar", "zh", "en", "fr", "ru", "es"];

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    html: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[track_caller]
    fn expect(&self, status: u16, what: &str) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{what}: {}",
            &self.html[..self.html.len().min(2000)]
        );
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = client().get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    Page {
        status,
        headers,
        html: response.text().await.unwrap(),
    }
}

/// The pages of the fixture's review in `lang`.
fn pages_of(f: &Fixture, lang: &str) -> Vec<String> {
    let review = format!("/{lang}/reviews/{}", f.review);
    let mut pages = vec![
        format!("/{lang}/"),
        format!("/{lang}/cycles/{}", f.cycle),
        format!("/{lang}/states/FRA"),
    ];
    for document in [
        "state-report",
        "compilation",
        "working-group-report",
        "response",
        "outcome",
    ] {
        pages.push(format!("{review}/{document}"));
    }
    if let Some(input) = &f.input {
        pages.push(format!("{review}/inputs/{input}"));
    }
    pages.push(review);
    pages
}

#[tokio::test]
async fn a_concluded_review_reads_in_every_language_and_nothing_unpublished_shows() {
    let (app, f) = concluded_with_planted_secrets().await;
    let recommendations = app.list(&f.path("/recommendations"), None).await;
    let recommendations = recommendations.as_array().unwrap().clone();
    assert!(!recommendations.is_empty());

    for lang in LANGS {
        for path in pages_of(&f, lang) {
            let page = fetch(&app, &path, &[]).await;
            page.expect(200, &path);
            assert!(
                page.header("content-type").starts_with("text/html"),
                "{path}"
            );
            let dir = if lang == "ar" { "rtl" } else { "ltr" };
            assert!(
                page.html
                    .contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
                "{path} does not declare its language and direction"
            );
            assert!(page.html.contains("href=\"#main\""), "{path}: no skip link");
            for secret in NEVER_PUBLIC {
                assert!(!page.html.contains(secret), "{path} shows {secret:?}");
            }
            // Every other language is one link away, in its own name.
            for other in LANGS {
                assert!(
                    page.html.contains(&format!("hreflang=\"{other}\"")),
                    "{path}"
                );
            }
        }
    }

    // The review page holds each recommendation with the state's answer and explanation,
    // the published report and the head of the audit chain.
    let review = fetch(&app, &format!("/en/reviews/{}", f.review), &[]).await;
    for recommendation in &recommendations {
        let text = recommendation["text"].as_str().unwrap();
        assert!(review.html.contains(text), "the review page lacks {text:?}");
        let explanation = recommendation["explanation"]
            .as_str()
            .unwrap_or_else(|| panic!("unanswered: {recommendation:#}"));
        assert!(review.html.contains(explanation), "lacks {explanation:?}");
    }
    assert!(review.html.contains("Supported") && review.html.contains("Noted"));
    let shown = app.review(&f.review).await;
    let head = shown["audit"]["head"].as_str().unwrap();
    assert!(
        review.html.contains(head),
        "the chain's head is not on the page"
    );
    let report = app.get(&f.path("/report"), None).await.expect(200);
    let sha = report["revision"]["sha256"].as_str().unwrap();
    assert!(
        review.html.contains(sha),
        "the report's digest is not on the page"
    );

    // The report is marked with the language its author declared, on a page in another.
    let arabic = fetch(&app, &format!("/ar/reviews/{}/state-report", f.review), &[]).await;
    assert!(
        arabic
            .html
            .contains("<div class=\"prose\" lang=\"en\" dir=\"auto\">"),
        "the report's text is not marked as English"
    );

    // The state page lists the review and the recommendations made to the state.
    let state = fetch(&app, "/en/states/FRA", &[]).await;
    assert!(state.html.contains(&format!("/en/reviews/{}", f.review)));
    let first = recommendations[0]["text"].as_str().unwrap();
    assert!(state.html.contains(first));

    // The home page shows the review's six stages.
    let home = fetch(&app, "/en/", &[]).await;
    assert!(home.html.contains(&format!("/en/reviews/{}", f.review)));
    assert_eq!(
        home.html.matches("class=\"stage stage-done\"").count() % 6,
        0
    );
}

#[tokio::test]
async fn the_search_page_finds_what_is_published_and_nothing_else() {
    let (app, f) = concluded_with_planted_secrets().await;
    let page = fetch(&app, "/en/search?q=Budapest+Convention", &[]).await;
    page.expect(200, "a search for words of the published report");
    assert!(
        page.html.contains("<mark>Budapest</mark>"),
        "no highlighted hit"
    );
    assert!(
        page.html
            .contains(&format!("/en/reviews/{}/state-report", f.review))
    );
    let recommendations = fetch(
        &app,
        "/ar/search?q=Recommendation&kind=recommendation&response=supported",
        &[],
    )
    .await;
    recommendations.expect(200, "a search of supported recommendations");
    assert!(recommendations.html.contains("#recommendation-1"));
    assert!(
        !recommendations.html.contains("#recommendation-2"),
        "noted ones are filtered out"
    );
    for secret in NEVER_PUBLIC {
        // Every word of it at once (the not-admitted input's text is a sentence).
        let words = secret.replace(' ', "+");
        let page = fetch(&app, &format!("/en/search?q={words}"), &[]).await;
        page.expect(200, secret);
        assert!(
            !page.html.contains("<mark>"),
            "a search for {secret:?} found something"
        );
    }
    for query in [
        "q=%22%22",
        "q=x&norm=99",
        "q=x&kind=drafts",
        "q=x&cursor=zzz",
        "q=x&other=1",
    ] {
        let page = fetch(&app, &format!("/fr/search?{query}"), &[]).await;
        page.expect(400, query);
        assert!(page.html.contains("<html lang=\"fr\""), "{query}");
    }
    // The form alone, and a query with empty filters, are pages too.
    fetch(&app, "/en/search", &[])
        .await
        .expect(200, "the empty form");
    fetch(&app, "/en/search?q=report&norm=&sector=", &[])
        .await
        .expect(200, "empty filters");
}

#[tokio::test]
async fn a_document_reads_in_each_of_its_versions() {
    let (app, f) = concluded_review().await;
    let report = app.get(&f.path("/report"), None).await.expect(200);
    let current = report["revision"]["revision"].as_u64().unwrap();
    let path = format!("/en/reviews/{}/state-report", f.review);
    let page = fetch(&app, &format!("{path}?revision={current}"), &[]).await;
    page.expect(200, "the current version by number");
    assert!(
        page.html
            .contains(report["revision"]["sha256"].as_str().unwrap())
    );
    for (query, status) in [
        ("?revision=999", 404),
        ("?revision=abc", 400),
        ("?revision=-1", 400),
        ("?unknown=1", 400),
    ] {
        let page = fetch(&app, &format!("{path}{query}"), &[]).await;
        page.expect(status, query);
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{query}"
        );
    }
    let unknown = fetch(&app, &format!("/en/reviews/{}/drafts", f.review), &[]).await;
    unknown.expect(404, "a document that has no page");
}

#[tokio::test]
async fn the_root_sends_each_visitor_to_their_language() {
    let (app, _) = concluded_review().await;
    for (accept, lang) in [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("ar-EG", "ar"),
        ("de-DE, zh-Hans;q=0.5", "zh"),
        ("de-DE", "en"),
    ] {
        let page = fetch(&app, "/", &[("accept-language", accept)]).await;
        page.expect(303, accept);
        assert_eq!(page.header("location"), format!("/{lang}/"));
    }
    let page = fetch(&app, "/", &[]).await;
    assert_eq!(page.header("location"), "/en/");
    let page = fetch(&app, "/ru", &[]).await;
    assert_eq!(page.header("location"), "/ru/");
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let (app, f) = concluded_review().await;
    for path in pages_of(&f, "en")
        .into_iter()
        .chain(["/en/nothing".to_owned(), "/static/site.css".to_owned()])
    {
        let page = fetch(&app, &path, &[]).await;
        let csp = page.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{path}");
        assert!(!page.header("referrer-policy").is_empty(), "{path}");
        // No inline script or style anywhere: the policy would block it.
        assert!(!page.html.contains("<script"), "{path}");
        assert!(!page.html.contains(" style=\""), "{path}");
    }
}

#[tokio::test]
async fn pages_answer_304_until_the_public_record_changes() {
    let (app, f) = concluded_review().await;
    let path = format!("/fr/reviews/{}", f.review);
    let first = fetch(&app, &path, &[]).await;
    first.expect(200, &path);
    let etag = first.header("etag").to_owned();
    let modified = first.header("last-modified").to_owned();
    assert!(
        etag.starts_with('"') && !modified.is_empty(),
        "{etag} {modified}"
    );
    assert_eq!(first.header("cache-control"), "public, no-cache");

    // Again: the same tag, and the page from the cache, at the cost of one statement
    // (the record's version).
    let again = fetch(&app, &path, &[]).await;
    assert_eq!(again.header("etag"), etag);
    assert_eq!(again.html, first.html);
    assert_eq!(again.header("x-sql-statements"), "1");
    let cold = first.header("x-sql-statements").parse::<u32>().unwrap();
    assert!(
        cold > 1,
        "the first rendering read the record ({cold} statements)"
    );

    let not_modified = fetch(&app, &path, &[("if-none-match", &etag)]).await;
    not_modified.expect(304, "If-None-Match of the current tag");
    assert!(not_modified.html.is_empty());
    assert_eq!(not_modified.header("x-sql-statements"), "1");
    let since = fetch(&app, &path, &[("if-modified-since", &modified)]).await;
    since.expect(304, "If-Modified-Since of the current date");
    // Each page has its own tag.
    let other = fetch(&app, &format!("/en/reviews/{}", f.review), &[]).await;
    assert_ne!(other.header("etag"), etag);

    // A public change (an implementation update) moves every page on.
    app.post(
        &f.path("/recommendations/1/updates"),
        &f.sur,
        json!({"text": "A national CERT was given a mandate for the matter."}),
    )
    .await
    .expect(201);
    let changed = fetch(&app, &path, &[("if-none-match", &etag)]).await;
    changed.expect(200, "after a public change");
    assert_ne!(changed.header("etag"), etag);
    assert!(
        changed
            .html
            .contains("A national CERT was given a mandate for the matter.")
    );
    let home = fetch(&app, "/fr/", &[("if-none-match", &etag)]).await;
    home.expect(200, "the home page after the change");
}

#[tokio::test]
async fn unknown_addresses_and_malformed_ids_get_a_page_in_the_visitors_language() {
    let (app, _) = concluded_review().await;
    let random = uuid::Uuid::new_v4();
    for (path, accept, lang) in [
        ("/fr/reviews/not-a-uuid".to_owned(), "en", "fr"),
        (format!("/ar/reviews/{random}"), "en", "ar"),
        (format!("/es/cycles/{random}"), "en", "es"),
        ("/ru/cycles/2027".to_owned(), "en", "ru"),
        ("/zh/states/XXX".to_owned(), "en", "zh"),
        ("/en/states/FRANCE".to_owned(), "fr", "en"),
        ("/en/no/such/page".to_owned(), "fr", "en"),
        ("/xx/reviews".to_owned(), "fr", "fr"),
        ("/nothing".to_owned(), "ar", "ar"),
    ] {
        let page = fetch(&app, &path, &[("accept-language", accept)]).await;
        page.expect(404, &path);
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{path}"
        );
        assert!(
            page.html.contains(&format!("<html lang=\"{lang}\"")),
            "{path}: not in {lang}"
        );
    }
    // The API keeps its own JSON errors.
    let api = app.get("/api/v1/nothing", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), "not_found");
}

/// A concluded review without planted strings, for the tests that need only a record.
async fn concluded_review() -> (TestApp, Fixture) {
    let app = crate::support::spawn_app().await;
    let f = app.review_at(crate::support::At::Concluded).await;
    (app, f)
}

#[tokio::test]
async fn a_document_declares_its_language_as_a_language_tag() {
    let app = crate::support::spawn_app().await;
    let f = app.review_at(crate::support::At::StateReport).await;
    for bad in ["english", "e", "en_GB", "fr-", "x-toolong-subtag123", ""] {
        let mut body = crate::support::report_body();
        body["language"] = json!(bad);
        let answer = app.put(&f.path("/report/draft"), &f.sur, body).await;
        answer.expect_error(400, "invalid_language");
    }
    let mut body = crate::support::report_body();
    body["language"] = json!("FR-CA");
    app.put(&f.path("/report/draft"), &f.sur, body)
        .await
        .expect(200);
    let draft = app
        .get(&f.path("/report?draft=true"), Some(&f.sur))
        .await
        .expect(200);
    assert_eq!(draft["body"]["language"], "fr-CA", "{draft:#}");
}
