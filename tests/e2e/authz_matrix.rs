//! The authorization matrix over HTTP: every operation of the served OpenAPI document ×
//! every role × its own or another's object, around one review in the working-group stage
//! (the working group drawn, the compilation published). The expected answers are the
//! table [`TABLE`] below, written from the spec's role tables ("Actors and roles", the
//! stage table, "Documents of a review", deny by default, credentials only to their
//! holder) and the domain policy's codes; nothing in it is read from the server.
//!
//! Each denial must be the policy's status and stable code, and change nothing that the
//! secretariat can read: the review, the transparency log's size (every audit chain), the
//! outbox, the accounts and organisations ([`snapshot`]).
//! Allowed requests run after every denial, in the table's order (the ones that remove a
//! party or close the review last), and must not be refused for who the caller is.
//!
//! The stage dimension: the policy decides who before when, so a role that may not act is
//! refused with the same code in every stage; a role that may act is told 409
//! `stage_mismatch` outside the stages of the spec's table (`s` below). Once the allowed
//! requests have withdrawn the review, every command of the table is sent again: the same
//! refusals, and 409 `review_closed` for those who could act. Every command in every
//! stage is also in `denials.rs`, every document in every stage in `visibility.rs`.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::support::{
    Answer, AppOptions, At, Fixture, OTHER_STATE, SUR, TestApp, report_body, response_body,
    spawn_app_configured, wg_report_body,
};

/// The roles, in the order of the table's columns.
const ROLES: [&str; 9] = [
    "anonymous",
    "secretariat",
    // A delegate of the state under review: the review is its own.
    "sur",
    // A delegate of a working-group state (outside the pool).
    "wg",
    // A delegate of a pool state neither under review nor on the working group.
    "other_state",
    // A member of the accredited organisation that filed the review's input.
    "author",
    // A member of another accredited organisation: the input is not its own.
    "stakeholder",
    // A member of an organisation still in its objection period (not accredited).
    "unaccredited",
    "chair",
];

/// One cell per role, as [`ROLES`] orders them:
/// - `y` allowed: a read answers 2xx; a change is not refused for who the caller is (it
///   may still meet a guard of the process, 409 or 422, or name nothing that exists);
/// - `s` allowed to this role, but not in the working-group stage: 409 `stage_mismatch`;
/// - `h` the caller may not know the object exists: 404 with the row's code;
/// - `x` the request names a secret (an invitation's, a subscription's) that nobody
///   holds: whoever asks, it is refused as naming nothing (4xx, never 401 or 403), since
///   the secret is the only credential these take;
/// - `u` 401 `unauthenticated`;
/// - the others 403 with the policy's code: `S` secretariat_only, `D`
///   separation_of_duties, `N` not_state_under_review, `W` not_working_group_member, `R`
///   role_not_permitted, `A` not_accredited, `O` oversight_chair_only, `T`
///   state_delegates_only, `P` not_own_state, `G` not_own_organisation, `C`
///   credentials_only_to_holder.
///
/// Objects: `{id}` is the fixture's review (of FRA) or cycle, the organisation under
/// objection (the unaccredited member's), the pledge of FRA; `input` the author's admitted
/// input, `draft` the other organisation's input, drafted and never filed; `account` the SuR delegate's account (own for `sur`), `spare` an account none of
/// the roles holds; `author_org` the author's organisation. A stakeholder that is not
/// among an input's authors learns nothing of it from a write (`input_not_found`, as for
/// a draft), even once the input is public. Rows marked `!` remove a party
/// or close the review when allowed, so they run last.
///
/// Row: label | operationId | object | cells | 404 code
const TABLE: &str = "
# the review's commands (policy::Action, stage 4 of the spec's stage table)
draft_report          | save_report_draft               | -            | uDsNNRRRR | -
submit_report         | submit_report                   | -            | uDsNNRRRR | -
report_deadline       | record_report_deadline_passed   | -            | usSSSSSSS | -
own_group_request     | request_own_group_member        | -            | uDyNNRRRR | -
new_input             | new_input                       | -            | uRRRRssAR | -
draft_input           | draft_input                     | input        | uRRRRssAR | -
invite_cosigner       | invite_cosigner                 | input        | uRRRRssAR | -
confirm_cosignature   | confirm_cosignature             | input        | uRRRRssAR | -
file_input            | file_input                      | input        | uRRRRssAR | -
close_window          | close_input_window              | -            | usSSSSSSS | -
screen_input          | screen_input                    | input        | usSSSSSSS | -
redact_section        | redact_section                  | -            | usSSSSSSS | -
draft_compilation     | save_compilation_draft          | -            | usSSSSSSS | -
publish_compilation   | publish_compilation             | -            | usSSSSSSS | -
advance_question      | send_advance_question           | -            | uRRRyRRRR | -
forward_questions     | forward_advance_questions       | -            | uDWyWRRRR | -
draw_wg               | draw_working_group              | -            | uySSSSSSS | -
schedule_wg           | schedule_wg_session             | -            | uySSSSSSS | -
observe_wg            | register_observer               | -            | uRRRRyyAR | -
wg_held               | record_wg_session_held          | -            | uySSSSSSS | -
wg_recording          | publish_wg_recording            | -            | uySSSSSSS | -
draft_wg_report       | draft_wg_report                 | -            | uDWyWRRRR | -
approve_wg_report     | approve_wg_report               | -            | uDWyWRRRR | -
draft_response        | save_response_draft             | -            | uDsNNRRRR | -
submit_response       | submit_response                 | -            | uDsNNRRRR | -
response_deadline     | record_response_deadline_passed | -            | usSSSSSSS | -
reply                 | reply_to_input                  | input        | uDyNNRRRR | -
schedule_oversight    | schedule_oversight_session      | -            | usSSSSSSS | -
oversight_recording   | publish_oversight_recording     | -            | uySSSSSSS | -
request_to_speak      | request_to_speak                | -            | uRRssssAR | -
draw_speakers         | draw_speakers                   | -            | usSSSSSSS | -
record_statement      | record_statement                | -            | uDOOOOOOs | -
adopt_outcome         | adopt_outcome                   | -            | uDOOOOOOs | -
erratum_report        | publish_erratum                 | state_report | uDyNNRRRR | -
erratum_response      | publish_erratum                 | response     | uDyNNRRRR | -
erratum_compilation   | publish_erratum                 | compilation  | uySSSSSSS | -
erratum_outcome       | publish_erratum                 | outcome      | uDOOOOOOs | -
erratum_input         | publish_input_erratum           | input        | uRRRRyhAR | input_not_found
extend_deadline       | extend_deadline                 | -            | uySSSSSSS | -
# the review's reads: published documents to anyone, drafts to their authors alone
get_review            | get_review                      | -            | yyyyyyyyy | -
review_audit          | review_audit                    | -            | yyyyyyyyy | -
review_documents      | review_documents                | -            | yyyyyyyyy | -
review_draws          | review_draws                    | -            | yyyyyyyyy | -
review_recs           | review_recommendations          | -            | yyyyyyyyy | -
read_report           | read_report                     | -            | yyyyyyyyy | -
read_input            | read_input                      | input        | yyyyyyyyy | -
read_draft_input      | read_input                      | draft        | hhhhhhyhh | document_not_found
write_draft_input     | draft_input                     | draft        | uRRRRssAR | -
read_compilation      | read_compilation                | -            | yyyyyyyyy | -
compilation_proposal  | compilation_proposal            | -            | usSSSSSSS | -
read_wg_report_draft  | read_wg_report                  | -            | hhhyhhhhh | document_not_found
read_response         | read_response                   | -            | hhhhhhhhh | document_not_found
read_reply            | read_reply                      | input        | yyyyyyyyy | -
read_question         | read_question                   | -            | hyhyyhhhh | document_not_found
read_statement        | read_statement                  | -            | hhhhhhhhh | document_not_found
read_outcome          | read_outcome                    | -            | hhhhhhhhh | document_not_found
read_attachment       | read_attachment                 | -            | hhhhhhhhh | document_not_found
impl_update           | post_implementation_update      | -            | uRyRRyyAR | -
# the registers: the secretariat's alone; an account or organisation exists only to
# the secretariat and itself
list_accounts         | list_accounts                   | -            | uySSSSSSS | -
create_account        | create_account                  | -            | uySSSSSSS | -
get_account           | get_account                     | account      | uyyhhhhhh | not_found
list_tokens           | list_tokens                     | account      | uyyhhhhhh | not_found
issue_token           | issue_token                     | account      | uCyhhhhhh | not_found
invite                | invite                          | spare        | uySSSSSSS | -
me                    | me                              | -            | uyyyyyyyy | -
list_orgs             | list_organisations              | -            | uySSSSSSS | -
create_org            | create_organisation             | -            | uySSSSSSS | -
get_org               | get_organisation                | author_org   | uyhhhyhhh | not_found
accreditation_contact | read_accreditation_with_contact | author_org   | uyhhhyhhh | not_found
propose               | propose_accreditation           | -            | uySSSSSSS | -
object                | object_to_accreditation         | -            | uTyyyTTTT | -
answer                | answer_objection                | -            | uDGGGGGyG | -
decide                | decide_accreditation            | -            | uySSSSSSS | -
apply                 | apply_for_accreditation         | -            | yyyyyyyyy | -
list_accreditations   | list_accreditations             | -            | yyyyyyyyy | -
read_accreditation    | read_accreditation              | author_org   | yyyyyyyyy | -
upload                | upload_attachment               | -            | uyyyyyyyy | -
download              | download_attachment             | -            | uyhhhyhhh | not_found
audit_kinds           | audit_kinds                     | -            | yyyyyyyyy | -
registry_audit        | registry_audit                  | -            | yyyyyyyyy | -
list_cycles           | list_cycles                     | -            | yyyyyyyyy | -
create_cycle          | create_cycle                    | -            | uySSSSSSS | -
get_cycle             | get_cycle                       | -            | yyyyyyyyy | -
cycle_audit           | cycle_audit                     | -            | yyyyyyyyy | -
beacon                | record_beacon                   | -            | uySSSSSSS | -
pool                  | change_pool                     | -            | uySSSSSSS | -
yearly_report         | yearly_report                   | -            | yyyyyyyyy | -
open_review           | open_review                     | -            | uySSSSSSS | -
documents             | published_documents             | -            | yyyyyyyyy | -
recommendations       | list_recommendations            | -            | yyyyyyyyy | -
reviews               | list_reviews                    | -            | yyyyyyyyy | -
search                | search                          | -            | yyyyyyyyy | -
states                | list_states                     | -            | yyyyyyyyy | -
get_state             | get_state                       | -            | yyyyyyyyy | -
put_state             | put_state                       | -            | uySSSSSSS | -
rules                 | list_rules                      | -            | yyyyyyyyy | -
get_rules             | get_rules                       | -            | yyyyyyyyy | -
create_rules          | create_rules                    | -            | uySSSSSSS | -
pledges               | list_pledges                    | -            | yyyyyyyyy | -
pledge_audit          | pledge_audit                    | -            | yyyyyyyyy | -
read_pledge           | read_pledge                     | -            | yyyyyyyyy | -
make_pledge           | make_pledge                     | -            | uDyPPTTTT | -
withdraw_pledge       | withdraw_pledge                 | -            | uDyPPTTTT | -
redeem                | redeem_invitation               | -            | xxxxxxxxx | -
subscribe             | subscribe                       | -            | yyyyyyyyy | -
confirm_get           | confirm_subscription            | -            | xxxxxxxxx | -
confirm_post          | confirm_subscription_by_post    | -            | xxxxxxxxx | -
unsubscribe_get       | unsubscribe                     | -            | xxxxxxxxx | -
unsubscribe_post      | unsubscribe_one_click           | -            | xxxxxxxxx | -
# the transparency log: what a verifier reads (public, anonymous)
log_checkpoint        | log_checkpoint                  | -            | yyyyyyyyy | -
log_checkpoints       | log_checkpoints                 | -            | yyyyyyyyy | -
log_key               | log_verifier_key                | -            | yyyyyyyyy | -
log_leaves            | log_leaves                      | -            | yyyyyyyyy | -
log_consistency       | log_consistency_proof           | -            | yyyyyyyyy | -
log_inclusion         | log_inclusion_proof             | -            | yyyyyyyyy | -
list_outbox           | list_outbox                     | -            | uySSSSSSS | -
retry                 | retry_message                   | -            | uySSSSSSS | -
health                | health                          | -            | yyyyyyyyy | -
# the operator's: readiness, and the metrics (open when no scrape token is configured)
ready                 | ready                           | -            | yyyyyyyyy | -
metrics               | exposition                      | -            | yyyyyyyyy | -
# last: these remove a party (a member, an account, a token) or close the review
withdraw_accr         | withdraw_accreditation          | -            | uySSSSSSS | -    | !
revoke_token          | revoke_token                    | spare        | uyhhhhhhh | not_found | !
disable_account       | disable_account                 | spare        | uySSSSSSS | - | !
excuse                | excuse_wg_member                | -            | uDWyWRRRR | - | !
substitute            | substitute_wg_member            | -            | uDyNNRRRR | - | !
withdraw_review       | withdraw_review                 | -            | uySSSSSSS | - | !
";

struct Row {
    label: String,
    operation: String,
    object: String,
    cells: Vec<char>,
    not_found: Option<String>,
}

fn table() -> Vec<Row> {
    let mut rows = Vec::new();
    for line in TABLE.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        assert!(cols.len() >= 5, "row {line}");
        let cells: Vec<char> = cols[3].chars().collect();
        assert_eq!(cells.len(), ROLES.len(), "row {line}: one cell per role");
        rows.push(Row {
            label: cols[0].to_owned(),
            operation: cols[1].to_owned(),
            object: cols[2].to_owned(),
            cells,
            not_found: (cols[4] != "-").then(|| cols[4].to_owned()),
        });
    }
    rows
}

/// The status and code a cell expects, for the refusals.
fn denial(cell: char, not_found: Option<&str>) -> Option<(u16, &str)> {
    Some(match cell {
        'u' => (401, "unauthenticated"),
        'h' => (404, not_found.expect("an `h` cell names its 404 code")),
        's' => (409, "stage_mismatch"),
        'S' => (403, "secretariat_only"),
        'D' => (403, "separation_of_duties"),
        'N' => (403, "not_state_under_review"),
        'W' => (403, "not_working_group_member"),
        'R' => (403, "role_not_permitted"),
        'A' => (403, "not_accredited"),
        'O' => (403, "oversight_chair_only"),
        'T' => (403, "state_delegates_only"),
        'P' => (403, "not_own_state"),
        'G' => (403, "not_own_organisation"),
        'C' => (403, "credentials_only_to_holder"),
        'y' | 'x' => return None,
        other => panic!("unknown cell {other}"),
    })
}

/// What the secretariat can read that a refused request must leave as it was. The log's
/// size stands for every audit chain (the review's, its cycle's, the registers'): it holds
/// one leaf per entry of each, so a change recorded anywhere grows it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// The review as the secretariat reads it: its version, stage, documents, deadlines.
    review: Value,
    log_size: u64,
    outbox: usize,
    accounts: usize,
    organisations: usize,
}

/// What the secretariat reads of `f`'s review and of the registers.
pub(crate) async fn snapshot(app: &TestApp, f: &Fixture) -> Snapshot {
    let s = Some(app.secretariat.as_str());
    let count = |v: Value| v.as_array().unwrap().len();
    let (review, log_size, outbox, accounts, organisations) = tokio::join!(
        app.review(&f.review),
        app.service.store().log_size(),
        app.list("/api/v1/outbox", s),
        app.list("/api/v1/accounts", s),
        app.list("/api/v1/organisations", s),
    );
    Snapshot {
        review,
        log_size: log_size.unwrap(),
        outbox: count(outbox),
        accounts: count(accounts),
        organisations: count(organisations),
    }
}

/// A server without its rate limits: these tests send a thousand requests in seconds,
/// most with the secretariat's one token, and check what each is answered for who
/// asks; a 429 on a fast machine would say nothing of that (`operations.rs` tests the
/// limits).
pub(crate) async fn unlimited_app() -> TestApp {
    spawn_app_configured(AppOptions::default(), |settings| {
        settings.http.rate_limit.enabled = false;
    })
    .await
}

/// Everything the matrix's requests name.
struct World {
    app: TestApp,
    f: Fixture,
    input: String,
    /// The other organisation's input, a draft never filed.
    draft: String,
    applicant: String,
    unaccredited: String,
    other_stakeholder: String,
    sur_account: String,
    spare_account: String,
    spare_token: String,
    pledge: String,
    attachment: String,
    outbox_message: String,
    /// Which of the working group's delegates plays `wg`.
    wg_member: usize,
}

impl World {
    async fn build() -> World {
        let app = unlimited_app().await;
        let cycle = app
            .open_cycle("cycle of the matrix", "2027-01-01", &crate::support::POOL)
            .await;
        let mut f = app.fixture_in(&cycle).await;
        // The other organisation drafts an input in the first stage and never files it:
        // nobody but its own members may know of it.
        let (_, other_stakeholder) = app.member_of_new("stakeholder", "Second Watch").await;
        let draft = app
            .post(
                &f.path("/inputs"),
                &other_stakeholder,
                json!({"text": "A draft never filed.", "norms": ["13a"]}),
            )
            .await
            .expect(201)["created_input"]
            .as_str()
            .unwrap()
            .to_owned();
        app.take(&mut f, At::StateReport, At::WgDrawn).await;
        let input = f.input.clone().unwrap();
        // The unaccredited member's organisation is in its objection period, with an
        // objection of the other state to answer.
        let (applicant, unaccredited) = app.member_of_applicant("Applicant Forum").await;
        app.propose(&applicant, 30).await;
        app.post(
            &format!("/api/v1/organisations/{applicant}/accreditation/objections"),
            &f.other_state,
            json!({"reason": "An objection."}),
        )
        .await
        .expect(201);
        let sur_account = app.get("/api/v1/me", Some(&f.sur)).await.expect(200)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let spare = app
            .account(json!({"role": "state", "state": "NOR", "name": "Spare delegate", "email": "spare@nor.example"}))
            .await;
        let pledge = app
            .post(
                &format!("/api/v1/states/{SUR}/pledges"),
                &f.sur,
                json!({"text": "France pledges never to target hospitals.", "norms": ["13f"]}),
            )
            .await
            .expect(201)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Documents of the working-group stage, so their reads have something to hide:
        // the working group's draft, a question of the other state, the SuR's reply.
        let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
        app.put(
            &f.path("/working-group/report"),
            &f.wg[0].token,
            wg_report_body(&members),
        )
        .await
        .expect(200);
        app.post(
            &f.path("/questions"),
            &f.other_state,
            json!({"text": "How are operations authorised?"}),
        )
        .await
        .expect(200);
        app.post(
            &f.path(&format!("/inputs/{input}/reply")),
            &f.sur,
            json!({"text": "The state's reply."}),
        )
        .await
        .expect(200);
        let uploaded = app
            .raw(
                Method::POST,
                "/api/v1/attachments?filename=evidence.pdf",
                &[
                    ("authorization", &format!("Bearer {}", f.stakeholder)),
                    ("content-type", "application/pdf"),
                ],
                Some(pdf()),
            )
            .await
            .expect(201);
        let attachment = uploaded["sha256"].as_str().unwrap().to_owned();
        let outbox = app.list("/api/v1/outbox", Some(&app.secretariat)).await;
        let outbox_message = outbox[0]["id"].as_str().unwrap().to_owned();
        World {
            input,
            draft,
            applicant,
            unaccredited,
            other_stakeholder,
            sur_account,
            spare_account: spare.id,
            spare_token: spare.token_id,
            pledge,
            attachment,
            outbox_message,
            wg_member: 0,
            app,
            f,
        }
    }

    fn token(&self, role: &str) -> Option<&str> {
        let f = &self.f;
        Some(match role {
            "anonymous" => return None,
            "secretariat" => &self.app.secretariat,
            "sur" => &f.sur,
            "wg" => &f.wg[self.wg_member].token,
            "other_state" => &f.other_state,
            "author" => &f.stakeholder,
            "stakeholder" => &self.other_stakeholder,
            "unaccredited" => &self.unaccredited,
            "chair" => &f.chair,
            other => panic!("unknown role {other}"),
        })
    }

    async fn snapshot(&self) -> Snapshot {
        snapshot(&self.app, &self.f).await
    }

    /// The request of `row` (its method and path from the served document), with a
    /// well-formed body, so that nothing but who asks decides the answer.
    fn request(&self, row: &Row, method: &str, template: &str) -> (Method, String, Body) {
        let f = &self.f;
        let id = if template.starts_with("/api/v1/reviews/") {
            f.review.clone()
        } else if template.starts_with("/api/v1/cycles/") {
            f.cycle.clone()
        } else if template.starts_with("/api/v1/accounts/") {
            match row.object.as_str() {
                "spare" => self.spare_account.clone(),
                _ => self.sur_account.clone(),
            }
        } else if template.starts_with("/api/v1/organisations/") {
            match row.object.as_str() {
                "author_org" => f.stakeholder_org.clone(),
                _ => self.applicant.clone(),
            }
        } else if template.starts_with("/api/v1/tokens/") {
            self.spare_token.clone()
        } else if template.starts_with("/api/v1/pledges/") {
            self.pledge.clone()
        } else if template.starts_with("/api/v1/outbox/") {
            self.outbox_message.clone()
        } else {
            String::new()
        };
        let organisation = match row.object.as_str() {
            "author_org" => f.stakeholder_org.clone(),
            _ => self.applicant.clone(),
        };
        let mut path = template
            .replace("{id}", &id)
            .replace(
                "{input}",
                if row.object == "draft" {
                    &self.draft
                } else {
                    &self.input
                },
            )
            .replace("{document}", &row.object)
            .replace("{kind}", "response")
            .replace("{number}", "1")
            .replace("{state}", OTHER_STATE)
            .replace("{code}", SUR)
            .replace("{version}", "1")
            .replace("{token}", &"a".repeat(43))
            .replace("{organisation}", &organisation);
        if template.contains("{sha256}") {
            let sha = if row.operation == "download_attachment" {
                self.attachment.clone()
            } else {
                "0".repeat(64)
            };
            path = path.replace("{sha256}", &sha);
        }
        assert!(!path.contains('{'), "{}: unfilled {path}", row.label);
        let query = match row.operation.as_str() {
            "search" => "?q=france",
            "log_leaves" => "?start=0&end=1",
            "log_consistency_proof" => "?from=1&size=2",
            "log_inclusion_proof" => "?index=0&size=2",
            "upload_attachment" => "?filename=more.pdf",
            _ => "",
        };
        path.push_str(query);
        let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
        let text = |t: &str| Body::Json(json!({ "text": t }));
        let reason = Body::Json(json!({"reason": "A public reason."}));
        let body = match row.operation.as_str() {
            "save_report_draft" => Body::Json(report_body()),
            "new_input" | "draft_input" => {
                Body::Json(json!({"text": "An input.", "norms": ["13a"], "sectors": ["energy"]}))
            }
            "invite_cosigner" => Body::Json(json!({"organisation": self.applicant})),
            "screen_input" => Body::Json(json!({"admitted": true})),
            "redact_section" => Body::Json(
                json!({"document": {"kind": "state_report"}, "section": "13c", "reason": "Names an official."}),
            ),
            "save_compilation_draft" => text("A compilation."),
            "send_advance_question" => text("How are operations authorised?"),
            "schedule_wg_session" => Body::Json(json!({"at": crate::support::WG_SESSION})),
            "publish_wg_recording" | "publish_oversight_recording" => {
                Body::Json(json!({"url": "https://webtv.example/cpr/recording"}))
            }
            "draft_wg_report" => Body::Json(wg_report_body(&members)),
            "save_response_draft" => Body::Json(response_body(3)),
            "reply_to_input" => text("The state's reply."),
            "schedule_oversight_session" => Body::Json(
                json!({"at": "2027-12-01T10:00:00Z", "webcast_url": "https://webtv.example/cpr"}),
            ),
            "record_statement" => Body::Json(
                json!({"speaker": {"kind": "state_under_review"}, "summary": "A statement."}),
            ),
            "adopt_outcome" => text("An outcome."),
            "publish_erratum" => {
                let body = match row.object.as_str() {
                    "state_report" => report_body(),
                    "response" => response_body(3),
                    _ => json!({"text": "A corrected text."}),
                };
                Body::Json(json!({"reason": "A correction.", "body": body}))
            }
            "publish_input_erratum" => Body::Json(json!({
                "reason": "A correction.",
                "body": {"text": "A corrected input.", "norms": ["13a"], "sectors": ["energy"]}
            })),
            "extend_deadline" => {
                Body::Json(json!({"to": "2027-12-31T23:59:59Z", "reason": "A public reason."}))
            }
            "withdraw_review"
            | "withdraw_pledge"
            | "withdraw_accreditation"
            | "object_to_accreditation"
            | "disable_account" => reason.clone(),
            "substitute_wg_member" => Body::Json(json!({"member": members[0]})),
            "post_implementation_update" => text("Progress."),
            "create_account" => Body::Json(
                json!({"role": "state", "state": "DNK", "name": "A delegate", "email": "new@dnk.example"}),
            ),
            "issue_token" => Body::Json(json!({"label": "another"})),
            "create_organisation" => Body::Json(
                json!({"kind": "stakeholder", "name": "A new NGO", "stakeholder_kind": "ngo"}),
            ),
            "propose_accreditation" => Body::Json(json!({"objection_period_days": 14})),
            "answer_objection" => text("Our answer."),
            "decide_accreditation" => {
                Body::Json(json!({"outcome": "refused", "reason": "A public reason."}))
            }
            "apply_for_accreditation" => Body::Json(json!({
                "name": "Applicant by itself", "stakeholder_kind": "academia",
                "contact_email": "office@applicant.example"
            })),
            "upload_attachment" => Body::Pdf(pdf()),
            "create_cycle" => Body::Json(
                json!({"name": "Another cycle", "starts_on": "2028-01-01", "pool": ["FRA", "DEU"]}),
            ),
            "record_beacon" => Body::Json(json!({"value": "0".repeat(64)})),
            "change_pool" => Body::Json(json!({"pool": ["FRA", "DEU"]})),
            "open_review" => {
                Body::Json(json!({"state": "GBR", "wg_session": "2027-09-15T09:00:00Z"}))
            }
            "put_state" => Body::Json(
                json!({"name": "France", "regional_group": "western_european_and_other_states"}),
            ),
            "create_rules" => Body::Json(json!({})),
            "make_pledge" => Body::Json(
                json!({"text": "France pledges to respect privacy online.", "norms": ["13e"]}),
            ),
            "redeem_invitation" => Body::Json(json!({"secret": "a".repeat(43)})),
            "subscribe" => Body::Json(json!({"state": SUR, "email": "follower@example.org"})),
            _ => Body::None,
        };
        (method.parse().unwrap(), path, body)
    }

    /// Sends one case as `role` in a task of its own, so that the cases of one row go
    /// at once.
    fn spawn(
        &self,
        tasks: &mut JoinSet<(&'static str, Answer)>,
        role: &'static str,
        method: &Method,
        path: &str,
        body: &Body,
    ) {
        let (client, base) = (self.app.client.clone(), self.app.base.clone());
        let (method, path, body) = (method.clone(), path.to_owned(), body.clone());
        let token = self.token(role).map(str::to_owned);
        tasks.spawn(async move {
            let answer = send(&client, &base, &method, &path, token.as_deref(), &body).await;
            (role, answer)
        });
    }
}

/// Sends one case and answers whatever comes back (a PDF or a text too: only the status
/// and the error's code matter here).
async fn send(
    client: &reqwest::Client,
    base: &str,
    method: &Method,
    path: &str,
    token: Option<&str>,
    body: &Body,
) -> Answer {
    let mut request = client.request(method.clone(), format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match body {
        Body::None => request,
        Body::Json(json) => request
            .header("content-type", "application/json")
            .body(serde_json::to_vec(json).unwrap()),
        Body::Pdf(bytes) => request
            .header("content-type", "application/pdf")
            .body(bytes.clone()),
    };
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

#[derive(Clone)]
enum Body {
    None,
    Json(Value),
    Pdf(Vec<u8>),
}

fn pdf() -> Vec<u8> {
    include_bytes!("../fixtures/sample.pdf").to_vec()
}

/// Every operation of the served document: operationId → (method, path).
async fn operations(app: &TestApp) -> BTreeMap<String, (String, String)> {
    let document = app.get("/api/v1/openapi.json", None).await.expect(200);
    let mut operations = BTreeMap::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            operations.insert(id.to_owned(), (method.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[tokio::test]
async fn authorization_matrix_of_every_operation_role_and_object() {
    let started = std::time::Instant::now();
    let mut w = World::build().await;
    let built = started.elapsed();
    let operations = operations(&w.app).await;
    let rows = table();

    // A new operation without a row (or a row naming no operation) fails here.
    let covered: BTreeSet<&str> = rows.iter().map(|r| r.operation.as_str()).collect();
    let served: BTreeSet<&str> = operations.keys().map(String::as_str).collect();
    let missing: Vec<&&str> = served.difference(&covered).collect();
    let unknown: Vec<&&str> = covered.difference(&served).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "operations without a row: {missing:?}; rows naming no operation: {unknown:?}"
    );

    let mut failures = Vec::new();
    let (mut denials, mut allowed) = (0usize, 0usize);
    let mut before = w.snapshot().await;
    // First every refusal.
    for row in &rows {
        let (method, template) = &operations[&row.operation];
        let (method, path, body) = w.request(row, method, template);
        // A refusal changes nothing, so the refusals of one row may go at once.
        let mut tasks = JoinSet::new();
        for (role, cell) in ROLES.iter().zip(&row.cells) {
            if denial(*cell, row.not_found.as_deref()).is_some() {
                w.spawn(&mut tasks, role, &method, &path, &body);
            }
        }
        let refused_any = !tasks.is_empty();
        for (role, answer) in tasks.join_all().await {
            let cell = row.cells[ROLES.iter().position(|r| *r == role).unwrap()];
            let (status, code) = denial(cell, row.not_found.as_deref()).unwrap();
            denials += 1;
            if (answer.status.as_u16(), answer.code()) != (status, code) {
                failures.push(format!(
                    "{} as {role}: {method} {path}: expected {status} {code}, got {} {}",
                    row.label,
                    answer.status.as_u16(),
                    answer.body
                ));
            } else {
                answer.assert_error_shape();
            }
        }
        // Compared after each row of changes; a read changing something would show at
        // the next comparison (what is compared only grows), and at the last one.
        if refused_any && method != Method::GET {
            let after = w.snapshot().await;
            if after != before {
                failures.push(format!(
                    "{}: a refusal up to {method} {path} changed what the secretariat reads: {before:?} -> {after:?}",
                    row.label
                ));
                before = after;
            }
        }
    }
    let after = w.snapshot().await;
    if after != before {
        failures.push(format!(
            "the refused reads changed what the secretariat reads: {before:?} -> {after:?}"
        ));
    }
    // Then what is allowed, in the table's order.
    let before_allowed = after;
    let refusals_done = started.elapsed();
    for row in &rows {
        let (method, template) = &operations[&row.operation];
        let (method, path, body) = w.request(row, method, template);
        // Reads go at once; changes one after the other, in the table's order of roles.
        let mut answers = Vec::new();
        let mut tasks = JoinSet::new();
        for (role, cell) in ROLES.iter().zip(&row.cells) {
            if matches!(cell, 'y' | 'x') {
                w.spawn(&mut tasks, role, &method, &path, &body);
                if method != Method::GET {
                    answers.extend(tasks.join_next().await.map(Result::unwrap));
                }
            }
        }
        answers.extend(tasks.join_all().await);
        for (role, answer) in answers {
            let cell = row.cells[ROLES.iter().position(|r| *r == role).unwrap()];
            allowed += 1;
            let status = answer.status.as_u16();
            let refused_for_who = matches!(status, 401 | 403)
                || (status == 404 && row.not_found.as_deref() == Some(answer.code()));
            let ok = if cell == 'x' {
                answer.status.is_client_error() && !refused_for_who
            } else if method == Method::GET {
                answer.status.is_success() || status == 304
            } else {
                !refused_for_who
            };
            if !ok {
                failures.push(format!(
                    "{} as {role}: {method} {path}: expected allowed, got {status} {}",
                    row.label, answer.body
                ));
            }
        }
    }
    // The snapshot does see changes: the allowed requests made some.
    let before = w.snapshot().await;
    assert_ne!(
        before, before_allowed,
        "the allowed requests changed nothing the snapshot sees"
    );

    // Another stage: the last allowed request withdrew the review (a terminal stage).
    // Who is checked before when, so every role refused a command in the working-group
    // stage is refused it with the same code now; those who could act are told that
    // nothing changes a withdrawn review any more (409 `review_closed`).
    assert_eq!(w.app.review(&w.f.review).await["stage"], "withdrawn");
    // The first member excused itself on the way (and is now just another state): the
    // second still sits on the working group.
    w.wg_member = 1;
    let mut closed = 0usize;
    for row in &rows {
        let (method, template) = &operations[&row.operation];
        if *method == "GET" || !template.starts_with("/api/v1/reviews/") {
            continue;
        }
        let (method, path, body) = w.request(row, method, template);
        let mut tasks = JoinSet::new();
        for (role, cell) in ROLES.iter().zip(&row.cells) {
            if *cell != 'h' {
                w.spawn(&mut tasks, role, &method, &path, &body);
            }
        }
        for (role, answer) in tasks.join_all().await {
            let cell = row.cells[ROLES.iter().position(|r| *r == role).unwrap()];
            let expected = match denial(cell, None) {
                Some((status, _)) if status == 401 || status == 403 => denial(cell, None),
                _ => Some((409, "review_closed")),
            }
            .unwrap();
            closed += 1;
            if (answer.status.as_u16(), answer.code()) != expected {
                failures.push(format!(
                    "withdrawn: {} as {role}: {method} {path}: expected {expected:?}, got {} {}",
                    row.label,
                    answer.status.as_u16(),
                    answer.body
                ));
            }
        }
    }
    // What is compared only grows, so one comparison covers every refusal of the pass.
    if w.snapshot().await != before {
        failures.push("withdrawn: a refusal changed what the secretariat reads".to_owned());
    }
    denials += closed;
    println!(
        "authorization matrix: {} operations, {} rows, {} cases ({denials} refusals, {closed} of them on the withdrawn review; {allowed} allowed) in {:?} (fixture {built:?}, refusals until {refusals_done:?})",
        operations.len(),
        rows.len(),
        denials + allowed,
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        denials + allowed,
        failures.join("\n")
    );
}
