//! The checks after a run, read straight from the database (the server stopped, so
//! nothing moves) and from the SMTP sink: every acknowledged write is there, nothing is
//! half-applied, every message of a committed change was delivered with its
//! Message-ID, and how many were delivered twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use cpr_testkit::smtp::SmtpServer;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use super::Outcome;
use super::load::{Kind, Load};
use crate::Error;

/// A row of the outbox.
pub struct Message {
    pub id: String,
    pub message_id: String,
    pub recipient: String,
    pub kind: String,
    pub review: Option<String>,
    pub status: String,
}

/// An entry of an audit chain.
pub struct Entry {
    pub chain: String,
    pub kind: String,
    pub payload: String,
}

/// Reads the database's outbox, audit entries and review stages.
pub struct Record {
    pub outbox: Vec<Message>,
    pub entries: Vec<Entry>,
    /// Review id → stage.
    pub stages: HashMap<String, String>,
}

/// A column as text, whatever its type on either database.
fn text(row: &sea_orm::QueryResult, column: &str) -> Result<String, Error> {
    if let Ok(value) = row.try_get::<String>("", column) {
        return Ok(value);
    }
    if let Ok(value) = row.try_get::<uuid::Uuid>("", column) {
        return Ok(value.to_string());
    }
    if let Ok(value) = row.try_get::<Vec<u8>>("", column) {
        return Ok(uuid::Uuid::from_slice(&value)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| String::from_utf8_lossy(&value).into_owned()));
    }
    if let Ok(value) = row.try_get::<serde_json::Value>("", column) {
        return Ok(value.to_string());
    }
    Err(format!("cannot read column {column} as text").into())
}

fn optional(row: &sea_orm::QueryResult, column: &str) -> Option<String> {
    text(row, column).ok()
}

async fn rows(db: &DatabaseConnection, sql: &str) -> Result<Vec<sea_orm::QueryResult>, Error> {
    Ok(db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?)
}

impl Record {
    pub async fn read(url: &str) -> Result<Record, Error> {
        let db = sea_orm::Database::connect(url).await?;
        let mut outbox = Vec::new();
        for row in rows(
            &db,
            "SELECT id, message_id, recipient, kind, review_id, status FROM outbox",
        )
        .await?
        {
            outbox.push(Message {
                id: text(&row, "id")?,
                message_id: text(&row, "message_id")?,
                recipient: text(&row, "recipient")?,
                kind: text(&row, "kind")?,
                review: optional(&row, "review_id"),
                status: text(&row, "status")?,
            });
        }
        let mut entries = Vec::new();
        for row in rows(&db, "SELECT chain, kind, payload FROM audit_entries").await? {
            entries.push(Entry {
                chain: text(&row, "chain")?,
                kind: text(&row, "kind")?,
                payload: optional(&row, "payload").unwrap_or_default(),
            });
        }
        let mut stages = HashMap::new();
        for row in rows(&db, "SELECT id, stage FROM reviews").await? {
            stages.insert(text(&row, "id")?, text(&row, "stage")?);
        }
        db.close().await?;
        Ok(Record {
            outbox,
            entries,
            stages,
        })
    }
}

/// How many messages of the outbox are not yet sent, and how many are dead.
pub async fn undelivered(url: &str) -> Result<(u64, u64), Error> {
    let db = sea_orm::Database::connect(url).await?;
    let mut pending = 0;
    let mut dead = 0;
    for row in rows(&db, "SELECT status FROM outbox").await? {
        match text(&row, "status")?.as_str() {
            "sent" => {}
            "dead" => dead += 1,
            _ => pending += 1,
        }
    }
    db.close().await?;
    Ok((pending, dead))
}

/// Waits until every message of the outbox is sent; returns how long it took. Gives up
/// when `patience` passes with no message delivered (a backlog that is being worked off
/// is waited for, however long — the long variant's mail bursts queue tens of thousands).
pub async fn drain(
    url: &str,
    patience: Duration,
    outcome: &mut Outcome,
) -> Result<Duration, Error> {
    let started = Instant::now();
    let mut fewest = u64::MAX;
    let mut progress_at = Instant::now();
    loop {
        let (pending, dead) = undelivered(url).await?;
        if dead > 0 {
            outcome.require(false, || format!("{dead} message(s) dead-lettered"));
            break;
        }
        if pending == 0 {
            break;
        }
        if pending < fewest {
            fewest = pending;
            progress_at = Instant::now();
        }
        if progress_at.elapsed() > patience {
            outcome.require(false, || {
                format!(
                    "{pending} message(s) still undelivered, none delivered in the last {} s",
                    patience.as_secs()
                )
            });
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(started.elapsed())
}

/// Every acknowledged write is in the record, nothing is half-applied, and the mail
/// matches the outbox. `duplicate_bound`: how many redeliveries the kills allow (the
/// messages a killed worker can have had in flight).
pub fn writes_and_mail(
    load: &Load,
    record: &Record,
    smtp: &SmtpServer,
    duplicate_bound: usize,
    outcome: &mut Outcome,
) {
    let journal = load
        .journal
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut by_chain: HashMap<&str, BTreeMap<&str, Vec<&str>>> = HashMap::new();
    for entry in &record.entries {
        by_chain
            .entry(entry.chain.as_str())
            .or_default()
            .entry(entry.kind.as_str())
            .or_default()
            .push(entry.payload.as_str());
    }
    let chain_of = |review: &str| format!("review/{review}");
    let count = |review: &str, kind: &str| {
        by_chain
            .get(chain_of(review).as_str())
            .and_then(|kinds| kinds.get(kind))
            .map_or(0, Vec::len)
    };

    // Acknowledged and attempted writes of each kind, by review.
    let mut drafts: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut submissions: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut filings: HashMap<(&str, &str), (usize, usize)> = HashMap::new();
    let mut inputs_created: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut subscriptions: HashMap<&str, bool> = HashMap::new();
    for write in &journal.writes {
        let cell = match write.kind {
            Kind::Draft => drafts.entry(write.target.as_str()).or_default(),
            Kind::Submission => submissions.entry(write.target.as_str()).or_default(),
            Kind::InputCreated => inputs_created.entry(write.target.as_str()).or_default(),
            Kind::Filing => filings
                .entry((write.target.as_str(), write.input.as_deref().unwrap_or("")))
                .or_default(),
            Kind::Subscription => {
                *subscriptions.entry(write.target.as_str()).or_default() |= write.acknowledged;
                continue;
            }
        };
        cell.1 += 1;
        if write.acknowledged {
            cell.0 += 1;
        }
    }
    let acknowledged = journal.writes.iter().filter(|w| w.acknowledged).count();
    let errored = journal.writes.len() - acknowledged;
    outcome.figure("writes_acknowledged", acknowledged);
    outcome.figure("writes_errored", errored);
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for write in journal.writes.iter().filter(|w| w.acknowledged) {
        *by_kind.entry(format!("{:?}", write.kind)).or_default() += 1;
    }
    outcome.figure("acknowledged_by_kind", json!(by_kind));
    outcome.figure("answers_by_status", json!(journal.statuses));

    let mut lost = Vec::new();
    let mut half = Vec::new();
    let mut errored_applied = 0;
    // Drafts: each acknowledged one left an entry; an unanswered one left one or none.
    for (review, (acked, attempted)) in &drafts {
        let found = count(review, "report_drafted");
        if found < *acked {
            lost.push(format!(
                "review {review}: {acked} drafts acknowledged, {found} in its chain"
            ));
        }
        if found > *attempted {
            half.push(format!(
                "review {review}: {found} drafts in its chain, only {attempted} sent"
            ));
        }
        errored_applied += found.saturating_sub(*acked);
    }
    // Submissions: a transition, once; the stage agrees with the chain.
    for (review, (acked, _)) in &submissions {
        let found = count(review, "report_submitted");
        let stage = record.stages.get(*review).map_or("?", String::as_str);
        if *acked > 0 && found != 1 {
            lost.push(format!(
                "review {review}: submission acknowledged, {found} report_submitted entries"
            ));
        }
        if found > 1 {
            half.push(format!("review {review}: {found} report_submitted entries"));
        }
        let moved = stage != "state_report";
        if moved != (found == 1) {
            half.push(format!(
                "review {review}: stage {stage} with {found} report_submitted entries"
            ));
        }
        if *acked == 0 && found == 1 {
            errored_applied += 1;
        }
    }
    for (review, (acked, attempted)) in &inputs_created {
        let found = count(review, "input_drafted");
        if found < *acked {
            lost.push(format!(
                "review {review}: {acked} inputs acknowledged, {found} input_drafted entries"
            ));
        }
        let _ = attempted;
    }
    // Filings: each acknowledged one is in its review's chain, once.
    for ((review, input), (acked, _)) in &filings {
        let found = by_chain
            .get(chain_of(review).as_str())
            .and_then(|kinds| kinds.get("input_filed"))
            .map_or(0, |payloads| {
                payloads.iter().filter(|p| p.contains(input)).count()
            });
        if *acked > 0 && found == 0 {
            lost.push(format!(
                "input {input} of review {review}: filing acknowledged, not in the chain"
            ));
        }
        if found > 1 {
            half.push(format!(
                "input {input} of review {review}: filed {found} times"
            ));
        }
        if *acked == 0 && found == 1 {
            errored_applied += 1;
        }
    }
    // Subscriptions: an acknowledged one committed its confirmation mail.
    let mut to_recipient: HashMap<&str, usize> = HashMap::new();
    for message in &record.outbox {
        *to_recipient.entry(message.recipient.as_str()).or_default() += 1;
    }
    for (email, acked) in &subscriptions {
        let queued = to_recipient.get(email).copied().unwrap_or(0);
        if *acked && queued == 0 {
            lost.push(format!(
                "subscription of {email} acknowledged, no confirmation in the outbox"
            ));
        }
        if queued > 1 {
            half.push(format!("{queued} confirmations queued to {email}"));
        }
        if !*acked && queued == 1 {
            errored_applied += 1;
        }
    }
    outcome.figure("acknowledged_writes_checked", acknowledged);
    outcome.figure("lost", lost.len());
    outcome.figure("half_applied", half.len());
    outcome.figure("errored_but_applied_whole", errored_applied);
    outcome.require(lost.is_empty(), || {
        format!(
            "{} acknowledged write(s) lost: {}",
            lost.len(),
            first(&lost)
        )
    });
    outcome.require(half.is_empty(), || {
        format!(
            "{} half-applied or doubled write(s): {}",
            half.len(),
            first(&half)
        )
    });
    outcome.require(journal.answers_500.is_empty(), || {
        format!(
            "{} answer(s) 500: {}",
            journal.answers_500.len(),
            first(&journal.answers_500)
        )
    });
    outcome.figure("unexpected_answers", journal.unexpected.len());
    outcome.require(journal.unexpected.is_empty(), || {
        format!(
            "{} unexpected 4xx answer(s): {}",
            journal.unexpected.len(),
            first(&journal.unexpected)
        )
    });
    drop(journal);

    // Mail: every message of the outbox reached the sink, each with its Message-ID.
    let received = smtp.received_all();
    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut without_id = 0;
    for mail in &received {
        let id = mail.message_id();
        if id.is_empty() {
            without_id += 1;
        } else {
            *per_id.entry(id).or_default() += 1;
        }
    }
    let known: BTreeSet<&str> = record
        .outbox
        .iter()
        .map(|m| m.message_id.as_str())
        .collect();
    let missing: Vec<String> = record
        .outbox
        .iter()
        .filter(|m| !per_id.contains_key(&m.message_id))
        .map(|m| {
            format!(
                "{} ({} to {}, {})",
                m.message_id, m.kind, m.recipient, m.status
            )
        })
        .collect();
    let strangers: Vec<&String> = per_id
        .keys()
        .filter(|id| !known.contains(id.as_str()))
        .collect();
    let duplicated: Vec<(String, usize)> = per_id
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, n)| (id.clone(), *n))
        .collect();
    let duplicates: usize = duplicated.iter().map(|(_, n)| n - 1).sum();
    let kinds: BTreeMap<&str, usize> =
        record.outbox.iter().fold(BTreeMap::new(), |mut kinds, m| {
            *kinds.entry(m.kind.as_str()).or_default() += 1;
            kinds
        });
    // The same notice queued more than once to one recipient about one review: not an
    // invariant of the issue, but a scheduler that repeats itself at every start shows
    // here (the figure is printed, never judged).
    let mut notices: HashMap<(&str, &str, Option<&str>), usize> = HashMap::new();
    for m in &record.outbox {
        *notices
            .entry((m.kind.as_str(), m.recipient.as_str(), m.review.as_deref()))
            .or_default() += 1;
    }
    let mut repeats: BTreeMap<&str, usize> = BTreeMap::new();
    for ((kind, _, _), n) in &notices {
        if *n > 1 {
            *repeats.entry(kind).or_default() += n - 1;
        }
    }
    outcome.figure("outbox_same_notice_repeated_by_kind", json!(repeats));
    outcome.figure("mails_expected", record.outbox.len());
    outcome.figure("mails_by_kind", json!(kinds));
    outcome.figure("mails_received", received.len());
    outcome.figure("mails_missing", missing.len());
    outcome.figure("mails_duplicates", duplicates);
    outcome.figure("mails_duplicate_bound", duplicate_bound);
    outcome.figure(
        "mails_duplicated_message_ids",
        json!(
            duplicated
                .iter()
                .map(|(id, n)| format!("{id} x{n}"))
                .collect::<Vec<_>>()
        ),
    );
    outcome.require(missing.is_empty(), || {
        format!(
            "{} message(s) of the outbox never delivered: {}",
            missing.len(),
            first(&missing)
        )
    });
    outcome.require(without_id == 0, || {
        format!("{without_id} delivered message(s) without a Message-ID")
    });
    outcome.require(strangers.is_empty(), || {
        format!(
            "{} delivered Message-ID(s) not in the outbox, e.g. {}",
            strangers.len(),
            strangers[0]
        )
    });
    outcome.require(duplicates <= duplicate_bound, || {
        format!(
            "{duplicates} duplicate deliveries, above the in-flight bound of {duplicate_bound}: {}",
            duplicated
                .iter()
                .take(10)
                .map(|(id, n)| format!("{id} x{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    // A Message-ID is derived from its outbox row, so a redelivery carries the same one.
    let unstable = record
        .outbox
        .iter()
        .filter(|m| !m.message_id.contains(&m.id))
        .count();
    outcome.require(unstable == 0, || {
        format!("{unstable} outbox row(s) whose Message-ID is not derived from the row")
    });
    let not_sent = record.outbox.iter().filter(|m| m.status != "sent").count();
    outcome.require(not_sent == 0, || {
        format!("{not_sent} message(s) of the outbox not marked sent")
    });
}

fn first(items: &[String]) -> String {
    let mut text = items.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
    if items.len() > 3 {
        text.push_str(&format!("; and {} more", items.len() - 3));
    }
    text
}

/// How long after a kill a message the killed process had fully written can still be
/// acknowledged by the relay (it was in the socket's buffers).
const ACK_AFTER_KILL: Duration = Duration::from_millis(250);

/// Ties every duplicate delivery to the kill that caused it: the copy before it must have
/// been acknowledged before a kill (in flight when the process died, its outcome not yet
/// recorded), and no kill may cost more than `in_flight` copies (the messages a worker
/// sends at once). A duplicate whose previous copy no kill follows is a redelivery
/// without a crash: an outcome the worker failed to record.
pub fn duplicates_by_kill(
    smtp: &SmtpServer,
    kills: &[Instant],
    in_flight: usize,
    outcome: &mut Outcome,
) {
    let received = smtp.received_all();
    // Each copy after the first is owed to the kill that caught the copy before it in
    // flight: a message caught at two kills (sent again, and caught again) counts once
    // at each.
    let mut last_copy: HashMap<String, Instant> = HashMap::new();
    let mut redelivered: Vec<Instant> = Vec::new();
    for mail in &received {
        let id = mail.message_id();
        if id.is_empty() {
            continue;
        }
        if let Some(previous) = last_copy.insert(id, mail.at) {
            redelivered.push(previous);
        }
    }
    let mut per_kill = vec![0usize; kills.len()];
    // How long before its kill each duplicate's previous copy was acknowledged.
    let mut lead_ms: Vec<u128> = Vec::new();
    let mut without_kill = 0usize;
    for first in redelivered {
        // The first kill at or after the previous copy's acknowledgement (less the time a
        // buffered message can still arrive after the kill).
        let next = kills
            .iter()
            .position(|kill| *kill + ACK_AFTER_KILL >= first);
        match next {
            Some(k) => {
                per_kill[k] += 1;
                lead_ms.push(kills[k].saturating_duration_since(first).as_millis());
            }
            None => without_kill += 1,
        }
    }
    lead_ms.sort_unstable();
    let worst = per_kill.iter().copied().max().unwrap_or(0);
    outcome.figure("mails_duplicates_per_kill", json!(per_kill));
    outcome.figure("mails_duplicates_per_kill_max", worst);
    outcome.figure(
        "mails_duplicate_previous_copy_before_kill_ms_max",
        lead_ms.last().copied().unwrap_or(0) as u64,
    );
    outcome.figure("mails_duplicates_without_a_kill", without_kill);
    outcome.require(worst <= in_flight, || {
        format!(
            "a kill cost {worst} redeliveries, more than the {in_flight} messages in flight: {per_kill:?}"
        )
    });
    outcome.require(without_kill == 0, || {
        format!("{without_kill} message(s) delivered twice with no kill after the first copy")
    });
}
