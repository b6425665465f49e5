//! Replica: `cpr serve` on a throwaway PostgreSQL primary with a streaming hot standby
//! as `database.replica_url`. Checks that every public page and public API read is
//! answered from the standby (none of them writes: a write there would fail), that they
//! really are read there (with the standby's replay paused, a change on the primary is
//! seen at once by an authenticated read and by a public read only once replayed), how
//! stale a public read is under writes, and that with the standby stopped the public
//! reads are answered from the primary: never a 500, never a refusal.

use std::time::{Duration, Instant};

use cpr_testkit::smtp::SmtpServer;
use sea_orm::{ConnectionTrait, Database as Connect, DatabaseConnection};
use serde_json::json;
use time::OffsetDateTime;

use super::cluster::Cluster;
use super::load::{Reply, seed_fixture, send};
use super::process::{Proc, Role, verify};
use super::{FaultOptions, Outcome};
use crate::Error;
use crate::api::Api;
use crate::server::{Database, FreshDatabase, Launcher, MailOptions};

/// How long the server reads public pages from the primary after the replica failed
/// (`cpr_api::reads::REST`; the tool talks to the server only over HTTP).
const REPLICA_REST: Duration = Duration::from_secs(5);

/// How long a change may take to show on the standby before the run fails.
const REPLAYED_WITHIN: Duration = Duration::from_secs(15);

/// The public reads of a seeded review: site pages, feeds, exports and API reads.
fn public_paths(review: &str, state: &str, cycle: &str) -> Vec<String> {
    let mut paths: Vec<String> = [
        "/en/",
        "/fr/",
        "/en/recommendations",
        "/en/recommendations.csv",
        "/en/recommendations.json",
        "/en/search?q=report",
        "/en/open-data",
        "/feeds/publications.atom",
        "/static/site.css",
        "/api/v1/cycles",
        "/api/v1/reviews",
        "/api/v1/documents",
        "/api/v1/recommendations",
        "/api/v1/states",
        "/api/v1/rule-sets",
        "/api/v1/accreditations",
        "/api/v1/audit/kinds",
        "/api/v1/audit/registry",
        "/api/v1/search?q=report",
        "/api/v1/log/key",
        "/api/v1/log/checkpoints",
        "/api/v1/log/leaves?start=0&end=5",
        "/api/v1/openapi.json",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    paths.extend([
        format!("/en/reviews/{review}"),
        format!("/en/cycles/{cycle}"),
        format!("/en/states/{state}"),
        format!("/api/v1/reviews/{review}"),
        format!("/api/v1/reviews/{review}/audit"),
        format!("/api/v1/reviews/{review}/documents"),
        format!("/api/v1/reviews/{review}/draws"),
        format!("/api/v1/cycles/{cycle}"),
        format!("/api/v1/cycles/{cycle}/audit"),
        format!("/api/v1/states/{state}"),
        format!("/api/v1/states/{state}/pledges"),
    ]);
    paths
}

/// `cpr_replica_fallbacks_total` of the server's `/metrics`.
async fn replica_fallbacks(client: &reqwest::Client, base: &str) -> Option<u64> {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("cpr_replica_fallbacks_total "))
        .and_then(|n| n.trim().parse().ok())
}

async fn connect(url: &str) -> Result<DatabaseConnection, Error> {
    Ok(Connect::connect(url).await?)
}

/// Opens a cycle named `name` next year (the seeded one is this year's) on the primary.
async fn open_marker_cycle(
    api: &Api,
    secretariat: &str,
    name: &str,
    state: &str,
) -> Result<(), Error> {
    let year = OffsetDateTime::now_utc().year() + 1;
    api.post(
        "/api/v1/cycles",
        secretariat,
        &json!({"name": name, "starts_on": format!("{year}-01-01"), "pool": [state]}),
        201,
    )
    .await?;
    Ok(())
}

/// The public list of cycles, as read anonymously.
async fn publicly_listed(client: &reqwest::Client, base: &str) -> Reply {
    send(
        client,
        reqwest::Method::GET,
        &format!("{base}/api/v1/cycles?limit=100"),
        None,
        None,
    )
    .await
}

fn lists(reply: &Reply, name: &str) -> bool {
    reply.ok() && reply.body.to_string().contains(name)
}

/// Polls the public list until it names `name`; how long that took, or `None`.
async fn until_listed(client: &reqwest::Client, base: &str, name: &str) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < REPLAYED_WITHIN {
        if lists(&publicly_listed(client, base).await, name) {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    None
}

/// What pausing the standby's replay showed about where reads are answered.
struct ReadThere {
    seen_by_participant: bool,
    public_while_paused: Reply,
    seen_by_public: bool,
    after_resume: Option<Duration>,
}

impl ReadThere {
    fn record(&self, outcome: &mut Outcome, prefix: &str) {
        outcome.figure(
            &format!("{prefix}authenticated_read_sees_change_at_once"),
            self.seen_by_participant,
        );
        outcome.figure(
            &format!("{prefix}public_read_sees_change_before_replay"),
            self.seen_by_public,
        );
        outcome.figure(
            &format!("{prefix}public_read_after_replay_resumed_ms"),
            self.after_resume.map(|d| d.as_millis() as u64),
        );
        outcome.require(self.seen_by_participant, || {
            format!("{prefix}an authenticated read did not see a change it made (not read from the primary)")
        });
        outcome.require(self.public_while_paused.ok() && !self.seen_by_public, || {
            format!(
                "{prefix}with the replica's replay paused, a public read saw the change or failed \
                 ({:?}): public reads are not answered from the replica",
                self.public_while_paused.status
            )
        });
        outcome.require(self.after_resume.is_some(), || {
            format!(
                "{prefix}the change did not reach public reads within {} s of the replay resuming",
                REPLAYED_WITHIN.as_secs()
            )
        });
    }
}

/// Pauses the standby's replay, makes a change on the primary, reads it back with and
/// without a token, resumes the replay and waits for the public read to show it.
async fn read_there(
    api: &Api,
    client: &reqwest::Client,
    standby_db: &DatabaseConnection,
    secretariat: &str,
    state: &str,
    tag: &str,
) -> Result<ReadThere, Error> {
    standby_db
        .execute_unprepared("SELECT pg_wal_replay_pause()")
        .await?;
    let marker = format!("Replica marker {tag}");
    open_marker_cycle(api, secretariat, &marker, state).await?;
    let by_participant = api
        .get("/api/v1/cycles?limit=100", Some(secretariat))
        .await?;
    let public_while_paused = publicly_listed(client, &api.base).await;
    let seen_by_public = lists(&public_while_paused, &marker);
    standby_db
        .execute_unprepared("SELECT pg_wal_replay_resume()")
        .await?;
    Ok(ReadThere {
        seen_by_participant: by_participant.body.to_string().contains(&marker),
        public_while_paused,
        seen_by_public,
        after_resume: until_listed(client, &api.base, &marker).await,
    })
}

pub async fn run(launcher: &Launcher, options: &FaultOptions) -> Result<Outcome, Error> {
    let mut outcome = Outcome::new("read replica on PostgreSQL");
    let primary = Cluster::create(&options.pg_bin)?;
    primary.start()?;
    let standby = Cluster::standby_of(&primary)?;
    standby.start()?;
    let smtp = SmtpServer::start().await;
    let db = FreshDatabase::create(&Database::Postgres(primary.url())).await?;
    let replica_url = standby.same_database(&db.url, &primary);
    let mail = MailOptions::delivering(smtp.port);
    let secretariat = launcher.bootstrap(&db, &mail)?;
    let env = vec![
        ("CPR_DATABASE__REPLICA_URL".to_owned(), replica_url.clone()),
        (
            "CPR_DATABASE__ACQUIRE_TIMEOUT_MS".to_owned(),
            options.acquire_timeout_ms.to_string(),
        ),
    ];
    let mut server = Proc::new(Role::Serve, &db, "serve", env)?;
    server.start(launcher, &db, &mail).await?;
    let base = server.base();
    let api = Api::new(&base).with_mailbox(smtp.mailbox());
    eprintln!("  seeding 4 reviews on the primary");
    let fixture = seed_fixture(&api, &secretariat, 4, 2, "replica").await?;
    let (review, state, _) = fixture.reviews[0].clone();
    let cycle = api
        .get(&format!("/api/v1/reviews/{review}"), Some(&secretariat))
        .await?
        .text("/cycle")
        .unwrap_or_default();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let standby_db = connect(&replica_url).await?;
    let mut five_hundreds = Vec::new();

    // The seeding replayed: the last review is public on the standby.
    let last = &fixture.reviews[fixture.reviews.len() - 1].0;
    let started = Instant::now();
    loop {
        let reply = send(
            &client,
            reqwest::Method::GET,
            &format!("{base}/api/v1/reviews/{last}"),
            None,
            None,
        )
        .await;
        if reply.ok() || started.elapsed() > REPLAYED_WITHIN {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // 1. Every public read answers from the standby (a read-only database: any write
    // among them would fail there).
    let paths = public_paths(&review, &state, &cycle);
    let mut refused = Vec::new();
    for path in &paths {
        for method in [reqwest::Method::GET, reqwest::Method::HEAD] {
            let reply = send(
                &client,
                method.clone(),
                &format!("{base}{path}"),
                None,
                None,
            )
            .await;
            match reply.status {
                Some(status) if (200..400).contains(&status) => {}
                Some(500..) => five_hundreds.push(format!("{method} {path}")),
                other => refused.push(format!("{method} {path}: {other:?} {:?}", reply.code)),
            }
        }
    }
    outcome.figure("public_reads_checked", paths.len() * 2);
    outcome.figure("public_reads_not_2xx_3xx", refused.len());
    outcome.require(refused.is_empty(), || {
        format!(
            "public reads refused from the replica: {}",
            refused.join("; ")
        )
    });

    // 2. Read there: replay paused, a change is on the primary only.
    let proof = read_there(&api, &client, &standby_db, &secretariat, &state, "0").await?;
    proof.record(&mut outcome, "");

    // 3. How stale: changes on the primary, each polled until public.
    let mut lags: Vec<u64> = Vec::new();
    let markers = if options.short { 10 } else { 50 };
    for i in 1..=markers {
        let name = format!("Replica marker {i}");
        open_marker_cycle(&api, &secretariat, &name, &state).await?;
        if let Some(lag) = until_listed(&client, &base, &name).await {
            lags.push(lag.as_millis() as u64);
        }
    }
    lags.sort_unstable();
    outcome.figure("staleness_changes", markers);
    outcome.figure("staleness_ms_median", lags.get(lags.len() / 2).copied());
    outcome.figure("staleness_ms_max", lags.last().copied());
    outcome.require(lags.len() == markers, || {
        format!(
            "{} of {markers} changes never reached the public reads",
            markers - lags.len()
        )
    });

    // 4. The standby stopped: public reads are answered from the primary.
    eprintln!("  stopping the standby");
    standby.stop()?;
    let mut while_down = Vec::new();
    for path in paths.iter().take(12) {
        let reply = send(
            &client,
            reqwest::Method::GET,
            &format!("{base}{path}"),
            None,
            None,
        )
        .await;
        while_down.push((path.clone(), reply));
    }
    let down_not_served: Vec<String> = while_down
        .iter()
        .filter(|(_, reply)| !reply.status.is_some_and(|s| (200..400).contains(&s)))
        .map(|(path, reply)| format!("{path}: {:?} {:?}", reply.status, reply.code))
        .collect();
    five_hundreds.extend(
        while_down
            .iter()
            .filter(|(_, reply)| reply.status.is_some_and(|s| s >= 500 && s != 503))
            .map(|(path, _)| format!("GET {path} (replica down)")),
    );
    let slowest = while_down
        .iter()
        .map(|(_, reply)| reply.latency)
        .max()
        .unwrap_or_default();
    // The first read finds the replica gone (and waits for its connection bound); the
    // others go straight to the primary while the replica rests.
    let after_first = while_down
        .iter()
        .skip(1)
        .map(|(_, reply)| reply.latency)
        .max()
        .unwrap_or_default();
    outcome.figure(
        "slowest_public_read_while_replica_down_after_the_first_ms",
        after_first.as_millis() as u64,
    );
    outcome.figure("public_reads_while_replica_down", while_down.len());
    outcome.figure(
        "public_reads_not_served_while_replica_down",
        down_not_served.len(),
    );
    outcome.figure(
        "slowest_public_read_while_replica_down_ms",
        slowest.as_millis() as u64,
    );
    outcome.require(down_not_served.is_empty(), || {
        format!(
            "with the replica down, public reads were not answered from the primary: {}",
            down_not_served.join("; ")
        )
    });
    let fallbacks = replica_fallbacks(&client, &base).await;
    outcome.figure("cpr_replica_fallbacks_total_while_down", fallbacks);
    outcome.require(fallbacks.is_some_and(|n| n >= 1), || {
        format!("/metrics did not count the reads the replica failed ({fallbacks:?})")
    });
    let marker = "Replica marker while down";
    open_marker_cycle(&api, &secretariat, marker, &state).await?;
    let listed_while_down = lists(&publicly_listed(&client, &base).await, marker);
    outcome.figure(
        "public_read_from_primary_while_replica_down",
        listed_while_down,
    );
    outcome.require(listed_while_down, || {
        "with the replica down, a public read did not show the primary's record".into()
    });
    standby.start()?;
    // Once the replica has rested, public reads are answered there again.
    tokio::time::sleep(REPLICA_REST + Duration::from_millis(500)).await;
    let standby_db = connect(&replica_url).await?;
    let proof = read_there(&api, &client, &standby_db, &secretariat, &state, "back").await?;
    proof.record(&mut outcome, "replica_back_");

    outcome.figure("answered_500", five_hundreds.len());
    outcome.require(five_hundreds.is_empty(), || {
        format!("answers 500: {}", five_hundreds.join("; "))
    });
    let alive = server.alive();
    outcome.require(alive, || "cpr serve exited".into());
    let panics = server.panics();
    server.stop()?;
    let (verified, said) = verify(launcher, &db, &mail)?;
    outcome.figure("cpr_verify", if verified { "exit 0" } else { "exit 1" });
    outcome.require(verified, || format!("cpr verify failed: {said}"));
    outcome.require(panics.is_empty(), || {
        format!("panics in the log: {}", panics.join(" | "))
    });
    if !outcome.failures.is_empty() {
        let kept =
            std::env::temp_dir().join(format!("cpr_faults_replica_{}.log", std::process::id()));
        let _ = std::fs::copy(&server.log, &kept);
        eprintln!("  server log kept in {}", kept.display());
    }
    drop(standby_db);
    db.remove().await;
    drop(standby);
    drop(primary);
    Ok(outcome)
}
