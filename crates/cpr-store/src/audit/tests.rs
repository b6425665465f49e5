//! The stages of a review's entries, read whole or in pages of every kind or of one kind.

use serde_json::json;

use super::*;

fn row(seq: i64, kind: &str, payload: serde_json::Value) -> audit_entries::Model {
    audit_entries::Model {
        chain: "review/x".to_owned(),
        seq,
        at: "2027-01-01T00:00:00Z".to_owned(),
        kind: kind.to_owned(),
        actor: "system".to_owned(),
        payload: payload.to_string(),
        payload_digest: String::new(),
        hash: String::new(),
        log_index: Some(seq - 1),
    }
}

fn chain() -> Vec<audit_entries::Model> {
    let changed = |from: &str, to: &str| json!({"from": from, "to": to, "reason": "r"});
    vec![
        row(1, "review_opened", json!({"stage": "state_report"})),
        row(2, "report_drafted", json!({})),
        row(
            3,
            "stage_changed",
            changed("state_report", "stakeholder_input"),
        ),
        row(4, "input_filed", json!({})),
        row(5, "input_filed", json!({})),
        row(
            6,
            "stage_changed",
            changed("stakeholder_input", "compilation"),
        ),
        row(7, "deadline_extended", json!({})),
        row(8, "stage_changed", changed("compilation", "working_group")),
        row(9, "deadline_extended", json!({})),
    ]
}

fn stages(entries: &[AuditEntry]) -> Vec<(u64, Option<String>, Option<String>)> {
    entries
        .iter()
        .map(|e| (e.seq, e.stage_before.clone(), e.stage_after.clone()))
        .collect()
}

fn entries(rows: &[audit_entries::Model]) -> Vec<AuditEntry> {
    rows.iter()
        .cloned()
        .map(|row| AuditEntry::try_from(row).unwrap())
        .collect()
}

fn is_stage_entry(row: &audit_entries::Model) -> bool {
    STAGE_KINDS.contains(&row.kind.as_str())
}

#[test]
fn a_page_s_stages_are_those_of_the_whole_chain() {
    let rows = chain();
    let mut whole = entries(&rows);
    with_stages(Vec::new(), &mut whole).unwrap();
    assert_eq!(
        stages(&whole)[..4],
        [
            (1, Some("state_report".into()), Some("state_report".into())),
            (2, Some("state_report".into()), Some("state_report".into())),
            (
                3,
                Some("state_report".into()),
                Some("stakeholder_input".into())
            ),
            (
                4,
                Some("stakeholder_input".into()),
                Some("stakeholder_input".into())
            ),
        ]
    );
    // A page of every kind: the last stage entry before it, as `stage_entries_before`
    // reads it.
    for (first, last) in [(1, 3), (2, 5), (4, 4), (5, 9), (7, 8)] {
        let earlier: Vec<_> = rows[..first - 1]
            .iter()
            .rfind(|row| is_stage_entry(row))
            .cloned()
            .into_iter()
            .collect();
        let mut page = entries(&rows[first - 1..last]);
        with_stages(earlier, &mut page).unwrap();
        assert_eq!(
            stages(&page),
            stages(&whole[first - 1..last]),
            "{first}..{last}"
        );
    }
    // A page of one kind: every stage entry before its last entry.
    for kind in ["deadline_extended", "input_filed", "stage_changed"] {
        let picked: Vec<_> = rows
            .iter()
            .filter(|row| row.kind == kind)
            .cloned()
            .collect();
        let last = picked.last().unwrap().seq;
        let earlier: Vec<_> = rows
            .iter()
            .filter(|row| is_stage_entry(row) && row.seq < last)
            .cloned()
            .collect();
        let mut page = entries(&picked);
        with_stages(earlier, &mut page).unwrap();
        let expected: Vec<_> = whole.iter().filter(|e| e.kind == kind).cloned().collect();
        assert_eq!(stages(&page), stages(&expected), "{kind}");
    }
}

#[test]
fn an_entry_is_public_by_its_kind_and_names_the_account_its_payload_names() {
    let account = AccountId::from_uuid(uuid::Uuid::from_u128(9));
    let mut opened = row(1, "review_opened", json!({"acting_account": account}));
    let entry = AuditEntry::try_from(opened.clone()).unwrap();
    assert!(entry.public);
    assert_eq!(entry.account, Some(account));
    opened.kind = "report_drafted".to_owned();
    opened.payload = "{}".to_owned();
    let entry = AuditEntry::try_from(opened).unwrap();
    assert!(!entry.public);
    assert_eq!(entry.account, None);
}

#[test]
fn the_acting_account_is_hashed_with_the_payload() {
    let account = AccountId::from_uuid(uuid::Uuid::from_u128(9));
    let note = |account| AuditNote {
        actor: "secretariat:x".to_owned(),
        account,
        at: time::macros::datetime!(2027-01-01 0:00 UTC),
    };
    let entry = || NewEntry {
        kind: "review_opened",
        payload: json!({"stage": "state_report"}),
    };
    let with = hashed(&ChainHead::genesis(), &note(Some(account)), &[entry()]).unwrap();
    let without = hashed(&ChainHead::genesis(), &note(None), &[entry()]).unwrap();
    assert_ne!(
        with[0].1, without[0].1,
        "the digest covers the acting account"
    );
    assert_eq!(
        with[0].1,
        payload_digest(&json!({"stage": "state_report", "acting_account": account}))
    );
    assert_eq!(
        without[0].1,
        payload_digest(&json!({"stage": "state_report"}))
    );
}
