//! Tests of the documents of a review: drafts, submissions, joint inputs, screening,
//! redactions, compilation, advance questions, recommendations, response, replies,
//! speakers, errata and who may read what.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use time::Duration;
use uuid::Uuid;

use super::command::{CoSigner, Command, Correction, RedactionTarget};
use super::document::{
    Access, Answer, CompilationBody, DocumentKey, InputBody, Position, Prose, REDACTED,
    RecommendationDraft, RecommendationRef, Redaction, ReportBody, ResponseBody, Sealed, Section,
    TextBody, WgReportBody, draft_compilation, stored_json,
};
use super::event::Event;
use super::tests::{
    Journey, OPENED, REVIEW, RULES, SEED, approve, chair, check, delegate, draft_input, file_input,
    input_body, input_id, iso, kinds, open_command, org, other_state, prose, reason, report_body,
    response_body, revise_input, save_compilation, save_report, save_response, schedule_oversight,
    screen, second_stakeholder, secretariat, short, stakeholder, stakeholder_of, statement, sur,
    text_body, unaccredited, wg_body,
};
use super::{OpenReview, RecommendationMeta, Submission};
use crate::Party;
use crate::rules::RuleSet;
use crate::verify::{DrawPurpose, Seed, canonical_json, h, speakers_order};
use crate::{
    Actor, Denial, InputId, Norm, Rejection, ReviewId, Sector, Stage, StakeholderKind, StateCode,
};

// ---------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------

/// An accredited organisation that files the input the secretariat will not admit.
fn third_stakeholder() -> Actor {
    stakeholder_of(13, true)
}

/// A pool state that sends advance questions: never on the working group, never the SuR.
fn asker() -> Actor {
    delegate(iso("USA"))
}

fn cosigner(n: u128) -> CoSigner {
    CoSigner {
        organisation: org(n),
        accredited: true,
    }
}

/// Rules whose oversight hour has room for two speakers besides the state under review.
static SMALL_ROOM: LazyLock<RuleSet> = LazyLock::new(|| {
    let mut rules = RuleSet::default();
    rules.oversight.speaker_minutes = 20;
    rules
});

/// In stage 2, the lead's input drafted (not filed) and a co-signer invited.
fn joint_draft(length: usize) -> Journey {
    Journey::to(Stage::StakeholderInput)
        .then(&stakeholder(), draft_input(input_id(1), length))
        .then(
            &stakeholder(),
            Command::InviteCoSigner {
                input: input_id(1),
                cosigner: cosigner(11),
            },
        )
}

/// In stage 4 with input 1 (by the stakeholder) admitted and input 3 (by a third
/// organisation) not admitted.
fn with_one_input_not_admitted() -> Journey {
    let journey = Journey::open()
        .report_submitted()
        .input_filed()
        .filed_by(&third_stakeholder(), 3, 50)
        .window_closed()
        .then(&secretariat(), screen(input_id(1), true, None))
        .then(
            &secretariat(),
            screen(input_id(3), false, Some(short("out of scope"))),
        );
    journey.compilation_published()
}

/// In stage 6 with the session scheduled an hour from now.
fn oversight_ahead(rules: &'static RuleSet) -> Journey {
    let mut journey = Journey::in_oversight();
    journey.rules = rules;
    let at = journey.now + Duration::days(30);
    journey.then(&secretariat(), schedule_oversight(at))
}

fn erratum(correction: Correction) -> Command {
    Command::PublishErratum {
        correction,
        reason: reason(),
    }
}

fn redact(document: RedactionTarget, section: Section) -> Command {
    Command::RedactSection {
        document,
        section,
        reason: reason(),
    }
}

fn recommendation(proposed_by: StateCode, norms: &[Norm]) -> RecommendationDraft {
    RecommendationDraft {
        text: prose(15),
        norms: norms.iter().copied().collect(),
        proposed_by,
        sectors: BTreeSet::new(),
        groups: BTreeSet::new(),
        pledges: BTreeSet::new(),
    }
}

fn wg_report(recommendations: Vec<RecommendationDraft>) -> Command {
    Command::DraftWgReport {
        body: WgReportBody {
            language: None,
            findings: prose(100),
            recommendations,
            implemented: BTreeSet::new(),
            pledges: BTreeSet::new(),
        },
    }
}

fn answers(numbers: &[u32]) -> Command {
    let answers = numbers
        .iter()
        .map(|number| Answer {
            recommendation: *number,
            position: Position::Supported,
            explanation: prose(5),
        })
        .collect();
    Command::SaveResponseDraft {
        body: ResponseBody {
            language: None,
            answers,
            general: None,
        },
    }
}

fn earlier_recommendation(number: u32) -> RecommendationRef {
    RecommendationRef {
        review: ReviewId::from_uuid(Uuid::from_u128(99)),
        number,
    }
}

// ---------------------------------------------------------------------------------------
// Refusals: each new code, and the review unchanged (`check` asserts it)
// ---------------------------------------------------------------------------------------

#[test]
fn nothing_is_submitted_or_published_without_a_draft() {
    check(&Journey::open(), &sur(), Command::SubmitReport, "no_draft");
    let compilation = Journey::in_compilation().screened();
    check(
        &compilation,
        &secretariat(),
        Command::PublishCompilation,
        "no_draft",
    );
    let in_response = Journey::to(Stage::Response);
    check(&in_response, &sur(), Command::SubmitResponse, "no_draft");
}

#[test]
fn a_report_is_submitted_with_every_section_and_the_refusal_lists_those_missing() {
    let mut body = report_body(100);
    body.foreign_activity = None;
    body.norms.remove(&Norm::N13k);
    body.norms.remove(&Norm::N13c);
    let drafted = Journey::open().then(&sur(), Command::SaveReportDraft { body });
    assert_eq!(
        drafted.review.report.missing,
        ["foreign_activity", "13c", "13k"]
    );
    let rejection = check(&drafted, &sur(), Command::SubmitReport, "sections_missing");
    let sections = vec!["foreign_activity".to_owned(), "13c".into(), "13k".into()];
    assert_eq!(rejection, Rejection::SectionsMissing { sections });
    assert!(rejection.to_string().contains("13c, 13k"), "{rejection}");

    // An erratum must be complete too.
    let mut partial = report_body(100);
    partial.norms.remove(&Norm::N13a);
    let concluded = Journey::to(Stage::Concluded);
    let command = erratum(Correction::Report(partial));
    let rejection = check(&concluded, &sur(), command, "sections_missing");
    let sections = vec!["13a".to_owned()];
    assert_eq!(rejection, Rejection::SectionsMissing { sections });
}

#[test]
fn a_response_answers_every_recommendation_and_the_refusal_lists_those_unanswered() {
    let in_response = Journey::to(Stage::Response);
    assert_eq!(in_response.review.working_group.recommendations().len(), 3);
    let partial = in_response.clone().then(&sur(), answers(&[2]));
    assert_eq!(partial.review.response.missing, ["1", "3"]);
    let rejection = check(
        &partial,
        &sur(),
        Command::SubmitResponse,
        "recommendations_unanswered",
    );
    let numbers = vec!["1".to_owned(), "3".into()];
    assert_eq!(rejection, Rejection::RecommendationsUnanswered { numbers });
    assert!(rejection.to_string().contains("1, 3"), "{rejection}");

    let concluded = Journey::to(Stage::Concluded);
    let mut body = response_body(&concluded.review, 50);
    body.answers.remove(1);
    let command = erratum(Correction::Response(body));
    let rejection = check(&concluded, &sur(), command, "recommendations_unanswered");
    let numbers = vec!["2".to_owned()];
    assert_eq!(rejection, Rejection::RecommendationsUnanswered { numbers });
}

#[test]
fn an_answer_to_a_recommendation_that_does_not_exist_is_refused() {
    let in_response = Journey::to(Stage::Response);
    let rejection = check(
        &in_response,
        &sur(),
        answers(&[1, 4]),
        "unknown_recommendation",
    );
    assert_eq!(rejection, Rejection::UnknownRecommendation(4));

    let concluded = Journey::to(Stage::Concluded);
    let mut body = response_body(&concluded.review, 50);
    body.answers[0].recommendation = 7;
    let command = erratum(Correction::Response(body));
    let rejection = check(&concluded, &sur(), command, "unknown_recommendation");
    assert_eq!(rejection, Rejection::UnknownRecommendation(7));
}

#[test]
fn a_recommendation_answered_twice_is_refused() {
    let in_response = Journey::to(Stage::Response);
    let rejection = check(
        &in_response,
        &sur(),
        answers(&[1, 2, 2, 3]),
        "duplicate_answer",
    );
    assert_eq!(rejection, Rejection::DuplicateAnswer(2));

    let concluded = Journey::to(Stage::Concluded);
    let mut body = response_body(&concluded.review, 50);
    let again = body.answers[2].clone();
    body.answers.push(again);
    let command = erratum(Correction::Response(body));
    let rejection = check(&concluded, &sur(), command, "duplicate_answer");
    assert_eq!(rejection, Rejection::DuplicateAnswer(3));
}

#[test]
fn a_filed_input_is_no_longer_edited_filed_or_signed() {
    let filed = Journey::to(Stage::StakeholderInput).input_filed();
    let input = input_id(1);
    let invite = Command::InviteCoSigner {
        input,
        cosigner: cosigner(11),
    };
    for command in [revise_input(input, 20), file_input(input), invite] {
        let rejection = check(&filed, &stakeholder(), command, "input_not_editable");
        assert_eq!(rejection, Rejection::InputNotEditable);
    }
    // An invitation nobody confirmed lapses when the lead files.
    let lapsed = joint_draft(50).then(&stakeholder(), file_input(input));
    let confirm = Command::ConfirmCoSignature { input };
    check(&lapsed, &second_stakeholder(), confirm, "input_not_found");
    let invited_then_filed = joint_draft(50)
        .then(&second_stakeholder(), Command::ConfirmCoSignature { input })
        .then(&stakeholder(), file_input(input));
    let confirm = Command::ConfirmCoSignature { input };
    check(
        &invited_then_filed,
        &second_stakeholder(),
        confirm,
        "input_not_editable",
    );
}

#[test]
fn only_the_lead_edits_invites_and_files_a_joint_input() {
    let input = input_id(1);
    let signed = joint_draft(50).then(&second_stakeholder(), Command::ConfirmCoSignature { input });
    let invite = Command::InviteCoSigner {
        input,
        cosigner: cosigner(13),
    };
    for command in [revise_input(input, 20), file_input(input), invite.clone()] {
        check(&signed, &second_stakeholder(), command, "not_input_lead");
    }
    // An organisation that does not sign it learns nothing of it: revising it is
    // answered as revising an input that does not exist, whether or not the
    // organisation has an input of its own.
    for command in [revise_input(input, 20), file_input(input), invite] {
        check(&signed, &third_stakeholder(), command, "input_not_found");
    }
    let with_own = signed.then(&third_stakeholder(), draft_input(input_id(3), 20));
    for unknown in [input, input_id(99)] {
        check(
            &with_own,
            &third_stakeholder(),
            revise_input(unknown, 20),
            "input_not_found",
        );
    }
    check(
        &with_own,
        &third_stakeholder(),
        draft_input(input_id(98), 20),
        "input_already_filed",
    );
}

#[test]
fn a_co_signer_must_be_accredited() {
    let drafted = joint_draft(50);
    let command = Command::InviteCoSigner {
        input: input_id(1),
        cosigner: CoSigner {
            organisation: org(13),
            accredited: false,
        },
    };
    check(&drafted, &stakeholder(), command, "cosigner_not_accredited");
}

#[test]
fn an_organisation_is_invited_once_and_never_the_lead_itself() {
    let drafted = joint_draft(50);
    let input = input_id(1);
    let invite = |n| Command::InviteCoSigner {
        input,
        cosigner: cosigner(n),
    };
    check(&drafted, &stakeholder(), invite(11), "already_invited");
    check(&drafted, &stakeholder(), invite(10), "already_invited");
    let signed = drafted.then(&second_stakeholder(), Command::ConfirmCoSignature { input });
    check(&signed, &stakeholder(), invite(11), "already_invited");
}

#[test]
fn only_an_invited_organisation_confirms_a_co_signature_and_once() {
    let drafted = joint_draft(50);
    let input = input_id(1);
    let confirm = || Command::ConfirmCoSignature { input };
    check(&drafted, &stakeholder(), confirm(), "not_invited");
    let signed = drafted.then(&second_stakeholder(), confirm());
    assert_eq!(
        signed.review.input(input).unwrap().cosigners,
        BTreeSet::from([org(11)])
    );
    check(&signed, &second_stakeholder(), confirm(), "not_invited");
    check(&signed, &third_stakeholder(), confirm(), "input_not_found");
}

#[test]
fn a_recommendation_is_proposed_by_a_member_and_tied_to_a_norm() {
    let drawn = Journey::in_working_group().wg_drawn();
    let member = drawn.member(0);
    let seated = drawn.review.working_group.members[1].state;
    let outsider = iso("DEU");
    let command = wg_report(vec![
        recommendation(seated, &[Norm::N13a]),
        recommendation(outsider, &[Norm::N13b]),
    ]);
    let rejection = check(&drawn, &member, command, "proposer_not_member");
    assert_eq!(rejection, Rejection::ProposerNotMember(outsider));
    assert!(rejection.to_string().contains("DEU"), "{rejection}");

    let command = wg_report(vec![recommendation(seated, &[])]);
    check(&drawn, &member, command, "norms_required");
}

#[test]
fn only_a_previously_recommended_recommendation_is_found_implemented() {
    let drawn = Journey::in_working_group().wg_drawn();
    let unknown = earlier_recommendation(4);
    let mut body = wg_body(&drawn.review, 100);
    body.implemented.insert(unknown);
    let command = Command::DraftWgReport { body };
    let rejection = check(
        &drawn,
        &drawn.member(0),
        command,
        "not_previously_recommended",
    );
    assert_eq!(rejection, Rejection::NotPreviouslyRecommended(unknown));
}

#[test]
fn forwarding_needs_a_question_waiting() {
    let drawn = Journey::in_working_group().wg_drawn();
    let member = drawn.member(0);
    check(
        &drawn,
        &member,
        Command::ForwardAdvanceQuestions,
        "nothing_to_forward",
    );
    let asked = drawn.then(
        &asker(),
        Command::SendAdvanceQuestion {
            question: text_body(30),
        },
    );
    let forwarded = asked.then(&member, Command::ForwardAdvanceQuestions);
    check(
        &forwarded,
        &forwarded.member(1),
        Command::ForwardAdvanceQuestions,
        "nothing_to_forward",
    );
}

#[test]
fn the_sur_replies_once_and_only_to_an_admitted_input() {
    let journey = with_one_input_not_admitted();
    let reply = |n| Command::ReplyToInput {
        input: input_id(n),
        reply: text_body(40),
    };
    check(&journey, &sur(), reply(3), "input_not_admitted");
    check(&journey, &sur(), reply(8), "input_not_found");
    let replied = journey.then(&sur(), reply(1));
    check(&replied, &sur(), reply(1), "already_replied");
}

#[test]
fn a_speaker_asks_for_the_floor_once_and_before_the_list_is_drawn() {
    let scheduled = oversight_ahead(&RULES).then(&other_state(), Command::RequestToSpeak);
    check(
        &scheduled,
        &other_state(),
        Command::RequestToSpeak,
        "already_requested_to_speak",
    );
    let seed = || Command::DrawSpeakers {
        seed: Seed::parse(SEED).unwrap(),
        beacon: None,
    };
    let drawn = scheduled.then(&secretariat(), seed());
    check(&drawn, &secretariat(), seed(), "speakers_already_drawn");
    check(
        &drawn,
        &stakeholder(),
        Command::RequestToSpeak,
        "speakers_already_drawn",
    );
}

#[test]
fn the_floor_is_asked_for_and_the_list_drawn_before_the_session_starts() {
    let scheduled = oversight_ahead(&RULES);
    let started = scheduled.at(scheduled.review.oversight.session_at.unwrap());
    let seed = Command::DrawSpeakers {
        seed: Seed::parse(SEED).unwrap(),
        beacon: None,
    };
    check(
        &started,
        &stakeholder(),
        Command::RequestToSpeak,
        "session_already_started",
    );
    check(&started, &secretariat(), seed, "session_already_started");
}

#[test]
fn only_a_published_document_is_corrected() {
    // The report was never submitted and the response never came: nothing to correct.
    let open = Journey::open();
    let due = open.review.calendar.state_report.hard_close + Duration::seconds(1);
    let silent = open
        .at(due)
        .then(&Actor::SYSTEM, Command::RecordReportDeadlinePassed)
        .input_filed()
        .window_closed()
        .compilation_published()
        .wg_drawn()
        .session_scheduled()
        .session_held()
        .report_drafted()
        .approved_by(0)
        .approved_by(1)
        .approved_by(2);
    let closes = silent.review.calendar.response.hard_close + Duration::seconds(1);
    let silent = silent
        .at(closes)
        .then(&Actor::SYSTEM, Command::RecordResponseDeadlinePassed);
    assert_eq!(silent.review.stage, Stage::Oversight);
    let report = erratum(Correction::Report(report_body(100)));
    check(&silent, &sur(), report, "not_published");
    let response = erratum(Correction::Response(response_body(&silent.review, 50)));
    check(&silent, &sur(), response, "not_published");

    // An input that was not admitted was never published.
    let journey = with_one_input_not_admitted();
    let command = erratum(Correction::Input {
        input: input_id(3),
        body: input_body(30),
    });
    check(&journey, &third_stakeholder(), command, "not_published");
}

#[test]
fn only_a_submitted_report_is_redacted() {
    let open = Journey::open();
    let due = open.review.calendar.state_report.hard_close + Duration::seconds(1);
    let compilation = open
        .at(due)
        .then(&Actor::SYSTEM, Command::RecordReportDeadlinePassed)
        .input_filed()
        .window_closed();
    let command = redact(RedactionTarget::StateReport, Section::ForeignActivity);
    check(&compilation, &secretariat(), command, "not_submitted");
}

#[test]
fn a_redaction_names_a_section_the_document_has_and_is_made_once() {
    let compilation = Journey::in_compilation();
    let input = RedactionTarget::Input { input: input_id(1) };
    let cases = [
        (RedactionTarget::StateReport, Section::Text),
        (input, Section::ForeignActivity),
        (input, Section::Norm(Norm::N13f)),
    ];
    for (document, section) in cases {
        let command = redact(document, section);
        check(&compilation, &secretariat(), command, "section_not_found");
    }
    let cases = [
        (RedactionTarget::StateReport, Section::Norm(Norm::N13e)),
        (input, Section::Text),
    ];
    for (document, section) in cases {
        let redacted = compilation
            .clone()
            .then(&secretariat(), redact(document, section));
        check(
            &redacted,
            &secretariat(),
            redact(document, section),
            "already_redacted",
        );
    }
    let unexplained = Command::RedactSection {
        document: RedactionTarget::StateReport,
        section: Section::ForeignActivity,
        reason: None,
    };
    check(&compilation, &secretariat(), unexplained, "reason_required");
}

#[test]
fn every_document_keeps_to_its_word_limit_when_submitted() {
    let limits = &RULES.word_limits;
    let report = Journey::open().then(&sur(), save_report(10_701));
    let individual =
        Journey::to(Stage::StakeholderInput).then(&stakeholder(), draft_input(input_id(1), 2_816));
    let in_response = Journey::to(Stage::Response);
    let response = in_response
        .clone()
        .then(&sur(), save_response(&in_response.review, 5_001));
    let cases = [
        (&report, sur(), Command::SubmitReport, limits.state_report),
        (
            &individual,
            stakeholder(),
            file_input(input_id(1)),
            limits.individual_input,
        ),
        (&response, sur(), Command::SubmitResponse, limits.response),
    ];
    for (journey, actor, command, limit) in cases {
        let rejection = check(journey, &actor, command, "word_limit_exceeded");
        let words = limit + 1;
        assert_eq!(rejection, Rejection::WordLimitExceeded { words, limit });
    }
}

#[test]
fn the_joint_limit_applies_once_a_co_signer_has_confirmed() {
    let input = input_id(1);
    let confirm = Command::ConfirmCoSignature { input };
    // Invited only: still an individual input.
    let invited = joint_draft(2_816);
    let rejection = check(
        &invited,
        &stakeholder(),
        file_input(input),
        "word_limit_exceeded",
    );
    assert_eq!(
        rejection,
        Rejection::WordLimitExceeded {
            words: 2_816,
            limit: 2_815
        }
    );
    // Confirmed: the joint limit.
    let signed = invited.then(&second_stakeholder(), confirm.clone());
    let filed = signed.clone().then(&stakeholder(), file_input(input));
    let record = filed.review.input(input).unwrap();
    assert!(record.is_filed() && record.is_joint());
    // A revision by the lead asks the co-signer again: until it confirms the new text,
    // the input is individual.
    let revised = signed.then(&stakeholder(), revise_input(input, 2_000));
    let record = revised.review.input(input).unwrap();
    let Party::Stakeholder { organisation, .. } = second_stakeholder().party else {
        unreachable!("a stakeholder")
    };
    assert!(!record.is_joint() && record.invited.contains(&organisation));
    let too_long = joint_draft(5_631).then(&second_stakeholder(), confirm);
    let rejection = check(
        &too_long,
        &stakeholder(),
        file_input(input),
        "word_limit_exceeded",
    );
    assert_eq!(
        rejection,
        Rejection::WordLimitExceeded {
            words: 5_631,
            limit: 5_630
        }
    );
}

#[test]
fn an_erratum_keeps_to_the_word_limit_of_its_document() {
    let concluded = Journey::to(Stage::Concluded);
    let command = erratum(Correction::Report(report_body(10_701)));
    let rejection = check(&concluded, &sur(), command, "word_limit_exceeded");
    assert_eq!(
        rejection,
        Rejection::WordLimitExceeded {
            words: 10_701,
            limit: 10_700
        }
    );
    let command = erratum(Correction::Input {
        input: input_id(1),
        body: input_body(2_816),
    });
    check(&concluded, &stakeholder(), command, "word_limit_exceeded");
}

// ---------------------------------------------------------------------------------------
// Drafts and submissions
// ---------------------------------------------------------------------------------------

#[test]
fn a_report_is_revised_any_number_of_times_and_the_last_draft_is_submitted() {
    let mut journey = Journey::open();
    let mut last = None;
    for (revision, length) in (1..).zip([100, 200, 300, 400]) {
        let body = report_body(length);
        let events = journey.run(&sur(), Command::SaveReportDraft { body: body.clone() });
        let [
            Event::ReportDrafted {
                revision: r,
                report,
            },
        ] = events.as_slice()
        else {
            panic!("expected one report_drafted, got {:?}", kinds(&events));
        };
        assert_eq!(*r, revision);
        assert_eq!(report.body(), &body);
        let draft = journey.review.report.draft.clone().unwrap();
        assert_eq!(draft.revision, revision);
        assert_eq!(&draft.digest, report.digest());
        assert_eq!(journey.review.report.revisions, revision);
        last = Some(Sealed::new(body.clone(), body.words()));
    }
    let last = last.unwrap();
    let events = journey.run(&sur(), Command::SubmitReport);
    assert_eq!(
        events[0],
        Event::ReportSubmitted {
            revision: 4,
            report: last.digest().clone(),
            late: false,
        }
    );
    let submitted = journey.review.report.submission.submitted().unwrap();
    assert_eq!((submitted.revision, submitted.digest.words), (4, 400));
    assert_eq!(journey.review.report.draft, None);
    assert_eq!(journey.review.report.current(), Some(submitted));
}

#[test]
fn inputs_compilations_and_responses_submit_their_last_draft() {
    // An input, drafted three times.
    let mut input = Journey::to(Stage::StakeholderInput);
    input.run(&stakeholder(), draft_input(input_id(1), 10));
    for length in [20, 30] {
        input.run(&stakeholder(), revise_input(input_id(1), length));
    }
    let events = input.run(&stakeholder(), file_input(input_id(1)));
    let Event::InputFiled { revision, text, .. } = &events[0] else {
        panic!("{:?}", kinds(&events));
    };
    assert_eq!((*revision, text.words), (3, 30));
    let record = input.review.input(input_id(1)).unwrap();
    assert_eq!(record.document.submission.submitted().unwrap().revision, 3);
    assert_eq!(record.document.draft, None);

    // A compilation, drafted twice.
    let mut compilation = Journey::in_compilation()
        .screened()
        .then(&secretariat(), save_compilation(10))
        .then(&secretariat(), save_compilation(20));
    let events = compilation.run(&secretariat(), Command::PublishCompilation);
    let Event::CompilationPublished {
        revision,
        compilation: digest,
        admitted,
        ..
    } = &events[0]
    else {
        panic!("{:?}", kinds(&events));
    };
    assert_eq!((*revision, digest.words), (2, 20));
    assert_eq!(admitted, &[input_id(1)]);

    // A response, drafted twice: the first left two recommendations unanswered.
    let mut response = Journey::to(Stage::Response).then(&sur(), answers(&[1]));
    let complete = save_response(&response.review, 60);
    response.run(&sur(), complete);
    assert!(response.review.response.missing.is_empty());
    let events = response.run(&sur(), Command::SubmitResponse);
    let Event::ResponseSubmitted {
        revision,
        response: digest,
        ..
    } = &events[0]
    else {
        panic!("{:?}", kinds(&events));
    };
    assert_eq!((*revision, digest.words), (2, 60));
}

#[test]
fn a_wg_draft_edited_after_an_approval_withdraws_it_and_an_approval_counts_once() {
    let mut journey = Journey::wg_ready().report_drafted().approved_by(0);
    let first = journey.member(0);
    check(&journey, &first, approve(), "already_approved");
    let body = wg_body(&journey.review, 300);
    let second = journey.member(1);
    let events = journey.run(&second, Command::DraftWgReport { body });
    assert_eq!(kinds(&events), ["wg_report_drafted"]);
    let wg = &journey.review.working_group;
    assert!(wg.approvals.is_empty(), "the edit withdrew the approval");
    assert_eq!(wg.draft.as_ref().unwrap().revision.revision, 2);
    // The withdrawn approval may be given again, to the new text.
    journey.run(&first, approve());
    assert_eq!(
        journey.review.working_group.approvals,
        BTreeSet::from([journey.review.working_group.members[0].state])
    );
}

#[test]
fn recommendations_are_numbered_in_order_with_their_norms_and_proposer() {
    let drawn = Journey::wg_ready();
    let members = drawn.review.working_group.member_states();
    let command = wg_report(vec![
        recommendation(members[2], &[Norm::N13k]),
        recommendation(members[0], &[Norm::N13c, Norm::N13f]),
        recommendation(members[2], &[Norm::N13a]),
    ]);
    let proposer = drawn.member(1);
    let adopted = drawn
        .then(&proposer, command)
        .approved_by(0)
        .approved_by(1)
        .approved_by(2)
        .session_held();
    assert_eq!(adopted.review.stage, Stage::Response);
    let expected = [
        (1, vec![Norm::N13k], members[2]),
        (2, vec![Norm::N13c, Norm::N13f], members[0]),
        (3, vec![Norm::N13a], members[2]),
    ]
    .map(|(number, norms, proposed_by)| RecommendationMeta {
        number,
        norms: norms.into_iter().collect(),
        proposed_by,
        sectors: BTreeSet::new(),
        groups: BTreeSet::new(),
    });
    assert_eq!(adopted.review.working_group.recommendations(), expected);
    let Some(Event::WgReportAdopted {
        recommendations, ..
    }) = adopted
        .events
        .iter()
        .find(|e| e.kind() == "wg_report_adopted")
    else {
        panic!("not adopted");
    };
    assert_eq!(*recommendations, 3);
}

#[test]
fn the_response_records_a_position_per_recommendation() {
    let mut journey = Journey::to(Stage::Response);
    let body = ResponseBody {
        language: None,
        answers: [
            (3, Position::Noted),
            (1, Position::Supported),
            (2, Position::Noted),
        ]
        .map(|(recommendation, position)| Answer {
            recommendation,
            position,
            explanation: prose(10),
        })
        .to_vec(),
        general: Some(prose(50)),
    };
    journey.run(&sur(), Command::SaveResponseDraft { body });
    let drafted = BTreeMap::from([
        (1, Position::Supported),
        (2, Position::Noted),
        (3, Position::Noted),
    ]);
    assert_eq!(journey.review.draft_answers, drafted);
    assert!(
        journey.review.positions.is_empty(),
        "a draft decides nothing"
    );
    let events = journey.run(&sur(), Command::SubmitResponse);
    let Event::ResponseSubmitted {
        supported, noted, ..
    } = &events[0]
    else {
        panic!("{:?}", kinds(&events));
    };
    assert_eq!(
        (supported.as_slice(), noted.as_slice()),
        (&[1][..], &[2, 3][..])
    );
    assert_eq!(journey.review.positions, drafted);
    assert!(journey.review.draft_answers.is_empty());
    assert_eq!(journey.review.stage, Stage::Oversight);
}

// ---------------------------------------------------------------------------------------
// Advance questions, replies, speakers
// ---------------------------------------------------------------------------------------

#[test]
fn an_advance_question_is_read_by_asker_wg_and_secretariat_then_the_sur_then_everyone() {
    let mut journey = Journey::in_working_group().wg_drawn().session_scheduled();
    let events = journey.run(
        &asker(),
        Command::SendAdvanceQuestion {
            question: text_body(30),
        },
    );
    assert_eq!(kinds(&events), ["advance_question_sent"]);
    let question = DocumentKey::Question(1);
    let member = journey.member(0);
    let sees = |journey: &Journey, viewer: Option<&Actor>| journey.review.access(viewer, question);
    assert_eq!(sees(&journey, Some(&asker())), Access::Author);
    assert_eq!(sees(&journey, Some(&member)), Access::Confidential);
    assert_eq!(sees(&journey, Some(&secretariat())), Access::Secretariat);
    for viewer in [Some(sur()), Some(other_state()), Some(stakeholder()), None] {
        assert_eq!(sees(&journey, viewer.as_ref()), Access::None, "{viewer:?}");
        let shown = serde_json::to_value(journey.review.view_for(viewer.as_ref())).unwrap();
        assert_eq!(shown["questions"], serde_json::json!([]), "{viewer:?}");
    }

    journey.run(&member, Command::ForwardAdvanceQuestions);
    assert!(journey.review.questions[0].forwarded_at.is_some());
    assert_eq!(sees(&journey, Some(&sur())), Access::Public);
    let shown = serde_json::to_value(journey.review.view_for(Some(&sur()))).unwrap();
    assert_eq!(shown["questions"].as_array().map(Vec::len), Some(1));
    for viewer in [Some(other_state()), Some(stakeholder()), None] {
        assert_eq!(sees(&journey, viewer.as_ref()), Access::None, "{viewer:?}");
    }

    let adopted = journey
        .session_held()
        .report_drafted()
        .approved_by(0)
        .approved_by(1)
        .approved_by(2);
    assert_eq!(adopted.review.stage, Stage::Response);
    for viewer in [Some(other_state()), Some(stakeholder()), None] {
        assert_eq!(
            sees(&adopted, viewer.as_ref()),
            Access::Public,
            "{viewer:?}"
        );
    }
}

#[test]
fn questions_still_waiting_are_forwarded_with_the_adopted_report() {
    let journey = Journey::wg_ready().then(
        &asker(),
        Command::SendAdvanceQuestion {
            question: text_body(30),
        },
    );
    assert_eq!(journey.review.questions[0].forwarded_at, None);
    let adopted = journey
        .session_held()
        .report_drafted()
        .approved_by(0)
        .approved_by(1)
        .approved_by(2);
    assert_eq!(adopted.review.questions[0].forwarded_at, Some(adopted.now));
}

#[test]
fn the_reply_is_published_beside_its_input() {
    let mut journey = with_one_input_not_admitted();
    let reply = Command::ReplyToInput {
        input: input_id(1),
        reply: text_body(40),
    };
    let events = journey.run(&sur(), reply);
    assert_eq!(kinds(&events), ["reply_published"]);
    assert!(events[0].is_public());
    let key = DocumentKey::Reply(input_id(1));
    assert_eq!(journey.review.access(Some(&sur()), key), Access::Author);
    assert_eq!(journey.review.access(None, key), Access::Public);
    let stored = events[0].stored_body().unwrap();
    assert_eq!(stored.key, key);
}

#[test]
fn under_capacity_the_floor_goes_in_order_of_request_without_a_seed() {
    let requesters = [other_state(), stakeholder(), second_stakeholder()];
    let mut journey = oversight_ahead(&RULES);
    assert_eq!(RULES.oversight.capacity(), 13);
    for actor in &requesters {
        journey.run(actor, Command::RequestToSpeak);
    }
    let events = journey.run(
        &secretariat(),
        Command::DrawSpeakers {
            seed: Seed::parse(SEED).unwrap(),
            beacon: None,
        },
    );
    let [Event::SpeakersListDrawn { record }] = events.as_slice() else {
        panic!("{:?}", kinds(&events));
    };
    let ids = vec![
        "state:DEU".to_owned(),
        format!("stakeholder:{}", org(10)),
        format!("stakeholder:{}", org(11)),
    ];
    assert_eq!(record.requests, ids);
    assert_eq!(record.order, ids);
    assert_eq!(
        (record.seed.as_ref(), record.draw_seed.as_ref()),
        (None, None)
    );
    assert_eq!(record.capacity, 13);
    assert_eq!(record.purpose, format!("speakers/{REVIEW}"));
    assert_eq!(journey.review.oversight.speakers.as_ref(), Some(record));
}

#[test]
fn over_capacity_the_order_is_drawn_from_the_derived_seed() {
    let mut journey = oversight_ahead(&SMALL_ROOM);
    assert_eq!(SMALL_ROOM.oversight.capacity(), 2);
    check(
        &journey,
        &sur(),
        Command::RequestToSpeak,
        "role_not_permitted",
    );
    let requesters = [
        other_state(),
        stakeholder(),
        asker(),
        second_stakeholder(),
        journey.member(1),
    ];
    for actor in &requesters {
        journey.run(actor, Command::RequestToSpeak);
    }
    let seed = Seed::parse(SEED).unwrap();
    let events = journey.run(
        &secretariat(),
        Command::DrawSpeakers {
            seed: seed.clone(),
            beacon: None,
        },
    );
    let [Event::SpeakersListDrawn { record }] = events.as_slice() else {
        panic!("{:?}", kinds(&events));
    };
    let review: ReviewId = REVIEW.parse().unwrap();
    let draw_seed = seed.derive(&DrawPurpose::Speakers { review });
    assert_eq!(record.seed.as_deref(), Some(SEED));
    assert_eq!(record.draw_seed.as_deref(), Some(draw_seed.as_str()));
    assert_eq!(record.requests.len(), requesters.len());
    assert!(!record.requests.contains(&"state:FRA".to_owned()));
    assert_eq!(record.order, speakers_order(&draw_seed, &record.requests));
    let drawn: BTreeSet<&String> = record.order.iter().collect();
    assert_eq!(drawn, record.requests.iter().collect());
    assert_eq!(record.capacity, 2);
    assert_eq!(record.beacon_value, None);
}

#[test]
fn the_speakers_list_of_a_cycle_that_names_a_beacon_mixes_its_value_in() {
    let mut journey = oversight_ahead(&SMALL_ROOM);
    for actor in [other_state(), stakeholder(), asker(), second_stakeholder()] {
        journey.run(&actor, Command::RequestToSpeak);
    }
    let seed = Seed::parse(SEED).unwrap();
    let beacon = |value: Option<&str>| {
        Some(crate::CycleBeacon {
            source: short("drand quicknet"),
            reference: short("round 7"),
            value: value.map(|v| crate::verify::BeaconValue::parse(v).unwrap()),
        })
    };
    let waiting = Command::DrawSpeakers {
        seed: seed.clone(),
        beacon: beacon(None),
    };
    check(&journey, &secretariat(), waiting, "beacon_value_missing");
    let events = journey.run(
        &secretariat(),
        Command::DrawSpeakers {
            seed: seed.clone(),
            beacon: beacon(Some(" 0a1b ")),
        },
    );
    let [Event::SpeakersListDrawn { record }] = events.as_slice() else {
        panic!("{:?}", kinds(&events));
    };
    let review: ReviewId = REVIEW.parse().unwrap();
    let value = crate::verify::BeaconValue::parse("0a1b").unwrap();
    let draw_seed = seed.derive_with_beacon(&value, &DrawPurpose::Speakers { review });
    assert_eq!(
        draw_seed,
        crate::verify::h(&format!(
            "{SEED}/{}/speakers/{REVIEW}",
            crate::verify::h("0a1b")
        ))
    );
    assert_eq!(record.draw_seed.as_deref(), Some(draw_seed.as_str()));
    assert_eq!(record.order, speakers_order(&draw_seed, &record.requests));
    assert_eq!(record.beacon_value.as_ref(), Some(&value));
    assert_eq!(
        record.beacon_source.as_ref().map(crate::ShortText::as_str),
        Some("drand quicknet")
    );
    let view = crate::views::SpeakersView::of(record);
    assert_eq!(view.beacon_reference.as_deref(), Some("round 7"));
    assert_eq!(view.beacon_value.as_deref(), Some("0a1b"));
}

// ---------------------------------------------------------------------------------------
// Errata, recommendations beyond their review
// ---------------------------------------------------------------------------------------

#[test]
fn an_erratum_adds_a_version_and_keeps_the_old_one_readable() {
    let mut journey = Journey::to(Stage::Concluded);
    let before = journey.review.report.clone();
    let submitted = before.submission.submitted().unwrap().clone();
    let corrected = report_body(150);
    let why = short("a figure of section 13f was wrong");
    let events = journey.run(
        &sur(),
        Command::PublishErratum {
            correction: Correction::Report(corrected.clone()),
            reason: Some(why.clone()),
        },
    );
    assert_eq!(kinds(&events), ["erratum_published"]);
    assert!(events[0].is_public());
    assert_eq!(journey.review.stage, Stage::Concluded);
    let report = &journey.review.report;
    let sealed = Sealed::new(corrected.clone(), corrected.words());
    let current = report.current().unwrap();
    assert_eq!(current.revision, before.revisions + 1);
    assert_eq!(&current.digest, sealed.digest());
    assert_eq!(report.versions(), [&submitted, current]);
    assert_eq!(report.errata[0].reason, why);
    assert_eq!(report.submission.submitted(), Some(&submitted));
    let stored = events[0].stored_body().unwrap();
    assert_eq!(stored.key, DocumentKey::StateReport);
    assert_eq!(stored.json, stored_json(&corrected));

    // A second erratum adds a third version; an erratum needs a public reason.
    journey.run(&sur(), erratum(Correction::Report(report_body(160))));
    assert_eq!(journey.review.report.versions().len(), 3);
    assert_eq!(journey.review.report.versions()[0], &submitted);
    let unexplained = Command::PublishErratum {
        correction: Correction::Report(report_body(170)),
        reason: None,
    };
    check(&journey, &sur(), unexplained, "reason_required");
}

#[test]
fn errata_reach_every_published_document_of_a_concluded_review() {
    let mut journey = Journey::to(Stage::Concluded);
    let mut body = input_body(40);
    body.norms = BTreeSet::from([Norm::N13g]);
    body.sectors = BTreeSet::from([Sector::Energy]);
    let cases = [
        (
            stakeholder(),
            Correction::Input {
                input: input_id(1),
                body,
            },
        ),
        (
            secretariat(),
            Correction::Compilation(CompilationBody {
                language: None,
                text: prose(30),
                attachments: Vec::new(),
            }),
        ),
        (
            sur(),
            Correction::Response(response_body(&journey.review, 30)),
        ),
        (chair(), Correction::Outcome(super::tests::outcome_body(30))),
    ];
    for (actor, correction) in cases {
        journey.run(&actor, erratum(correction));
    }
    let review = &journey.review;
    let input = review.input(input_id(1)).unwrap();
    assert_eq!(input.document.versions().len(), 2);
    assert_eq!(input.norms, BTreeSet::from([Norm::N13g]));
    assert_eq!(input.sectors, BTreeSet::from([Sector::Energy]));
    for document in [
        &review.compilation,
        &review.response,
        &review.oversight.outcome,
    ] {
        assert_eq!(document.versions().len(), 2);
    }
    assert_eq!(review.stage, Stage::Concluded);
    // The corrected response restates the same positions.
    assert_eq!(review.positions.len(), 3);
}

#[test]
fn the_working_group_finds_implemented_what_was_previously_recommended() {
    let carried = [earlier_recommendation(1), earlier_recommendation(2)];
    let command = OpenReview {
        previously_recommended: carried.to_vec(),
        ..open_command()
    };
    let opened = Journey::open_with(&RULES, command);
    assert_eq!(opened.review.previously_recommended, carried);
    let Event::ReviewOpened {
        previously_recommended,
        ..
    } = &opened.events[0]
    else {
        panic!("expected review_opened");
    };
    assert_eq!(previously_recommended, &carried);

    let ready = opened
        .report_submitted()
        .input_filed()
        .window_closed()
        .compilation_published()
        .wg_drawn()
        .session_scheduled();
    let mut body = wg_body(&ready.review, 100);
    body.implemented.insert(carried[1]);
    let drafter = ready.member(0);
    let adopted = ready
        .then(&drafter, Command::DraftWgReport { body })
        .approved_by(0)
        .approved_by(1)
        .approved_by(2)
        .session_held();
    let wg = &adopted.review.working_group;
    let implemented = &wg.adopted.as_ref().unwrap().implemented;
    assert_eq!(implemented, &BTreeSet::from([carried[1]]));
    let adoption = adopted
        .events
        .iter()
        .find_map(|event| match event {
            Event::WgReportAdopted { implemented, .. } => Some(implemented.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(adoption, [carried[1]]);
}

#[test]
fn implementation_is_reported_by_the_sur_and_stakeholders_once_recommendations_are_answered() {
    let in_oversight = Journey::to(Stage::Oversight);
    let concluded = Journey::to(Stage::Concluded);
    for review in [&in_oversight.review, &concluded.review] {
        for actor in [sur(), stakeholder(), second_stakeholder()] {
            assert_eq!(review.check_implementation_update(&actor, 2), Ok(()));
        }
        assert_eq!(
            review.check_implementation_update(&sur(), 4),
            Err(Rejection::UnknownRecommendation(4))
        );
        assert_eq!(
            review.check_implementation_update(&unaccredited(), 1),
            Err(Rejection::Denied(Denial::NotAccredited))
        );
        let member = delegate(review.working_group.members[0].state);
        for actor in [other_state(), member, secretariat(), chair(), Actor::SYSTEM] {
            assert_eq!(
                review.check_implementation_update(&actor, 1),
                Err(Rejection::Denied(Denial::RoleNotPermitted)),
                "{actor:?}"
            );
        }
    }
    let in_response = Journey::to(Stage::Response);
    assert_eq!(
        in_response.review.check_implementation_update(&sur(), 1),
        Err(Rejection::StageMismatch {
            actual: Stage::Response
        })
    );
    let withdrawn = in_oversight.then(&secretariat(), Command::Withdraw { reason: reason() });
    assert_eq!(
        withdrawn.review.check_implementation_update(&sur(), 1),
        Err(Rejection::ReviewClosed {
            stage: Stage::Withdrawn
        })
    );
}

// ---------------------------------------------------------------------------------------
// Bodies: the compilation draft, sealing, what each access level is shown
// ---------------------------------------------------------------------------------------

#[test]
fn the_compilation_draft_groups_points_by_norm_and_stakeholder_kind_citing_each_input() {
    let journey = Journey::to(Stage::StakeholderInput)
        .then(
            &stakeholder(),
            Command::DraftInput {
                input: input_id(1),
                kind: StakeholderKind::Ngo,
                body: InputBody {
                    norms: BTreeSet::from([Norm::N13c, Norm::N13f]),
                    text: Prose::parse("hospitals were hit twice").unwrap(),
                    ..input_body(1)
                },
                new: true,
            },
        )
        .then(
            &second_stakeholder(),
            Command::DraftInput {
                input: input_id(2),
                kind: StakeholderKind::Academia,
                body: InputBody {
                    norms: BTreeSet::from([Norm::N13f]),
                    text: Prose::parse("the grid failed").unwrap(),
                    ..input_body(1)
                },
                new: true,
            },
        )
        .then(
            &third_stakeholder(),
            Command::DraftInput {
                input: input_id(3),
                kind: StakeholderKind::PrivateSector,
                body: InputBody {
                    norms: BTreeSet::new(),
                    text: prose(80),
                    ..input_body(1)
                },
                new: true,
            },
        );
    let bodies: BTreeMap<InputId, InputBody> = journey
        .events
        .iter()
        .filter_map(|event| match event {
            Event::InputDrafted { input, draft, .. } => Some((*input, draft.body().clone())),
            _ => None,
        })
        .collect();
    let inputs: Vec<_> = journey
        .review
        .inputs
        .iter()
        .map(|record| (record, &bodies[&record.id]))
        .collect();
    let text = draft_compilation(&inputs);

    let cite = |n| format!("[input {}]", input_id(n));
    let position = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is missing from\n{text}"))
    };
    // Norms in order, each heading its own section.
    let section = |heading: &str| {
        let start = position(heading);
        let end = text[start + 1..]
            .find("\n## ")
            .map_or(text.len(), |end| start + 1 + end);
        &text[start..end]
    };
    assert!(position("## Norm 13c") < position("## Norm 13f"), "{text}");
    // Under 13f, the NGO's point and then the academic one, each citing its input.
    let under_13f = section("## Norm 13f");
    let ngo = under_13f.find("### NGO").unwrap();
    let academia = under_13f.find("### Academia").unwrap();
    assert!(ngo < academia, "{under_13f}");
    assert!(under_13f[ngo..academia].contains(&format!("hospitals were hit twice {}", cite(1))));
    assert!(under_13f[academia..].contains(&format!("the grid failed {}", cite(2))));
    // An input tied to two norms is cited under both; every input is cited.
    assert_eq!(text.matches(&cite(1)).count(), 2);
    assert_eq!(text.matches(&cite(2)).count(), 1);
    assert_eq!(text.matches(&cite(3)).count(), 1);
    let unattached = section("## Inputs not tied to a norm");
    assert!(unattached.contains("### Private sector"), "{unattached}");
    // A long input is quoted as an excerpt.
    assert!(unattached.contains(" …"), "{unattached}");

    assert!(draft_compilation(&[]).contains("No stakeholder input was admitted."));
}

#[test]
fn a_sealed_body_serialises_as_its_digest_and_the_stored_body_in_full() {
    let marker = "zanzibar";
    let body = ReportBody {
        confidential: Some(Prose::parse(format!("{marker} evidence")).unwrap()),
        ..report_body(40)
    };
    let mut foreign = body.clone();
    foreign.foreign_activity = Some(Prose::parse(format!("{marker} operations")).unwrap());
    let sealed = Sealed::new(foreign.clone(), foreign.words());
    let json = serde_json::to_string(&sealed).unwrap();
    assert!(!json.contains(marker), "{json}");
    let digest: serde_json::Value = serde_json::from_str(&json).unwrap();
    let expected_sha = h(&canonical_json(&stored_json(&foreign)));
    assert_eq!(
        digest,
        serde_json::json!({"words": foreign.words(), "sha256": expected_sha})
    );
    let stored = serde_json::to_string(&stored_json(&foreign)).unwrap();
    assert!(stored.contains(&format!("{marker} operations")), "{stored}");
    assert!(stored.contains(&format!("{marker} evidence")), "{stored}");

    // Through the review: the event payload holds the digest, the stored body the text.
    let mut journey = Journey::open();
    let events = journey.run(
        &sur(),
        Command::SaveReportDraft {
            body: foreign.clone(),
        },
    );
    let payload = events[0].payload().to_string();
    assert!(!payload.contains(marker), "{payload}");
    let stored = events[0].stored_body().unwrap();
    assert_eq!(stored.json, stored_json(&foreign));
    assert_eq!(&stored.digest, sealed.digest());
    let mut journey = with_one_input_not_admitted();
    let events = journey.run(
        &sur(),
        Command::ReplyToInput {
            input: input_id(1),
            reply: TextBody {
                language: None,
                text: Prose::parse(format!("{marker} reply")).unwrap(),
            },
        },
    );
    assert!(!events[0].payload().to_string().contains(marker));
    let stored = events[0].stored_body().unwrap().json.to_string();
    assert!(stored.contains(marker), "{stored}");
}

#[test]
fn a_report_is_shown_to_each_access_level_with_what_it_may_read() {
    let body = ReportBody {
        confidential: Some(prose(7)),
        contact: Some(short("desk@example.org")),
        ..report_body(40)
    };
    let redactions: Vec<Redaction> = [Section::ForeignActivity, Section::Norm(Norm::N13a)]
        .map(|section| Redaction {
            section,
            reason: short("would endanger people"),
            at: OPENED,
        })
        .to_vec();
    let redacted = Some(Prose::parse(REDACTED).unwrap());

    for access in [Access::Listing, Access::Public] {
        let shown = body.shown(access, &redactions);
        assert_eq!(shown.confidential, None, "{access:?}");
        assert_eq!(shown.contact, None, "{access:?}");
        assert_eq!(shown.foreign_activity, redacted, "{access:?}");
        assert_eq!(
            shown.norms.get(&Norm::N13a),
            redacted.as_ref(),
            "{access:?}"
        );
        assert_eq!(shown.norms.get(&Norm::N13b), body.norms.get(&Norm::N13b));
        assert_eq!(shown.norms.len(), Norm::ALL.len());
    }
    let working_group = body.shown(Access::Confidential, &redactions);
    assert_eq!(
        working_group,
        ReportBody {
            contact: None,
            ..body.clone()
        }
    );
    for access in [Access::Secretariat, Access::Author] {
        assert_eq!(body.shown(access, &redactions), body, "{access:?}");
    }
    // Without redactions the public reads every section.
    let public = body.shown(Access::Public, &[]);
    assert_eq!(public.foreign_activity, body.foreign_activity);
}

#[test]
fn an_input_is_shown_to_each_access_level_with_what_it_may_read() {
    let body = InputBody {
        confidential: Some(prose(7)),
        contact: Some(short("+41 22 000 00 00")),
        ..input_body(30)
    };
    let redactions = [Redaction {
        section: Section::Text,
        reason: short("names a witness"),
        at: OPENED,
    }];
    let public = body.shown(Access::Public, &redactions);
    assert_eq!(public.text.as_str(), REDACTED);
    assert_eq!((public.confidential, public.contact), (None, None));
    assert_eq!(
        (public.norms, public.sectors),
        (body.norms.clone(), body.sectors.clone())
    );
    let unredacted = body.shown(Access::Public, &[]);
    assert_eq!(unredacted.text, body.text);
    assert_eq!(unredacted.confidential, None);
    let working_group = body.shown(Access::Confidential, &redactions);
    assert_eq!(
        working_group,
        InputBody {
            contact: None,
            ..body.clone()
        }
    );
    for access in [Access::Secretariat, Access::Author] {
        assert_eq!(body.shown(access, &redactions), body, "{access:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Who may read what, stage by stage
// ---------------------------------------------------------------------------------------

/// Who may read each document of a review at the end of each stage (1 to 6, and c for
/// concluded), written from the spec's table of documents, not from the code:
/// `-` nothing, `L` listed without text, `P` the public text, `C` with the confidential
/// part, `S` what was submitted in full (contact details included), `A` drafts included.
///
/// The state report is the SuR's and public once the compilation publishes it in stage
/// 3; the working group reads its confidential part, the secretariat the submission. An
/// admitted input likewise, read by its author all along; a not-admitted one is listed
/// to all but the secretariat, which screened it; a draft never filed is its author's
/// alone. The compilation is the secretariat's, public from publication. The WG report is
/// its members', public at adoption, the end of stage 4; its drafts are the members'
/// alone (deny by default: the spec gives them to no one else).
/// The response is the SuR's, public at submission, the end of stage 5. An advance
/// question is read by its asker, the working group and the secretariat, by the SuR once
/// forwarded, by everyone once the WG report is adopted. A reply is the SuR's and public
/// beside its input. The oversight record (statements, outcome) is the chair's, kept by
/// the secretariat, public at conclusion; a statement exists (for anyone) only once it is
/// recorded, in the session of stage 6. A WG member is an outsider until it is drawn.
const VISIBILITY: &str = "
    report      | sur          | A A A A A A A
    report      | other_state  | - - - P P P P
    report      | wg_member    | - - - C C C C
    report      | author       | - - - P P P P
    report      | other_stk    | - - - P P P P
    report      | secretariat  | - S S S S S S
    report      | chair        | - - - P P P P
    report      | anonymous    | - - - P P P P

    input       | sur          | - - - P P P P
    input       | other_state  | - - - P P P P
    input       | wg_member    | - - - C C C C
    input       | author       | - A A A A A A
    input       | other_stk    | - - - P P P P
    input       | secretariat  | - S S S S S S
    input       | chair        | - - - P P P P
    input       | anonymous    | - - - P P P P

    refused     | sur          | - - - L L L L
    refused     | other_state  | - - - L L L L
    refused     | wg_member    | - - - L L L L
    refused     | author       | - - - L L L L
    refused     | other_stk    | - - - L L L L
    refused     | secretariat  | - S S S S S S
    refused     | chair        | - - - L L L L
    refused     | anonymous    | - - - L L L L

    unfiled     | sur          | - - - - - - -
    unfiled     | other_state  | - - - - - - -
    unfiled     | wg_member    | - - - - - - -
    unfiled     | author       | - - - - - - -
    unfiled     | other_stk    | - A A A A A A
    unfiled     | secretariat  | - - - - - - -
    unfiled     | chair        | - - - - - - -
    unfiled     | anonymous    | - - - - - - -

    compilation | sur          | - - - P P P P
    compilation | other_state  | - - - P P P P
    compilation | wg_member    | - - - P P P P
    compilation | author       | - - - P P P P
    compilation | other_stk    | - - - P P P P
    compilation | secretariat  | A A A A A A A
    compilation | chair        | - - - P P P P
    compilation | anonymous    | - - - P P P P

    wg_report   | sur          | - - - - P P P
    wg_report   | other_state  | - - - - P P P
    wg_report   | wg_member    | - - - A A A A
    wg_report   | author       | - - - - P P P
    wg_report   | other_stk    | - - - - P P P
    wg_report   | secretariat  | - - - - S S S
    wg_report   | chair        | - - - - P P P
    wg_report   | anonymous    | - - - - P P P

    response    | sur          | A A A A A A A
    response    | other_state  | - - - - - P P
    response    | wg_member    | - - - - - P P
    response    | author       | - - - - - P P
    response    | other_stk    | - - - - - P P
    response    | secretariat  | - - - - - S S
    response    | chair        | - - - - - P P
    response    | anonymous    | - - - - - P P

    question    | sur          | - - - - P P P
    question    | other_state  | - - - - P P P
    question    | wg_member    | - - - C C C C
    question    | author       | - - - - P P P
    question    | other_stk    | - - - - P P P
    question    | secretariat  | - - - S S S S
    question    | chair        | - - - - P P P
    question    | anonymous    | - - - - P P P

    reply       | sur          | - - - A A A A
    reply       | other_state  | - - - P P P P
    reply       | wg_member    | - - - P P P P
    reply       | author       | - - - P P P P
    reply       | other_stk    | - - - P P P P
    reply       | secretariat  | - - - S S S S
    reply       | chair        | - - - P P P P
    reply       | anonymous    | - - - P P P P

    statement   | sur          | - - - - - - P
    statement   | other_state  | - - - - - - P
    statement   | wg_member    | - - - - - - P
    statement   | author       | - - - - - - P
    statement   | other_stk    | - - - - - - P
    statement   | secretariat  | - - - - - S S
    statement   | chair        | - - - - - A A
    statement   | anonymous    | - - - - - - P

    outcome     | sur          | - - - - - - P
    outcome     | other_state  | - - - - - - P
    outcome     | wg_member    | - - - - - - P
    outcome     | author       | - - - - - - P
    outcome     | other_stk    | - - - - - - P
    outcome     | secretariat  | S S S S S S S
    outcome     | chair        | A A A A A A A
    outcome     | anonymous    | - - - - - - P
";

fn document_key(name: &str) -> DocumentKey {
    match name {
        "report" => DocumentKey::StateReport,
        "input" => DocumentKey::Input(input_id(1)),
        "unfiled" => DocumentKey::Input(input_id(2)),
        "refused" => DocumentKey::Input(input_id(3)),
        "compilation" => DocumentKey::Compilation,
        "wg_report" => DocumentKey::WgReport,
        "response" => DocumentKey::Response,
        "question" => DocumentKey::Question(1),
        "reply" => DocumentKey::Reply(input_id(1)),
        "statement" => DocumentKey::Statement(1),
        "outcome" => DocumentKey::Outcome,
        other => panic!("no document {other}"),
    }
}

fn access_code(code: &str) -> Access {
    match code {
        "-" => Access::None,
        "L" => Access::Listing,
        "P" => Access::Public,
        "C" => Access::Confidential,
        "S" => Access::Secretariat,
        "A" => Access::Author,
        other => panic!("no access {other}"),
    }
}

/// One review followed to the end of each stage, every document of the stage drafted
/// and nothing of the next one begun: stages 1 to 6 and the concluded review.
pub(super) fn end_of_each_stage() -> Vec<Journey> {
    let open = Journey::open();
    let due = open.review.calendar.state_report.due;
    let stage_1 = open
        .at(due - Duration::weeks(3))
        .then(&sur(), save_report(1_000));
    let stage_2 = stage_1
        .clone()
        .then(&sur(), Command::SubmitReport)
        .later(Duration::days(2))
        .filed_by(&stakeholder(), 1, 300)
        .then(&second_stakeholder(), draft_input(input_id(2), 40))
        .filed_by(&third_stakeholder(), 3, 50);
    let stage_3 = stage_2
        .window_closed()
        .then(&secretariat(), screen(input_id(1), true, None))
        .then(
            &secretariat(),
            screen(input_id(3), false, Some(short("out of scope"))),
        )
        .then(&secretariat(), save_compilation(500));
    let stage_4 = stage_3
        .clone()
        .then(&secretariat(), Command::PublishCompilation)
        .wg_drawn()
        .session_scheduled()
        .then(
            &asker(),
            Command::SendAdvanceQuestion {
                question: text_body(30),
            },
        )
        .then(
            &sur(),
            Command::ReplyToInput {
                input: input_id(1),
                reply: text_body(40),
            },
        )
        .report_drafted()
        .approved_by(0)
        .approved_by(1);
    let stage_5 = stage_4.approved_by(2).session_held();
    let stage_5 = stage_5
        .clone()
        .then(&sur(), save_response(&stage_5.review, 300));
    let stage_6 = stage_5
        .later(Duration::days(7))
        .then(&sur(), Command::SubmitResponse)
        .oversight_scheduled();
    let session = stage_6.review.oversight.session_at.unwrap();
    let stage_6 = stage_6.at(session).then(&chair(), statement());
    let concluded = stage_6.outcome_adopted();
    let stages = [
        stage_1, stage_2, stage_3, stage_4, stage_5, stage_6, concluded,
    ];
    for (journey, stage) in stages
        .iter()
        .zip(Stage::PROCESS.into_iter().chain([Stage::Concluded]))
    {
        assert_eq!(journey.review.stage, stage);
    }
    stages.to_vec()
}

/// The viewers of the table, the working-group member being one drawn in stage 4.
pub(super) fn viewers(wg_member: StateCode) -> Vec<(&'static str, Option<Actor>)> {
    vec![
        ("sur", Some(sur())),
        ("other_state", Some(other_state())),
        ("wg_member", Some(delegate(wg_member))),
        ("author", Some(stakeholder())),
        ("other_stk", Some(second_stakeholder())),
        ("secretariat", Some(secretariat())),
        ("chair", Some(chair())),
        ("anonymous", None),
    ]
}

#[test]
fn each_viewer_reads_each_document_at_each_stage_as_the_spec_says() {
    let stages = end_of_each_stage();
    let wg_member = stages[3].review.working_group.members[0].state;
    let viewers = viewers(wg_member);
    let rows: Vec<(&str, &str, Vec<Access>)> = VISIBILITY
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let levels = cells[2].split_whitespace().map(access_code).collect();
            (cells[0], cells[1], levels)
        })
        .collect();
    assert_eq!(
        rows.len(),
        11 * viewers.len(),
        "a row per document and viewer"
    );

    let mut mismatches = Vec::new();
    for (document, viewer, levels) in &rows {
        let (_, actor) = viewers
            .iter()
            .find(|(name, _)| name == viewer)
            .unwrap_or_else(|| panic!("no viewer {viewer}"));
        assert_eq!(levels.len(), stages.len(), "{document} {viewer}");
        for (journey, expected) in stages.iter().zip(levels) {
            let actual = journey
                .review
                .access(actor.as_ref(), document_key(document));
            if actual != *expected {
                mismatches.push(format!(
                    "{document} for {viewer} in {}: expected {expected:?}, got {actual:?}",
                    journey.review.stage
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn no_viewer_but_a_document_s_authors_is_ever_disclosed_its_drafts() {
    let stages = end_of_each_stage();
    let wg_member = stages[3].review.working_group.members[0].state;
    // The drafts each stage leaves behind, that the checks below must find somewhere.
    let review = |n: usize| &stages[n].review;
    assert!(review(0).report.draft.is_some());
    assert!(
        review(1)
            .input(input_id(2))
            .unwrap()
            .document
            .draft
            .is_some()
    );
    assert!(review(2).compilation.draft.is_some());
    assert!(review(3).working_group.draft.is_some());
    assert!(!review(3).working_group.approvals.is_empty());
    assert!(review(4).response.draft.is_some());
    assert!(!review(4).draft_answers.is_empty());

    for journey in &stages {
        for (name, viewer) in viewers(wg_member) {
            let what = format!("{name} in {}", journey.review.stage);
            let shown = serde_json::to_value(journey.review.view_for(viewer.as_ref())).unwrap();
            let absent = |path: &[&str]| {
                let value = path.iter().fold(&shown, |value, key| &value[*key]);
                value.is_null()
            };
            let draft_of = |revision: &Option<super::document::Revision>| {
                serde_json::to_value(revision.as_ref().map(crate::views::RevisionView::of)).unwrap()
            };
            let is = |who: &str| name == who;
            if !is("sur") {
                assert!(absent(&["report", "draft"]), "{what}");
                assert!(absent(&["report", "missing"]), "{what}");
                assert!(absent(&["response", "draft"]), "{what}");
                assert!(absent(&["response", "missing"]), "{what}");
                assert!(absent(&["draft_answers"]), "{what}");
            }
            for input in shown["inputs"].as_array().unwrap() {
                let id: InputId = serde_json::from_value(input["id"].clone()).unwrap();
                let record = journey.review.input(id).unwrap();
                let author = viewer.is_some_and(|actor| match actor.party {
                    crate::Party::Stakeholder { organisation, .. } => {
                        record.is_author(organisation)
                    }
                    _ => false,
                });
                if !author {
                    assert!(input["document"]["draft"].is_null(), "{what}: input {id}");
                    assert!(input["invited"].is_null(), "{what}: input {id}");
                    assert!(record.is_filed(), "{what}: unfiled input {id} listed");
                }
            }
            if !is("secretariat") {
                assert!(absent(&["compilation", "draft"]), "{what}");
            }
            // The working group's drafts are its members' alone.
            let member = is("wg_member") && journey.review.stage >= Stage::WorkingGroup;
            if !member {
                assert!(absent(&["working_group", "draft"]), "{what}");
                assert!(absent(&["working_group", "approvals"]), "{what}");
            }
            // The authors themselves keep their drafts.
            let review = &journey.review;
            if is("sur") {
                assert_eq!(
                    shown["report"]["draft"],
                    draft_of(&review.report.draft),
                    "{what}"
                );
                assert_eq!(
                    shown["response"]["draft"],
                    draft_of(&review.response.draft),
                    "{what}"
                );
            }
            if is("secretariat") {
                assert_eq!(
                    shown["compilation"]["draft"],
                    draft_of(&review.compilation.draft),
                    "{what}"
                );
            }
            if member {
                let draft = review
                    .working_group
                    .draft
                    .as_ref()
                    .map(|d| d.revision.clone());
                assert_eq!(
                    shown["working_group"]["draft"]["sha256"],
                    draft_of(&draft)["sha256"],
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn a_submission_missing_its_deadline_is_never_disclosed_as_a_text() {
    // A report never submitted is no document anyone reads but its authors.
    let open = Journey::open().then(&sur(), save_report(100));
    let due = open.review.calendar.state_report.hard_close + Duration::seconds(1);
    let missed = open
        .at(due)
        .then(&Actor::SYSTEM, Command::RecordReportDeadlinePassed)
        .input_filed()
        .window_closed()
        .compilation_published();
    assert!(matches!(
        missed.review.report.submission,
        Submission::Missed { .. }
    ));
    assert_eq!(
        missed.review.access(None, DocumentKey::StateReport),
        Access::None
    );
    let secretariat = secretariat();
    assert_eq!(
        missed
            .review
            .access(Some(&secretariat), DocumentKey::StateReport),
        Access::None
    );
    let public = serde_json::to_value(missed.review.view_for(None)).unwrap();
    assert!(public["report"]["draft"].is_null());
    let own = serde_json::to_value(missed.review.view_for(Some(&sur()))).unwrap();
    assert_eq!(
        own["report"]["draft"]["sha256"],
        serde_json::json!(missed.review.report.draft.as_ref().unwrap().digest.sha256)
    );
}
