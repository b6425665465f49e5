//! The OpenAPI document: the one served is the one checked in (`docs/openapi.json`), it
//! names every route the router answers and no other, what it says of a body is what the
//! server sends, and the interactive page loads its assets from the server itself.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use crate::support::{At, spawn_app};

const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn served_document(app: &crate::support::TestApp) -> Value {
    let answer = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.body
}

/// Where two JSON values first differ, as a JSON pointer.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter()
                .find_map(|key| match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => first_difference(p, q, format!("{at}/{key}")),
                    _ => Some(format!("{at}/{key}")),
                })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(at),
    }
}

#[tokio::test]
async fn the_served_document_is_the_one_checked_in() {
    let app = spawn_app().await;
    let served = served_document(&app).await;
    assert_eq!(served["openapi"], "3.1.0");
    let checked_in = std::fs::read_to_string(CHECKED_IN).expect("docs/openapi.json is readable");
    let checked_in: Value = serde_json::from_str(&checked_in).expect("docs/openapi.json is JSON");
    if let Some(at) = first_difference(&served, &checked_in, String::new()) {
        panic!(
            "docs/openapi.json is not the document the server serves (they first differ at \
             {at}); regenerate it with `cargo run -p cpr-server -- openapi > docs/openapi.json`"
        );
    }
}

/// A concrete path for a templated one, with a value of the right shape per parameter.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{id}" | "{input}" | "{organisation}" => "00000000-0000-7000-8000-000000000000",
            "{code}" | "{state}" => "FRA",
            "{number}" | "{version}" => "1",
            "{sha256}" => "0000000000000000000000000000000000000000000000000000000000000000",
            "{document}" => "state_report",
            "{kind}" => "state_report",
            "{token}" => "no-such-token",
            other => {
                assert!(
                    !other.starts_with('{'),
                    "no sample value for {other} in {path}"
                );
                other
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The operations of the document, as (method, path).
fn operations(document: &Value) -> Vec<(String, String)> {
    let paths = document["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|method| item.get(**method).is_some())
                .map(|method| (method.to_string(), path.clone()))
        })
        .collect()
}

/// Every operation of the document is routed (its path is known to the router, which
/// answers an unused method with 405 rather than 404, and its method is not refused with
/// 405); and no route escapes the document: the router is built from the handlers'
/// `#[utoipa::path]`s (`OpenApiRouter`), no route is mounted beside them, and there are as
/// many operations as declared handlers.
#[tokio::test]
async fn every_route_is_in_the_document_and_every_operation_is_routed() {
    let app = spawn_app().await;
    let document = served_document(&app).await;
    let operations = operations(&document);
    let paths: BTreeSet<&String> = operations.iter().map(|(_, path)| path).collect();
    let ids: BTreeSet<&str> = operations
        .iter()
        .map(|(method, path)| {
            document["paths"][path][method]["operationId"]
                .as_str()
                .expect("every operation has an id")
        })
        .collect();
    assert_eq!(ids.len(), operations.len(), "operation ids are unique");
    for path in &paths {
        let answer = app.raw(Method::TRACE, &concrete(path), &[], None).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (405, "method_not_allowed"),
            "the router does not know {path}"
        );
    }
    for (method, path) in &operations {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let answer = app.raw(method.clone(), &concrete(path), &[], None).await;
        assert_ne!(
            answer.status, 405,
            "{method} {path} is documented but not routed: {answer:?}"
        );
    }

    // The other way round, from the source: every handler is declared with its operation
    // (`#[utoipa::path]`, or the `command!` macro of the review commands, which writes
    // one), and the API mounts nothing with axum's own `route`.
    let sources = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/cpr-api/src");
    let mut declared = 0;
    let mut files = vec![std::path::PathBuf::from(sources)];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for needle in [".route(", ".route_service(", ".nest_service("] {
            assert!(
                !text.contains(needle),
                "{} mounts a route outside the document ({needle})",
                path.display()
            );
        }
        // At the start of a line: a handler's (the `command!` macro's own are indented).
        for line in text.lines() {
            if line.starts_with("#[utoipa::path(") || line.starts_with("command!(\"") {
                declared += 1;
            }
        }
    }
    assert_eq!(
        operations.len(),
        declared,
        "operations in the document vs handlers declared in crates/cpr-api/src"
    );
}

#[tokio::test]
async fn the_docs_page_is_served_with_its_assets_from_the_server_itself() {
    let app = spawn_app().await;
    let (status, headers, page) = app.fetch_bytes("/api/docs", None).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{headers:?}"
    );
    let page = String::from_utf8(page).unwrap();
    let mut assets = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for (start, _) in page.match_indices(attribute) {
            let rest = &page[start + attribute.len()..];
            let url = &rest[..rest.find('"').unwrap()];
            assets.push(url.to_owned());
        }
    }
    assert!(
        assets.iter().any(|a| a.ends_with(".js")) && assets.iter().any(|a| a.ends_with(".css")),
        "{assets:?}"
    );
    for asset in &assets {
        assert!(
            !asset.contains("//"),
            "{asset} is not served by the server itself"
        );
        let path = if asset.starts_with('/') {
            asset.clone()
        } else {
            format!("/api/docs/{}", asset.trim_start_matches("./"))
        };
        let (status, _, bytes) = app.fetch_bytes(&path, None).await;
        assert_eq!(status, 200, "{path}");
        assert!(!bytes.is_empty(), "{path}");
    }
    let (status, _, initializer) = app
        .fetch_bytes("/api/docs/swagger-initializer.js", None)
        .await;
    assert_eq!(status, 200);
    assert!(
        String::from_utf8(initializer)
            .unwrap()
            .contains("/api/v1/openapi.json"),
        "the page loads the server's document"
    );
}

// --- what is on the wire is what the document says ------------------------------------------

/// Checks `value` against `schema` (the subset of JSON Schema the document uses), naming
/// where it does not fit.
fn check(document: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {reference}"));
        let target = &document["components"]["schemas"][name];
        assert!(!target.is_null(), "{reference} is not in the document");
        return check(document, target, value, at, problems);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            check(document, part, value, at, problems);
        }
    }
    for (keyword, exactly_one) in [("anyOf", false), ("oneOf", true)] {
        if let Some(alternatives) = schema[keyword].as_array() {
            let fitting = alternatives
                .iter()
                .filter(|alternative| {
                    let mut mine = Vec::new();
                    check(document, alternative, value, at, &mut mine);
                    mine.is_empty()
                })
                .count();
            if fitting == 0 || (exactly_one && fitting > 1) {
                problems.push(format!("{at}: {fitting} of the {keyword} fit {value}"));
            }
        }
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        problems.push(format!("{at}: {value} is not one of {values:?}"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("unknown type {other}"),
        });
        if !fits {
            problems.push(format!("{at}: {value} is not of type {types:?}"));
            return;
        }
    }
    if let (Some(text), Some(format)) = (value.as_str(), schema["format"].as_str()) {
        let fits = match format {
            "uuid" => uuid::Uuid::parse_str(text).is_ok(),
            "date-time" => {
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .is_ok()
            }
            "date" => text.len() == 10 && text.as_bytes()[4] == b'-',
            _ => true,
        };
        if !fits {
            problems.push(format!("{at}: {text:?} is not a {format}"));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema["properties"].as_object();
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap();
            if !object.contains_key(name) {
                problems.push(format!("{at}: lacks the required {name}"));
            }
        }
        for (name, field) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(property) => {
                    check(document, property, field, &format!("{at}/{name}"), problems)
                }
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => {
                        problems.push(format!("{at}: {name} is not in the schema"))
                    }
                    Value::Object(_) => check(
                        document,
                        &schema["additionalProperties"],
                        field,
                        &format!("{at}/{name}"),
                        problems,
                    ),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(document, items, item, &format!("{at}/{i}"), problems);
        }
    }
}

/// The document's operation for a concrete path.
fn operation<'d>(document: &'d Value, method: &str, path: &str) -> &'d Value {
    let path = path.split('?').next().unwrap();
    let segments: Vec<&str> = path.split('/').collect();
    let (_, item) = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(template, item)| {
            let template: Vec<&str> = template.split('/').collect();
            item.get(method).is_some()
                && template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t.starts_with('{') || t == s)
        })
        .unwrap_or_else(|| panic!("no operation for {method} {path}"));
    &item[method]
}

/// Reads `path` and checks the answer against what the document says of it.
async fn conforms(
    app: &crate::support::TestApp,
    document: &Value,
    path: &str,
    token: Option<&str>,
    status: u16,
) -> usize {
    let answer = app.get(path, token).await;
    assert_eq!(answer.status, status, "{path}: {answer:?}");
    let operation = operation(document, "get", path);
    let mut response = &operation["responses"][status.to_string()];
    if let Some(reference) = response["$ref"].as_str() {
        let name = reference.strip_prefix("#/components/responses/").unwrap();
        response = &document["components"]["responses"][name];
    }
    let schema = &response["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "{path}: no schema for {status}");
    let mut problems = Vec::new();
    check(document, schema, &answer.body, "", &mut problems);
    assert!(
        problems.is_empty(),
        "GET {path} ({status}) does not fit the document:\n{}",
        problems.join("\n")
    );
    1
}

#[tokio::test]
async fn what_the_server_sends_fits_the_document() {
    let app = spawn_app().await;
    let document = served_document(&app).await;
    let f = app.review_at(At::Concluded).await;
    let wg = f.wg[0].token.clone();
    let secretariat = app.secretariat.clone();
    let review = f.path("");
    let mut checked = 0;
    // A review as each audience sees it: the three views are `anyOf` one schema, and each
    // answer fits its own view's.
    for (token, view) in [
        (None, "PublicReview"),
        (Some(secretariat.as_str()), "SecretariatReview"),
        (Some(f.sur.as_str()), "ParticipantReview"),
        (Some(wg.as_str()), "ParticipantReview"),
        (Some(f.stakeholder.as_str()), "ParticipantReview"),
        (Some(f.chair.as_str()), "ParticipantReview"),
    ] {
        checked += conforms(&app, &document, &review, token, 200).await;
        let body = app.get(&review, token).await.expect(200);
        let mut problems = Vec::new();
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{view}") });
        check(&document, &schema, &body, "", &mut problems);
        assert!(problems.is_empty(), "{view}:\n{}", problems.join("\n"));
        checked += conforms(&app, &document, &f.path("/documents"), token, 200).await;
    }
    // The checker itself refuses what does not fit.
    let mut problems = Vec::new();
    let envelope = serde_json::json!({ "$ref": "#/components/schemas/ErrorEnvelope" });
    check(
        &document,
        &envelope,
        &serde_json::json!({"error": {"code": 1}}),
        "",
        &mut problems,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    for rest in [
        "/report",
        "/compilation",
        "/working-group/report",
        "/response",
        "/oversight/outcome",
        "/audit",
        "/draws",
        "/recommendations",
    ] {
        checked += conforms(&app, &document, &f.path(rest), None, 200).await;
    }
    let input = f.input.clone().unwrap();
    checked += conforms(
        &app,
        &document,
        &f.path(&format!("/inputs/{input}")),
        None,
        200,
    )
    .await;
    let cycle = format!("/api/v1/cycles/{}", f.cycle);
    for path in [
        cycle.clone(),
        format!("{cycle}/report"),
        format!("{cycle}/audit"),
        "/api/v1/cycles".to_owned(),
        "/api/v1/reviews".to_owned(),
        "/api/v1/recommendations".to_owned(),
        "/api/v1/documents".to_owned(),
        "/api/v1/states".to_owned(),
        "/api/v1/states/FRA".to_owned(),
        "/api/v1/rule-sets".to_owned(),
        "/api/v1/accreditations".to_owned(),
        "/api/v1/audit/registry".to_owned(),
        "/healthz".to_owned(),
    ] {
        checked += conforms(&app, &document, &path, None, 200).await;
    }
    for path in [
        "/api/v1/me",
        "/api/v1/accounts",
        "/api/v1/organisations",
        "/api/v1/outbox",
    ] {
        checked += conforms(&app, &document, path, Some(&secretariat), 200).await;
    }
    // Errors: the envelope.
    checked += conforms(
        &app,
        &document,
        "/api/v1/reviews/00000000-0000-7000-8000-000000000000",
        None,
        404,
    )
    .await;
    checked += conforms(&app, &document, "/api/v1/me", None, 401).await;
    checked += conforms(&app, &document, "/api/v1/reviews?limit=0", None, 400).await;
    assert!(checked > 40);
}
