//! Malformed requests: every one is answered with a 4xx in the one error shape
//! `{"error": {"code", "message"}}` and a precise code, never a 5xx, and changes nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{
    At, Fixture, TestApp, actions, input_body, report_body, response_body, spawn_app,
};

const JSON: (&str, &str) = ("content-type", "application/json");

/// One malformed request and its expected refusal.
struct Case {
    what: &'static str,
    method: Method,
    path: String,
    token: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    status: u16,
    code: &'static str,
}

impl Case {
    fn new(what: &'static str, method: Method, path: impl Into<String>) -> Case {
        Case {
            what,
            method,
            path: path.into(),
            token: None,
            headers: Vec::new(),
            body: None,
            status: 0,
            code: "",
        }
    }

    fn token(mut self, token: &str) -> Case {
        self.token = Some(token.to_owned());
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Case {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// A JSON body (with its Content-Type).
    fn json(self, body: Value) -> Case {
        self.bytes(serde_json::to_vec(&body).unwrap())
    }

    /// Raw bytes sent as JSON.
    fn bytes(mut self, body: impl Into<Vec<u8>>) -> Case {
        self.headers.push((JSON.0, JSON.1.to_owned()));
        self.body = Some(body.into());
        self
    }

    /// Raw bytes with whatever headers were given.
    fn untyped(mut self, body: impl Into<Vec<u8>>) -> Case {
        self.body = Some(body.into());
        self
    }

    fn answers(mut self, status: u16, code: &'static str) -> Case {
        self.status = status;
        self.code = code;
        self
    }
}

/// Sends every case and checks its answer; then checks the review did not change. A
/// failure lists every case answered otherwise than expected.
async fn run(app: &TestApp, f: &Fixture, cases: Vec<Case>) {
    let before = app.snapshot(&f.review).await;
    let mut unexpected = Vec::new();
    for case in &cases {
        let mut headers: Vec<(&str, String)> = case.headers.clone();
        if let Some(token) = &case.token {
            headers.push(("authorization", format!("Bearer {token}")));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let answer = app
            .raw(case.method.clone(), &case.path, &headers, case.body.clone())
            .await;
        if (answer.status.as_u16(), answer.code()) != (case.status, case.code) {
            unexpected.push(format!(
                "{}: {} {}: expected {} {}, answered {}: {}",
                case.what,
                case.method,
                case.path,
                case.status,
                case.code,
                answer.status,
                answer.body
            ));
            continue;
        }
        answer.assert_error_shape();
    }
    assert!(
        unexpected.is_empty(),
        "{} of {} cases answered otherwise:\n{}",
        unexpected.len(),
        cases.len(),
        unexpected.join("\n")
    );
    assert_eq!(
        app.snapshot(&f.review).await,
        before,
        "a malformed request changed the review"
    );
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_a_precise_code() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let s = app.secretariat.clone();
    let report = f.path("/report/draft");
    let inputs = f.path("/inputs");
    let input = uuid::Uuid::new_v4();
    let screening = f.path(&format!("/inputs/{input}/screening"));
    let post = |what, path: &str| Case::new(what, Method::POST, path);
    let put = |what, path: &str| Case::new(what, Method::PUT, path);
    let with = |field: &str, value: Value| {
        let mut body = report_body();
        body[field] = value;
        body
    };
    let cases = vec![
        // Not JSON at all.
        put("truncated", &report).token(&f.sur).bytes(r#"{"foreign_activity": "#).answers(400, "malformed_json"),
        put("trailing comma", &report).token(&f.sur).bytes(r#"{"foreign_activity": "a",}"#).answers(400, "malformed_json"),
        put("trailing garbage", &report).token(&f.sur).bytes(r#"{"foreign_activity": "a"} x"#).answers(400, "malformed_json"),
        put("not json", &report).token(&f.sur).bytes("foreign_activity=a").answers(400, "malformed_json"),
        put("empty body", &report).token(&f.sur).bytes("").answers(400, "malformed_json"),
        put("single quotes", &report).token(&f.sur).bytes("{'foreign_activity': 'a'}").answers(400, "malformed_json"),
        put("invalid utf-8", &report).token(&f.sur).bytes(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']).answers(400, "malformed_json"),
        // Mass assignment: fields that are not the client's to set.
        put("stage on a report", &report).token(&f.sur).json(with("stage", json!("concluded"))).answers(400, "invalid_body"),
        put("version on a report", &report).token(&f.sur).json(with("version", json!(99))).answers(400, "invalid_body"),
        put("status on a report", &report).token(&f.sur).json(with("status", json!("submitted"))).answers(400, "invalid_body"),
        put("unknown norm section", &report).token(&f.sur).json(with("norms", json!({"13a": "a", "text": "b"}))).answers(400, "invalid_norm"),
        post("organisation on an input", &inputs).token(&f.stakeholder).json(json!({"text": "a", "organisation": f.stakeholder_org})).answers(400, "invalid_body"),
        post("input id on a screening", &screening).token(&s).json(json!({"admitted": true, "input": input})).answers(400, "invalid_body"),
        post("owner on an account", "/api/v1/accounts").token(&s).json(json!({"role": "state", "state": "ITA", "name": "n", "email": "n@x.example", "owner": "FRA"})).answers(400, "invalid_body"),
        post("accredited on an organisation", "/api/v1/organisations").token(&s).json(json!({"kind": "stakeholder", "name": "n", "stakeholder_kind": "ngo", "accredited": false})).answers(400, "invalid_body"),
        post("seed on a cycle", "/api/v1/cycles").token(&s).json(json!({"name": "c", "starts_on": "2028-01-01", "pool": ["FRA"], "seed": "00"})).answers(400, "invalid_body"),
        post("misspelt rule", "/api/v1/rule-sets").token(&s).json(json!({"word_limit": {"state_report": 5}})).answers(400, "invalid_body"),
        // Wrong types.
        put("text as number", &report).token(&f.sur).json(with("foreign_activity", json!(5))).answers(400, "invalid_body"),
        put("text as list", &report).token(&f.sur).json(with("foreign_activity", json!(["a"]))).answers(400, "invalid_body"),
        put("norms as list", &report).token(&f.sur).json(with("norms", json!(["13a"]))).answers(400, "invalid_body"),
        // A report draft may lack any section; an input may not lack its text, nor a
        // working-group report its findings, nor an answer its recommendation.
        post("missing text", &inputs).token(&f.stakeholder).json(json!({"norms": ["13a"]})).answers(400, "invalid_body"),
        put("missing findings", &f.path("/working-group/report")).token(&f.sur).json(json!({"recommendations": []})).answers(400, "invalid_body"),
        put("missing recommendation number", &f.path("/response/draft")).token(&f.sur).json(json!({"answers": [{"position": "noted", "explanation": "e"}]})).answers(400, "invalid_body"),
        put("null body", &report).token(&f.sur).json(json!(null)).answers(400, "invalid_body"),
        put("list body", &report).token(&f.sur).json(json!([])).answers(400, "invalid_body"),
        post("admitted as text", &screening).token(&s).json(json!({"admitted": "yes"})).answers(400, "invalid_body"),
        post("norms as text", &inputs).token(&f.stakeholder).json(json!({"text": "a", "norms": "13a"})).answers(400, "invalid_body"),
        post("pool as text", "/api/v1/cycles").token(&s).json(json!({"name": "c", "starts_on": "2028-01-01", "pool": "FRA"})).answers(400, "invalid_body"),
        post("date in another format", "/api/v1/cycles").token(&s).json(json!({"name": "c", "starts_on": "01/01/2028", "pool": ["FRA"]})).answers(400, "invalid_body"),
        post("impossible date", "/api/v1/cycles").token(&s).json(json!({"name": "c", "starts_on": "2028-02-30", "pool": ["FRA"]})).answers(400, "invalid_body"),
        post("reason as number", &f.path("/withdrawal")).token(&s).json(json!({"reason": 5})).answers(400, "invalid_body"),
        post("session not a time", &f.path("/working-group/session")).token(&s).json(json!({"at": "tomorrow"})).answers(400, "invalid_body"),
        post("session without offset", &f.path("/working-group/session")).token(&s).json(json!({"at": "2027-06-15T09:00:00"})).answers(400, "invalid_body"),
        post("negative offset in rules", "/api/v1/rule-sets").token(&s).json(json!({"calendar": {"state_report_due": {"days": -1, "unit": "calendar"}}})).answers(400, "invalid_body"),
        post("due time out of range", "/api/v1/rule-sets").token(&s).json(json!({"calendar": {"due_time": "25:00:00"}})).answers(400, "invalid_time_of_day"),
        post("unknown section of a redaction", &f.path("/redactions")).token(&s).json(json!({"document": {"kind": "state_report"}, "section": "13z", "reason": "r"})).answers(400, "invalid_section"),
        // An erratum's body is read like any other body once its document names its type.
        post("erratum body not an object", &f.path("/errata/state_report")).token(&f.sur).json(json!({"reason": "r", "body": "the report"})).answers(400, "invalid_body"),
        post("erratum with an unknown norm", &f.path("/errata/state_report")).token(&f.sur).json(json!({"reason": "r", "body": {"norms": {"13z": "a"}}})).answers(400, "invalid_norm"),
        post("erratum with an empty text", &f.path("/errata/compilation")).token(&s).json(json!({"reason": "r", "body": {"text": ""}})).answers(400, "empty_text"),
        post("erratum of an unknown field", &f.path("/errata/response")).token(&f.sur).json(json!({"reason": "r", "body": {"general": "g"}, "stage": "concluded"})).answers(400, "invalid_body"),
        post("unknown speaker kind", &f.path("/oversight/statements")).token(&f.chair).json(json!({"speaker": {"kind": "public"}, "summary": "s"})).answers(400, "invalid_body"),
        // Not JSON by its Content-Type.
        put("no content type", &report).token(&f.sur).untyped(r#"{"foreign_activity": "a"}"#).answers(415, "unsupported_media_type"),
        put("text/plain", &report).token(&f.sur).header("content-type", "text/plain").untyped(r#"{"foreign_activity": "a"}"#).answers(415, "unsupported_media_type"),
        post("form", "/api/v1/accounts").token(&s).header("content-type", "application/x-www-form-urlencoded").untyped("role=state").answers(415, "unsupported_media_type"),
        put("no body, no type", &report).token(&f.sur).answers(415, "unsupported_media_type"),
        // Larger than the server's limit of 256 KiB (and below the text cap).
        put("oversized", &report).token(&f.sur).json(json!({"foreign_activity": "word ".repeat(60_000)})).answers(413, "payload_too_large"),
    ];
    run(&app, &f, cases).await;

    // A document just under the limit is accepted: it is the size, not the route.
    let accepted = app
        .put(
            &report,
            &f.sur,
            json!({"foreign_activity": "word ".repeat(50_000)}),
        )
        .await;
    assert_eq!(
        accepted.code(),
        "stage_mismatch",
        "parsed and decided: {:#}",
        accepted.body
    );
}

#[tokio::test]
async fn malformed_paths_queries_routes_and_methods_are_refused() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let s = app.secretariat.clone();
    let get = |what, path: &str| Case::new(what, Method::GET, path);
    let cases = vec![
        get("review id", "/api/v1/reviews/not-a-uuid").answers(400, "invalid_path"),
        get("review id too short", "/api/v1/reviews/0193aaaa").answers(400, "invalid_path"),
        get("audit of a bad id", "/api/v1/reviews/123/audit").answers(400, "invalid_path"),
        Case::new("input id", Method::POST, f.path("/inputs/xyz/screening"))
            .token(&s)
            .json(json!({"admitted": true}))
            .answers(400, "invalid_path"),
        Case::new(
            "command on a bad id",
            Method::PUT,
            "/api/v1/reviews/xyz/report/draft",
        )
        .token(&f.sur)
        .json(report_body())
        .answers(400, "invalid_path"),
        Case::new(
            "bodiless command on a bad id",
            Method::POST,
            "/api/v1/reviews/xyz/report/submission",
        )
        .token(&f.sur)
        .answers(400, "invalid_path"),
        get("cycle id", "/api/v1/cycles/2027").answers(400, "invalid_path"),
        get("account id", "/api/v1/accounts/123")
            .token(&s)
            .answers(400, "invalid_path"),
        get("organisation id", "/api/v1/organisations/abc")
            .token(&s)
            .answers(400, "invalid_path"),
        get("rule version", "/api/v1/rule-sets/one").answers(400, "invalid_path"),
        get("negative rule version", "/api/v1/rule-sets/-1").answers(400, "invalid_path"),
        Case::new("token id", Method::DELETE, "/api/v1/tokens/xyz")
            .token(&s)
            .answers(400, "invalid_path"),
        Case::new(
            "deadline kind",
            Method::POST,
            f.path("/deadlines/soon/extension"),
        )
        .token(&s)
        .json(json!({"to": "2027-12-01T00:00:00Z", "reason": "r"}))
        .answers(400, "invalid_deadline"),
        get("unknown query", "/api/v1/reviews?foo=1").answers(400, "invalid_query"),
        get("bad cycle in query", "/api/v1/reviews?cycle=2027").answers(400, "invalid_query"),
        get("repeated query", "/api/v1/reviews?state=FRA&state=DEU").answers(400, "invalid_query"),
        get("bad state in query", "/api/v1/reviews?state=FRANCE")
            .answers(400, "invalid_state_code"),
        get("unknown route", "/api/v1/nothing").answers(404, "not_found"),
        get("unknown version", "/api/v2/reviews").answers(404, "not_found"),
        // Outside /api the public site answers, with its own HTML pages (tests/e2e/site.rs).
        get("unknown under /api", "/api/nothing").answers(404, "not_found"),
        Case::new("unknown command", Method::POST, f.path("/conclusion"))
            .token(&s)
            .json(json!({}))
            .answers(404, "not_found"),
        get(
            "unknown review",
            &format!("/api/v1/reviews/{}", uuid::Uuid::new_v4()),
        )
        .answers(404, "not_found"),
        get(
            "unknown cycle",
            &format!("/api/v1/cycles/{}", uuid::Uuid::new_v4()),
        )
        .answers(404, "not_found"),
        get("unknown state", "/api/v1/states/XXX").answers(404, "not_found"),
        get("unknown rule version", "/api/v1/rule-sets/99").answers(404, "not_found"),
        Case::new(
            "command on an unknown review",
            Method::POST,
            format!("/api/v1/reviews/{}/withdrawal", uuid::Uuid::new_v4()),
        )
        .token(&s)
        .json(json!({"reason": "r"}))
        .answers(404, "not_found"),
        Case::new("delete a review", Method::DELETE, f.path(""))
            .token(&s)
            .answers(405, "method_not_allowed"),
        get("read a command", &f.path("/report/submission")).answers(405, "method_not_allowed"),
        Case::new("put a command", Method::PUT, f.path("/report/submission"))
            .token(&f.sur)
            .json(report_body())
            .answers(405, "method_not_allowed"),
        Case::new("post a report draft", Method::POST, f.path("/report/draft"))
            .token(&f.sur)
            .json(report_body())
            .answers(405, "method_not_allowed"),
        Case::new("put a document", Method::PUT, f.path("/report"))
            .token(&f.sur)
            .json(report_body())
            .answers(405, "method_not_allowed"),
        Case::new(
            "post a draft",
            Method::POST,
            f.path("/working-group/report"),
        )
        .token(&s)
        .json(json!({"text": "a"}))
        .answers(405, "method_not_allowed"),
        Case::new("post to the states", Method::POST, "/api/v1/states")
            .token(&s)
            .json(json!({}))
            .answers(405, "method_not_allowed"),
        Case::new("patch me", Method::PATCH, "/api/v1/me")
            .token(&s)
            .answers(405, "method_not_allowed"),
        Case::new(
            "delete a cycle",
            Method::DELETE,
            format!("/api/v1/cycles/{}", f.cycle),
        )
        .token(&s)
        .answers(405, "method_not_allowed"),
    ];
    run(&app, &f, cases).await;

    // A 405 says which methods the resource takes.
    for (method, path, allowed) in [
        (Method::DELETE, "/api/v1/states".to_owned(), "GET,HEAD"),
        (Method::GET, f.path("/report/submission"), "POST"),
        (Method::POST, f.path("/report/draft"), "PUT"),
        (Method::PUT, f.path("/report"), "GET,HEAD"),
        // The working group's report is read and drafted at one address.
        (
            Method::POST,
            f.path("/working-group/report"),
            "GET,HEAD,PUT",
        ),
    ] {
        let answer = app.call(method.clone(), &path, Some(&s), None).await;
        assert_eq!(answer.status.as_u16(), 405, "{method} {path}");
        // In any order.
        let mut listed: Vec<&str> = answer.header("allow").unwrap_or("").split(',').collect();
        listed.sort_unstable();
        let mut expected: Vec<&str> = allowed.split(',').collect();
        expected.sort_unstable();
        assert_eq!(listed, expected, "{method} {path}");
    }
}

#[tokio::test]
async fn invalid_values_are_refused_with_the_code_of_their_kind() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let s = app.secretariat.clone();
    let post = |what, path: &str| Case::new(what, Method::POST, path);
    let account = |state: &str| json!({"role": "state", "state": state, "name": "A delegate", "email": "d@x.example"});
    let org = |extra: Value| {
        let mut body = json!({"kind": "stakeholder", "name": "An NGO", "stakeholder_kind": "ngo"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let input = |norms: Value, sectors: Value| json!({"text": "An input.", "norms": norms, "sectors": sectors});
    let long = "x".repeat(2_001);
    let accounts = "/api/v1/accounts";
    let organisations = "/api/v1/organisations";
    let holder = app.delegate_account("ITA").await;
    let token_path = format!("/api/v1/accounts/{}/tokens", holder.id);
    let cases = vec![
        post("two letters", accounts).token(&s).json(account("FR")).answers(400, "invalid_state_code"),
        post("a digit", accounts).token(&s).json(account("F1A")).answers(400, "invalid_state_code"),
        post("a name", accounts).token(&s).json(account("FRANCE")).answers(400, "invalid_state_code"),
        post("non-ascii", accounts).token(&s).json(account("FRÀ")).answers(400, "invalid_state_code"),
        Case::new("state path", Method::PUT, "/api/v1/states/FR").token(&s).json(json!({"name": "x", "regional_group": "african_states"})).answers(400, "invalid_state_code"),
        Case::new("group", Method::PUT, "/api/v1/states/XKX").token(&s).json(json!({"name": "Kosovo", "regional_group": "weog"})).answers(400, "invalid_regional_group"),
        Case::new("empty state name", Method::PUT, "/api/v1/states/XKX").token(&s).json(json!({"name": " ", "regional_group": "african_states"})).answers(400, "empty_text"),
        post("pool", "/api/v1/cycles").token(&s).json(json!({"name": "c", "starts_on": "2028-01-01", "pool": ["FRA", "F"]})).answers(400, "invalid_state_code"),
        post("norm", &f.path("/inputs")).token(&f.stakeholder).json(input(json!(["14a"]), json!([]))).answers(400, "invalid_norm"),
        post("norm in capitals", &f.path("/inputs")).token(&f.stakeholder).json(input(json!(["13A "]), json!([]))).answers(400, "invalid_norm"),
        post("sector", &f.path("/inputs")).token(&f.stakeholder).json(input(json!(["13a"]), json!(["space"]))).answers(400, "invalid_sector"),
        post("stakeholder kind", organisations).token(&s).json(org(json!({"stakeholder_kind": "church"}))).answers(400, "invalid_stakeholder_kind"),
        post("no stakeholder kind", organisations).token(&s).json(json!({"kind": "stakeholder", "name": "An NGO"})).answers(400, "invalid_value"),
        post("organisation kind", organisations).token(&s).json(json!({"kind": "club", "name": "A club"})).answers(400, "invalid_organisation_kind"),
        post("website scheme", organisations).token(&s).json(org(json!({"website": "ftp://ngo.example"}))).answers(400, "invalid_url"),
        post("website without host", organisations).token(&s).json(org(json!({"website": "https://"}))).answers(400, "invalid_url"),
        post("website script", organisations).token(&s).json(org(json!({"website": "javascript:alert(1)"}))).answers(400, "invalid_url"),
        post("website with a space", organisations).token(&s).json(org(json!({"website": "https://ngo.example/a b"}))).answers(400, "invalid_url"),
        post("country", organisations).token(&s).json(org(json!({"country": "F"}))).answers(400, "invalid_state_code"),
        post("role", accounts).token(&s).json(json!({"role": "admin", "name": "n", "email": "a@x.example"})).answers(400, "invalid_role"),
        post("email", accounts).token(&s).json(json!({"role": "state", "state": "ITA", "name": "n", "email": "not-an-email"})).answers(400, "invalid_value"),
        post("email with a space", accounts).token(&s).json(json!({"role": "state", "state": "ITA", "name": "n", "email": "a b@x.example"})).answers(400, "invalid_value"),
        post("delegate with an organisation", accounts).token(&s).json(json!({"role": "state", "state": "ITA", "organisation": uuid::Uuid::new_v4(), "name": "n", "email": "n@x.example"})).answers(400, "invalid_value"),
        post("delegate without a state", accounts).token(&s).json(json!({"role": "state", "name": "n", "email": "n@x.example"})).answers(400, "invalid_value"),
        post("name too long", accounts).token(&s).json(json!({"role": "state", "state": "ITA", "name": long, "email": "n@x.example"})).answers(400, "text_too_long"),
        post("name with NUL", accounts).token(&s).json(json!({"role": "state", "state": "ITA", "name": "a\u{0}b", "email": "n@x.example"})).answers(400, "invalid_character"),
        post("empty label", &token_path).token(&holder.token).json(json!({"label": ""})).answers(400, "empty_text"),
        post("expiry in the past", &token_path).token(&holder.token).json(json!({"label": "l", "expires_at": "2020-01-01T00:00:00Z"})).answers(400, "invalid_value"),
        post("word limit of zero", "/api/v1/rule-sets").token(&s).json(json!({"word_limits": {"response": 0}})).answers(400, "invalid_value"),
        post("offset of 11 years", "/api/v1/rule-sets").token(&s).json(json!({"calendar": {"state_report_due": {"days": 4000, "unit": "calendar"}}})).answers(400, "invalid_value"),
        post("reminder on the day", "/api/v1/rule-sets").token(&s).json(json!({"reminders": {"days_before": [0]}})).answers(400, "invalid_value"),
        Case::new("empty report section", Method::PUT, f.path("/report/draft")).token(&f.sur).json(json!({"foreign_activity": ""})).answers(400, "empty_text"),
        Case::new("blank report section", Method::PUT, f.path("/report/draft")).token(&f.sur).json(json!({"norms": {"13a": " \n\t "}})).answers(400, "empty_text"),
        Case::new("NUL in a report", Method::PUT, f.path("/report/draft")).token(&f.sur).json(json!({"foreign_activity": "a\u{0}b"})).answers(400, "invalid_character"),
        Case::new("norm of a report section", Method::PUT, f.path("/report/draft")).token(&f.sur).json(json!({"norms": {"13z": "a"}})).answers(400, "invalid_norm"),
        post("escape in an input", &f.path("/inputs")).token(&f.stakeholder).json(json!({"text": "a\u{1b}[2Jb"})).answers(400, "invalid_character"),
        post("NUL in a reason", &f.path("/withdrawal")).token(&s).json(json!({"reason": "\u{0}"})).answers(400, "invalid_character"),
        post("reason too long", &f.path("/withdrawal")).token(&s).json(json!({"reason": long})).answers(400, "text_too_long"),
        Case::new("blank compilation", Method::PUT, f.path("/compilation/draft")).token(&s).json(json!({"text": "   "})).answers(400, "empty_text"),
        post("blank outcome", &f.path("/oversight/outcome")).token(&f.chair).json(json!({"text": "   "})).answers(400, "empty_text"),
        post("webcast url", &f.path("/oversight/session")).token(&s).json(json!({"at": "2027-12-01T10:00:00Z", "webcast_url": "webtv.example"})).answers(400, "invalid_url"),
        post("member", &f.path("/working-group/substitution")).token(&f.sur).json(json!({"member": "12"})).answers(400, "invalid_state_code"),
        post("speaker state", &f.path("/oversight/statements")).token(&f.chair).json(json!({"speaker": {"kind": "state", "state": "X"}, "summary": "s"})).answers(400, "invalid_state_code"),
        post("empty summary", &f.path("/oversight/statements")).token(&f.chair).json(json!({"speaker": {"kind": "state_under_review"}, "summary": ""})).answers(400, "empty_text"),
        post("review state", &format!("/api/v1/cycles/{}/reviews", f.cycle)).token(&s).json(json!({"state": "DE", "wg_session": "2027-09-01T09:00:00Z"})).answers(400, "invalid_state_code"),
    ];
    run(&app, &f, cases).await;
}

#[tokio::test]
async fn bad_credentials_and_preconditions_are_refused() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let revoked = app.delegate_account("ITA").await;
    app.call(
        Method::DELETE,
        &format!("/api/v1/tokens/{}", revoked.token_id),
        Some(&app.secretariat),
        None,
    )
    .await
    .expect(200);
    let withdraw = f.path("/withdrawal");
    let reason = json!({"reason": "r"});
    let auth = |what, value: &str| {
        Case::new(what, Method::GET, "/api/v1/me")
            .header("authorization", value)
            .answers(401, "unauthenticated")
    };
    let valid = app.secretariat.clone();
    let mut cases = vec![
        auth("basic", "Basic b2ZmaWNlcjpzZWNyZXQ="),
        auth("no scheme", &valid),
        auth("bearer without token", "Bearer"),
        auth("bearer with a blank token", "Bearer    "),
        auth("other scheme", &format!("Token {valid}")),
        auth("unknown token", &format!("Bearer cpr_{}", "0".repeat(64))),
        auth("no prefix", &format!("Bearer {}", &valid[4..])),
        auth(
            "truncated token",
            &format!("Bearer {}", &valid[..valid.len() - 1]),
        ),
        auth(
            "over-long token",
            &format!("Bearer {valid}{}", "0".repeat(200)),
        ),
        auth("revoked token", &format!("Bearer {}", revoked.token)),
        auth("two tokens", &format!("Bearer {valid} {valid}")),
        // Public reading with a bad token is refused, not silently anonymous.
        Case::new("public read, bad token", Method::GET, f.path(""))
            .header("authorization", "Bearer cpr_nope")
            .answers(401, "unauthenticated"),
        Case::new("public read, revoked token", Method::GET, f.path("/audit"))
            .header("authorization", &format!("Bearer {}", revoked.token))
            .answers(401, "unauthenticated"),
    ];
    for if_match in ["3", "W/\"3\"", "\"three\"", "\"3", "\"\"", "\"3\", \"4\""] {
        cases.push(
            Case::new("malformed If-Match", Method::POST, withdraw.clone())
                .token(&valid)
                .header("if-match", if_match)
                .json(reason.clone())
                .answers(400, "invalid_if_match"),
        );
    }
    run(&app, &f, cases).await;

    // Non-ASCII bytes in the header.
    let answer = app
        .raw(
            Method::GET,
            "/api/v1/me",
            &[("authorization", "Bearer cpr_é")],
            None,
        )
        .await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        (401, "unauthenticated")
    );
    answer.assert_error_shape();

    // The scheme is case-insensitive, and "*" matches any version.
    app.call_with(
        Method::GET,
        "/api/v1/me",
        None,
        None,
        &[("authorization", &format!("bearer {valid}"))],
    )
    .await
    .expect(200);
    let withdrawn = app
        .call_with(
            Method::POST,
            &withdraw,
            Some(&valid),
            Some(reason),
            &[("if-match", "*")],
        )
        .await
        .expect(200);
    assert_eq!(withdrawn["stage"], "withdrawn");
}

/// A small deterministic generator, so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values that tend to break parsers and the code behind them.
fn odd_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(u64::MAX),
        json!(1.5e300),
        json!(""),
        json!(" "),
        json!("\u{0}"),
        json!("\u{202e}evil"),
        json!("🛰️ 卫星 قمر"),
        json!("x".repeat(5_000)),
        json!([]),
        json!({}),
        json!(["13a", "13a", "13k"]),
        json!("FRA"),
        json!("XXX"),
        json!("13z"),
        json!("9999-12-31T23:59:59Z"),
        json!("2027-02-30T00:00:00Z"),
        json!("2027-06-15T09:00:00+14:00"),
        json!("2027-06-15T09:00:00.999999999Z"),
        json!("2027-06-15"),
        json!(uuid::Uuid::nil()),
        json!({"kind": "stakeholder", "organisation": uuid::Uuid::nil()}),
    ]
}

/// A valid body mangled once, at random.
fn mangle(rng: &mut Rng, body: &Value) -> Vec<u8> {
    let text = serde_json::to_string(body).unwrap();
    match rng.below(6) {
        // Cut it short.
        0 => text.as_bytes()[..rng.below(text.len().max(1))].to_vec(),
        // Drop a character.
        1 => {
            let mut chars: Vec<char> = text.chars().collect();
            if !chars.is_empty() {
                chars.remove(rng.below(chars.len()));
            }
            chars.into_iter().collect::<String>().into_bytes()
        }
        // Insert a character.
        2 => {
            let mut chars: Vec<char> = text.chars().collect();
            let c = *rng.pick(&[
                '{', '}', '"', '\\', '\u{0}', 'é', ',', ':', '[', ']', '0', '\u{feff}',
            ]);
            chars.insert(rng.below(chars.len() + 1), c);
            chars.into_iter().collect::<String>().into_bytes()
        }
        // Replace one field's value.
        3 => {
            let mut body = body.clone();
            if let Some(object) = body.as_object_mut()
                && !object.is_empty()
            {
                let keys: Vec<String> = object.keys().cloned().collect();
                let key = rng.pick(&keys).clone();
                object.insert(key, rng.pick(&odd_values()).clone());
            } else {
                body = rng.pick(&odd_values()).clone();
            }
            serde_json::to_vec(&body).unwrap()
        }
        // Drop one field.
        4 => {
            let mut body = body.clone();
            if let Some(object) = body.as_object_mut()
                && !object.is_empty()
            {
                let keys: Vec<String> = object.keys().cloned().collect();
                object.remove(rng.pick(&keys));
            }
            serde_json::to_vec(&body).unwrap()
        }
        // Add a field nobody asked for.
        _ => {
            let mut body = body.clone();
            if let Some(object) = body.as_object_mut() {
                let key = rng
                    .pick(&["stage", "version", "id", "owner", "__proto__", ""])
                    .to_string();
                object.insert(key, rng.pick(&odd_values()).clone());
            }
            serde_json::to_vec(&body).unwrap()
        }
    }
}

/// Bodies that are wrong whatever the endpoint.
fn fixed_bodies() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "null",
        "[]",
        "{}",
        "\"\"",
        "0",
        "-0",
        "1e999",
        "true",
        "\u{feff}{}",
        "{\"\":0}",
        "{\"text\":\"\\ud800\"}",
        "{\"text\":\"a\",\"text\":\"b\"}",
        "{\"a\":",
        "}{",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    bodies.push(format!("{}{}", "[".repeat(500), "]".repeat(500)).into_bytes());
    bodies.push(format!("{{\"{}\":1}}", "k".repeat(10_000)).into_bytes());
    bodies.push(vec![0xc3, 0x28, 0xa0, 0xa1]);
    bodies
}

#[tokio::test]
async fn mangled_bodies_sent_to_every_endpoint_never_cause_a_server_error() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    let s = app.secretariat.clone();
    let account = app.delegate_account("ITA").await;
    // Every endpoint that takes a body, with a valid body, sent as a caller who may use it.
    let mut endpoints: Vec<(Method, String, Value, String)> = actions(&f)
        .into_iter()
        .filter_map(|a| {
            let token = app.token(&f, a.who.role())?.to_owned();
            let body = a.body.unwrap_or_else(|| json!({}));
            Some((a.method, a.path, body, token))
        })
        .collect();
    // Every command of `actions()`: all 31 have a caller once the working group is drawn.
    assert_eq!(endpoints.len(), 31);
    // The document endpoints that take a body and are not commands of `actions()`.
    let input = f.input.clone().unwrap();
    let erratum = |body: Value| json!({"reason": "A typing error.", "body": body});
    let documents: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::PUT,
            f.path(&format!("/inputs/{input}")),
            input_body(),
            &f.stakeholder,
        ),
        (
            Method::POST,
            f.path(&format!("/inputs/{input}/cosigners")),
            json!({"organisation": f.stakeholder_org}),
            &f.stakeholder,
        ),
        (
            Method::POST,
            f.path(&format!("/inputs/{input}/errata")),
            erratum(input_body()),
            &f.stakeholder,
        ),
        (
            Method::POST,
            f.path("/errata/state_report"),
            erratum(report_body()),
            &f.sur,
        ),
        (
            Method::POST,
            f.path("/errata/compilation"),
            erratum(json!({"text": "A corrected compilation."})),
            &s,
        ),
        (
            Method::POST,
            f.path("/errata/response"),
            erratum(response_body(3)),
            &f.sur,
        ),
        (
            Method::POST,
            f.path("/errata/outcome"),
            erratum(json!({"text": "A corrected outcome."})),
            &f.chair,
        ),
        (
            Method::POST,
            f.path("/recommendations/1/updates"),
            json!({"text": "Implemented in part."}),
            &f.sur,
        ),
    ];
    endpoints.extend(
        documents
            .into_iter()
            .map(|(m, p, b, t)| (m, p, b, t.to_owned())),
    );
    let registry: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/api/v1/accounts".into(),
            json!({"role": "state", "state": "ITA", "name": "n", "email": "n@x.example"}),
        ),
        (
            Method::POST,
            "/api/v1/organisations".into(),
            json!({"kind": "stakeholder", "name": "n", "stakeholder_kind": "ngo", "country": "FRA", "website": "https://n.example"}),
        ),
        (
            Method::POST,
            "/api/v1/cycles".into(),
            json!({"name": "c", "starts_on": "2028-01-01", "pool": ["FRA"], "holidays": ["2028-01-02"]}),
        ),
        (
            Method::PUT,
            format!("/api/v1/cycles/{}/pool", f.cycle),
            json!({"pool": ["FRA", "DEU"]}),
        ),
        (
            Method::POST,
            format!("/api/v1/cycles/{}/reviews", f.cycle),
            json!({"state": "DEU", "wg_session": "2027-09-15T09:00:00Z", "deadlines": {"state_report": "2027-07-01T00:00:00Z"}}),
        ),
        (
            Method::PUT,
            "/api/v1/states/XKX".into(),
            json!({"name": "Kosovo", "regional_group": "eastern_european_states"}),
        ),
        (
            Method::POST,
            "/api/v1/rule-sets".into(),
            json!({"calendar": {"grace_minutes": 10, "state_report_due": {"days": 80, "unit": "working"}}, "word_limits": {"response": 100}, "reminders": {"days_before": [3]}}),
        ),
        (
            Method::POST,
            format!("/api/v1/accounts/{}/tokens", account.id),
            json!({"label": "l", "expires_at": "2030-01-01T00:00:00Z"}),
        ),
    ];
    endpoints.extend(registry.into_iter().map(|(m, p, b)| (m, p, b, s.clone())));

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut sent = 0;
    for (method, path, body, token) in &endpoints {
        let mut bodies = fixed_bodies();
        for _ in 0..25 {
            bodies.push(mangle(&mut rng, body));
        }
        for bytes in bodies {
            let auth = format!("Bearer {token}");
            let answer = app
                .raw(
                    method.clone(),
                    path,
                    &[JSON, ("authorization", &auth)],
                    Some(bytes.clone()),
                )
                .await;
            if !answer.status.is_success() {
                answer.assert_error_shape();
            }
            sent += 1;
        }
    }
    assert_eq!(sent, endpoints.len() * (fixed_bodies().len() + 25));
    // Whatever was accepted, the chain still verifies.
    crate::support::verify_entries(&app.audit(&f.review).await);
}
