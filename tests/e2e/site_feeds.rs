//! The public site's feeds, calendars, charts and bulk archive, read over HTTP on a
//! review driven to its conclusion (with an erratum after it): the Atom feeds list every
//! published version with links to the review's page, the iCalendar feeds hold an event
//! per deadline and session in RFC 5545's form, each chart is well-formed SVG that says
//! the yearly report's numbers, the archive's manifest verifies and holds every published
//! version and chain; and none of them shows a draft, a confidential part, contact
//! details or a not-admitted input's text (planted as the visibility matrix plants them).

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::events::Event;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::verify_entries;
use crate::visibility::{CONFIDENTIAL, CONTACT, DRAFT, World};

/// The text of the input that was not admitted: its existence and reason are public,
/// its text never.
const NOT_ADMITTED: &str = "A text about matters outside the review.";

const CHARTS: [&str; 5] = [
    "recommendations",
    "stages",
    "inputs-sectors",
    "inputs-groups",
    "deadlines",
];

// --- a small XML tree, to hold the feeds and charts to well-formedness ---------------------

#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    fn one(&self, name: &str) -> &Element {
        self.all(name)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no <{name}> in <{}>", self.name))
    }
}

/// Parses `doc`, failing the test unless it is well-formed XML with one root element.
#[track_caller]
fn parse_xml(doc: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut stack: Vec<Element> = vec![Element::default()];
    let open = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attributes");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let element = open(&e);
                stack.last_mut().unwrap().children.push(element);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(done);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                let ch = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity &{other};"),
                };
                stack.last_mut().unwrap().text.push_str(ch);
            }
            Event::CData(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::DocType(_) => panic!("no doctype expected"),
            Event::Eof => break,
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    assert!(document.text.trim().is_empty(), "nothing outside the root");
    document.children.pop().unwrap()
}

// --- helpers ----------------------------------------------------------------------------------

async fn fetch(w: &World, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let (status, headers, body) = w.app.fetch_bytes(path, None).await;
    (status.as_u16(), headers, body)
}

async fn text_of(w: &World, path: &str, content_type: &str) -> String {
    let (status, headers, body) = fetch(w, path).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let got = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(got.starts_with(content_type), "{path}: content type {got}");
    String::from_utf8(body).expect("UTF-8")
}

/// The answer to a request that holds the current ETag is 304, with no body.
async fn not_modified_with_its_etag(w: &World, path: &str) {
    let (status, headers, _) = fetch(w, path).await;
    assert_eq!(status, 200, "{path}");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, body) = {
        let response = w
            .app
            .client
            .get(format!("{}{path}", w.app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.bytes().await.unwrap())
    };
    assert_eq!(status, 304, "{path}");
    assert!(body.is_empty(), "{path}: a 304 has no body");
}

#[track_caller]
fn nothing_unpublished(what: &str, body: &str) {
    for secret in [DRAFT, CONFIDENTIAL, CONTACT, NOT_ADMITTED] {
        assert!(!body.contains(secret), "{what} shows {secret:?}");
    }
}

/// A value named `key` anywhere in `value` (the first found, depth first).
fn find<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map
            .get(key)
            .or_else(|| map.values().find_map(|v| find(v, key))),
        Value::Array(items) => items.iter().find_map(|v| find(v, key)),
        _ => None,
    }
}

/// The files of a ustar archive, each header's checksum checked.
fn untar(tar: &[u8]) -> Vec<(String, Vec<u8>)> {
    assert_eq!(tar.len() % 512, 0, "whole blocks");
    let mut files = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at] != 0 {
        let header = &tar[at..at + 512];
        let field = |from: usize, to: usize| {
            let raw = &header[from..to];
            let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
            String::from_utf8(raw[..end].to_vec()).unwrap()
        };
        assert_eq!(&header[257..263], b"ustar\0", "a ustar header");
        let mut blank = header.to_vec();
        blank[148..156].copy_from_slice(b"        ");
        let sum: u64 = blank.iter().map(|b| u64::from(*b)).sum();
        assert_eq!(
            u64::from_str_radix(field(148, 154).trim(), 8).unwrap(),
            sum,
            "header checksum"
        );
        let size = usize::from_str_radix(field(124, 135).trim(), 8).unwrap();
        let prefix = field(345, 500);
        let name = field(0, 100);
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        files.push((path, tar[at + 512..at + 512 + size].to_vec()));
        at += 512 + size.div_ceil(512) * 512;
    }
    assert!(
        tar[at..].iter().all(|b| *b == 0) && tar.len() - at >= 1024,
        "two zero blocks end the archive"
    );
    files
}

// --- the test ---------------------------------------------------------------------------------

#[tokio::test]
async fn feeds_calendars_charts_and_the_archive_show_every_publication_and_nothing_unpublished() {
    let w = World::build(7).await;
    let app = &w.app;
    let review = w.f.review.clone();
    let cycle = w.f.cycle.clone();
    // Feeds and calendars are read away from the site: their links are absolute.
    let base = app
        .settings
        .mail
        .public_base_url
        .trim_end_matches('/')
        .to_owned();
    assert!(base.starts_with("https://"));
    // An erratum after the conclusion: a second version of the compilation.
    let erratum = app
        .call(
            Method::POST,
            &w.f.path("/errata/compilation"),
            Some(&app.secretariat),
            Some(json!({
                "reason": "A citation was misattributed.",
                "body": {"text": "Compilation of the admitted inputs, by norm. Corrected."},
            })),
        )
        .await;
    assert!(erratum.status.is_success(), "{:?}", erratum.body);
    let published = app.list("/api/v1/documents", None).await;
    let published = published.as_array().unwrap().clone();
    let versions: u64 = published
        .iter()
        .map(|d| d["versions"].as_u64().unwrap())
        .sum();
    assert!(
        published
            .iter()
            .any(|d| d["document"] == "compilation" && d["versions"] == 2),
        "the erratum made a second version"
    );

    // --- Atom -------------------------------------------------------------------------------
    let body = text_of(&w, "/feeds/publications.atom", "application/atom+xml").await;
    nothing_unpublished("the site-wide feed", &body);
    let feed = parse_xml(&body);
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attrs["xmlns"], "http://www.w3.org/2005/Atom");
    assert!(feed.one("id").text.starts_with("urn:uuid:"));
    let entries: Vec<&Element> = feed.all("entry");
    let wg_reports = |norm: Option<&str>| {
        published
            .iter()
            .filter(|d| d["kind"] == "wg_report")
            .filter(|d| norm.is_none_or(|n| d["norms"].as_array().unwrap().iter().any(|x| x == n)))
            .count() as u64
    };
    assert_eq!(wg_reports(None), 1);
    assert_eq!(
        entries.len() as u64,
        versions + 1,
        "one entry per published version, and one for the recommendations"
    );
    let mut ids = BTreeSet::new();
    let mut updated = Vec::new();
    for entry in &entries {
        assert!(ids.insert(entry.one("id").text.clone()), "ids are unique");
        assert!(entry.one("id").text.starts_with("urn:uuid:"));
        assert!(!entry.one("title").text.is_empty());
        assert!(!entry.one("summary").text.is_empty());
        let href = &entry.one("link").attrs["href"];
        assert!(
            *href == format!("{base}/en/reviews/{review}")
                || *href == format!("{base}/en/reviews/{review}#recommendations"),
            "{href}"
        );
        updated.push(entry.one("updated").text.clone());
    }
    let mut newest_first = updated.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, newest_first, "newest first");
    assert!(
        entries
            .iter()
            .any(|e| e.one("title").text
                == "Compilation of the review of France: erratum, version 2"),
        "{body}"
    );
    let adopted = app
        .list(&format!("/api/v1/reviews/{review}/recommendations"), None)
        .await;
    let adopted = adopted.as_array().unwrap().len();
    assert!(adopted > 0);
    let set = entries
        .iter()
        .find(|e| e.one("title").text == format!("Recommendations to France adopted: {adopted}"))
        .unwrap_or_else(|| panic!("an entry for the recommendations in {body}"));
    assert_eq!(
        set.one("link").attrs["href"],
        format!("{base}/en/reviews/{review}#recommendations")
    );
    // The same ids on a second reading; 304 to a client that holds it.
    let again = parse_xml(&text_of(&w, "/feeds/publications.atom", "application/atom+xml").await);
    let again: BTreeSet<String> = again
        .all("entry")
        .into_iter()
        .map(|e| e.one("id").text.clone())
        .collect();
    assert_eq!(again, ids, "stable ids");
    not_modified_with_its_etag(&w, "/feeds/publications.atom").await;
    // In French: the links go to the French pages.
    let french = parse_xml(
        &text_of(
            &w,
            "/feeds/publications.atom?lang=fr",
            "application/atom+xml",
        )
        .await,
    );
    assert_eq!(french.attrs["xml:lang"], "fr");
    for entry in french.all("entry") {
        assert!(
            entry.one("link").attrs["href"].starts_with(&format!("{base}/fr/reviews/{review}")),
            "French links"
        );
    }
    // Per state and per norm.
    let france = parse_xml(&text_of(&w, "/feeds/states/FRA.atom", "application/atom+xml").await);
    assert_eq!(france.all("entry").len() as u64, versions + 1);
    let other = parse_xml(&text_of(&w, "/feeds/states/DEU.atom", "application/atom+xml").await);
    assert_eq!(other.all("entry").len(), 0, "Germany was not reviewed");
    let tagged: u64 = published
        .iter()
        .filter(|d| d["norms"].as_array().unwrap().iter().any(|n| n == "13e"))
        .map(|d| d["versions"].as_u64().unwrap())
        .sum();
    assert!(tagged > 0, "the inputs are tagged 13e");
    let body = text_of(&w, "/feeds/norms/13e.atom", "application/atom+xml").await;
    nothing_unpublished("the feed of norm 13e", &body);
    assert_eq!(
        parse_xml(&body).all("entry").len() as u64,
        tagged + wg_reports(Some("13e"))
    );
    for missing in [
        "/feeds/states/ZZZ.atom",
        "/feeds/states/FRANCE.atom",
        "/feeds/states/FRA.rss",
        "/feeds/norms/13z.atom",
    ] {
        assert_eq!(fetch(&w, missing).await.0, 404, "{missing}");
    }
    assert_eq!(fetch(&w, "/feeds/publications.atom?lang=xx").await.0, 400);

    // --- iCalendar ----------------------------------------------------------------------------
    let shown = app
        .get(&format!("/api/v1/reviews/{review}"), None)
        .await
        .expect(200);
    let calendar = find(&shown, "calendar")
        .expect("the review's calendar")
        .clone();
    for path in [
        format!("/calendar/cycles/{cycle}.ics"),
        "/calendar/states/FRA.ics".to_owned(),
    ] {
        let body = text_of(&w, &path, "text/calendar").await;
        nothing_unpublished(&path, &body);
        assert!(body.ends_with("\r\n"));
        assert!(
            !body.replace("\r\n", "").contains(['\n', '\r']),
            "{path}: every line ends with CRLF"
        );
        let lines: Vec<&str> = body.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(
            lines.iter().all(|l| l.len() <= 75),
            "{path}: lines of at most 75 octets"
        );
        assert!(
            lines.iter().any(|l| l.starts_with(' ')),
            "{path}: the long description lines are folded"
        );
        let unfolded = body.replace("\r\n ", "");
        let unfolded: Vec<&str> = unfolded.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(unfolded.first(), Some(&"BEGIN:VCALENDAR"));
        assert_eq!(unfolded.last(), Some(&"END:VCALENDAR"));
        assert!(unfolded.contains(&"VERSION:2.0"));
        assert!(unfolded.iter().any(|l| l.starts_with("PRODID:")));
        let events = unfolded.iter().filter(|l| **l == "BEGIN:VEVENT").count();
        assert_eq!(events, 8, "{path}: six deadlines and two sessions");
        assert_eq!(
            unfolded
                .iter()
                .filter(|l| l.starts_with("DTSTAMP:"))
                .count(),
            8
        );
        let mut uids = BTreeSet::new();
        for l in unfolded.iter().filter(|l| l.starts_with("UID:")) {
            assert!(uids.insert(*l), "unique UIDs");
        }
        for kind in [
            "state_report",
            "input_window",
            "compilation",
            "advance_questions",
            "wg_report",
            "response",
        ] {
            let due = calendar[kind]["due"].as_str().unwrap();
            let due =
                time::OffsetDateTime::parse(due, &time::format_description::well_known::Rfc3339)
                    .unwrap()
                    .to_offset(time::UtcOffset::UTC);
            let dtstart = format!(
                "DTSTART:{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                due.year(),
                u8::from(due.month()),
                due.day(),
                due.hour(),
                due.minute(),
                due.second()
            );
            let uid = format!("UID:{review}-deadline-{kind}@cpr");
            let at = unfolded
                .iter()
                .position(|l| *l == uid)
                .unwrap_or_else(|| panic!("{path}: no event for {kind}"));
            let event: Vec<&str> = unfolded[at..]
                .iter()
                .take_while(|l| **l != "END:VEVENT")
                .copied()
                .collect();
            assert!(
                event.contains(&dtstart.as_str()),
                "{kind}: {event:?} lacks {dtstart}"
            );
        }
        assert!(
            unfolded.contains(&"SUMMARY;LANGUAGE=en:Review of France: State report due"),
            "{body}"
        );
        assert!(
            unfolded.contains(&"DTSTART:20270615T090000Z"),
            "the working-group session"
        );
        assert!(
            unfolded.contains(&format!("URL:{base}/en/reviews/{review}").as_str()),
            "each event links the review's page"
        );
    }
    for missing in [
        "/calendar/cycles/00000000-0000-0000-0000-000000000000.ics".to_owned(),
        format!("/calendar/cycles/{cycle}.ical"),
        "/calendar/cycles/nope.ics".to_owned(),
        "/calendar/states/ZZZ.ics".to_owned(),
    ] {
        assert_eq!(fetch(&w, &missing).await.0, 404, "{missing}");
    }

    // --- charts -------------------------------------------------------------------------------
    let report = app
        .get(&format!("/api/v1/cycles/{cycle}/report"), None)
        .await
        .expect(200);
    let totals = &report["totals"];
    let mut descs = BTreeMap::new();
    for chart in CHARTS {
        let path = format!("/charts/cycles/{cycle}/{chart}.svg");
        let body = text_of(&w, &path, "image/svg+xml").await;
        nothing_unpublished(&path, &body);
        assert!(!body.contains("style"), "{path}: no style under the CSP");
        let svg = parse_xml(&body);
        assert_eq!(svg.name, "svg");
        assert_eq!(svg.attrs["role"], "img");
        let title = svg.one("title");
        let desc = svg.one("desc");
        assert_eq!(
            svg.attrs["aria-labelledby"],
            format!("{} {}", title.attrs["id"], desc.attrs["id"])
        );
        assert!(!title.text.is_empty());
        descs.insert(chart, desc.text.clone());
    }
    for (norm, counts) in totals["recommendations"]["by_norm"].as_object().unwrap() {
        let said = format!(
            "{norm}: Supported {}, Noted {}, Not answered yet {}",
            counts["supported"], counts["noted"], counts["unanswered"]
        );
        assert!(
            descs["recommendations"].contains(&said),
            "{said} in {}",
            descs["recommendations"]
        );
    }
    assert!(
        totals["recommendations"]["total"].as_u64().unwrap() > 0,
        "the review made recommendations"
    );
    assert!(descs["stages"].contains(&format!(
        "Concluded: Reviews {}",
        totals["stages"]["concluded"]
    )));
    for (kind, label) in [
        ("state_report", "State report"),
        ("wg_report", "Working-group report"),
    ] {
        let c = &totals["deadlines"][kind];
        let said = format!(
            "{label}: on time {}, late {}, missed {}, pending {}",
            c["on_time"], c["late"], c["missed"], c["pending"]
        );
        assert!(
            descs["deadlines"].contains(&said),
            "{said} in {}",
            descs["deadlines"]
        );
    }
    let healthcare = &totals["inputs"]["by_sector"]["healthcare"];
    assert!(healthcare.as_u64().unwrap() > 0);
    assert!(
        descs["inputs-sectors"].contains(&format!("Healthcare: Stakeholder inputs {healthcare}"))
    );
    for missing in [
        format!("/charts/cycles/{cycle}/pie.svg"),
        format!("/charts/cycles/{cycle}/stages.png"),
        "/charts/cycles/00000000-0000-0000-0000-000000000000/stages.svg".to_owned(),
    ] {
        assert_eq!(fetch(&w, &missing).await.0, 404, "{missing}");
    }
    // Inline in the cycle page and the home page, beside their tables.
    for page in [format!("/en/cycles/{cycle}"), "/en/".to_owned()] {
        let html = text_of(&w, &page, "text/html").await;
        assert!(html.contains("<svg"), "{page} shows its charts");
        assert!(html.contains("aria-labelledby=\"chart-stages-title chart-stages-desc\""));
        assert!(
            html.contains("class=\"chart-table\""),
            "{page}: the numbers in a table"
        );
        nothing_unpublished(&page, &html);
    }

    // --- open data and the archive --------------------------------------------------------
    let html = text_of(&w, "/en/open-data", "text/html").await;
    let name = "cpr-public-record-2027-07-01";
    for link in [
        format!("/open-data/{name}.tar"),
        // The language prefix is written `&#x2f;en` by the template's escaping.
        "en/recommendations.csv".to_owned(),
        "en/recommendations.json".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        "/feeds/publications.atom".to_owned(),
        format!("/calendar/cycles/{cycle}.ics"),
    ] {
        assert!(html.contains(&link), "the open-data page links {link}");
    }
    let (status, _, latest) = fetch(&w, "/open-data/latest.tar").await;
    assert_eq!(status, 200, "followed to today's archive");
    let (status, headers, tar) = fetch(&w, &format!("/open-data/{name}.tar")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/x-tar");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{name}.tar\"").as_str()
    );
    nothing_unpublished("the archive", &String::from_utf8_lossy(&tar));
    assert_eq!(
        fetch(&w, "/open-data/cpr-public-record-2020-01-01.tar")
            .await
            .0,
        404,
        "only today's record is served"
    );
    let files: BTreeMap<String, Vec<u8>> = untar(&tar)
        .into_iter()
        .map(|(path, bytes)| {
            let inside = path
                .strip_prefix(&format!("{name}/"))
                .unwrap_or_else(|| panic!("{path} is under {name}/"))
                .to_owned();
            (inside, bytes)
        })
        .collect();
    let manifest = String::from_utf8(files["MANIFEST.sha256"].clone()).unwrap();
    let mut listed = BTreeSet::new();
    for line in manifest.lines() {
        let (sum, path) = line.split_once("  ").expect("sha256sum's form");
        assert_eq!(
            hex::encode(Sha256::digest(&files[path])),
            sum,
            "{path}: its SHA-256"
        );
        listed.insert(path.to_owned());
    }
    let others: BTreeSet<String> = files
        .keys()
        .filter(|p| *p != "MANIFEST.sha256")
        .cloned()
        .collect();
    assert_eq!(listed, others, "the manifest lists every other file");
    assert!(files.contains_key("README.txt"));
    // Every published version of every document, as the public reads it.
    for document in &published {
        let name = document["document"].as_str().unwrap();
        let prefix = format!("reviews/{review}/documents/{name}/");
        let held: Vec<&String> = files.keys().filter(|p| p.starts_with(&prefix)).collect();
        assert_eq!(
            held.len() as u64,
            document["versions"].as_u64().unwrap(),
            "{name}: every version"
        );
    }
    let json = |path: &str| -> Value {
        serde_json::from_slice(
            files
                .get(path)
                .unwrap_or_else(|| panic!("the archive holds {path}")),
        )
        .unwrap()
    };
    for held in files
        .keys()
        .filter(|p| p.starts_with(&format!("reviews/{review}/documents/compilation/")))
    {
        let archived = json(held);
        let revision = archived["revision"]["revision"].as_u64().unwrap();
        let served = app
            .get(
                &format!("/api/v1/reviews/{review}/compilation?revision={revision}"),
                None,
            )
            .await
            .expect(200);
        assert_eq!(archived, served, "{held} is what the public reads");
    }
    // The chains, which verify, and the draws and recommendations.
    let chain = json(&format!("reviews/{review}/audit.json"));
    let public_chain = app
        .list(&format!("/api/v1/reviews/{review}/audit"), None)
        .await;
    assert_eq!(
        chain, public_chain,
        "the review's chain as the public reads it"
    );
    verify_entries(chain.as_array().unwrap());
    for path in [
        format!("cycles/{cycle}/audit.json"),
        "registry/audit.json".to_owned(),
    ] {
        let chain = json(&path);
        assert!(!chain.as_array().unwrap().is_empty(), "{path}");
        verify_entries(chain.as_array().unwrap());
    }
    assert!(
        !json(&format!("reviews/{review}/draws.json"))
            .as_array()
            .unwrap()
            .is_empty()
    );
    let recommendations = app.list("/api/v1/recommendations", None).await;
    assert_eq!(
        json("recommendations.json").as_array().unwrap().len(),
        recommendations.as_array().unwrap().len()
    );
    // The same archive again, from the cache, until the record changes.
    let (_, _, again) = fetch(&w, &format!("/open-data/{name}.tar")).await;
    assert_eq!(again, tar);
    assert_eq!(latest, tar);
    for path in [
        format!("/calendar/cycles/{cycle}.ics"),
        format!("/charts/cycles/{cycle}/deadlines.svg"),
        format!("/open-data/{name}.tar"),
    ] {
        not_modified_with_its_etag(&w, &path).await;
    }

    // --- a withdrawn review: its events after the withdrawal are cancelled ------------------
    let withdrawn = app.open_review(&cycle, "GBR").await;
    let answer = app
        .call(
            Method::POST,
            &format!("/api/v1/reviews/{withdrawn}/withdrawal"),
            Some(&app.secretariat),
            Some(json!({"reason": "The state left the process."})),
        )
        .await;
    assert!(answer.status.is_success(), "{:?}", answer.body);
    let shown = app
        .get(&format!("/api/v1/reviews/{withdrawn}"), None)
        .await
        .expect(200);
    let at = find(&shown, "withdrawal").expect("the withdrawal")["at"]
        .as_str()
        .unwrap()
        .to_owned();
    let at =
        time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339).unwrap();
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    let body = text_of(&w, "/calendar/states/GBR.ics", "text/calendar").await;
    let unfolded = body.replace("\r\n ", "");
    let events: Vec<&str> = unfolded.split("BEGIN:VEVENT").skip(1).collect();
    // Six deadlines and the working group's session (no oversight session was set).
    assert_eq!(events.len(), 7);
    let mut cancelled = 0;
    for event in events {
        let start = event
            .split("\r\n")
            .find_map(|l| l.strip_prefix("DTSTART:"))
            .unwrap();
        let after = start > stamp.as_str();
        assert_eq!(event.contains("STATUS:CANCELLED"), after, "{event}");
        cancelled += usize::from(after);
    }
    assert!(cancelled > 0, "the sessions were still ahead");
    let stages = text_of(
        &w,
        &format!("/charts/cycles/{cycle}/stages.svg"),
        "image/svg+xml",
    )
    .await;
    assert!(stages.contains("Withdrawn: Reviews 1"), "{stages}");
}
