//! The public site's norm, sector, affected-group and organisation pages, the
//! recommendations database with its exports, and the subscription pages, over HTTP: what
//! they show of a concluded review, their filters and pages, their 404 and 400 pages, the
//! subscription from the form to the links of the mails, and that nothing unpublished
//! (a draft, a confidential part, a contact line, an input not admitted, an
//! organisation's contact address) appears on any of them or in an export.

use std::collections::BTreeSet;

use cpr_service::Clock;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use time::Duration;

use crate::support::*;

/// A superseded draft of the state's report.
const DRAFT: &str = "ZQXSITEDRAFT";
/// The confidential part of the report and of an admitted input.
const CONFIDENTIAL: &str = "ZQXSITECONFIDENTIAL";
/// The contact lines of the report and of an admitted input.
const CONTACT: &str = "ZQXSITECONTACT";
/// The text of an input the secretariat did not admit.
const NOT_ADMITTED: &str = "ZQXSITENOTADMITTED";
/// In the state's reply to the admitted input.
const REPLY: &str = "ZQXSITEREPLY";
/// In the advance question, and in the summary of the statement at the oversight session.
const QUESTION: &str = "ZQXSITEQUESTION";
const STATEMENT: &str = "ZQXSITESTATEMENT";
/// The contact address an organisation applied with.
const CONTACT_EMAIL: &str = "zqxsitecontact@applicant.example";

const SECRETS: [&str; 5] = [DRAFT, CONFIDENTIAL, CONTACT, NOT_ADMITTED, CONTACT_EMAIL];

/// A page of the site as a visitor's browser receives it.
struct Page {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The page is HTML of `status` in `lang`.
    #[track_caller]
    fn is_html(&self, status: u16, lang: &str) -> &Self {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(
            self.content_type().starts_with("text/html"),
            "{:?}",
            self.headers
        );
        assert!(
            self.body.contains(&format!("<html lang=\"{lang}\"")),
            "no lang attribute: {}",
            self.body
        );
        self
    }

    /// The address of the page's "next page" link, if it has one.
    fn next(&self) -> Option<String> {
        let end = self.body.find("\" rel=\"next\"")?;
        let start = self.body[..end].rfind("href=\"")? + "href=\"".len();
        Some(self.body[start..end].replace("&amp;", "&"))
    }
}

/// The page's text with the slashes minijinja escapes in attributes (`&#x2f;`) undone,
/// so that a test can look for an address.
fn unescaped(body: String) -> String {
    body.replace("&#x2f;", "/")
}

async fn get(app: &TestApp, path: &str) -> Page {
    let (status, headers, body) = app.fetch_bytes(path, None).await;
    Page {
        status: status.as_u16(),
        headers,
        body: unescaped(String::from_utf8(body).unwrap()),
    }
}

/// POSTs a form (`application/x-www-form-urlencoded`) as a browser does.
async fn post_form(app: &TestApp, path: &str, form: &str) -> Page {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    Page {
        status,
        headers,
        body: unescaped(response.text().await.unwrap()),
    }
}

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret}");
    }
}

/// A concluded review of [`SUR`] whose record holds every kind of secret, pledges on a
/// norm, and an organisation that applied with a contact address and was objected to.
struct World {
    app: TestApp,
    f: Fixture,
    /// The organisation whose input was admitted (with a confidential part).
    admitted_org: String,
    /// That input, which the state replied to.
    admitted_input: String,
    /// The organisation whose input was not admitted.
    refused_org: String,
    /// The organisation that applied with a contact address.
    applicant: String,
    /// The text of each of the three recommendations, by number.
    recommendations: Vec<String>,
}

async fn world() -> World {
    let app = spawn_app().await;
    let cycle = app.open_cycle("Cycle 2027", "2027-01-01", &POOL).await;
    let mut f = app.fixture_in(&cycle).await;

    // Stage 1: a draft, superseded by the final report with its confidential part and
    // contact line.
    let mut draft = report_body();
    draft["foreign_activity"] = json!(format!("{DRAFT} An early outline."));
    app.put(&f.path("/report/draft"), &f.sur, draft)
        .await
        .expect(200);
    let mut report = report_body();
    report["confidential"] = json!(format!("{CONFIDENTIAL} Names of the officials."));
    report["contact"] = json!(format!("{CONTACT} cyber desk"));
    app.put(&f.path("/report/draft"), &f.sur, report)
        .await
        .expect(200);
    app.act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);

    // Stage 2: two more inputs, one to be admitted (with its confidential part and
    // contact line), one to be refused.
    let mut inputs = Vec::new();
    for (name, body) in [
        (
            "Open Networks Lab",
            json!({
                "text": "The public part of the lab's input.",
                "norms": ["13e"],
                "sectors": ["healthcare"],
                "confidential": format!("{CONFIDENTIAL} Witness statements."),
                "contact": format!("{CONTACT} research@lab.example"),
            }),
        ),
        (
            "Out of Scope Society",
            json!({
                "text": format!("{NOT_ADMITTED} An input about something else."),
                "norms": ["13e"],
                "sectors": ["energy"],
            }),
        ),
    ] {
        let (org, token) = app.member_of_new("stakeholder", name).await;
        let created = app.post(&f.path("/inputs"), &token, body).await.expect(201);
        let input = created["created_input"].as_str().unwrap().to_owned();
        app.act(&f.path(&format!("/inputs/{input}/filing")), &token)
            .await
            .expect(200);
        inputs.push((org, input));
    }
    app.take(&mut f, At::StakeholderInput, At::Compilation)
        .await;
    for ((_, input), body) in inputs.iter().zip([
        json!({"admitted": true}),
        json!({"admitted": false, "reason": "Outside the scope of the review."}),
    ]) {
        app.post(
            &f.path(&format!("/inputs/{input}/screening")),
            &app.secretariat,
            body,
        )
        .await
        .expect(200);
    }
    app.take(&mut f, At::Compilation, At::WorkingGroup).await;
    // The state's right of reply, to the admitted input.
    app.post(
        &f.path(&format!("/inputs/{}/reply", inputs[0].1)),
        &f.sur,
        json!({"text": format!("{REPLY} The State answers the lab.")}),
    )
    .await
    .expect(200);
    // An advance question from another state, and a statement at the oversight session.
    app.post(
        &f.path("/questions"),
        &f.other_state,
        json!({"text": format!("{QUESTION} How are operations authorised?")}),
    )
    .await
    .expect(200);
    app.take(&mut f, At::WorkingGroup, At::OversightInSession)
        .await;
    app.post(
        &f.path("/oversight/statements"),
        &f.chair,
        json!({"speaker": {"kind": "state_under_review"}, "summary": format!("{STATEMENT} France presents its report.")}),
    )
    .await
    .expect(200);
    app.take(&mut f, At::OversightInSession, At::Concluded)
        .await;

    // Pledges of two states tied to norm 13e.
    app.post(
        &format!("/api/v1/states/{SUR}/pledges"),
        &f.sur,
        json!({"text": "France pledges to respect privacy online.", "norms": ["13e"]}),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/states/{OTHER_STATE}/pledges"),
        &f.other_state,
        json!({"text": "Germany pledges to protect the devices of journalists.", "norms": ["13e", "13f"]}),
    )
    .await
    .expect(201);

    // An organisation applies with its contact address; a state objects, the
    // organisation answers, the secretariat refuses with a reason.
    let applied = app
        .call(
            reqwest::Method::POST,
            "/api/v1/accreditation/applications",
            None,
            Some(json!({
                "name": "Civic Tech Forum",
                "stakeholder_kind": "technical_community",
                "country": "KEN",
                "contact_email": CONTACT_EMAIL,
            })),
        )
        .await
        .expect(201);
    let applicant = applied["organisation"].as_str().unwrap().to_owned();
    app.propose(&applicant, 1).await;
    let russia = app.delegate("RUS").await;
    app.post(
        &format!("/api/v1/organisations/{applicant}/accreditation/objections"),
        &russia,
        json!({"reason": "The forum is funded from abroad."}),
    )
    .await
    .expect(201);
    let member = app
        .account(json!({
            "role": "stakeholder",
            "organisation": applicant,
            "name": "Member of the forum",
            "email": "member@forum.example",
        }))
        .await;
    app.post(
        &format!("/api/v1/organisations/{applicant}/accreditation/objections/RUS/answer"),
        &member.token,
        json!({"text": "Our accounts are public."}),
    )
    .await
    .expect(201);
    app.advance(Duration::days(2));
    app.decide(
        &applicant,
        json!({"outcome": "refused", "reason": "Not independent of its funders."}),
    )
    .await;

    let recommendations =
        f.wg.iter()
            .zip(["13e", "13f", "13k"])
            .map(|(member, norm)| {
                format!(
                    "Recommendation proposed by {} on norm {norm}.",
                    member.state
                )
            })
            .collect();
    let admitted_input = inputs[0].1.clone();
    let mut inputs = inputs.into_iter();
    World {
        admitted_input,
        admitted_org: inputs.next().unwrap().0,
        refused_org: inputs.next().unwrap().0,
        applicant,
        recommendations,
        app,
        f,
    }
}

/// Every recommendation text a page shows, of the world's three.
fn shown(w: &World, page: &str) -> BTreeSet<usize> {
    (0..w.recommendations.len())
        .filter(|n| page.contains(&w.recommendations[*n]))
        .map(|n| n + 1)
        .collect()
}

fn numbers(of: &[usize]) -> BTreeSet<usize> {
    of.iter().copied().collect()
}

#[tokio::test]
async fn the_site_shows_a_concluded_review_by_norm_tag_organisation_and_in_its_database() {
    let w = world().await;
    let app = &w.app;

    // The norm's page: its recommendation, the documents tagged with it, every state's
    // pledges on it.
    let norm = get(app, "/en/norms/13e").await;
    norm.is_html(200, "en");
    assert_eq!(shown(&w, &norm.body), numbers(&[1]));

    // The review's page: the advance question and the statement with their texts.
    let review = get(app, &format!("/en/reviews/{}", w.f.review)).await;
    review.is_html(200, "en");
    assert!(
        review
            .body
            .contains(&format!("{QUESTION} How are operations authorised?")),
        "{}",
        review.body
    );
    assert!(
        review
            .body
            .contains(&format!("{STATEMENT} France presents its report."))
    );

    // The input's page, with the state's reply beside it, in two languages.
    let input = format!("/reviews/{}/inputs/{}", w.f.review, w.admitted_input);
    let page = get(app, &format!("/en{input}")).await;
    page.is_html(200, "en");
    assert!(page.body.contains("The public part of the lab's input."));
    assert!(
        page.body
            .contains(&format!("{REPLY} The State answers the lab."))
    );
    assert!(page.body.contains("Reply of "), "{}", page.body);
    let page = get(app, &format!("/fr{input}")).await;
    page.is_html(200, "fr");
    assert!(page.body.contains("Réponse de "));
    assert!(page.body.contains(REPLY));
    assert!(norm.body.contains("Norm 13e"));
    assert!(norm.body.contains("Stakeholder input"));
    assert!(
        norm.body
            .contains("France pledges to respect privacy online.")
    );
    assert!(
        norm.body
            .contains("Germany pledges to protect the devices of journalists.")
    );
    assert!(norm.headers.get("etag").is_some(), "a page of the cache");
    let norm_13f = get(app, "/fr/norms/13f").await;
    norm_13f.is_html(200, "fr");
    assert_eq!(shown(&w, &norm_13f.body), numbers(&[2]));
    assert!(norm_13f.body.contains("Germany pledges"));
    assert!(!norm_13f.body.contains("France pledges"));
    for unknown in ["/en/norms/13z", "/en/norms/13", "/ar/norms/x"] {
        let lang = &unknown[1..3];
        get(app, unknown).await.is_html(404, lang);
    }
    // The norm's page through its cursor: one recommendation a page.
    let first = get(app, "/en/norms/13e?limit=1").await;
    first.is_html(200, "en");
    assert_eq!(first.next(), None, "13e has one recommendation");

    // Sectors and affected groups.
    let sector = get(app, "/en/sectors/media_and_journalists").await;
    sector.is_html(200, "en");
    assert_eq!(shown(&w, &sector.body), numbers(&[1]));
    let healthcare = get(app, "/en/sectors/healthcare").await;
    healthcare.is_html(200, "en");
    assert!(
        healthcare.body.contains("Stakeholder input"),
        "the inputs on healthcare"
    );
    assert_eq!(shown(&w, &healthcare.body), numbers(&[]));
    let group = get(app, "/es/affected-groups/journalists").await;
    group.is_html(200, "es");
    assert_eq!(shown(&w, &group.body), numbers(&[1]));
    get(app, "/en/sectors/journalists").await.is_html(404, "en");
    get(app, "/en/affected-groups/energy")
        .await
        .is_html(404, "en");

    // An organisation's page: its admitted input, its accreditation.
    let admitted = get(app, &format!("/en/organisations/{}", w.admitted_org)).await;
    admitted.is_html(200, "en");
    assert!(admitted.body.contains("Open Networks Lab"));
    assert!(admitted.body.contains("Stakeholder input"));
    assert!(
        admitted
            .body
            .contains(&format!("/en/reviews/{}", w.f.review))
    );
    let refused = get(app, &format!("/en/organisations/{}", w.refused_org)).await;
    refused.is_html(200, "en");
    assert!(
        !refused
            .body
            .contains(&format!("/en/reviews/{}", w.f.review)),
        "an input not admitted is not among its inputs"
    );
    let applicant = get(app, &format!("/en/organisations/{}", w.applicant)).await;
    applicant.is_html(200, "en");
    for shown in [
        "Civic Tech Forum",
        "The forum is funded from abroad.",
        "Our accounts are public.",
        "Not independent of its funders.",
        "refused",
    ] {
        assert!(applicant.body.contains(shown), "{shown}");
    }
    let oversight = app.organisation("oversight", "A bureau").await;
    for unknown in [
        format!("/en/organisations/{oversight}"),
        format!("/en/organisations/{}", uuid::Uuid::new_v4()),
        "/en/organisations/not-a-uuid".to_owned(),
    ] {
        get(app, &unknown).await.is_html(404, "en");
    }

    // The database: everything, then filtered.
    let all = get(app, "/en/recommendations").await;
    all.is_html(200, "en");
    assert_eq!(shown(&w, &all.body), numbers(&[1, 2, 3]));
    for label in [
        "for=\"f-cycle\"",
        "for=\"f-state\"",
        "for=\"f-norm\"",
        "for=\"f-sector\"",
        "for=\"f-group\"",
        "for=\"f-response\"",
    ] {
        assert!(all.body.contains(label), "{label}");
    }
    assert!(all.body.contains("/en/recommendations.csv\""));
    let cycle = &w.f.cycle;
    for (query, expected) in [
        ("norm=13f", vec![2]),
        ("response=supported", vec![1]),
        ("response=noted", vec![2, 3]),
        ("response=unanswered", vec![]),
        ("response=", vec![1, 2, 3]),
        ("sector=media_and_journalists", vec![1]),
        ("group=journalists", vec![1]),
        ("group=children", vec![]),
        ("state=FRA", vec![1, 2, 3]),
        ("state=DEU", vec![]),
        (&format!("cycle={cycle}"), vec![1, 2, 3]),
        (&format!("cycle={}", uuid::Uuid::new_v4()), vec![]),
        (
            &format!("cycle={cycle}&state=FRA&norm=13k&response=noted"),
            vec![3],
        ),
        (
            "cycle=&state=&norm=&sector=&group=&response=",
            vec![1, 2, 3],
        ),
    ] {
        let page = get(app, &format!("/en/recommendations?{query}")).await;
        page.is_html(200, "en");
        assert_eq!(shown(&w, &page.body), numbers(&expected), "{query}");
    }
    let filtered = get(app, "/en/recommendations?norm=13f").await;
    assert!(filtered.body.contains("/en/recommendations.csv?norm=13f\""));
    assert!(filtered.body.contains("<option value=\"13f\" selected>"));
    for bad in [
        "norm=13z",
        "norm=Cooperate",
        "response=maybe",
        "cycle=xyz",
        "state=fr",
        "sector=hospitals",
        "group=people",
        "cursor=!!",
        "cursor=bm90IGEgY3Vyc29y",
        "limit=0",
        "limit=201",
        "limit=x",
        "colour=red",
    ] {
        get(app, &format!("/en/recommendations?{bad}"))
            .await
            .is_html(400, "en");
        get(app, &format!("/fr/recommendations.csv?{bad}"))
            .await
            .is_html(400, "fr");
    }

    // Its pages, one recommendation each, by the "next page" links: they add up.
    let mut seen = Vec::new();
    let mut at = "/en/recommendations?limit=1".to_owned();
    loop {
        let page = get(app, &at).await;
        page.is_html(200, "en");
        let on_page = shown(&w, &page.body);
        assert_eq!(on_page.len(), 1, "{at}");
        seen.extend(on_page);
        match page.next() {
            Some(next) => at = next,
            None => break,
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, [1, 2, 3]);
    let mut noted = Vec::new();
    let mut at = "/en/recommendations?response=noted&limit=1".to_owned();
    loop {
        let page = get(app, &at).await;
        noted.extend(shown(&w, &page.body));
        match page.next() {
            Some(next) => {
                assert!(next.contains("response=noted"), "{next}");
                at = next;
            }
            None => break,
        }
    }
    noted.sort_unstable();
    assert_eq!(noted, [2, 3]);

    // The exports: every recommendation, with its answer and implementation history.
    let csv = get(app, "/en/recommendations.csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    let date = app.clock.now().date();
    assert_eq!(
        csv.headers["content-disposition"],
        format!("attachment; filename=\"cpr-recommendations-{date}.csv\"").as_str()
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "review",
        "number",
        "state",
        "proposed_by",
        "text",
        "norms",
        "response",
        "implementation_history",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let texts: BTreeSet<&str> = rows.iter().map(|r| &r[column("text")]).collect();
    let expected: BTreeSet<&str> = w.recommendations.iter().map(String::as_str).collect();
    assert_eq!(texts, expected);
    let first = rows.iter().find(|r| &r[column("number")] == "1").unwrap();
    assert_eq!(&first[column("response")], "supported");
    assert_eq!(&first[column("state")], SUR);
    assert_eq!(&first[column("sectors")], "media_and_journalists");
    assert_eq!(
        &first[column("affected_groups")],
        "human_rights_defenders;journalists"
    );
    let one = get(app, "/en/recommendations.csv?norm=13f").await;
    assert_eq!(
        csv::Reader::from_reader(one.body.as_bytes())
            .records()
            .count(),
        1
    );
    let none = get(app, "/en/recommendations.csv?state=DEU").await;
    let mut empty = csv::Reader::from_reader(none.body.as_bytes());
    assert_eq!(empty.headers().unwrap().len(), header.len(), "a header row");
    assert_eq!(empty.records().count(), 0);
    let json = get(app, "/en/recommendations.json").await;
    assert_eq!(json.status, 200);
    assert_eq!(json.content_type(), "application/json");
    assert!(
        json.headers["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(&format!("cpr-recommendations-{date}.json\""))
    );
    let items: Vec<Value> = serde_json::from_str(&json.body).unwrap();
    assert_eq!(items.len(), 3);
    let noted: Vec<Value> = serde_json::from_str(
        &get(app, "/en/recommendations.json?response=noted")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(noted.len(), 2);
    assert!(noted.iter().all(|r| r["position"] == "noted"));
}

#[tokio::test]
async fn nothing_unpublished_appears_on_the_site_pages_or_in_the_exports() {
    let w = world().await;
    let app = &w.app;
    let mut paths = vec![
        "/en/recommendations".to_owned(),
        "/en/recommendations.csv".to_owned(),
        "/en/recommendations.json".to_owned(),
        "/en/subscribe".to_owned(),
        format!("/en/reviews/{}", w.f.review),
        format!("/en/states/{SUR}"),
    ];
    for norm in cpr_domain::Norm::ALL {
        paths.push(format!("/en/norms/{}", norm.code()));
    }
    for sector in cpr_domain::Sector::ALL {
        paths.push(format!("/en/sectors/{}", sector.code()));
    }
    for group in cpr_domain::AffectedGroup::ALL {
        paths.push(format!("/en/affected-groups/{}", group.code()));
    }
    for organisation in [
        &w.f.stakeholder_org,
        &w.admitted_org,
        &w.refused_org,
        &w.applicant,
    ] {
        paths.push(format!("/en/organisations/{organisation}"));
    }
    for path in &paths {
        let page = get(app, path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert_no_secret(path, &page.body);
    }
    // The planted texts are there to be found by those who may read them.
    let report = app
        .get(&w.f.path("/report"), Some(&app.secretariat))
        .await
        .expect(200);
    assert!(report.to_string().contains(CONFIDENTIAL));
}

/// The messages queued for `email` of `kind`, rendered as the worker sends them.
async fn mail_to(app: &TestApp, email: &str, kind: &str) -> Vec<cpr_mail::Rendered> {
    let caller = app.service.authenticate(&app.secretariat).await.unwrap();
    let messages = app
        .service
        .outbox(
            &caller.actor,
            None,
            None,
            &cpr_service::PageRequest::first(200),
        )
        .await
        .unwrap();
    let templates = cpr_mail::Templates::new(&app.settings.mail.public_base_url).unwrap();
    messages
        .items
        .into_iter()
        .filter(|m| m.kind == kind && m.recipient.eq_ignore_ascii_case(email))
        .map(|m| templates.render(&m.kind, &m.data).unwrap())
        .collect()
}

/// The site's address a mail links to for `kind` (`confirm` or `unsubscribe`).
fn link(mail: &cpr_mail::Rendered, kind: &str) -> String {
    let marker = format!("https://cpr.test/en/subscriptions/{kind}/");
    let start = mail
        .text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {kind} link in {}", mail.text));
    let token: String = mail.text[start + marker.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);
    assert!(mail.html.contains(&format!("{marker}{token}")));
    format!("/en/subscriptions/{kind}/{token}")
}

#[tokio::test]
async fn anyone_subscribes_on_the_site_and_confirms_and_unsubscribes_by_the_pages_of_the_mails() {
    let app = spawn_app().await;

    // The form, with the state chosen from a state's page.
    let form = get(&app, "/en/subscribe?state=FRA").await;
    form.is_html(200, "en");
    assert!(
        form.body
            .contains("<option value=\"FRA\" selected>France</option>")
    );
    assert!(form.body.contains("<label for=\"s-state\">") && form.body.contains("id=\"s-state\""));
    assert!(form.body.contains("<label for=\"s-email\">") && form.body.contains("id=\"s-email\""));
    assert!(
        form.body
            .contains("method=\"post\" action=\"/en/subscribe\"")
    );
    get(&app, "/en/subscribe?state=france")
        .await
        .is_html(400, "en");
    get(&app, "/en/subscribe?country=FRA")
        .await
        .is_html(400, "en");

    // Asking: the same answer for a new address and one that asked before.
    let asked = post_form(
        &app,
        "/en/subscribe",
        "state=FRA&email=Reader%40Example.org",
    )
    .await;
    asked.is_html(200, "en");
    assert!(asked.body.contains("Check your mail") && asked.body.contains("France"));
    assert_eq!(asked.headers["cache-control"], "no-store");
    let again = post_form(
        &app,
        "/en/subscribe",
        "state=FRA&email=reader%40example.org",
    )
    .await;
    again.is_html(200, "en");
    assert_eq!(again.body, asked.body);
    for email in ["follower@example.org", "late@example.org"] {
        post_form(&app, "/en/subscribe", &format!("state=FRA&email={email}"))
            .await
            .is_html(200, "en");
    }
    // Bad input gives the form again with the error.
    for (form, error) in [
        (
            "state=FRA&email=not+an+address",
            "This is not a valid email address.",
        ),
        ("state=FRA", "This is not a valid email address."),
        (
            "state=XX&email=a%40example.org",
            "Choose a state from the list.",
        ),
        (
            "state=ZZZ&email=a%40example.org",
            "Choose a state from the list.",
        ),
        ("email=a%40example.org", "Choose a state from the list."),
        ("", "Choose a state from the list."),
    ] {
        // In English, whose messages these are (the French catalogue has its own).
        let refused = post_form(&app, "/en/subscribe", form).await;
        refused.is_html(400, "en");
        assert!(refused.body.contains(error), "{form}: {}", refused.body);
        assert!(refused.body.contains("action=\"/en/subscribe\""));
    }
    assert!(
        mail_to(&app, "a@example.org", "subscription_confirmation")
            .await
            .is_empty()
    );

    // The confirmation mail links to the site's page; opening it (as a mail scanner
    // does) confirms nothing; its button does.
    let reader = mail_to(&app, "reader@example.org", "subscription_confirmation").await;
    assert_eq!(reader.len(), 2, "one per request");
    let opened_only = link(&reader[1], "confirm");
    let page = get(&app, &opened_only).await;
    page.is_html(200, "en");
    assert!(
        page.body
            .contains(&format!("<form method=\"post\" action=\"{opened_only}\">"))
    );
    assert!(
        page.body
            .contains("<button type=\"submit\">Confirm</button>")
    );
    let follower = mail_to(&app, "follower@example.org", "subscription_confirmation").await;
    let confirm = link(&follower[0], "confirm");
    get(&app, &confirm).await.is_html(200, "en");
    let confirmed = post_form(&app, &confirm, "").await;
    confirmed.is_html(200, "en");
    assert!(confirmed.body.contains("Subscription confirmed") && confirmed.body.contains("France"));
    assert_eq!(confirmed.headers["cache-control"], "no-store");
    post_form(&app, &confirm, "").await.is_html(200, "en");
    let unknown = format!("/en/subscriptions/confirm/{}", "0".repeat(64));
    post_form(&app, &unknown, "").await.is_html(404, "en");
    post_form(&app, "/en/subscriptions/confirm/0123", "")
        .await
        .is_html(404, "en");

    // A review of France opens its input window: the confirmed follower is told, the
    // reader who only opened the link is not.
    let mut f = app.review_at(At::StateReport).await;
    app.take(&mut f, At::StateReport, At::StakeholderInput)
        .await;
    assert!(
        mail_to(&app, "reader@example.org", "input_window_opened")
            .await
            .is_empty()
    );
    let notices = mail_to(&app, "follower@example.org", "input_window_opened").await;
    assert_eq!(notices.len(), 1);
    let notice = &notices[0];
    assert!(
        notice
            .text
            .contains(&format!("https://cpr.test/en/reviews/{}", f.review))
    );
    let unsubscribe = link(notice, "unsubscribe");
    assert_eq!(
        notice.one_click_url.as_deref(),
        Some(
            format!(
                "https://cpr.test/api/v1/subscriptions/unsubscribe/{}",
                &unsubscribe["/en/subscriptions/unsubscribe/".len()..]
            )
            .as_str()
        ),
        "List-Unsubscribe names the API's one-click endpoint"
    );

    // Unsubscribing: the page asks, the POST (a one-click body is welcome) deletes.
    let page = get(&app, &unsubscribe).await;
    page.is_html(200, "en");
    assert!(
        page.body
            .contains(&format!("<form method=\"post\" action=\"{unsubscribe}\">"))
    );
    assert_eq!(
        mail_to(&app, "follower@example.org", "input_window_opened")
            .await
            .len(),
        1,
        "opening the page changed nothing"
    );
    let gone = post_form(&app, &unsubscribe, "List-Unsubscribe=One-Click").await;
    gone.is_html(200, "en");
    assert!(gone.body.contains("Unsubscribed"));
    assert!(
        mail_to(&app, "follower@example.org", "input_window_opened")
            .await
            .is_empty(),
        "the address is gone with its messages"
    );
    post_form(&app, &unsubscribe, "").await.is_html(404, "en");

    // Too late to confirm after 48 hours: a page that says so.
    let late = mail_to(&app, "late@example.org", "subscription_confirmation").await;
    let late = link(&late[0], "confirm");
    app.advance(Duration::hours(49));
    let expired = post_form(&app, &late, "").await;
    expired.is_html(410, "en");
    assert!(expired.body.contains("This link has expired"));
}

#[tokio::test]
async fn the_exports_and_the_database_pages_hold_every_recommendation_of_a_long_list() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgScheduled).await;
    // More recommendations than an SQL page of the exports (200) holds.
    let count = 205;
    let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
    let recommendations: Vec<Value> = (1..=count)
        .map(|n| {
            let norm = ["13a", "13b", "13c"][n % 3];
            json!({
                "text": format!("Long-list recommendation number {n}."),
                "norms": [norm],
                "proposed_by": members[n % 3],
            })
        })
        .collect();
    app.put(
        &f.path("/working-group/report"),
        &f.wg[0].token,
        json!({"findings": "Many findings.", "recommendations": recommendations}),
    )
    .await
    .expect(200);
    for member in &f.wg {
        app.act(&f.path("/working-group/report/approval"), &member.token)
            .await
            .expect(200);
    }
    app.set_time(AFTER_WG_SESSION);
    app.act(&f.path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);
    app.put(
        &f.path("/response/draft"),
        &f.sur,
        response_body(count as u32),
    )
    .await
    .expect(200);
    app.act(&f.path("/response/submission"), &f.sur)
        .await
        .expect(200);

    let csv = get(&app, "/en/recommendations.csv").await;
    assert_eq!(csv.status, 200);
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let number = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "number")
        .unwrap();
    let numbers: BTreeSet<usize> = reader
        .records()
        .map(|r| r.unwrap()[number].parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=count).collect());
    let json: Vec<Value> =
        serde_json::from_str(&get(&app, "/en/recommendations.json").await.body).unwrap();
    assert_eq!(json.len(), count);
    let one_norm: Vec<Value> =
        serde_json::from_str(&get(&app, "/en/recommendations.json?norm=13b").await.body).unwrap();
    assert_eq!(one_norm.len(), (1..=count).filter(|n| n % 3 == 1).count());
    let none: Vec<Value> =
        serde_json::from_str(&get(&app, "/en/recommendations.json?norm=13k").await.body).unwrap();
    assert!(none.is_empty());

    // An unchanged record is downloaded once.
    let etag = csv.headers["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(format!("{}/en/recommendations.csv", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);

    // The database's pages of 50 (its default), by their "next page" links.
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    let mut at = "/en/recommendations".to_owned();
    loop {
        let page = get(&app, &at).await;
        page.is_html(200, "en");
        pages += 1;
        let on_page: Vec<usize> = (1..=count)
            .filter(|n| {
                page.body
                    .contains(&format!("Long-list recommendation number {n}.<"))
            })
            .collect();
        assert!(on_page.len() <= 50);
        for n in on_page {
            assert!(seen.insert(n), "{n} on two pages");
        }
        match page.next() {
            Some(next) => at = next,
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen, (1..=count).collect());

    // A norm's page pages its recommendations the same way.
    let on_13a: BTreeSet<usize> = (1..=count).filter(|n| n % 3 == 0).collect();
    let mut seen = BTreeSet::new();
    let mut at = "/en/norms/13a".to_owned();
    loop {
        let page = get(&app, &at).await;
        page.is_html(200, "en");
        for n in 1..=count {
            if page
                .body
                .contains(&format!("Long-list recommendation number {n}.<"))
            {
                assert!(seen.insert(n), "{n} on two pages");
            }
        }
        match page.next() {
            Some(next) => {
                assert!(next.starts_with("/en/norms/13a?"), "{next}");
                at = next;
            }
            None => break,
        }
    }
    assert_eq!(seen, on_13a);
    for bad in ["cursor=!!", "limit=0", "page=2"] {
        get(&app, &format!("/en/norms/13a?{bad}"))
            .await
            .is_html(400, "en");
    }
}
