//! The audit rules of the rule set beyond the hash (spec, *Audit chain*): which kinds of
//! entry are public, the stage before and after a review's entry, and where an entry
//! names the account that acted. Each is a function of hashed data (the kind, the
//! `stage_changed` payloads, the payload), so no stored field outside the hash changes
//! what a reader is shown. The lists are served at `GET /api/v1/audit/kinds`.

use serde::Serialize;
use serde_json::Value;

use crate::{AccountId, Stage};

/// The kinds of chain, each with its own list of kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainKind {
    /// `review/<review-id>`: a review's events, and the implementation updates after it.
    Review,
    /// `cycle/<cycle-id>`: the opening of a cycle and its pool.
    Cycle,
    /// `registry`: states, organisations, accounts, credentials, rule sets, accreditation.
    Registry,
    /// `pledges/<ISO3>`: a state's pledges.
    Pledges,
}

/// The kinds of one chain: every kind it may hold, public or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainKinds {
    pub chain: ChainKind,
    /// Kinds whose payload anyone may read.
    pub public: &'static [&'static str],
    /// Kinds listed with their hashes only.
    pub private: &'static [&'static str],
}

/// Transitions, publications, deadlines missed or extended, draws, and the state's
/// implementation updates.
const REVIEW_PUBLIC: &[&str] = &[
    "review_opened",
    "stage_changed",
    "report_submitted",
    "report_not_submitted",
    "compilation_published",
    "working_group_drawn",
    "wg_member_substituted",
    "wg_member_excused",
    "wg_session_scheduled",
    "observer_registered",
    "session_recording_published",
    "wg_session_held",
    "wg_report_adopted",
    "response_submitted",
    "no_response_recorded",
    "reply_published",
    "oversight_session_scheduled",
    "speakers_list_drawn",
    "outcome_adopted",
    "erratum_published",
    "deadline_extended",
    "review_withdrawn",
    IMPLEMENTATION_UPDATE,
];

/// Drafts, inputs before the compilation publishes them, screening and redaction, the
/// working group's deliberation, requests to speak and statements before the record.
const REVIEW_PRIVATE: &[&str] = &[
    "report_drafted",
    "input_drafted",
    "co_signer_invited",
    "co_signature_confirmed",
    "input_filed",
    "input_screened",
    "section_redacted",
    "compilation_drafted",
    "advance_question_sent",
    "advance_questions_forwarded",
    "own_group_member_requested",
    "wg_report_drafted",
    "wg_report_approved",
    "response_drafted",
    "speak_requested",
    "statement_recorded",
];

/// The pool, the rules and the seed commitment are what the public checks draws against.
const CYCLE_PUBLIC: &[&str] = &["cycle_opened", "pool_changed", "beacon_value_recorded"];

/// Everything but the creation of an organisation or an account, which the registers
/// themselves publish as far as they are public.
const REGISTRY_PUBLIC: &[&str] = &[
    "state_added",
    "state_updated",
    "invitation_sent",
    "token_issued",
    "token_revoked",
    "account_disabled",
    "rules_recorded",
    "accreditation_applied",
    "accreditation_proposed",
    "accreditation_objection_raised",
    "accreditation_objection_answered",
    "accreditation_decided",
    "accreditation_withdrawn",
];

const REGISTRY_PRIVATE: &[&str] = &["organisation_registered", "account_created"];

/// Pledges are public from the moment they are made.
const PLEDGES_PUBLIC: &[&str] = &["pledge_made", "pledge_withdrawn"];

/// Every chain's kinds. No kind is public in one chain and private in another, so
/// whether an entry is public follows from its kind alone ([`is_public_kind`]).
pub const CHAIN_KINDS: [ChainKinds; 4] = [
    ChainKinds {
        chain: ChainKind::Review,
        public: REVIEW_PUBLIC,
        private: REVIEW_PRIVATE,
    },
    ChainKinds {
        chain: ChainKind::Cycle,
        public: CYCLE_PUBLIC,
        private: &[],
    },
    ChainKinds {
        chain: ChainKind::Registry,
        public: REGISTRY_PUBLIC,
        private: REGISTRY_PRIVATE,
    },
    ChainKinds {
        chain: ChainKind::Pledges,
        public: PLEDGES_PUBLIC,
        private: &[],
    },
];

/// The kind of an implementation update, appended to a concluded review's chain by the
/// state: not one of the review's events, so it has no stage.
const IMPLEMENTATION_UPDATE: &str = "implementation_update_posted";

/// Whether anyone may read the payload of an entry of this kind. A kind no chain lists
/// is not public.
pub fn is_public_kind(kind: &str) -> bool {
    CHAIN_KINDS.iter().any(|chain| chain.public.contains(&kind))
}

/// Every public kind of every chain, in the order of [`CHAIN_KINDS`]: what an SQL filter
/// for public entries matches (`kind IN (...)`).
pub fn public_kinds() -> impl Iterator<Item = &'static str> {
    CHAIN_KINDS
        .iter()
        .flat_map(|chain| chain.public.iter().copied())
}

/// Whether `chain` may hold entries of this kind.
pub fn is_known_kind(chain: ChainKind, kind: &str) -> bool {
    CHAIN_KINDS
        .iter()
        .filter(|kinds| kinds.chain == chain)
        .any(|kinds| kinds.public.contains(&kind) || kinds.private.contains(&kind))
}

/// The key of the payload that holds the id of the account that acted, when one did (not
/// the scheduler). Entries written before this key existed have none: their acting
/// account is not recorded under a hash, so no reader is shown one.
pub const ACTING_ACCOUNT: &str = "acting_account";

/// The payload as it is hashed and stored: `payload` with the acting account's id under
/// [`ACTING_ACCOUNT`]. Every payload is a JSON object; anything else is left as it is.
pub fn with_acting_account(mut payload: Value, account: Option<AccountId>) -> Value {
    if let (Some(account), Value::Object(fields)) = (account, &mut payload) {
        fields.insert(
            ACTING_ACCOUNT.to_owned(),
            Value::String(account.to_string()),
        );
    }
    payload
}

/// The acting account an entry's payload names, if any.
pub fn acting_account(payload: &Value) -> Option<AccountId> {
    payload.get(ACTING_ACCOUNT)?.as_str()?.parse().ok()
}

/// The stage of a review's chain, entry by entry: an entry's stage before and after
/// follow from the chain's `review_opened` and `stage_changed` payloads (the stage of the
/// opening, then each change's `to`). Fold every entry of the chain in `seq` order
/// through [`StageTrail::step`]; to start inside the chain, begin at
/// [`StageTrail::after`] the last `review_opened` or `stage_changed` entry before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageTrail {
    current: Option<Stage>,
}

/// The kinds whose payload sets the stage of a review's chain.
pub const STAGE_KINDS: [&str; 2] = ["review_opened", "stage_changed"];

impl StageTrail {
    /// Before the first entry of a chain.
    pub const fn new() -> Self {
        Self { current: None }
    }

    /// Right after an entry of one of the [`STAGE_KINDS`].
    pub fn after(kind: &str, payload: &Value) -> Self {
        let mut trail = Self::new();
        trail.step(kind, payload);
        trail
    }

    /// The stage the chain is in so far.
    pub const fn current(&self) -> Option<Stage> {
        self.current
    }

    /// The next entry's stage before and after it; `None` for an entry that is not one
    /// of the review's events (an implementation update) or while no stage is known.
    pub fn step(&mut self, kind: &str, payload: &Value) -> Option<(Stage, Stage)> {
        let stage = |key: &str| {
            payload
                .get(key)
                .and_then(Value::as_str)
                .and_then(Stage::parse)
        };
        match kind {
            "review_opened" => {
                self.current = stage("stage");
                self.current.map(|stage| (stage, stage))
            }
            "stage_changed" => {
                let before = self.current.or_else(|| stage("from"));
                self.current = stage("to");
                before.zip(self.current)
            }
            IMPLEMENTATION_UPDATE => None,
            _ => self.current.map(|stage| (stage, stage)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;

    #[test]
    fn no_kind_is_listed_twice_or_both_public_and_private() {
        let mut seen = BTreeSet::new();
        for chain in &CHAIN_KINDS {
            for kind in chain.public.iter().chain(chain.private) {
                assert!(seen.insert(*kind), "{kind} is listed twice");
            }
        }
        for chain in &CHAIN_KINDS {
            for kind in chain.private {
                assert!(!is_public_kind(kind), "{kind}");
                assert!(is_known_kind(chain.chain, kind), "{kind}");
            }
            for kind in chain.public {
                assert!(is_public_kind(kind), "{kind}");
                assert!(is_known_kind(chain.chain, kind), "{kind}");
            }
        }
        assert!(!is_public_kind("no_such_kind"));
        assert!(!is_known_kind(ChainKind::Cycle, "stage_changed"));
        assert_eq!(public_kinds().count(), 41);
    }

    #[test]
    fn the_acting_account_is_a_key_of_the_payload() {
        let account = AccountId::from_uuid(uuid::Uuid::from_u128(7));
        let payload = with_acting_account(json!({"member": "FRA"}), Some(account));
        assert_eq!(
            payload,
            json!({"member": "FRA", "acting_account": "00000000-0000-0000-0000-000000000007"})
        );
        assert_eq!(acting_account(&payload), Some(account));
        assert_eq!(with_acting_account(json!({"a": 1}), None), json!({"a": 1}));
        assert_eq!(acting_account(&json!({"a": 1})), None);
        assert_eq!(acting_account(&json!({"acting_account": "x"})), None);
    }

    #[track_caller]
    fn check(trail: &mut StageTrail, kind: &str, payload: Value, expected: Option<(&str, &str)>) {
        let stages = trail.step(kind, &payload);
        assert_eq!(
            stages.map(|(before, after)| (before.code(), after.code())),
            expected,
            "{kind}"
        );
    }

    #[test]
    fn the_stages_of_an_entry_follow_from_the_chain() {
        let mut trail = StageTrail::new();
        let changed = |from: &str, to: &str| json!({"from": from, "to": to, "reason": "x"});
        check(
            &mut trail,
            "review_opened",
            json!({"stage": "state_report"}),
            Some(("state_report", "state_report")),
        );
        check(
            &mut trail,
            "report_drafted",
            Value::Null,
            Some(("state_report", "state_report")),
        );
        check(
            &mut trail,
            "stage_changed",
            changed("state_report", "stakeholder_input"),
            Some(("state_report", "stakeholder_input")),
        );
        check(
            &mut trail,
            "input_filed",
            Value::Null,
            Some(("stakeholder_input", "stakeholder_input")),
        );
        check(
            &mut trail,
            "stage_changed",
            changed("oversight", "concluded"),
            Some(("stakeholder_input", "concluded")),
        );
        check(&mut trail, "implementation_update_posted", json!({}), None);
        assert_eq!(trail.current(), Some(Stage::Concluded));

        // Inside a chain: from the last stage entry before the page.
        let mut resumed =
            StageTrail::after("stage_changed", &changed("compilation", "working_group"));
        check(
            &mut resumed,
            "working_group_drawn",
            Value::Null,
            Some(("working_group", "working_group")),
        );
        // A stage change first in a page that starts before any stage entry is known.
        check(
            &mut StageTrail::new(),
            "stage_changed",
            changed("response", "oversight"),
            Some(("response", "oversight")),
        );
        check(&mut StageTrail::new(), "input_filed", Value::Null, None);
    }
}
