//! The visibility matrix over HTTP: every document kind × every role × every stage, read
//! and written as the spec's "Documents of a review" table says.
//!
//! One review is built per stage (1 to 6 and concluded), with every document the process
//! allows by then, drafts included (a superseded draft of each document and an input that
//! is never filed), and every cell of that stage is checked against it: the read (the
//! access, or 404), what the body may show (draft text, confidential part, contact
//! details), the listings, and the write endpoint of each document kind.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{
    AFTER_INPUT_WINDOW, AFTER_WG_SESSION, Fixture, IN_OVERSIGHT_SESSION, OVERSIGHT_SESSION, POOL,
    TestApp, WG_SESSION, report_body, response_body, spawn_app, wg_report_body,
};

/// Every superseded or never-filed draft carries this; nobody but its authors may see it.
pub(crate) const DRAFT: &str = "ZQXDRAFTONLY";
/// The confidential part of every report and input: the working group, the secretariat
/// and the authors only.
pub(crate) const CONFIDENTIAL: &str = "ZQXCONFIDENTIALPART";
/// The contact details of every report and input: the secretariat and the authors only.
pub(crate) const CONTACT: &str = "ZQXCONTACTDETAILS";

// --- the expected table ---------------------------------------------------------------------

/// Who reads what, in which stage: written from the spec's "Documents of a review" table
/// (author; visible to the public from...), its confidentiality paragraph (a confidential
/// part for the working group and the secretariat; contact details never published) and
/// the deny-by-default rule (drafts are their authors' alone).
///
/// Columns are the stages 1 to 6 and concluded. Letters:
/// - `-` the caller may not know of the document: 404 `document_not_found`;
/// - `L` listed (a not-admitted input): its existence and reason, no body;
/// - `P` the public text (no confidential part, no contact details, redactions applied);
/// - `C` the full text and the confidential part, no contact details (working group);
/// - `S` everything submitted, contact details included (secretariat);
/// - `A` the author reading the submitted or published version, `a` the author reading
///   its draft (status `draft`);
/// - `d` the secretariat reading a draft it does not author (status `draft`, access
///   `secretariat`: it supports the working group but may not write its report);
/// - `R` the whole text of a document that has no confidential part nor contact details
///   (its access may be named `public`, `confidential` or `secretariat`: the spec makes
///   no difference between them for such a document);
/// - `x` the role does not exist yet (no working group before the draw in stage 4).
///
/// Documents: `input_a` is the fixture stakeholder's input (admitted); `input_b` another
/// organisation's admitted input; `input_r` a third organisation's input, not admitted;
/// `input_d` a fourth organisation's input co-signed by the fixture stakeholder and
/// never filed. `question_1` was asked by a third state (JPN) and forwarded to the SuR;
/// `question_2` was asked by the other state (DEU) after the forwarding. The reply
/// answers `input_a`. Notes: the working group's drafts are its members' alone (the spec
/// names them as the authors and gives the drafts to no one else; deny by default);
/// advance questions go through the working group, which the
/// secretariat supports, so both read them at once; a reply is published when made.
const READ: &str = "
document     | sur     | other_state | wg      | author  | other_stakeholder | secretariat | chair   | anonymous
report       | aAAAAAA | ---PPPP     | xxxCCCC | ---PPPP | ---PPPP           | -SSSSSS     | ---PPPP | ---PPPP
input_a      | ---PPPP | ---PPPP     | xxxCCCC | -AAAAAA | ---PPPP           | -SSSSSS     | ---PPPP | ---PPPP
input_b      | ---PPPP | ---PPPP     | xxxCCCC | ---PPPP | ---PPPP           | -SSSSSS     | ---PPPP | ---PPPP
input_r      | ---LLLL | ---LLLL     | xxxLLLL | ---LLLL | ---LLLL           | -SSSSSS     | ---LLLL | ---LLLL
input_d      | ------- | -------     | xxx---- | -aaaaaa | -------           | -------     | ------- | -------
compilation  | ---RRRR | ---RRRR     | xxxRRRR | ---RRRR | ---RRRR           | --aAAAA     | ---RRRR | ---RRRR
wg_report    | ----RRR | ----RRR     | xxxaAAA | ----RRR | ----RRR           | ----RRR     | ----RRR | ----RRR
response     | ----aAA | -----RR     | xxx--RR | -----RR | -----RR           | -----RR     | -----RR | -----RR
question_1   | ---RRRR | ----RRR     | xxxRRRR | ----RRR | ----RRR           | ---RRRR     | ----RRR | ----RRR
question_2   | ----RRR | ---AAAA     | xxxRRRR | ----RRR | ----RRR           | ---RRRR     | ----RRR | ----RRR
reply        | ---AAAA | ---RRRR     | xxxRRRR | ---RRRR | ---RRRR           | ---RRRR     | ---RRRR | ---RRRR
statement    | ------R | ------R     | xxx---R | ------R | ------R           | -----RR     | -----AA | ------R
outcome      | ------R | ------R     | xxx---R | ------R | ------R           | ------R     | ------A | ------R
";

/// Who writes each document kind, through which endpoint, in which stages (the spec's
/// stage table and its table of actors). Everyone else is refused with 403 and one
/// stable code (401 without a token); the writer outside its stages with 409
/// `stage_mismatch`, or `review_closed` once the review is concluded. Stakeholders draft
/// inputs from the opening; a report or response submitted in time is not written again
/// (late ones, accepted in later stages, are the guards tests').
const WRITE: &str = "
document     | writers                  | stages
report       | sur                      | 1
input        | author other_stakeholder | 1 2
compilation  | secretariat              | 3
wg_report    | wg                       | 4
response     | sur                      | 5
question     | other_state              | 4
reply        | sur                      | 4 5 6
statement    | chair                    | 6
outcome      | chair                    | 6
";

const ROLES: [&str; 8] = [
    "sur",
    "other_state",
    "wg",
    "author",
    "other_stakeholder",
    "secretariat",
    "chair",
    "anonymous",
];

const STAGES: [&str; 7] = ["1", "2", "3", "4", "5", "6", "concluded"];

fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|line| !line.trim().is_empty())
        .skip(1)
        .map(|line| line.split('|').map(|c| c.trim().to_owned()).collect())
        .collect()
}

/// The read table: (document, role) → the letter of each stage.
fn read_table() -> BTreeMap<(String, String), Vec<char>> {
    let mut table = BTreeMap::new();
    for row in rows(READ) {
        assert_eq!(row.len(), ROLES.len() + 1, "row {row:?}");
        for (role, cell) in ROLES.iter().zip(&row[1..]) {
            let letters: Vec<char> = cell.chars().collect();
            assert_eq!(letters.len(), STAGES.len(), "{row:?}");
            table.insert((row[0].clone(), (*role).to_owned()), letters);
        }
    }
    table
}

/// The write table: document → (writers, stages 1 to 6).
fn write_table() -> BTreeMap<String, (Vec<String>, Vec<usize>)> {
    rows(WRITE)
        .into_iter()
        .map(|row| {
            let writers = row[1].split_whitespace().map(str::to_owned).collect();
            let stages = row[2]
                .split_whitespace()
                .map(|s| s.parse().unwrap())
                .collect();
            (row[0].clone(), (writers, stages))
        })
        .collect()
}

// --- the review of each stage ---------------------------------------------------------------

/// A review built up to one stage, with every document the process allows by then.
pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) f: Fixture,
    /// 1 to 6, 7 for concluded.
    stage: usize,
    other_stakeholder: String,
    asker: String,
    /// The documents that exist, by name, with their read path.
    documents: BTreeMap<&'static str, String>,
    input_b: Option<String>,
}

/// The strings planted in what must never be public: drafts, confidential parts, contact
/// lines, and the text of an input the secretariat did not admit.
pub(crate) const NEVER_PUBLIC: [&str; 4] = [
    DRAFT,
    CONFIDENTIAL,
    CONTACT,
    "A text about matters outside the review",
];

/// A concluded review carrying [`NEVER_PUBLIC`] everywhere a participant could put it: for
/// the tests of what the public site, its feeds and exports show.
pub(crate) async fn concluded_with_planted_secrets() -> (TestApp, Fixture) {
    let w = World::build(7).await;
    (w.app, w.f)
}

fn report_draft() -> Value {
    let mut body = report_body();
    body["foreign_activity"] = json!(format!("{DRAFT} An early outline of the report."));
    body["confidential"] = json!(format!("{CONFIDENTIAL} Names of the officials involved."));
    body["contact"] = json!(format!("{CONTACT} cyber desk"));
    body
}

fn report_final() -> Value {
    let mut body = report_body();
    body["confidential"] = json!(format!("{CONFIDENTIAL} Names of the officials involved."));
    body["contact"] = json!(format!("{CONTACT} cyber desk"));
    body
}

fn input(text: &str) -> Value {
    json!({
        "text": text,
        "norms": ["13e", "13f"],
        "sectors": ["healthcare"],
        "confidential": format!("{CONFIDENTIAL} Witness statements."),
        "contact": format!("{CONTACT} research@example.org"),
    })
}

impl World {
    pub(crate) async fn build(stage: usize) -> World {
        let app = spawn_app().await;
        let cycle = app.open_cycle("Cycle 2027", "2027-01-01", &POOL).await;
        let f = app.fixture_in(&cycle).await;
        let (_, other_stakeholder) = app.member_of_new("stakeholder", "Open Networks Lab").await;
        let asker = app.delegate("JPN").await;
        let mut w = World {
            app,
            f,
            stage: 1,
            other_stakeholder,
            asker,
            documents: BTreeMap::new(),
            input_b: None,
        };
        w.documents.insert("report", w.f.path("/report"));
        w.build_to(stage).await;
        w
    }

    async fn ok(&self, method: Method, rest: &str, token: &str, body: Option<Value>) -> Value {
        let answer = self
            .app
            .call(method.clone(), &self.f.path(rest), Some(token), body)
            .await;
        assert!(
            answer.status.is_success(),
            "{method} {rest}: {} {:#}",
            answer.status,
            answer.body
        );
        answer.body
    }

    /// Creates an input led by a new organisation's member, returning (id, token).
    async fn new_input(&self, name: &str, body: Value) -> (String, String, String) {
        let (org, token) = self.app.member_of_new("stakeholder", name).await;
        let created = self.ok(Method::POST, "/inputs", &token, Some(body)).await;
        let id = created["created_input"].as_str().unwrap().to_owned();
        (id, org, token)
    }

    async fn build_to(&mut self, target: usize) {
        let app = &self.app;
        let s = app.secretariat.clone();
        // Stage 1: a first draft, superseded; at stage 1 it is the current draft.
        self.ok(
            Method::PUT,
            "/report/draft",
            &self.f.sur,
            Some(report_draft()),
        )
        .await;
        if target == 1 {
            return;
        }
        self.ok(
            Method::PUT,
            "/report/draft",
            &self.f.sur,
            Some(report_final()),
        )
        .await;
        self.ok(Method::POST, "/report/submission", &self.f.sur, None)
            .await;
        self.stage = 2;

        // Stage 2: the fixture stakeholder's input (a draft, then the filed text), two
        // other organisations' filed inputs, and a joint input co-signed by the fixture
        // stakeholder that is never filed.
        let created = self
            .ok(
                Method::POST,
                "/inputs",
                &self.f.stakeholder,
                Some(input(&format!("{DRAFT} first notes of the coalition."))),
            )
            .await;
        let a = created["created_input"].as_str().unwrap().to_owned();
        self.ok(
            Method::PUT,
            &format!("/inputs/{a}"),
            &self.f.stakeholder,
            Some(input(crate::support::STAKEHOLDER_INPUT)),
        )
        .await;
        self.ok(
            Method::POST,
            &format!("/inputs/{a}/filing"),
            &self.f.stakeholder,
            None,
        )
        .await;
        let (b, _, b_token) = self
            .new_input(
                "Hospital Security Alliance",
                input("Hospitals report disruption during the campaign."),
            )
            .await;
        self.ok(Method::POST, &format!("/inputs/{b}/filing"), &b_token, None)
            .await;
        let (r, _, r_token) = self
            .new_input(
                "Unrelated Advocacy Group",
                input("A text about matters outside the review."),
            )
            .await;
        self.ok(Method::POST, &format!("/inputs/{r}/filing"), &r_token, None)
            .await;
        let (d, _, d_token) = self
            .new_input(
                "Journalists Coalition",
                input(&format!("{DRAFT} a joint draft never filed.")),
            )
            .await;
        self.ok(
            Method::POST,
            &format!("/inputs/{d}/cosigners"),
            &d_token,
            Some(json!({"organisation": self.f.stakeholder_org})),
        )
        .await;
        self.ok(
            Method::POST,
            &format!("/inputs/{d}/cosignature"),
            &self.f.stakeholder,
            None,
        )
        .await;
        self.f.input = Some(a.clone());
        self.input_b = Some(b.clone());
        self.documents
            .insert("input_a", self.f.path(&format!("/inputs/{a}")));
        self.documents
            .insert("input_b", self.f.path(&format!("/inputs/{b}")));
        self.documents
            .insert("input_r", self.f.path(&format!("/inputs/{r}")));
        self.documents
            .insert("input_d", self.f.path(&format!("/inputs/{d}")));
        if target == 2 {
            return;
        }
        self.app.set_time(AFTER_INPUT_WINDOW);
        self.ok(Method::POST, "/input-window/close", &s, None).await;
        self.stage = 3;

        // Stage 3: screening, and the compilation drafted twice.
        for (input, admitted) in [(&a, true), (&b, true), (&r, false)] {
            let body = if admitted {
                json!({"admitted": true})
            } else {
                json!({"admitted": false, "reason": "Outside the scope of the review."})
            };
            self.ok(
                Method::POST,
                &format!("/inputs/{input}/screening"),
                &s,
                Some(body),
            )
            .await;
        }
        self.ok(
            Method::PUT,
            "/compilation/draft",
            &s,
            Some(json!({"text": format!("{DRAFT} compilation outline.")})),
        )
        .await;
        self.ok(
            Method::PUT,
            "/compilation/draft",
            &s,
            Some(json!({"text": "Compilation of the admitted inputs, by norm."})),
        )
        .await;
        self.documents
            .insert("compilation", self.f.path("/compilation"));
        if target == 3 {
            return;
        }
        self.ok(Method::POST, "/compilation/publication", &s, None)
            .await;
        self.stage = 4;

        // Stage 4: the working group, a forwarded question and one sent after the
        // forwarding, the reply to input A, the working group's report drafted twice.
        let drawn = self.ok(Method::POST, "/working-group/draw", &s, None).await;
        for seat in drawn["working_group"]["members"].as_array().unwrap() {
            let state = seat["state"].as_str().unwrap().to_owned();
            let token = self.app.delegate(&state).await;
            self.f.wg.push(crate::support::Member { state, token });
        }
        self.ok(
            Method::POST,
            "/working-group/session",
            &s,
            Some(json!({"at": WG_SESSION})),
        )
        .await;
        // The fixture's stakeholder observes the session: a public fact.
        let observer = self.f.stakeholder.clone();
        self.ok(Method::POST, "/working-group/observers", &observer, None)
            .await;
        self.ok(
            Method::POST,
            "/questions",
            &self.asker,
            Some(json!({"text": "How are operations abroad authorised?"})),
        )
        .await;
        let wg0 = self.f.wg[0].token.clone();
        self.ok(Method::POST, "/questions/forwarding", &wg0, None)
            .await;
        self.ok(
            Method::POST,
            "/questions",
            &self.f.other_state,
            Some(json!({"text": "Which body reviews the legality of operations?"})),
        )
        .await;
        self.ok(
            Method::POST,
            &format!("/inputs/{a}/reply"),
            &self.f.sur,
            Some(json!({"text": "The State answers the coalition's input."})),
        )
        .await;
        let members: Vec<String> = self.f.wg.iter().map(|m| m.state.clone()).collect();
        let mut draft = wg_report_body(&members);
        draft["findings"] = json!(format!("{DRAFT} first findings."));
        self.ok(Method::PUT, "/working-group/report", &wg0, Some(draft))
            .await;
        self.ok(
            Method::PUT,
            "/working-group/report",
            &wg0,
            Some(wg_report_body(&members)),
        )
        .await;
        self.documents
            .insert("question_1", self.f.path("/questions/1"));
        self.documents
            .insert("question_2", self.f.path("/questions/2"));
        self.documents
            .insert("reply", self.f.path(&format!("/inputs/{a}/reply")));
        self.documents
            .insert("wg_report", self.f.path("/working-group/report"));
        if target == 4 {
            return;
        }
        for member in self.f.wg.clone() {
            self.ok(
                Method::POST,
                "/working-group/report/approval",
                &member.token,
                None,
            )
            .await;
        }
        self.app.set_time(AFTER_WG_SESSION);
        self.ok(Method::POST, "/working-group/session/held", &s, None)
            .await;
        self.stage = 5;

        // Stage 5: the response drafted twice.
        let mut draft = response_body(3);
        draft["general"] = json!(format!("{DRAFT} first comments."));
        self.ok(Method::PUT, "/response/draft", &self.f.sur, Some(draft))
            .await;
        self.ok(
            Method::PUT,
            "/response/draft",
            &self.f.sur,
            Some(response_body(3)),
        )
        .await;
        self.documents.insert("response", self.f.path("/response"));
        if target == 5 {
            return;
        }
        self.ok(Method::POST, "/response/submission", &self.f.sur, None)
            .await;
        self.stage = 6;

        // Stage 6: the session under way and one statement recorded.
        self.ok(
            Method::POST,
            "/oversight/session",
            &s,
            Some(json!({"at": OVERSIGHT_SESSION, "webcast_url": "https://webtv.example/cpr/fra"})),
        )
        .await;
        self.app.set_time(IN_OVERSIGHT_SESSION);
        self.ok(
            Method::POST,
            "/oversight/statements",
            &self.f.chair,
            Some(json!({"speaker": {"kind": "state_under_review"}, "summary": "The State presented its report."})),
        )
        .await;
        self.documents
            .insert("statement", self.f.path("/oversight/statements/1"));
        if target == 6 {
            return;
        }
        self.ok(
            Method::POST,
            "/oversight/outcome",
            &self.f.chair,
            Some(json!({"text": "The outcome of the review of France is adopted."})),
        )
        .await;
        self.documents
            .insert("outcome", self.f.path("/oversight/outcome"));
        self.stage = 7;
    }

    /// The token of a role (`None` for the public; `Err` when the role does not exist).
    fn token(&self, role: &str) -> Result<Option<String>, ()> {
        Ok(match role {
            "sur" => Some(self.f.sur.clone()),
            "other_state" => Some(self.f.other_state.clone()),
            "wg" => Some(self.f.wg.first().ok_or(())?.token.clone()),
            "author" => Some(self.f.stakeholder.clone()),
            "other_stakeholder" => Some(self.other_stakeholder.clone()),
            "secretariat" => Some(self.app.secretariat.clone()),
            "chair" => Some(self.f.chair.clone()),
            "anonymous" => None,
            other => panic!("unknown role {other}"),
        })
    }

    /// The read path of every document the table names; one that does not exist yet is
    /// read at a path where it would be.
    fn read_path(&self, document: &str) -> String {
        if let Some(path) = self.documents.get(document) {
            return path.clone();
        }
        let nowhere = uuid::Uuid::new_v4();
        self.f.path(&match document {
            "input_a" | "input_b" | "input_r" | "input_d" => format!("/inputs/{nowhere}"),
            "compilation" => "/compilation".to_owned(),
            "wg_report" => "/working-group/report".to_owned(),
            "response" => "/response".to_owned(),
            "question_1" => "/questions/1".to_owned(),
            "question_2" => "/questions/2".to_owned(),
            "reply" => format!("/inputs/{nowhere}/reply"),
            "statement" => "/oversight/statements/1".to_owned(),
            "outcome" => "/oversight/outcome".to_owned(),
            other => panic!("unknown document {other}"),
        })
    }

    /// The write request of a document kind, with a well-formed body.
    fn write_request(&self, kind: &str) -> (Method, String, Option<Value>) {
        let members: Vec<String> = if self.f.wg.is_empty() {
            vec!["ZAF".into(), "BRA".into(), "IND".into()]
        } else {
            self.f.wg.iter().map(|m| m.state.clone()).collect()
        };
        let b = self
            .input_b
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let (method, rest, body) = match kind {
            "report" => (Method::PUT, "/report/draft".to_owned(), report_final()),
            "input" => (
                Method::POST,
                "/inputs".to_owned(),
                json!({"text": "Another input.", "norms": ["13a"], "sectors": ["energy"]}),
            ),
            "compilation" => (
                Method::PUT,
                "/compilation/draft".to_owned(),
                json!({"text": "A compilation."}),
            ),
            "wg_report" => (
                Method::PUT,
                "/working-group/report".to_owned(),
                wg_report_body(&members),
            ),
            "response" => (Method::PUT, "/response/draft".to_owned(), response_body(3)),
            "question" => (
                Method::POST,
                "/questions".to_owned(),
                json!({"text": "A further question."}),
            ),
            "reply" => (
                Method::POST,
                format!("/inputs/{b}/reply"),
                json!({"text": "The State's reply."}),
            ),
            "statement" => (
                Method::POST,
                "/oversight/statements".to_owned(),
                json!({"speaker": {"kind": "state_under_review"}, "summary": "A statement."}),
            ),
            "outcome" => (
                Method::POST,
                "/oversight/outcome".to_owned(),
                json!({"text": "An outcome."}),
            ),
            other => panic!("unknown document kind {other}"),
        };
        (method, self.f.path(&rest), Some(body))
    }
}

// --- the checks -----------------------------------------------------------------------------

/// The documents with a confidential part and contact details.
fn has_private_parts(document: &str) -> bool {
    document == "report" || document.starts_with("input_")
}

/// Documents whose read accepts `?revision=` and `?draft=`.
fn has_revisions(document: &str) -> bool {
    !matches!(
        document,
        "question_1" | "question_2" | "reply" | "statement"
    )
}

/// How many read cells were checked, over every stage.
static CELLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Checks every cell of the stage `w` is at, and returns the failures.
async fn check_reads(w: &World, failures: &mut Vec<String>) {
    let table = read_table();
    let column = w.stage - 1;
    let app = &w.app;
    for role in ROLES {
        let Ok(token) = w.token(role) else {
            // The table must say the role does not exist.
            for ((document, r), letters) in &table {
                if r == role {
                    assert_eq!(letters[column], 'x', "{document} × {role}");
                }
            }
            continue;
        };
        let token = token.as_deref();
        let mut listed_expected = BTreeSet::new();
        for ((document, r), letters) in &table {
            if r != role {
                continue;
            }
            let letter = letters[column];
            let cell = format!("stage {} × {role} × {document}", STAGES[column]);
            assert_ne!(letter, 'x', "{cell}: the role exists");
            let path = w.read_path(document);
            CELLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let answer = app.get(&path, token).await;
            let text = answer.body.to_string();
            if letter == '-' {
                if (answer.status.as_u16(), answer.code()) != (404, "document_not_found") {
                    failures.push(format!(
                        "{cell}: GET {path} expected 404 document_not_found, got {} {}",
                        answer.status, answer.body
                    ));
                }
                continue;
            }
            if w.documents.contains_key(document.as_str()) {
                listed_expected.insert(document.clone());
            }
            if answer.status.as_u16() != 200 {
                failures.push(format!(
                    "{cell}: GET {path} expected 200 ({letter}), got {} {}",
                    answer.status, answer.body
                ));
                continue;
            }
            let body = &answer.body;
            let access = body["access"].as_str().unwrap_or("");
            let status = body["status"].as_str().unwrap_or("");
            let (accesses, expected_status): (&[&str], &str) = match letter {
                'L' => (&["listing"], "listed"),
                'P' => (&["public"], "published"),
                'C' => (&["confidential"], "published"),
                'S' => (&["secretariat"], "published"),
                'A' => (&["author"], "published"),
                'a' => (&["author"], "draft"),
                'd' => (&["secretariat"], "draft"),
                'R' => (&["public", "confidential", "secretariat"], "published"),
                other => panic!("unknown letter {other}"),
            };
            if !accesses.contains(&access) || status != expected_status {
                failures.push(format!(
                    "{cell}: expected access {accesses:?} status {expected_status}, got access {access:?} status {status:?}"
                ));
            }
            let author = matches!(letter, 'A' | 'a');
            if letter == 'L' && !body["body"].is_null() {
                failures.push(format!("{cell}: a listing shows a body: {}", body["body"]));
            }
            if letter != 'L' && !body["body"].is_object() {
                failures.push(format!("{cell}: no body: {body}"));
            }
            if !author && text.contains(DRAFT) {
                failures.push(format!("{cell}: a non-author reads draft text: {text}"));
            }
            if has_private_parts(document) && letter != 'L' {
                let confidential = matches!(letter, 'C' | 'S' | 'A' | 'a');
                let contact = matches!(letter, 'S' | 'A' | 'a');
                if body["body"].get("confidential").is_some() != confidential {
                    failures.push(format!(
                        "{cell}: confidential part shown: {}, expected {confidential}",
                        body["body"].get("confidential").is_some()
                    ));
                }
                if body["body"].get("contact").is_some() != contact {
                    failures.push(format!(
                        "{cell}: contact shown: {}, expected {contact}",
                        body["body"].get("contact").is_some()
                    ));
                }
            }
            let may_confidential = matches!(letter, 'C' | 'S' | 'A' | 'a' | 'd');
            let may_contact = matches!(letter, 'S' | 'A' | 'a' | 'd');
            if !may_confidential && text.contains(CONFIDENTIAL) {
                failures.push(format!("{cell}: the confidential part leaks: {text}"));
            }
            if !may_contact && text.contains(CONTACT) {
                failures.push(format!("{cell}: contact details leak: {text}"));
            }
            if !author && has_revisions(document) {
                // No earlier revision nor the draft opens to a non-author.
                let earlier = app.get(&format!("{path}?revision=1"), token).await;
                let earlier_text = earlier.body.to_string();
                if earlier_text.contains(DRAFT)
                    || (!may_confidential && earlier_text.contains(CONFIDENTIAL))
                    || (!may_contact && earlier_text.contains(CONTACT))
                {
                    failures.push(format!(
                        "{cell}: ?revision=1 shows what it may not: {earlier_text}"
                    ));
                }
                let draft = app.get(&format!("{path}?draft=true"), token).await;
                // A not-admitted input's listing may answer in place of the draft: it
                // holds no body either.
                let listing = letter == 'L' && draft.body["body"].is_null();
                if letter != 'd'
                    && !listing
                    && (draft.status.as_u16(), draft.code()) != (404, "document_not_found")
                {
                    failures.push(format!(
                        "{cell}: ?draft=true expected 404 document_not_found, got {} {}",
                        draft.status, draft.body
                    ));
                }
            }
        }

        // The review's own listing shows exactly the documents the role may know of;
        // neither it, nor the review, nor its audit trail holds any document text.
        let listing = app
            .get(&format!("{}?limit=200", w.f.path("/documents")), token)
            .await;
        if listing.status.as_u16() != 200 {
            failures.push(format!(
                "stage {} × {role}: GET /documents answered {} {}",
                STAGES[column], listing.status, listing.body
            ));
        } else {
            let names: BTreeSet<String> = listing.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["document"].as_str().unwrap().to_owned())
                .collect();
            let expected: BTreeSet<String> = listed_expected
                .iter()
                .map(|document| document_name(w, document))
                .collect();
            if names != expected {
                failures.push(format!(
                    "stage {} × {role}: the review's documents are {names:?}, expected {expected:?}",
                    STAGES[column]
                ));
            }
        }
        for rest in ["", "/documents", "/audit"] {
            let answer = app.get(&w.f.path(rest), token).await;
            let text = answer.body.to_string();
            for marker in [DRAFT, CONFIDENTIAL, CONTACT] {
                if text.contains(marker) {
                    failures.push(format!(
                        "stage {} × {role}: GET {rest} holds {marker}",
                        STAGES[column]
                    ));
                }
            }
        }
    }

    // The public listing of published documents: exactly what the public may read.
    let published = app.list("/api/v1/documents", None).await;
    let names: BTreeSet<String> = published
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document"].as_str().unwrap().to_owned())
        .collect();
    let expected: BTreeSet<String> = table
        .iter()
        .filter(|((_, role), letters)| role == "anonymous" && letters[column] == 'P')
        .chain(
            table
                .iter()
                .filter(|((_, role), letters)| role == "anonymous" && letters[column] == 'R'),
        )
        .map(|((document, _), _)| document_name(w, document))
        .collect();
    if names != expected {
        failures.push(format!(
            "stage {}: GET /api/v1/documents lists {names:?}, expected {expected:?}",
            STAGES[column]
        ));
    }
    let text = published.to_string();
    for marker in [DRAFT, CONFIDENTIAL, CONTACT] {
        if text.contains(marker) {
            failures.push(format!(
                "stage {}: the public listing holds {marker}",
                STAGES[column]
            ));
        }
    }
}

/// The name a listing gives a document of the table (`input/<id>`, `question/1`...).
fn document_name(w: &World, document: &str) -> String {
    let id = |path: &str| -> String {
        let rest = path.split("/inputs/").nth(1).unwrap();
        rest.split('/').next().unwrap().to_owned()
    };
    match document {
        "report" => "state_report".to_owned(),
        "input_a" | "input_b" | "input_r" | "input_d" => {
            format!("input/{}", id(&w.documents[document]))
        }
        "reply" => format!("reply/{}", id(&w.documents[document])),
        "question_1" => "question/1".to_owned(),
        "question_2" => "question/2".to_owned(),
        "statement" => "statement/1".to_owned(),
        other => other.to_owned(),
    }
}

/// Writes every document kind as every role, and returns the failures.
/// The code of each refusal, by (document kind, role).
type Denials = BTreeMap<(String, String), String>;

async fn check_writes(w: &World, failures: &mut Vec<String>, denials: &mut Denials) {
    let table = write_table();
    let column = w.stage - 1;
    let concluded = w.stage == 7;
    let app = &w.app;
    let mut allowed = Vec::new();
    let before = app.snapshot(&w.f.review).await;
    // The refusals first (they change nothing); the writes that succeed after them,
    // the outcome (which concludes the review) last.
    for (kind, (writers, stages)) in &table {
        for role in ROLES {
            let Ok(token) = w.token(role) else { continue };
            let cell = format!("stage {} × {role} writes {kind}", STAGES[column]);
            let writer = writers.iter().any(|r| r == role);
            let in_stage = !concluded && stages.contains(&w.stage);
            if writer && in_stage {
                allowed.push((kind.clone(), role, token));
                continue;
            }
            let (method, path, body) = w.write_request(kind);
            let answer = app
                .call(method.clone(), &path, token.as_deref(), body)
                .await;
            let got = (answer.status.as_u16(), answer.code().to_owned());
            let ok = if token.is_none() {
                got == (401, "unauthenticated".to_owned())
            } else if !writer {
                got.0 == 403 && !got.1.is_empty()
            } else if concluded {
                got == (409, "review_closed".to_owned())
            } else {
                got == (409, "stage_mismatch".to_owned())
            };
            if !ok {
                failures.push(format!(
                    "{cell}: {method} {path} answered {} {}",
                    answer.status, answer.body
                ));
            }
            if got.0 == 403 {
                denials.insert((kind.clone(), role.to_owned()), got.1.clone());
            }
        }
    }
    let after = app.snapshot(&w.f.review).await;
    if before != after {
        failures.push(format!(
            "stage {}: refused writes changed the review: {before:?} → {after:?}",
            STAGES[column]
        ));
    }
    allowed.sort_by_key(|(kind, _, _)| kind == "outcome");
    for (kind, role, token) in allowed {
        let (method, path, body) = w.write_request(&kind);
        let answer = app
            .call(method.clone(), &path, token.as_deref(), body)
            .await;
        let status = answer.status.as_u16();
        // Allowed by role and stage: whatever a guard may say, never a refusal of the
        // role or the stage.
        if matches!(status, 401 | 403 | 404 | 409) {
            failures.push(format!(
                "stage {} × {role} writes {kind}: {method} {path} answered {} {}",
                STAGES[column], answer.status, answer.body
            ));
        }
    }
}

/// The public records beside the documents, the same for everyone: the cycle's yearly
/// report (it counts the inputs admitted and published with the compilation, from stage
/// 4, and the recommendations of the published WG report, from stage 5, and shows no
/// private part of anything) and the observers of the working group's session.
async fn check_public_records(w: &World, failures: &mut Vec<String>) {
    let path = format!("/api/v1/cycles/{}/report", w.f.cycle);
    let public = w.app.get(&path, None).await.expect(200);
    let text = public.to_string();
    for marker in [DRAFT, CONFIDENTIAL, CONTACT] {
        if text.contains(marker) {
            failures.push(format!(
                "stage {}: the yearly report shows {marker}",
                w.stage
            ));
        }
    }
    let review = &public["reviews"][0];
    let (inputs, recommendations) = match w.stage {
        1..=3 => (0, 0),
        4 => (2, 0),
        _ => (2, 3),
    };
    if review["inputs"]["total"] != inputs || review["recommendations"]["total"] != recommendations
    {
        failures.push(format!(
            "stage {}: the yearly report counts {} inputs and {} recommendations, expected \
             {inputs} and {recommendations}",
            w.stage, review["inputs"]["total"], review["recommendations"]["total"]
        ));
    }
    // The observers of the working group's session, from stage 4: the same list for
    // everyone, anonymous readers included.
    let observers = |review: &Value| review["working_group"]["observers"].clone();
    let public_review = w.app.get(&w.f.path(""), None).await.expect(200);
    let expected = if w.stage >= 4 {
        vec![w.f.stakeholder_org.clone()]
    } else {
        Vec::new()
    };
    let listed: Vec<String> = observers(&public_review)
        .as_array()
        .map(|list| {
            list.iter()
                .map(|o| o["organisation"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    if listed != expected {
        failures.push(format!(
            "stage {}: the public sees observers {listed:?}, expected {expected:?}",
            w.stage
        ));
    }
    for role in ROLES {
        let Ok(Some(token)) = w.token(role) else {
            continue;
        };
        let review = w.app.get(&w.f.path(""), Some(&token)).await.expect(200);
        if observers(&review) != observers(&public_review) {
            failures.push(format!(
                "stage {} × {role}: observers {} differ from the public's {}",
                w.stage,
                observers(&review),
                observers(&public_review)
            ));
        }
        let answer = w.app.get(&path, Some(&token)).await;
        if answer.status.as_u16() != 200 || answer.body != public {
            failures.push(format!(
                "stage {} × {role}: the yearly report differs from the public one: {} {}",
                w.stage, answer.status, answer.body
            ));
        }
    }
}

/// Builds the review of `stage` and checks its cells; answers the failures and the code
/// of each refusal by (document kind, role).
async fn check_stage(stage: usize) -> (Vec<String>, Denials) {
    let w = World::build(stage).await;
    assert_eq!(w.stage, stage, "the review reached its stage");
    let review = w.app.review(&w.f.review).await;
    let expected_stage = [
        "state_report",
        "stakeholder_input",
        "compilation",
        "working_group",
        "response",
        "oversight",
        "concluded",
    ][stage - 1];
    assert_eq!(review["stage"], expected_stage);
    let mut failures = Vec::new();
    let mut denials = Denials::new();
    check_reads(&w, &mut failures).await;
    check_public_records(&w, &mut failures).await;
    check_writes(&w, &mut failures, &mut denials).await;
    (failures, denials)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn visibility_matrix_of_every_document_role_and_stage() {
    let started = std::time::Instant::now();
    let handles: Vec<_> = (1..=STAGES.len())
        .map(|stage| tokio::spawn(check_stage(stage)))
        .collect();
    let mut failures = Vec::new();
    let mut codes: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for handle in handles {
        let (stage_failures, denials) = handle.await.unwrap();
        failures.extend(stage_failures);
        for (key, code) in denials {
            codes.entry(key).or_default().insert(code);
        }
    }
    // A refusal's code is stable: one code per (document kind, role) in every stage.
    for ((kind, role), codes) in &codes {
        if codes.len() != 1 {
            failures.push(format!("{role} writing {kind} is refused with {codes:?}"));
        }
    }
    assert!(!codes.is_empty());
    // 13 documents × 8 roles × 7 stages, less the working group before the draw.
    assert_eq!(
        CELLS.load(std::sync::atomic::Ordering::Relaxed),
        13 * 8 * 7 - 13 * 3
    );
    assert!(
        failures.is_empty(),
        "{} cell(s) differ from the table:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "visibility matrix: {} read cells checked in {:?}",
        CELLS.load(std::sync::atomic::Ordering::Relaxed),
        started.elapsed()
    );
}

// --- the public record beyond the reviews: pledges and answers to objections ---------------

/// Who reads a state's pledges and an accreditation's answered objections: everyone,
/// without a token, from the moment they are made (the spec's "Accountability beyond the
/// six stages"). `R` reads it whole (its text, the withdrawal's reason, the answer).
/// Roles: `state` is a delegate of the pledging state (France), which also objected to
/// the organisation; `organisation` a member of the organisation objected to.
const RECORD_READ: &str = "
what              | state | other_state | secretariat | organisation | stakeholder | chair | anonymous
pledge            | R     | R           | R           | R            | R           | R     | R
withdrawn_pledge  | R     | R           | R           | R            | R           | R     | R
pledge_list       | R     | R           | R           | R            | R           | R     | R
pledge_chain      | R     | R           | R           | R            | R           | R     | R
accreditation     | R     | R           | R           | R            | R           | R     | R
accreditations    | R     | R           | R           | R            | R           | R     | R
";

/// Who writes: `W` succeeds; any other cell is the code of the refusal (403, or 401
/// `unauthenticated`). Only the state's own delegates pledge and withdraw for it (the
/// secretariat never on its behalf); only the organisation answers an objection to it.
const RECORD_WRITE: &str = "
what             | state                | other_state          | secretariat          | organisation         | stakeholder          | chair                | anonymous
make_pledge      | W                    | not_own_state        | separation_of_duties | state_delegates_only | state_delegates_only | state_delegates_only | unauthenticated
withdraw_pledge  | W                    | not_own_state        | separation_of_duties | state_delegates_only | state_delegates_only | state_delegates_only | unauthenticated
answer_objection | not_own_organisation | not_own_organisation | separation_of_duties | W                    | not_own_organisation | not_own_organisation | unauthenticated
";

const RECORD_ROLES: [&str; 7] = [
    "state",
    "other_state",
    "secretariat",
    "organisation",
    "stakeholder",
    "chair",
    "anonymous",
];

/// Marks what each read must show.
const PLEDGE_TEXT: &str = "ZQXPLEDGE We will never target hospitals.";
const WITHDRAWAL: &str = "ZQXWITHDRAWAL Superseded.";
const ANSWER: &str = "ZQXANSWER Our funding is public.";

#[tokio::test]
async fn visibility_of_pledges_and_answers_to_objections() {
    let app = spawn_app().await;
    let fra = app.delegate("FRA").await;
    let deu = app.delegate("DEU").await;
    let (organisation, member) = app.member_of_applicant("Open Networks Lab").await;
    let (_, stakeholder) = app
        .member_of_new("stakeholder", "Digital Rights Watch")
        .await;
    let (_, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;
    let tokens: BTreeMap<&str, Option<String>> = BTreeMap::from([
        ("state", Some(fra.clone())),
        ("other_state", Some(deu.clone())),
        ("secretariat", Some(app.secretariat.clone())),
        ("organisation", Some(member.clone())),
        ("stakeholder", Some(stakeholder)),
        ("chair", Some(chair)),
        ("anonymous", None),
    ]);
    let make = |text: &str| json!({"text": text, "norms": ["13f"]});
    let pledge = app
        .post("/api/v1/states/FRA/pledges", &fra, make(PLEDGE_TEXT))
        .await
        .expect(201);
    let withdrawn = app
        .post("/api/v1/states/FRA/pledges", &fra, make("To be withdrawn."))
        .await
        .expect(201);
    let withdrawn_id = withdrawn["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/pledges/{withdrawn_id}/withdrawal"),
        &fra,
        json!({"reason": WITHDRAWAL}),
    )
    .await
    .expect(200);
    let accreditation = format!("/api/v1/organisations/{organisation}/accreditation");
    app.propose(&organisation, 14).await;
    for token in [&fra, &deu] {
        app.post(
            &format!("{accreditation}/objections"),
            token,
            json!({"reason": "An objection."}),
        )
        .await
        .expect(201);
    }
    app.post(
        &format!("{accreditation}/objections/FRA/answer"),
        &member,
        json!({"text": ANSWER}),
    )
    .await
    .expect(201);

    let mut failures = Vec::new();
    let reads: BTreeMap<&str, (String, &str)> = BTreeMap::from([
        (
            "pledge",
            (
                format!("/api/v1/pledges/{}", pledge["id"].as_str().unwrap()),
                PLEDGE_TEXT,
            ),
        ),
        (
            "withdrawn_pledge",
            (format!("/api/v1/pledges/{withdrawn_id}"), WITHDRAWAL),
        ),
        (
            "pledge_list",
            ("/api/v1/states/FRA/pledges".to_owned(), PLEDGE_TEXT),
        ),
        (
            "pledge_chain",
            ("/api/v1/states/FRA/pledges/audit".to_owned(), WITHDRAWAL),
        ),
        (
            "accreditation",
            (format!("/api/v1/accreditations/{organisation}"), ANSWER),
        ),
        (
            "accreditations",
            ("/api/v1/accreditations".to_owned(), ANSWER),
        ),
    ]);
    for row in rows(RECORD_READ) {
        let (path, marker) = &reads[row[0].as_str()];
        for (role, cell) in RECORD_ROLES.iter().zip(&row[1..]) {
            assert_eq!(cell, "R", "every cell of this table is public");
            let answer = app.get(path, tokens[role].as_deref()).await;
            if answer.status.as_u16() != 200 || !answer.body.to_string().contains(marker) {
                failures.push(format!(
                    "{role} reads {}: {} {}",
                    row[0], answer.status, answer.body
                ));
            }
        }
    }

    let writes: BTreeMap<&str, (String, Value)> = BTreeMap::from([
        (
            "make_pledge",
            (
                "/api/v1/states/FRA/pledges".to_owned(),
                make("A new pledge."),
            ),
        ),
        (
            "withdraw_pledge",
            (
                format!(
                    "/api/v1/pledges/{}/withdrawal",
                    pledge["id"].as_str().unwrap()
                ),
                json!({"reason": "A reason."}),
            ),
        ),
        (
            "answer_objection",
            (
                format!("{accreditation}/objections/DEU/answer"),
                json!({"text": "An answer."}),
            ),
        ),
    ]);
    for row in rows(RECORD_WRITE) {
        let (path, body) = &writes[row[0].as_str()];
        // The refusals first (they change nothing), then the one write that succeeds.
        let mut cells: Vec<(&str, &String)> = RECORD_ROLES.iter().copied().zip(&row[1..]).collect();
        cells.sort_by_key(|(_, cell)| *cell == "W");
        for (role, cell) in cells {
            let answer = app
                .call(
                    Method::POST,
                    path,
                    tokens[role].as_deref(),
                    Some(body.clone()),
                )
                .await;
            let got = (answer.status.as_u16(), answer.code().to_owned());
            let ok = match cell.as_str() {
                "W" => answer.status.is_success(),
                "unauthenticated" => got == (401, cell.clone()),
                code => got == (403, code.to_owned()),
            };
            if !ok {
                failures.push(format!(
                    "{role} writes {}: expected {cell}, got {} {}",
                    row[0], answer.status, answer.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cell(s) differ from the table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
