//! Seeding through the API, as the secretariat and the parties would: the register's
//! states, a cycle with all of them in its pool and a review of each, delegates,
//! accredited stakeholder organisations with members, drafts and submissions.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use cpr_testkit::smtp::secret_in_mail;

use crate::Error;
use crate::api::{Api, concurrently};

/// How many seeding requests run at once.
pub const SEEDING_CONCURRENCY: usize = 16;

/// An RFC 3339 timestamp `seconds` from now.
pub fn from_now(seconds: i64) -> Result<String, Error> {
    Ok((OffsetDateTime::now_utc() + time::Duration::seconds(seconds)).format(&Rfc3339)?)
}

/// Every item of a paged list (pages of 200, following `next`).
pub async fn list(api: &Api, path: &str, token: Option<&str>) -> Result<Vec<Value>, Error> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_path = match &cursor {
            None => format!("{path}{separator}limit=200"),
            Some(next) => format!("{path}{separator}limit=200&cursor={next}"),
        };
        let page = api.get(&page_path, token).await?;
        items.extend(page.body["items"].as_array().cloned().unwrap_or_default());
        match page.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(items),
        }
    }
}

/// The codes of the register's states (the 193 UN members).
pub async fn state_codes(api: &Api) -> Result<Vec<String>, Error> {
    Ok(list(api, "/api/v1/states", None)
        .await?
        .iter()
        .filter_map(|state| state["code"].as_str().map(str::to_owned))
        .collect())
}

/// Opens a cycle with `pool`, starting on the first day of this year.
pub async fn open_cycle(
    api: &Api,
    secretariat: &str,
    name: &str,
    pool: &[String],
) -> Result<String, Error> {
    let year = OffsetDateTime::now_utc().year();
    api.post(
        "/api/v1/cycles",
        secretariat,
        &json!({"name": name, "starts_on": format!("{year}-01-01"), "pool": pool}),
        201,
    )
    .await?
    .text("/id")
}

/// A review's deadlines, `start` seconds from now and `step` seconds apart, with the
/// working-group session after them.
#[derive(Clone, Debug)]
pub struct Calendar {
    pub state_report: String,
    pub input_window: String,
    pub compilation: String,
    pub advance_questions: String,
    pub wg_session: String,
}

impl Calendar {
    pub fn ahead(start: i64, step: i64) -> Result<Calendar, Error> {
        Ok(Calendar {
            state_report: from_now(start)?,
            input_window: from_now(start + step)?,
            compilation: from_now(start + 2 * step)?,
            advance_questions: from_now(start + 3 * step)?,
            wg_session: from_now(start + 4 * step)?,
        })
    }
}

/// Opens a review of each state of `states` in `cycle`, returning their ids in order.
pub async fn open_reviews(
    api: &Api,
    secretariat: &str,
    cycle: &str,
    states: &[String],
    calendar: &Calendar,
) -> Result<Vec<String>, Error> {
    let jobs = states
        .iter()
        .map(|state| {
            let (api, secretariat, cycle, calendar) = (
                api.clone(),
                secretariat.to_owned(),
                cycle.to_owned(),
                calendar.clone(),
            );
            let body = json!({
                "state": state,
                "wg_session": calendar.wg_session,
                "deadlines": {
                    "state_report": calendar.state_report,
                    "input_window": calendar.input_window,
                    "compilation": calendar.compilation,
                    "advance_questions": calendar.advance_questions,
                },
            });
            async move {
                api.post(
                    &format!("/api/v1/cycles/{cycle}/reviews"),
                    &secretariat,
                    &body,
                    201,
                )
                .await?
                .text("/id")
            }
        })
        .collect();
    concurrently(jobs, SEEDING_CONCURRENCY).await
}

/// Creates an account of `body` and returns a token for it, obtained as its holder
/// obtains one: from the invitation mailed to the account's address (the secretariat
/// never holds another account's token).
pub async fn account_token(api: &Api, secretariat: &str, body: &Value) -> Result<String, Error> {
    api.post("/api/v1/accounts", secretariat, body, 201).await?;
    let email = body["email"]
        .as_str()
        .ok_or("an account needs an email address")?;
    let mailbox = api
        .mailbox
        .as_ref()
        .ok_or("accounts with tokens need the server's mail delivered to the tool")?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let secret = loop {
        if let Some(secret) = mailbox.latest_to(email).as_deref().and_then(secret_in_mail) {
            break secret;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("no invitation reached {email} within a minute").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let redeem = json!({"secret": secret, "label": "bench"});
    api.call(
        reqwest::Method::POST,
        "/api/v1/invitations",
        None,
        Some(&redeem),
        &[],
        201,
    )
    .await?
    .text("/token")
}

/// A delegate of each of `states`, with a token each, in order.
pub async fn delegates(
    api: &Api,
    secretariat: &str,
    states: &[String],
) -> Result<Vec<String>, Error> {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let jobs = states
        .iter()
        .map(|state| {
            let (api, secretariat) = (api.clone(), secretariat.to_owned());
            let body = json!({
                "role": "state",
                "state": state,
                "name": format!("Delegate of {state}"),
                "email": format!("{}.{run}@delegation.example", state.to_lowercase()),
            });
            async move { account_token(&api, &secretariat, &body).await }
        })
        .collect();
    concurrently(jobs, SEEDING_CONCURRENCY).await
}

/// `count` stakeholder organisations accredited through the real procedure (registered,
/// proposed with an objection period of two seconds, decided once it closed), with one
/// member each; returns the members' tokens.
pub async fn stakeholders(
    api: &Api,
    secretariat: &str,
    count: usize,
    tag: &str,
) -> Result<Vec<String>, Error> {
    let jobs = (0..count)
        .map(|n| {
            let (api, secretariat) = (api.clone(), secretariat.to_owned());
            let body = json!({
                "kind": "stakeholder",
                "name": format!("Watch {tag} {n}"),
                "stakeholder_kind": "ngo",
            });
            async move {
                let id = api
                    .post("/api/v1/organisations", &secretariat, &body, 201)
                    .await?
                    .text("/id")?;
                api.post(
                    &format!("/api/v1/organisations/{id}/accreditation/proposal"),
                    &secretariat,
                    &json!({"objection_period_closes_at": from_now(2)?}),
                    200,
                )
                .await?;
                Ok(id)
            }
        })
        .collect();
    let organisations: Vec<String> = concurrently(jobs, SEEDING_CONCURRENCY).await?;
    // The last period closes two seconds after the last proposal.
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    let jobs = organisations
        .into_iter()
        .enumerate()
        .map(|(n, id)| {
            let (api, secretariat) = (api.clone(), secretariat.to_owned());
            let tag = tag.to_owned();
            async move {
                // The server may still count the period as open for a moment (its
                // clock, its rounding): ask again shortly rather than fail.
                let decision = format!("/api/v1/organisations/{id}/accreditation/decision");
                let mut tries = 0;
                while let Err(error) = api
                    .post(
                        &decision,
                        &secretariat,
                        &json!({"outcome": "accredited"}),
                        200,
                    )
                    .await
                {
                    tries += 1;
                    if tries > 20 || !error.to_string().contains("objection_period_open") {
                        return Err(error);
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                account_token(
                    &api,
                    &secretariat,
                    &json!({
                        "role": "stakeholder",
                        "organisation": id,
                        "name": format!("Member of watch {tag} {n}"),
                        "email": format!("member.{tag}.{n}@watch.example"),
                    }),
                )
                .await
            }
        })
        .collect();
    concurrently(jobs, SEEDING_CONCURRENCY).await
}

/// A report draft of about 1 KB; `{n}` makes each one different when the client sends it.
pub fn small_draft(n: &str) -> Value {
    let text =
        format!("Draft {n}. ") + &"The state reports its activity under the norms. ".repeat(20);
    json!({"foreign_activity": text})
}
