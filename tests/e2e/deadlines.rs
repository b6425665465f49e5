//! The deadline scheduler and reminders, with several processes and across a restart.

use std::collections::BTreeSet;
use std::time::Duration;

use cpr_service::SchedulerRun;
use cpr_store::statements::counted;
use time::macros::datetime;

use crate::support::*;
use cpr_testkit::smtp::{Received, SmtpServer};

/// The hard close of the state report of a review whose session is on [`WG_SESSION`].
const REPORT_DUE: time::OffsetDateTime = datetime!(2027-03-23 23:59:59 UTC);

fn options(smtp: &SmtpServer, scheduler: bool) -> AppOptions {
    AppOptions {
        smtp_port: Some(smtp.port),
        worker: true,
        scheduler,
        max_attempts: Some(5),
    }
}

/// Waits (generously) until the review is in `stage`.
async fn until_stage(app: &TestApp, review: &str, stage: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while app.review(review).await["stage"] != stage {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never reached {stage}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until nothing is queued, then gives the recipients of each mail of `kind`.
async fn recipients_of(app: &TestApp, smtp: &SmtpServer, kind: &str) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let queued = app
            .list("/api/v1/outbox?status=queued", Some(&app.secretariat))
            .await;
        if queued.as_array().unwrap().is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still queued");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let mut to: Vec<String> = smtp
        .received()
        .iter()
        .filter(|m| m.notice() == kind)
        .map(|m: &Received| m.rcpt_to.join(","))
        .collect();
    to.sort();
    to
}

#[tokio::test]
async fn a_deadline_that_passed_while_the_server_was_stopped_is_acted_on_once_after_restart() {
    let smtp = SmtpServer::start().await;
    let mut app = spawn_app_with(options(&smtp, false)).await;
    let sur = app.delegate_account(SUR).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    let review = app.open_review(&cycle, SUR).await;
    assert_eq!(recipients_of(&app, &smtp, "review_opened").await.len(), 1);
    let _ = sur;

    // The server is down while the report deadline passes.
    app.stop().await;
    app.set_time(REPORT_DUE + time::Duration::hours(10));

    // Two processes come up with their schedulers: the review moves on once.
    app.restart(options(&smtp, true)).await;
    let other = app.process(options(&smtp, true)).await;
    until_stage(&app, &review, "stakeholder_input").await;
    let again = app.service.run_deadlines().await.unwrap();
    assert_eq!(again.transitions, 0);
    other.stop().await;

    let audit = app.audit(&review).await;
    let missed: Vec<_> = audit
        .iter()
        .filter(|e| e["kind"] == "report_not_submitted")
        .collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["actor"], "system");
    verify_entries(&audit);
    let view = app.review(&review).await;
    assert_eq!(view["report"]["submission"]["status"], "missed", "{view:#}");

    // The actor concerned and the secretariat are told, once each.
    let told = recipients_of(&app, &smtp, "deadline_missed").await;
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told.contains(&"officer@secretariat.example".to_owned()));
    let ids: BTreeSet<String> = smtp.received().iter().map(Received::message_id).collect();
    assert_eq!(ids.len(), smtp.received().len());
}

#[tokio::test]
async fn reminders_go_out_seven_days_and_one_day_before_a_deadline_once_each() {
    let smtp = SmtpServer::start().await;
    let mut app = spawn_app_with(options(&smtp, false)).await;
    app.delegate_account(SUR).await;
    app.delegate_account(SUR).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    app.open_review(&cycle, SUR).await;
    let other = app.process(AppOptions::default()).await;

    // Eight days before: nothing yet.
    app.set_time(REPORT_DUE - time::Duration::days(8));
    assert_eq!(app.service.run_deadlines().await.unwrap().reminders, 0);

    // A week before, two schedulers at once, twice: one reminder to each delegate.
    app.set_time(REPORT_DUE - time::Duration::days(7) + time::Duration::hours(1));
    for _ in 0..2 {
        let (a, b) = tokio::join!(app.service.run_deadlines(), other.service.run_deadlines());
        let _ = (a.unwrap(), b.unwrap());
    }
    assert_eq!(recipients_of(&app, &smtp, "reminder").await.len(), 2);
    let week = smtp
        .received()
        .into_iter()
        .find(|m| m.notice() == "reminder")
        .unwrap();
    assert!(
        week.header("Subject").unwrap().contains("due in 7 days"),
        "{}",
        week.data
    );

    // The day before, after a restart: the one-day reminder, once.
    app.restart(options(&smtp, false)).await;
    app.set_time(REPORT_DUE - time::Duration::hours(12));
    let (a, b) = tokio::join!(app.service.run_deadlines(), other.service.run_deadlines());
    assert_eq!(a.unwrap().reminders + b.unwrap().reminders, 1);
    assert_eq!(app.service.run_deadlines().await.unwrap().reminders, 0);
    assert_eq!(recipients_of(&app, &smtp, "reminder").await.len(), 4);
    other.stop().await;
}

#[tokio::test]
async fn the_scheduler_reads_a_review_again_only_when_its_next_reminder_or_deadline_comes() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(options(&smtp, false)).await;
    app.delegate_account(SUR).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    app.open_review(&cycle, SUR).await;

    app.set_time(REPORT_DUE - time::Duration::days(7) + time::Duration::hours(1));
    assert_eq!(app.service.run_deadlines().await.unwrap().reminders, 1);

    // Until the one-day reminder nothing is due: a run reads the attention index, and
    // not the review.
    for days in [6, 3, 2] {
        app.set_time(REPORT_DUE - time::Duration::days(days));
        let (run, statements) = counted(app.service.run_deadlines()).await;
        assert_eq!(run.unwrap(), SchedulerRun::default());
        assert_eq!(statements, 1, "{days} days before the deadline");
    }

    app.set_time(REPORT_DUE - time::Duration::hours(12));
    assert_eq!(app.service.run_deadlines().await.unwrap().reminders, 1);
    app.set_time(REPORT_DUE + time::Duration::hours(1));
    assert_eq!(app.service.run_deadlines().await.unwrap().transitions, 1);
}

#[tokio::test]
async fn an_input_window_reminder_goes_only_to_stakeholders_who_have_not_filed() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(options(&smtp, false)).await;
    let f = app.review_at(At::StakeholderInput).await;
    let org = app.organisation("stakeholder", "Late NGO").await;
    app.account(serde_json::json!({"role": "stakeholder", "organisation": org, "name": "Late", "email": "late@ngo.example"}))
        .await;
    let drafted = app
        .post(
            &f.path("/inputs"),
            &f.stakeholder,
            serde_json::json!({"text": "Our input.", "norms": ["13e"], "sectors": ["healthcare"]}),
        )
        .await
        .expect(201);
    let input = drafted["created_input"].as_str().unwrap();
    app.act(&f.path(&format!("/inputs/{input}/filing")), &f.stakeholder)
        .await
        .expect(200);
    // The window closes 2027-04-06 23:59:59; a week before, one reminder.
    app.set_time(datetime!(2027-03-31 08:00 UTC));
    assert_eq!(app.service.run_deadlines().await.unwrap().reminders, 1);
    assert_eq!(app.service.run_deadlines().await.unwrap().reminders, 0);
    assert_eq!(
        recipients_of(&app, &smtp, "reminder").await,
        ["late@ngo.example"]
    );
}
