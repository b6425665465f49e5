//! One test per guard and per code of the accreditation procedure.

use time::macros::datetime;

use super::*;

const APPLIED: OffsetDateTime = datetime!(2027-01-10 09:00 UTC);
const PROPOSED: OffsetDateTime = datetime!(2027-01-11 09:00 UTC);
/// The end of the default 14-day period opened at `PROPOSED`.
const CLOSES: OffsetDateTime = datetime!(2027-01-25 09:00 UTC);

fn organisation() -> OrganisationId {
    OrganisationId::from_uuid(uuid::Uuid::from_u128(7))
}

fn secretariat() -> Actor {
    Actor {
        account: None,
        party: Party::Secretariat(OrganisationId::from_uuid(uuid::Uuid::from_u128(1))),
    }
}

fn delegate(state: &str) -> Actor {
    Actor {
        account: None,
        party: Party::State(StateCode::parse(state).unwrap()),
    }
}

fn reason(text: &str) -> Option<ShortText> {
    Some(ShortText::parse(text).unwrap())
}

fn applied() -> Accreditation {
    Accreditation::apply_for(organisation(), EcosocStatus::None, APPLIED).0
}

/// Runs `command` and folds its events in, at `now`; panics on a refusal.
#[track_caller]
fn step(accreditation: &mut Accreditation, actor: &Actor, command: Command, now: OffsetDateTime) {
    let events = accreditation
        .decide(actor, &command, now)
        .unwrap_or_else(|rejection| panic!("{command:?} refused: {}", rejection.code()));
    for event in &events {
        accreditation.apply(event, now);
    }
}

fn proposed() -> Accreditation {
    let mut accreditation = applied();
    step(
        &mut accreditation,
        &secretariat(),
        Command::Propose {
            period: PeriodEnd::default(),
        },
        PROPOSED,
    );
    accreditation
}

fn object(state: &str, why: &str) -> (Actor, Command) {
    (
        delegate(state),
        Command::Object {
            reason: reason(why),
        },
    )
}

fn decide(outcome: Outcome, why: Option<&str>) -> Command {
    Command::Decide {
        outcome,
        reason: why.and_then(reason),
    }
}

/// Asserts that `command` by `actor` at `now` is refused with `code`, and that the
/// refusal changed nothing.
#[track_caller]
fn check_refused(
    accreditation: &Accreditation,
    actor: &Actor,
    command: Command,
    now: OffsetDateTime,
    code: &str,
) {
    let before = accreditation.clone();
    let rejection = accreditation.decide(actor, &command, now).unwrap_err();
    assert_eq!(rejection.code(), code, "{command:?}: {rejection}");
    assert_eq!(*accreditation, before);
}

#[test]
fn an_application_is_not_an_accreditation_and_ecosoc_status_is_only_recorded() {
    for status in EcosocStatus::ALL {
        let (accreditation, event) = Accreditation::apply_for(organisation(), status, APPLIED);
        assert_eq!(accreditation.status, AccreditationStatus::Applied);
        assert!(!accreditation.is_accredited());
        assert_eq!(event.kind(), "accreditation_applied");
    }
    // Without any ECOSOC status, the whole way to accreditation is open.
    let mut accreditation = proposed();
    step(
        &mut accreditation,
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES,
    );
    assert!(accreditation.is_accredited());
    assert_eq!(accreditation.ecosoc_status, EcosocStatus::None);
}

#[test]
fn objections_are_recorded_with_their_reasons_and_answered_by_the_decision() {
    let mut accreditation = proposed();
    assert_eq!(
        accreditation.objection_period,
        Some(ObjectionPeriod {
            opened_at: PROPOSED,
            closes_at: CLOSES
        })
    );
    let (actor, command) = object("RUS", "The organisation is not independent.");
    step(
        &mut accreditation,
        &actor,
        command,
        CLOSES - Duration::SECOND,
    );
    let (actor, command) = object("CHN", "Its website names no board.");
    step(&mut accreditation, &actor, command, PROPOSED);
    assert_eq!(accreditation.objections.len(), 2);
    assert_eq!(accreditation.objections[0].state.as_str(), "RUS");
    step(
        &mut accreditation,
        &secretariat(),
        decide(
            Outcome::Accredited,
            Some("The organisation's statutes show its independence."),
        ),
        CLOSES,
    );
    let decision = accreditation.decision.clone().unwrap();
    assert_eq!(decision.outcome, Outcome::Accredited);
    assert_eq!(decision.at, CLOSES);
    assert!(decision.reason.is_some());
}

#[test]
fn a_granted_accreditation_may_be_withdrawn_with_a_reason() {
    let mut accreditation = proposed();
    step(
        &mut accreditation,
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES,
    );
    step(
        &mut accreditation,
        &secretariat(),
        Command::Withdraw {
            reason: reason("The organisation has dissolved."),
        },
        CLOSES + Duration::days(30),
    );
    assert_eq!(accreditation.status, AccreditationStatus::Withdrawn);
    assert!(!accreditation.is_accredited());
    assert!(accreditation.withdrawal.is_some());
}

#[test]
fn only_the_secretariat_proposes_decides_and_withdraws() {
    let accreditation = proposed();
    let stakeholder = Actor {
        account: None,
        party: Party::Stakeholder {
            organisation: organisation(),
            accredited: true,
        },
    };
    for actor in [delegate("FRA"), stakeholder, Actor::SYSTEM] {
        check_refused(
            &applied(),
            &actor,
            Command::Propose {
                period: PeriodEnd::default(),
            },
            PROPOSED,
            "secretariat_only",
        );
        check_refused(
            &accreditation,
            &actor,
            decide(Outcome::Refused, Some("A reason.")),
            CLOSES,
            "secretariat_only",
        );
        check_refused(
            &accreditation,
            &actor,
            Command::Withdraw {
                reason: reason("A reason."),
            },
            CLOSES,
            "secretariat_only",
        );
    }
}

#[test]
fn only_states_object() {
    let accreditation = proposed();
    let oversight = Actor {
        account: None,
        party: Party::Oversight(organisation()),
    };
    let unaccredited = Actor {
        account: None,
        party: Party::Stakeholder {
            organisation: organisation(),
            accredited: false,
        },
    };
    for actor in [secretariat(), oversight, unaccredited, Actor::SYSTEM] {
        check_refused(
            &accreditation,
            &actor,
            Command::Object {
                reason: reason("A reason."),
            },
            PROPOSED,
            "state_delegates_only",
        );
    }
}

#[test]
fn an_objection_needs_a_reason() {
    check_refused(
        &proposed(),
        &delegate("RUS"),
        Command::Object { reason: None },
        PROPOSED,
        "reason_required",
    );
}

#[test]
fn a_state_objects_once() {
    let mut accreditation = proposed();
    let (actor, command) = object("RUS", "First.");
    step(&mut accreditation, &actor, command.clone(), PROPOSED);
    check_refused(
        &accreditation,
        &actor,
        command,
        PROPOSED,
        "objection_already_raised",
    );
}

#[test]
fn objections_are_received_only_during_the_period() {
    let (actor, command) = object("RUS", "A reason.");
    check_refused(
        &applied(),
        &actor,
        command.clone(),
        PROPOSED,
        "objection_period_not_open",
    );
    check_refused(
        &proposed(),
        &actor,
        command.clone(),
        CLOSES,
        "objection_period_closed",
    );
    let mut decided = proposed();
    step(
        &mut decided,
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES,
    );
    check_refused(
        &decided,
        &actor,
        command,
        CLOSES - Duration::SECOND,
        "objection_period_closed",
    );
}

#[test]
fn the_decision_waits_for_the_end_of_the_period() {
    check_refused(
        &proposed(),
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES - Duration::SECOND,
        "objection_period_open",
    );
    check_refused(
        &applied(),
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES,
        "objection_period_not_open",
    );
}

#[test]
fn a_refusal_always_gives_a_reason() {
    check_refused(
        &proposed(),
        &secretariat(),
        decide(Outcome::Refused, None),
        CLOSES,
        "reason_required",
    );
}

#[test]
fn accrediting_over_objections_answers_them() {
    let mut accreditation = proposed();
    let (actor, command) = object("RUS", "A reason.");
    step(&mut accreditation, &actor, command, PROPOSED);
    check_refused(
        &accreditation,
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES,
        "objections_unanswered",
    );
}

#[test]
fn a_proposal_and_a_decision_happen_once() {
    let propose = Command::Propose {
        period: PeriodEnd::default(),
    };
    check_refused(
        &proposed(),
        &secretariat(),
        propose.clone(),
        PROPOSED,
        "accreditation_already_proposed",
    );
    let mut decided = proposed();
    step(
        &mut decided,
        &secretariat(),
        decide(Outcome::Refused, Some("A reason.")),
        CLOSES,
    );
    check_refused(
        &decided,
        &secretariat(),
        propose,
        CLOSES,
        "accreditation_already_decided",
    );
    check_refused(
        &decided,
        &secretariat(),
        decide(Outcome::Accredited, Some("Second thoughts.")),
        CLOSES,
        "accreditation_already_decided",
    );
}

#[test]
fn only_a_granted_accreditation_is_withdrawn_and_always_with_a_reason() {
    let withdraw = Command::Withdraw {
        reason: reason("A reason."),
    };
    check_refused(
        &proposed(),
        &secretariat(),
        withdraw,
        CLOSES,
        "accreditation_not_granted",
    );
    let mut accredited = proposed();
    step(
        &mut accredited,
        &secretariat(),
        decide(Outcome::Accredited, None),
        CLOSES,
    );
    check_refused(
        &accredited,
        &secretariat(),
        Command::Withdraw { reason: None },
        CLOSES,
        "reason_required",
    );
}

#[test]
fn the_objection_period_lasts_one_to_ninety_days() {
    assert_eq!(ObjectionPeriodDays::default().days(), 14);
    for days in [1, 14, 90] {
        assert_eq!(ObjectionPeriodDays::new(days).unwrap().days(), days);
    }
    for days in [0, 91, u32::MAX] {
        assert_eq!(
            ObjectionPeriodDays::new(days).unwrap_err().code(),
            "invalid_value"
        );
    }
}

#[test]
fn codes_parse_back() {
    for status in AccreditationStatus::ALL {
        assert_eq!(AccreditationStatus::parse(status.code()), Some(status));
    }
    for status in EcosocStatus::ALL {
        assert_eq!(EcosocStatus::parse(status.code()), Ok(status));
    }
    assert!(EcosocStatus::parse("consultative").is_err());
    assert_eq!(Outcome::parse("refused"), Ok(Outcome::Refused));
    assert!(Outcome::parse("rejected").is_err());
}

#[test]
fn an_announced_end_of_the_period_is_in_the_future_and_within_ninety_days() {
    let propose = |at| Command::Propose {
        period: PeriodEnd::At(at),
    };
    for at in [
        PROPOSED,
        PROPOSED - Duration::DAY,
        PROPOSED + Duration::days(90) + Duration::SECOND,
    ] {
        check_refused(
            &applied(),
            &secretariat(),
            propose(at),
            PROPOSED,
            "objection_period_out_of_range",
        );
    }
    let mut accreditation = applied();
    let at = PROPOSED + Duration::minutes(5);
    step(&mut accreditation, &secretariat(), propose(at), PROPOSED);
    assert_eq!(accreditation.objection_period.unwrap().closes_at, at);
}

fn member_of(organisation: OrganisationId) -> Actor {
    Actor {
        account: None,
        party: Party::Stakeholder {
            organisation,
            accredited: false,
        },
    }
}

fn answer(state: &str, text: &str) -> Command {
    Command::Answer {
        state: StateCode::parse(state).unwrap(),
        text: ShortText::parse(text).unwrap(),
    }
}

fn objected() -> Accreditation {
    let mut accreditation = proposed();
    let (actor, command) = object("RUS", "The organisation is not independent.");
    step(&mut accreditation, &actor, command, PROPOSED);
    accreditation
}

#[test]
fn the_organisation_answers_an_objection_in_the_open_during_the_period() {
    let mut accreditation = objected();
    let events = accreditation
        .decide(
            &member_of(organisation()),
            &answer("RUS", "Our statutes are public."),
            CLOSES - Duration::SECOND,
        )
        .unwrap();
    assert_eq!(events[0].kind(), "accreditation_objection_answered");
    for event in &events {
        accreditation.apply(event, CLOSES - Duration::SECOND);
    }
    let answered = accreditation.objections[0].answer.as_ref().unwrap();
    assert_eq!(answered.text.as_str(), "Our statutes are public.");
    assert_eq!(answered.at, CLOSES - Duration::SECOND);
    // The decision comes after the period, as before.
    step(
        &mut accreditation,
        &secretariat(),
        decide(Outcome::Accredited, Some("The answer convinces.")),
        CLOSES,
    );
    assert!(accreditation.objections[0].answer.is_some());
}

#[test]
fn only_the_organisation_objected_to_answers() {
    let accreditation = objected();
    let command = answer("RUS", "Our statutes are public.");
    let other = OrganisationId::from_uuid(uuid::Uuid::from_u128(8));
    check_refused(
        &accreditation,
        &secretariat(),
        command.clone(),
        PROPOSED,
        "separation_of_duties",
    );
    check_refused(
        &accreditation,
        &member_of(other),
        command.clone(),
        PROPOSED,
        "not_own_organisation",
    );
    check_refused(
        &accreditation,
        &delegate("RUS"),
        command,
        PROPOSED,
        "not_own_organisation",
    );
}

#[test]
fn an_objection_is_answered_once_and_only_during_the_period() {
    let member = member_of(organisation());
    let mut accreditation = objected();
    check_refused(
        &accreditation,
        &member,
        answer("CHN", "No such objection."),
        PROPOSED,
        "objection_not_found",
    );
    check_refused(
        &accreditation,
        &member,
        answer("RUS", "Too late."),
        CLOSES,
        "objection_period_closed",
    );
    step(
        &mut accreditation,
        &member,
        answer("RUS", "First."),
        PROPOSED,
    );
    check_refused(
        &accreditation,
        &member,
        answer("RUS", "Second."),
        PROPOSED,
        "objection_already_answered",
    );
    check_refused(
        &applied(),
        &member,
        answer("RUS", "Before the proposal."),
        PROPOSED,
        "objection_period_not_open",
    );
    step(
        &mut accreditation,
        &secretariat(),
        decide(Outcome::Refused, Some("Not independent.")),
        CLOSES,
    );
    check_refused(
        &accreditation,
        &member,
        answer("RUS", "After the decision."),
        CLOSES,
        "objection_period_closed",
    );
}
