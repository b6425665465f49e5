//! The transparency log: every chain entry is a leaf, the signed checkpoints verify with
//! the published key, every proof checks out as RFC 9162 says, bad ranges are 400s; and
//! the record tampered with in the database is caught by the full check (`cpr verify`),
//! by the server's own check, which then refuses writes with 503 `integrity_failure`,
//! and never appended after a cut tail.

use std::time::Duration;

use cpr_domain::tlog::{self, Hash, NoteVerifier};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::support::*;

fn hash(text: &str) -> Hash {
    hex::decode(text).unwrap().try_into().unwrap()
}

fn path(proof: &Value) -> Vec<Hash> {
    proof["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| hash(h.as_str().unwrap()))
        .collect()
}

/// Waits until a checkpoint covers every leaf of the log, and answers it.
async fn settled_checkpoint(app: &TestApp) -> tlog::Checkpoint {
    let verifier = NoteVerifier::parse(
        app.get("/api/v1/log/key", None)
            .await
            .expect(200)
            .as_str()
            .unwrap()
            .trim_end(),
    )
    .unwrap();
    for _ in 0..200 {
        let size = app.service.store().log_size().await.unwrap();
        let answer = app.get("/api/v1/log/checkpoint", None).await;
        if answer.status == 200 {
            let checkpoint = verifier
                .verify_checkpoint(answer.body.as_str().unwrap())
                .expect("the checkpoint verifies with the published key");
            if checkpoint.size == size {
                return checkpoint;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no checkpoint covers the whole log");
}

async fn leaves(app: &TestApp, size: u64) -> Vec<Value> {
    let mut all = Vec::new();
    while (all.len() as u64) < size {
        let start = all.len();
        let page = app
            .get(
                &format!("/api/v1/log/leaves?start={start}&end={size}"),
                None,
            )
            .await
            .expect(200);
        let page = page.as_array().unwrap().clone();
        assert!(!page.is_empty());
        all.extend(page);
    }
    all
}

fn leaf_hash(leaf: &Value) -> Hash {
    tlog::leaf_hash(
        format!(
            "{}\n{}\n{}",
            leaf["chain"].as_str().unwrap(),
            leaf["seq"],
            leaf["hash"].as_str().unwrap()
        )
        .as_bytes(),
    )
}

#[tokio::test]
async fn every_entry_is_a_leaf_under_a_signed_checkpoint_with_proofs_anyone_checks() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    let early = settled_checkpoint(&app).await;
    app.take(&mut f.clone(), At::WgDrawn, At::Concluded).await;
    let latest = settled_checkpoint(&app).await;
    assert!(latest.size > early.size);

    let leaves = leaves(&app, latest.size).await;
    for (i, leaf) in leaves.iter().enumerate() {
        assert_eq!(leaf["index"], json!(i));
    }
    let hashes: Vec<Hash> = leaves.iter().map(leaf_hash).collect();
    assert_eq!(tlog::root(&hashes), latest.root, "the root is the leaves'");

    // Every entry of every chain is exactly its leaf, in the anonymous listings.
    let mut chains = vec![
        format!("/api/v1/reviews/{}/audit", f.review),
        format!("/api/v1/cycles/{}/audit", f.cycle),
    ];
    chains.push("/api/v1/audit/registry".to_owned());
    let mut seen = 0;
    for listing in &chains {
        let entries = app.list(listing, Some(&app.secretariat)).await;
        for entry in entries.as_array().unwrap() {
            let index = entry["log_index"]
                .as_u64()
                .expect("every entry has its leaf");
            let leaf = &leaves[index as usize];
            assert_eq!(leaf["seq"], entry["seq"]);
            assert_eq!(leaf["hash"], entry["hash"]);
            seen += 1;
        }
    }
    assert!(seen > 40, "{seen} entries");
    let review_leaves = leaves
        .iter()
        .filter(|l| l["chain"] == json!(format!("review/{}", f.review)))
        .count();
    assert_eq!(review_leaves, app.audit(&f.review).await.len());

    // Inclusion of every leaf under the latest checkpoint, and under the early one for
    // the leaves it holds.
    for (i, leaf) in hashes.iter().enumerate() {
        for checkpoint in [&latest, &early] {
            if i as u64 >= checkpoint.size {
                continue;
            }
            let proof = app
                .get(
                    &format!(
                        "/api/v1/log/proof/inclusion?index={i}&size={}",
                        checkpoint.size
                    ),
                    None,
                )
                .await
                .expect(200);
            tlog::verify_inclusion(
                leaf,
                i as u64,
                checkpoint.size,
                &path(&proof),
                &checkpoint.root,
            )
            .unwrap();
        }
    }
    // The tree only grew: from every checkpoint ever signed to the latest.
    let signed = app.list("/api/v1/log/checkpoints", None).await;
    let signed = signed.as_array().unwrap();
    assert!(signed.len() >= 2);
    let sizes: Vec<u64> = signed.iter().map(|c| c["size"].as_u64().unwrap()).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] > w[1]),
        "newest first: {sizes:?}"
    );
    for checkpoint in signed {
        let from = checkpoint["size"].as_u64().unwrap();
        let proof = app
            .get(
                &format!(
                    "/api/v1/log/proof/consistency?from={from}&size={}",
                    latest.size
                ),
                None,
            )
            .await
            .expect(200);
        tlog::verify_consistency(
            from,
            latest.size,
            &path(&proof),
            &hash(checkpoint["root"].as_str().unwrap()),
            &latest.root,
        )
        .unwrap();
    }

    // What cannot be answered is a precise 400.
    let size = latest.size;
    for bad in [
        "/api/v1/log/leaves?start=3&end=3".to_owned(),
        format!("/api/v1/log/leaves?start=0&end={}", size + 1),
        format!("/api/v1/log/proof/inclusion?index={size}&size={size}"),
        format!("/api/v1/log/proof/inclusion?index=0&size={}", size + 5),
        format!(
            "/api/v1/log/proof/consistency?from={}&size={size}",
            size + 1
        ),
    ] {
        let current = app.service.store().log_size().await.unwrap();
        let answer = app.get(&bad, None).await;
        if bad.contains(&format!("end={}", size + 1)) && current > size {
            continue; // the log grew meanwhile
        }
        answer.expect_error(400, "invalid_log_range");
    }
    for bad in [
        "/api/v1/log/leaves?start=0",
        "/api/v1/log/leaves?start=-1&end=2",
        "/api/v1/log/proof/inclusion?index=x&size=2",
        "/api/v1/log/proof/consistency?from=1&size=2&extra=1",
    ] {
        app.get(bad, None).await.expect_error(400, "invalid_query");
    }
    let page = app
        .get("/api/v1/log/leaves?start=0&end=100000000", None)
        .await;
    page.expect_error(400, "invalid_log_range");

    // The server's own full check passes on the untouched record.
    let report = app.service.store().verify_record(None).await.unwrap();
    assert!(report.passed(), "{report:?}");
    assert_eq!(report.leaves, report.entries);
}

/// A whole review, its record settled under a checkpoint, and the server stopped: the
/// database is the tamperer's.
async fn concluded_and_stopped() -> (TestApp, Fixture, sea_orm::DatabaseConnection) {
    let mut app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    settled_checkpoint(&app).await;
    app.stop().await;
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    (app, f, db)
}

async fn sql(db: &sea_orm::DatabaseConnection, text: &str) {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, text.to_owned()))
        .await
        .unwrap();
}

async fn count(db: &sea_orm::DatabaseConnection, text: &str) -> i64 {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(backend, text.to_owned()))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

/// A write to the review, as status and error code: refused once the server's check
/// found its chain broken (the suite's client refuses 5xx answers, so this one asks
/// itself).
async fn update(app: &TestApp, f: &Fixture) -> (u16, String) {
    post_raw(
        app,
        &f.path("/recommendations/1/updates"),
        &f.sur,
        json!({"text": "Progress."}),
    )
    .await
}

async fn post_raw(app: &TestApp, path: &str, token: &str, body: Value) -> (u16, String) {
    let answer = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    (
        status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[track_caller]
fn refused((status, code): (u16, String)) {
    assert_eq!((status, code.as_str()), (503, "integrity_failure"));
}

/// Restarts the server on the tampered database and waits for its own checks (the
/// bounded one at start, the full one in the background) to refuse writes to the
/// review; answers the refusal.
async fn refused_after_restart(app: &mut TestApp, f: &Fixture, db: &sea_orm::DatabaseConnection) {
    let chain = format!("review/{}", f.review);
    let before = count(
        db,
        &format!("SELECT COUNT(*) FROM audit_entries WHERE chain = '{chain}'"),
    )
    .await;
    app.restart(AppOptions::default()).await;
    for _ in 0..200 {
        let failures = app.service.store().integrity_failures().await.unwrap();
        if failures.iter().any(|p| p.chain == chain) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    refused(update(app, f).await);
    let after = count(
        db,
        &format!("SELECT COUNT(*) FROM audit_entries WHERE chain = '{chain}'"),
    )
    .await;
    assert_eq!(before, after, "nothing was appended to the broken chain");
}

#[track_caller]
fn caught(report: &cpr_store::IntegrityReport, chain: &str, seq: Option<u64>) {
    let problem = report
        .problems
        .iter()
        .find(|p| p.chain == chain)
        .unwrap_or_else(|| panic!("{chain} is not reported: {report:#?}"));
    if seq.is_some() {
        assert_eq!(problem.seq, seq, "{problem:?}");
    }
}

#[tokio::test]
async fn an_edited_entry_is_caught_and_its_review_refuses_writes() {
    let (mut app, f, db) = concluded_and_stopped().await;
    let chain = format!("review/{}", f.review);
    sql(
        &db,
        &format!(
            "UPDATE audit_entries SET at = '2027-01-01T00:00:00Z' WHERE chain = '{chain}' AND seq = 3"
        ),
    )
    .await;
    refused_after_restart(&mut app, &f, &db).await;
    let report = app.service.store().verify_record(None).await.unwrap();
    caught(&report, &chain, Some(3));
    // Other reviews' chains are not affected: only the broken one is refused.
    assert!(
        report.problems.iter().all(|p| p.chain == chain),
        "{report:#?}"
    );
}

#[tokio::test]
async fn a_cut_tail_is_caught_at_start_and_never_appended_after() {
    let (mut app, f, db) = concluded_and_stopped().await;
    let chain = format!("review/{}", f.review);
    let last = count(
        &db,
        &format!("SELECT MAX(seq) FROM audit_entries WHERE chain = '{chain}'"),
    )
    .await;
    // A careful operator: the entry gone and the review's head moved back to the one
    // before, so the chain alone verifies.
    sql(
        &db,
        &format!("DELETE FROM audit_entries WHERE chain = '{chain}' AND seq = {last}"),
    )
    .await;
    let backend = db.get_database_backend();
    let previous = db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT hash FROM audit_entries WHERE chain = '{chain}' AND seq = {}",
                last - 1
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap();
    sql(
        &db,
        &format!(
            "UPDATE reviews SET audit_seq = {}, audit_head = '{previous}', version = version + 1",
            last - 1
        ),
    )
    .await;
    refused_after_restart(&mut app, &f, &db).await;
    let report = app.service.store().verify_recent(None).await.unwrap();
    caught(&report, &chain, Some(last as u64));
    caught(
        &app.service.store().verify_record(None).await.unwrap(),
        &chain,
        Some(last as u64),
    );
    // Even with the recorded failure wiped, the log refuses to give the seq out twice.
    app.service
        .store()
        .clear_integrity_failures()
        .await
        .unwrap();
    refused(update(&app, &f).await);
    assert_eq!(
        count(
            &db,
            &format!("SELECT MAX(seq) FROM audit_entries WHERE chain = '{chain}'")
        )
        .await,
        last - 1
    );
}

#[tokio::test]
async fn a_registry_chain_cut_is_never_appended_after() {
    let (mut app, _f, db) = concluded_and_stopped().await;
    let last = count(
        &db,
        "SELECT MAX(seq) FROM audit_entries WHERE chain = 'registry'",
    )
    .await;
    sql(
        &db,
        &format!("DELETE FROM audit_entries WHERE chain = 'registry' AND seq = {last}"),
    )
    .await;
    app.restart(AppOptions::default()).await;
    refused(
        post_raw(
            &app,
            "/api/v1/organisations",
            &app.secretariat,
            json!({"kind": "oversight", "name": "Another bureau"}),
        )
        .await,
    );
    assert_eq!(
        count(
            &db,
            "SELECT MAX(seq) FROM audit_entries WHERE chain = 'registry'"
        )
        .await,
        last - 1,
        "the seq was not given out again"
    );
    caught(
        &app.service.store().verify_record(None).await.unwrap(),
        "registry",
        Some(last as u64),
    );
}

#[tokio::test]
async fn a_tail_rewritten_consistently_is_caught_by_its_leaves() {
    let (mut app, f, db) = concluded_and_stopped().await;
    let chain = format!("review/{}", f.review);
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT seq, at, kind, actor, payload, hash FROM audit_entries \
                 WHERE chain = '{chain}' ORDER BY seq"
            ),
        ))
        .await
        .unwrap();
    // Rewrite the last five entries: a new actor on the first, every later hash
    // recomputed, and the review's head moved to the new last hash.
    let from = rows.len() - 5;
    let mut prev: String = rows[from - 1].try_get("", "hash").unwrap();
    for (i, row) in rows.iter().enumerate().skip(from) {
        let seq: i64 = row.try_get("", "seq").unwrap();
        let at: String = row.try_get("", "at").unwrap();
        let kind: String = row.try_get("", "kind").unwrap();
        let mut actor: String = row.try_get("", "actor").unwrap();
        let payload: String = row.try_get("", "payload").unwrap();
        if i == from {
            actor = "state:GBR".into();
        }
        let digest = cpr_domain::verify::payload_digest(&serde_json::from_str(&payload).unwrap());
        let hash = cpr_domain::verify::chain_hash(&prev, seq as u64, &at, &kind, &actor, &digest);
        sql(
            &db,
            &format!(
                "UPDATE audit_entries SET actor = '{actor}', payload_digest = '{digest}', hash = '{hash}' \
                 WHERE chain = '{chain}' AND seq = {seq}"
            ),
        )
        .await;
        prev = hash;
    }
    sql(&db, &format!("UPDATE reviews SET audit_head = '{prev}'")).await;
    // The chain alone verifies again, as the tamperer meant.
    let entries = app_audit_after_restart(&mut app, &f).await;
    verify_entries(&entries);
    let report = app.service.store().verify_record(None).await.unwrap();
    caught(&report, &chain, Some(rows.len() as u64 - 4));
    caught(
        &app.service.store().verify_recent(None).await.unwrap(),
        &chain,
        None,
    );
    refused(update(&app, &f).await);
}

async fn app_audit_after_restart(app: &mut TestApp, f: &Fixture) -> Vec<Value> {
    app.restart(AppOptions::default()).await;
    app.audit(&f.review).await
}

#[tokio::test]
async fn a_changed_node_of_the_tree_is_caught_and_nothing_more_is_signed() {
    let (mut app, f, db) = concluded_and_stopped().await;
    // A node deep in the tree changed: the leaves still match their entries, and the
    // root the server computes does not read that node; the full check recomputes the
    // whole tree and finds it.
    sql(&db, "UPDATE log_nodes SET hash = '00000000000000000000000000000000000000000000000000000000000000ff' WHERE level = 1 AND idx = 0").await;
    let signed_before = count(&db, "SELECT COUNT(*) FROM log_checkpoints").await;
    app.restart(AppOptions::default()).await;
    for _ in 0..200 {
        let failures = app.service.store().integrity_failures().await.unwrap();
        if failures.iter().any(|p| p.chain == cpr_store::WHOLE_LOG) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The whole log is refused: every write appends a leaf.
    refused(update(&app, &f).await);
    let full = app.service.store().verify_record(None).await.unwrap();
    caught(&full, cpr_store::WHOLE_LOG, None);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM log_checkpoints").await,
        signed_before
    );
}

#[tokio::test]
async fn a_tree_that_no_longer_extends_its_checkpoint_is_caught_at_start() {
    let (mut app, _f, db) = concluded_and_stopped().await;
    let size = count(&db, "SELECT size FROM log_state").await as u64;
    // The largest complete subtree, which the root is made of.
    let level = size.ilog2();
    sql(&db, &format!("UPDATE log_nodes SET hash = '00000000000000000000000000000000000000000000000000000000000000ff' WHERE level = {level} AND idx = 0")).await;
    app.restart(AppOptions::default()).await;
    caught(
        &app.service.store().verify_recent(None).await.unwrap(),
        cpr_store::WHOLE_LOG,
        None,
    );
    // And the signer refuses to sign the tree.
    assert!(matches!(
        app.service.sign_checkpoint().await.unwrap(),
        cpr_service::Signing::Refused(_)
    ));
}

#[tokio::test]
async fn a_moved_leaf_index_is_caught() {
    let (mut app, f, db) = concluded_and_stopped().await;
    let chain = format!("review/{}", f.review);
    // Two entries swap their leaves: each still names a leaf, not its own.
    let a = count(
        &db,
        &format!("SELECT log_index FROM audit_entries WHERE chain = '{chain}' AND seq = 2"),
    )
    .await;
    let b = count(
        &db,
        &format!("SELECT log_index FROM audit_entries WHERE chain = '{chain}' AND seq = 3"),
    )
    .await;
    sql(
        &db,
        &format!("UPDATE audit_entries SET log_index = NULL WHERE chain = '{chain}' AND seq = 2"),
    )
    .await;
    sql(
        &db,
        &format!("UPDATE audit_entries SET log_index = {a} WHERE chain = '{chain}' AND seq = 3"),
    )
    .await;
    sql(
        &db,
        &format!("UPDATE audit_entries SET log_index = {b} WHERE chain = '{chain}' AND seq = 2"),
    )
    .await;
    refused_after_restart(&mut app, &f, &db).await;
    caught(
        &app.service.store().verify_record(None).await.unwrap(),
        &chain,
        Some(2),
    );
}

#[tokio::test]
async fn chains_written_before_the_log_are_appended_to_it_in_their_order() {
    let (mut app, f, db) = concluded_and_stopped().await;
    // The database as an earlier release left it: chains, no log.
    for statement in [
        "DELETE FROM log_leaves",
        "DELETE FROM log_nodes",
        "DELETE FROM log_checkpoints",
        "UPDATE log_state SET size = 0",
        "UPDATE audit_entries SET log_index = NULL",
    ] {
        sql(&db, statement).await;
    }
    let entries = count(&db, "SELECT COUNT(*) FROM audit_entries").await;
    let hashes_before = app_audit_after_restart(&mut app, &f).await;
    assert_eq!(count(&db, "SELECT size FROM log_state").await, entries);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_entries WHERE log_index IS NULL"
        )
        .await,
        0
    );
    // No chain was rewritten, and each chain's entries are leaves in their order.
    verify_entries(&hashes_before);
    let indices: Vec<u64> = hashes_before
        .iter()
        .map(|e| e["log_index"].as_u64().unwrap())
        .collect();
    assert!(indices.windows(2).all(|w| w[0] < w[1]), "{indices:?}");
    let checkpoint = settled_checkpoint(&app).await;
    assert_eq!(checkpoint.size, entries as u64);
    let report = app.service.store().verify_record(None).await.unwrap();
    assert!(report.passed(), "{report:#?}");
    // And the log goes on from there.
    let (status, _) = update(&app, &f).await;
    assert_eq!(status, 201);
}
