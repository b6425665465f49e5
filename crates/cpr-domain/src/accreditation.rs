//! The accreditation of a stakeholder organisation, with transparent objections.
//!
//! An organisation applies (its ECOSOC status is recorded, never required); the
//! secretariat proposes to accredit it, which opens an objection period; during the
//! period any state may object once, always with a public reason; after the period the
//! secretariat records the decision. During the period the organisation may answer each
//! objection publicly, once (an answer is a public statement on the record: it is not
//! amended, as an objection is not). A refusal always gives a public reason, and so does
//! an accreditation granted over objections: no silent veto, no silent override. A
//! granted accreditation may later be withdrawn, again with a public reason.
//!
//! Like the review, the aggregate `decide`s a command into events or a [`Rejection`] and
//! `apply`s events; it reads no clock.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::{Duration, OffsetDateTime};

use crate::policy::{AccreditationAction, authorize_accreditation};
use crate::{
    Actor, Denial, OrganisationId, Party, Rejection, RejectionClass, ShortText, StateCode,
    ValueError,
};

/// An organisation's consultative status with the UN Economic and Social Council:
/// recorded for information, never a condition of accreditation.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EcosocStatus {
    #[default]
    None,
    General,
    Special,
    Roster,
}

impl EcosocStatus {
    pub const ALL: [EcosocStatus; 4] = [
        EcosocStatus::None,
        EcosocStatus::General,
        EcosocStatus::Special,
        EcosocStatus::Roster,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            EcosocStatus::None => "none",
            EcosocStatus::General => "general",
            EcosocStatus::Special => "special",
            EcosocStatus::Roster => "roster",
        }
    }

    pub fn parse(code: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|status| status.code() == code)
            .ok_or(ValueError::Invalid(
                "the ECOSOC status is one of none, general, special, roster",
            ))
    }
}

/// Where an accreditation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccreditationStatus {
    /// Applied; the secretariat has not proposed it yet.
    Applied,
    /// Proposed for accreditation: the objection period is open or has closed, and the
    /// decision is pending.
    Proposed,
    Accredited,
    Refused,
    /// Accredited once, then withdrawn.
    Withdrawn,
}

impl AccreditationStatus {
    pub const ALL: [AccreditationStatus; 5] = [
        AccreditationStatus::Applied,
        AccreditationStatus::Proposed,
        AccreditationStatus::Accredited,
        AccreditationStatus::Refused,
        AccreditationStatus::Withdrawn,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            AccreditationStatus::Applied => "applied",
            AccreditationStatus::Proposed => "proposed",
            AccreditationStatus::Accredited => "accredited",
            AccreditationStatus::Refused => "refused",
            AccreditationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }
}

/// The secretariat's final decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accredited,
    Refused,
}

impl Outcome {
    pub const fn code(self) -> &'static str {
        match self {
            Outcome::Accredited => "accredited",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(code: &str) -> Result<Self, ValueError> {
        match code {
            "accredited" => Ok(Outcome::Accredited),
            "refused" => Ok(Outcome::Refused),
            _ => Err(ValueError::Invalid(
                "the outcome is one of accredited, refused",
            )),
        }
    }
}

/// The length of an objection period in days: 1 to 90, 14 by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct ObjectionPeriodDays(u32);

impl ObjectionPeriodDays {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 90;
    pub const DEFAULT: ObjectionPeriodDays = ObjectionPeriodDays(14);

    pub fn new(days: u32) -> Result<Self, ValueError> {
        if (Self::MIN..=Self::MAX).contains(&days) {
            Ok(Self(days))
        } else {
            Err(ValueError::Invalid(
                "an objection period lasts 1 to 90 days",
            ))
        }
    }

    pub const fn days(self) -> u32 {
        self.0
    }
}

impl Default for ObjectionPeriodDays {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for ObjectionPeriodDays {
    type Error = ValueError;
    fn try_from(days: u32) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<ObjectionPeriodDays> for u32 {
    fn from(days: ObjectionPeriodDays) -> Self {
        days.0
    }
}

/// When a proposed objection period ends: after a number of days (the usual way), or at
/// an instant the secretariat announces, within [`ObjectionPeriodDays::MAX`] days. Either
/// way the period is public from the moment it opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodEnd {
    After(ObjectionPeriodDays),
    At(OffsetDateTime),
}

impl Default for PeriodEnd {
    fn default() -> Self {
        PeriodEnd::After(ObjectionPeriodDays::DEFAULT)
    }
}

/// The objection period: objections are received from `opened_at` until just before
/// `closes_at`; the decision may be taken from `closes_at` on. The two never overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ObjectionPeriod {
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub closes_at: OffsetDateTime,
}

impl ObjectionPeriod {
    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        now < self.closes_at
    }
}

/// A state's objection to an organisation's participation: public, with its reason,
/// and the organisation's public answer once it gives one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub state: StateCode,
    pub reason: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(default)]
    pub answer: Option<ObjectionAnswer>,
}

/// The organisation's public answer to an objection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionAnswer {
    pub text: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The final decision, public with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub outcome: Outcome,
    pub reason: Option<ShortText>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The withdrawal of a granted accreditation, public with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Withdrawal {
    pub reason: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The accreditation procedure of one stakeholder organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accreditation {
    pub organisation: OrganisationId,
    pub ecosoc_status: EcosocStatus,
    pub status: AccreditationStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub applied_at: OffsetDateTime,
    pub objection_period: Option<ObjectionPeriod>,
    pub objections: Vec<Objection>,
    pub decision: Option<Decision>,
    pub withdrawal: Option<Withdrawal>,
}

/// What may be asked of an accreditation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// The secretariat proposes to accredit: the objection period opens now.
    Propose { period: PeriodEnd },
    /// A state objects, with a reason.
    Object { reason: Option<ShortText> },
    /// The secretariat decides, after the objection period.
    Decide {
        outcome: Outcome,
        reason: Option<ShortText>,
    },
    /// The secretariat withdraws a granted accreditation, with a reason.
    Withdraw { reason: Option<ShortText> },
    /// The organisation answers the objection of `state`, publicly, during the period.
    Answer { state: StateCode, text: ShortText },
}

impl Command {
    pub const fn action(&self) -> AccreditationAction {
        match self {
            Command::Propose { .. } => AccreditationAction::Propose,
            Command::Object { .. } => AccreditationAction::Object,
            Command::Decide { .. } => AccreditationAction::Decide,
            Command::Withdraw { .. } => AccreditationAction::Withdraw,
            Command::Answer { .. } => AccreditationAction::Answer,
        }
    }
}

/// What happened to an accreditation; each one is an entry of the registers' audit chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Applied {
        organisation: OrganisationId,
        ecosoc_status: EcosocStatus,
    },
    Proposed {
        organisation: OrganisationId,
        period: ObjectionPeriod,
    },
    ObjectionRaised {
        organisation: OrganisationId,
        state: StateCode,
        reason: ShortText,
    },
    ObjectionAnswered {
        organisation: OrganisationId,
        state: StateCode,
        answer: ShortText,
    },
    Decided {
        organisation: OrganisationId,
        outcome: Outcome,
        reason: Option<ShortText>,
    },
    Withdrawn {
        organisation: OrganisationId,
        reason: ShortText,
    },
}

impl Event {
    /// The kind of the audit entry this event becomes.
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::Applied { .. } => "accreditation_applied",
            Event::Proposed { .. } => "accreditation_proposed",
            Event::ObjectionRaised { .. } => "accreditation_objection_raised",
            Event::ObjectionAnswered { .. } => "accreditation_objection_answered",
            Event::Decided { .. } => "accreditation_decided",
            Event::Withdrawn { .. } => "accreditation_withdrawn",
        }
    }
}

/// Why an accreditation command is refused (beside a denial or a missing reason, which
/// are the review's codes too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum AccreditationRejection {
    #[error("the accreditation has already been proposed")]
    AlreadyProposed,
    #[error("the accreditation has already been decided")]
    AlreadyDecided,
    #[error("the secretariat has not proposed this organisation yet: no objection period is open")]
    ObjectionPeriodNotOpen,
    #[error("the objection period has closed")]
    ObjectionPeriodClosed,
    #[error("the objection period is still open until {closes_at}: the decision waits for it")]
    ObjectionPeriodOpen { closes_at: OffsetDateTime },
    #[error("{0} has already objected to this organisation")]
    ObjectionAlreadyRaised(StateCode),
    #[error(
        "{count} objection(s) were raised: accrediting over them needs a public reason that answers them"
    )]
    ObjectionsUnanswered { count: usize },
    #[error("the organisation is not accredited: there is nothing to withdraw")]
    NotGranted,
    #[error("the objection period must end in the future and within 90 days")]
    ObjectionPeriodOutOfRange,
    #[error("{0} has not objected to this organisation")]
    ObjectionNotFound(StateCode),
    #[error("the objection of {0} has already been answered")]
    ObjectionAlreadyAnswered(StateCode),
}

impl AccreditationRejection {
    /// The stable machine-readable code: never reworded.
    pub const fn code(&self) -> &'static str {
        match self {
            AccreditationRejection::AlreadyProposed => "accreditation_already_proposed",
            AccreditationRejection::AlreadyDecided => "accreditation_already_decided",
            AccreditationRejection::ObjectionPeriodNotOpen => "objection_period_not_open",
            AccreditationRejection::ObjectionPeriodClosed => "objection_period_closed",
            AccreditationRejection::ObjectionPeriodOpen { .. } => "objection_period_open",
            AccreditationRejection::ObjectionAlreadyRaised(_) => "objection_already_raised",
            AccreditationRejection::ObjectionsUnanswered { .. } => "objections_unanswered",
            AccreditationRejection::NotGranted => "accreditation_not_granted",
            AccreditationRejection::ObjectionPeriodOutOfRange => "objection_period_out_of_range",
            AccreditationRejection::ObjectionNotFound(_) => "objection_not_found",
            AccreditationRejection::ObjectionAlreadyAnswered(_) => "objection_already_answered",
        }
    }

    pub const fn class(&self) -> RejectionClass {
        match self {
            AccreditationRejection::AlreadyProposed
            | AccreditationRejection::AlreadyDecided
            | AccreditationRejection::NotGranted
            | AccreditationRejection::ObjectionAlreadyAnswered(_) => RejectionClass::Conflict,
            AccreditationRejection::ObjectionNotFound(_) => RejectionClass::NotFound,
            AccreditationRejection::ObjectionPeriodNotOpen
            | AccreditationRejection::ObjectionPeriodClosed
            | AccreditationRejection::ObjectionPeriodOpen { .. }
            | AccreditationRejection::ObjectionAlreadyRaised(_)
            | AccreditationRejection::ObjectionsUnanswered { .. }
            | AccreditationRejection::ObjectionPeriodOutOfRange => RejectionClass::Guard,
        }
    }
}

fn refuse(rejection: AccreditationRejection) -> Rejection {
    Rejection::Accreditation(rejection)
}

impl Accreditation {
    /// A new application. Anyone may apply; nothing is granted by applying.
    pub fn apply_for(
        organisation: OrganisationId,
        ecosoc_status: EcosocStatus,
        at: OffsetDateTime,
    ) -> (Accreditation, Event) {
        let accreditation = Accreditation {
            organisation,
            ecosoc_status,
            status: AccreditationStatus::Applied,
            applied_at: at,
            objection_period: None,
            objections: Vec::new(),
            decision: None,
            withdrawal: None,
        };
        let event = Event::Applied {
            organisation,
            ecosoc_status,
        };
        (accreditation, event)
    }

    /// Whether the organisation holds its accreditation now.
    pub fn is_accredited(&self) -> bool {
        self.status == AccreditationStatus::Accredited
    }

    /// Decides what `command` by `actor` does at `now`. Refusals say why; nothing is
    /// changed either way (apply the events to change the accreditation).
    pub fn decide(
        &self,
        actor: &Actor,
        command: &Command,
        now: OffsetDateTime,
    ) -> Result<Vec<Event>, Rejection> {
        let organisation = self.organisation;
        authorize_accreditation(actor, organisation, command.action())
            .map_err(Rejection::Denied)?;
        match command {
            Command::Propose { period } => {
                match self.status {
                    AccreditationStatus::Applied => {}
                    AccreditationStatus::Proposed => {
                        return Err(refuse(AccreditationRejection::AlreadyProposed));
                    }
                    AccreditationStatus::Accredited
                    | AccreditationStatus::Refused
                    | AccreditationStatus::Withdrawn => {
                        return Err(refuse(AccreditationRejection::AlreadyDecided));
                    }
                }
                let longest = now + Duration::days(i64::from(ObjectionPeriodDays::MAX));
                let closes_at = match period {
                    PeriodEnd::After(days) => now + Duration::days(i64::from(days.days())),
                    PeriodEnd::At(at) if *at > now && *at <= longest => *at,
                    PeriodEnd::At(_) => {
                        return Err(refuse(AccreditationRejection::ObjectionPeriodOutOfRange));
                    }
                };
                Ok(vec![Event::Proposed {
                    organisation,
                    period: ObjectionPeriod {
                        opened_at: now,
                        closes_at,
                    },
                }])
            }
            Command::Object { reason } => {
                let period = self.period(AccreditationRejection::ObjectionPeriodClosed)?;
                if !period.is_open(now) {
                    return Err(refuse(AccreditationRejection::ObjectionPeriodClosed));
                }
                let Party::State(state) = actor.party else {
                    return Err(Rejection::Denied(Denial::StateDelegatesOnly));
                };
                if self.objections.iter().any(|o| o.state == state) {
                    return Err(refuse(AccreditationRejection::ObjectionAlreadyRaised(
                        state,
                    )));
                }
                let Some(reason) = reason else {
                    return Err(Rejection::ReasonRequired);
                };
                Ok(vec![Event::ObjectionRaised {
                    organisation,
                    state,
                    reason: reason.clone(),
                }])
            }
            Command::Answer { state, text } => {
                let period = self.period(AccreditationRejection::ObjectionPeriodClosed)?;
                if !period.is_open(now) {
                    return Err(refuse(AccreditationRejection::ObjectionPeriodClosed));
                }
                let Some(objection) = self.objections.iter().find(|o| o.state == *state) else {
                    return Err(refuse(AccreditationRejection::ObjectionNotFound(*state)));
                };
                if objection.answer.is_some() {
                    return Err(refuse(AccreditationRejection::ObjectionAlreadyAnswered(
                        *state,
                    )));
                }
                Ok(vec![Event::ObjectionAnswered {
                    organisation,
                    state: *state,
                    answer: text.clone(),
                }])
            }
            Command::Decide { outcome, reason } => {
                let period = self.period(AccreditationRejection::AlreadyDecided)?;
                if period.is_open(now) {
                    return Err(refuse(AccreditationRejection::ObjectionPeriodOpen {
                        closes_at: period.closes_at,
                    }));
                }
                match (outcome, reason) {
                    (Outcome::Refused, None) => return Err(Rejection::ReasonRequired),
                    (Outcome::Accredited, None) if !self.objections.is_empty() => {
                        return Err(refuse(AccreditationRejection::ObjectionsUnanswered {
                            count: self.objections.len(),
                        }));
                    }
                    _ => {}
                }
                Ok(vec![Event::Decided {
                    organisation,
                    outcome: *outcome,
                    reason: reason.clone(),
                }])
            }
            Command::Withdraw { reason } => {
                if self.status != AccreditationStatus::Accredited {
                    return Err(refuse(AccreditationRejection::NotGranted));
                }
                let Some(reason) = reason else {
                    return Err(Rejection::ReasonRequired);
                };
                Ok(vec![Event::Withdrawn {
                    organisation,
                    reason: reason.clone(),
                }])
            }
        }
    }

    /// The objection period of a proposed accreditation; before the proposal there is
    /// none, and after the decision `decided` answers.
    fn period(&self, decided: AccreditationRejection) -> Result<ObjectionPeriod, Rejection> {
        match (self.status, self.objection_period) {
            (AccreditationStatus::Proposed, Some(period)) => Ok(period),
            (AccreditationStatus::Applied, _) | (AccreditationStatus::Proposed, None) => {
                Err(refuse(AccreditationRejection::ObjectionPeriodNotOpen))
            }
            (
                AccreditationStatus::Accredited
                | AccreditationStatus::Refused
                | AccreditationStatus::Withdrawn,
                _,
            ) => Err(refuse(decided)),
        }
    }

    /// Folds one event in. Events come from `decide`, so they are valid by construction.
    pub fn apply(&mut self, event: &Event, at: OffsetDateTime) {
        match event {
            Event::Applied { .. } => {}
            Event::Proposed { period, .. } => {
                self.status = AccreditationStatus::Proposed;
                self.objection_period = Some(*period);
            }
            Event::ObjectionRaised { state, reason, .. } => self.objections.push(Objection {
                state: *state,
                reason: reason.clone(),
                at,
                answer: None,
            }),
            Event::ObjectionAnswered { state, answer, .. } => {
                if let Some(objection) = self.objections.iter_mut().find(|o| o.state == *state) {
                    objection.answer = Some(ObjectionAnswer {
                        text: answer.clone(),
                        at,
                    });
                }
            }
            Event::Decided {
                outcome, reason, ..
            } => {
                self.status = match outcome {
                    Outcome::Accredited => AccreditationStatus::Accredited,
                    Outcome::Refused => AccreditationStatus::Refused,
                };
                self.decision = Some(Decision {
                    outcome: *outcome,
                    reason: reason.clone(),
                    at,
                });
            }
            Event::Withdrawn { reason, .. } => {
                self.status = AccreditationStatus::Withdrawn;
                self.withdrawal = Some(Withdrawal {
                    reason: reason.clone(),
                    at,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests;
