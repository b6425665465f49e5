//! One test per rule and per code of pledges.

use time::macros::datetime;

use super::*;
use crate::{OrganisationId, Party};

const MADE: OffsetDateTime = datetime!(2027-02-01 09:00 UTC);
const LATER: OffsetDateTime = datetime!(2027-03-01 09:00 UTC);

fn state(code: &str) -> StateCode {
    StateCode::parse(code).unwrap()
}

fn delegate(code: &str) -> Actor {
    Actor {
        account: None,
        party: Party::State(state(code)),
    }
}

fn request(norms: &[&str]) -> MakePledge {
    MakePledge {
        id: PledgeId::from_uuid(uuid::Uuid::from_u128(1)),
        state: state("FRA"),
        text: ShortText::parse("We will never target critical infrastructure.").unwrap(),
        norms: norms.iter().map(|n| Norm::parse(n).unwrap()).collect(),
    }
}

fn made() -> Pledge {
    Pledge::make(&delegate("FRA"), request(&["13f", "13g"]), MADE)
        .unwrap()
        .0
}

#[test]
fn a_delegate_pledges_for_its_own_state_and_the_chain_gets_the_texts_digest() {
    let (pledge, event) = Pledge::make(&delegate("FRA"), request(&["13f"]), MADE).unwrap();
    assert_eq!(pledge.made_at, MADE);
    assert!(!pledge.is_withdrawn());
    assert_eq!(event.kind(), "pledge_made");
    let PledgeEvent::Made { text_sha256, .. } = &event else {
        panic!("{event:?}")
    };
    assert_eq!(*text_sha256, h(pledge.text.as_str()));
}

#[test]
fn nobody_else_pledges_for_a_state() {
    let organisation = OrganisationId::from_uuid(uuid::Uuid::nil());
    let cases = [
        (delegate("DEU"), "not_own_state"),
        (
            Actor {
                account: None,
                party: Party::Secretariat(organisation),
            },
            "separation_of_duties",
        ),
        (
            Actor {
                account: None,
                party: Party::Stakeholder {
                    organisation,
                    accredited: true,
                },
            },
            "state_delegates_only",
        ),
    ];
    let pledge = made();
    for (actor, code) in cases {
        let refused = Pledge::make(&actor, request(&["13f"]), MADE).unwrap_err();
        assert_eq!(refused.code(), code);
        let refused = pledge
            .withdraw(&actor, ShortText::parse("no").ok())
            .unwrap_err();
        assert_eq!(refused.code(), code);
    }
}

#[test]
fn a_pledge_is_tied_to_at_least_one_norm() {
    let refused = Pledge::make(&delegate("FRA"), request(&[]), MADE).unwrap_err();
    assert_eq!(refused.code(), "norms_required");
}

#[test]
fn a_withdrawal_needs_a_public_reason_keeps_the_pledge_and_happens_once() {
    let mut pledge = made();
    let fra = delegate("FRA");
    assert_eq!(
        pledge.withdraw(&fra, None).unwrap_err().code(),
        "reason_required"
    );
    let event = pledge
        .withdraw(
            &fra,
            ShortText::parse("Superseded by a broader pledge.").ok(),
        )
        .unwrap();
    assert_eq!(event.kind(), "pledge_withdrawn");
    pledge.apply(&event, LATER);
    let withdrawal = pledge.withdrawal.clone().unwrap();
    assert_eq!(withdrawal.at, LATER);
    assert_eq!(
        withdrawal.reason.as_str(),
        "Superseded by a broader pledge."
    );
    assert_eq!(
        pledge.text.as_str(),
        "We will never target critical infrastructure."
    );
    assert_eq!(
        pledge
            .withdraw(&fra, ShortText::parse("again").ok())
            .unwrap_err()
            .code(),
        "pledge_already_withdrawn"
    );
}

#[test]
fn a_working_group_cites_existing_pledges_of_the_state_under_review() {
    let own = PledgeId::from_uuid(uuid::Uuid::from_u128(1));
    let other = PledgeId::from_uuid(uuid::Uuid::from_u128(2));
    let missing = PledgeId::from_uuid(uuid::Uuid::from_u128(3));
    let found = BTreeMap::from([(own, state("FRA")), (other, state("DEU"))]);
    let check = |cited: &[PledgeId]| {
        check_citations(state("FRA"), &cited.iter().copied().collect(), &found)
            .map_err(|r| r.code())
    };
    assert_eq!(check(&[]), Ok(()));
    assert_eq!(check(&[own]), Ok(()));
    assert_eq!(check(&[own, missing]), Err("unknown_pledge"));
    assert_eq!(check(&[other]), Err("pledge_not_of_state_under_review"));
}
