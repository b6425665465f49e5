//! A state's pledges: short public commitments tied to norms (e.g. never to target
//! critical infrastructure), part of the public record of the state.
//!
//! A state's own delegates make a pledge at any time; it is public from that moment. It
//! is never edited or deleted: a delegate of the state may withdraw it, with a public
//! reason, and it stays readable, marked withdrawn. A working group's report may cite
//! the pledges of the state under review (`pledges` of its findings and of each
//! recommendation), and the cited pledges must exist and be that state's.
//!
//! Like the review and the accreditation, a pledge `decide`s a command into events or a
//! [`Rejection`] and `apply`s events; it reads no clock.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thiserror::Error;
use time::OffsetDateTime;

use crate::policy::authorize_pledge;
use crate::verify::h;
use crate::{Actor, Norm, PledgeId, Rejection, RejectionClass, ShortText, StateCode};

/// The withdrawal of a pledge: public, with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PledgeWithdrawal {
    pub reason: ShortText,
    pub at: OffsetDateTime,
}

/// One pledge of a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pledge {
    pub id: PledgeId,
    pub state: StateCode,
    pub text: ShortText,
    /// At least one norm.
    pub norms: BTreeSet<Norm>,
    pub made_at: OffsetDateTime,
    pub withdrawal: Option<PledgeWithdrawal>,
}

/// What is asked to make a pledge: the state it is made for, its text and its norms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MakePledge {
    pub id: PledgeId,
    pub state: StateCode,
    pub text: ShortText,
    pub norms: BTreeSet<Norm>,
}

/// What happened to a pledge; each one is a public entry of the state's pledge chain
/// (`pledges/<ISO3>`). The text enters as its digest, `H(text)`, as every text does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PledgeEvent {
    Made {
        pledge: PledgeId,
        state: StateCode,
        text_sha256: String,
        norms: BTreeSet<Norm>,
    },
    Withdrawn {
        pledge: PledgeId,
        state: StateCode,
        reason: ShortText,
    },
}

impl PledgeEvent {
    /// The kind of the audit entry this event becomes.
    pub const fn kind(&self) -> &'static str {
        match self {
            PledgeEvent::Made { .. } => "pledge_made",
            PledgeEvent::Withdrawn { .. } => "pledge_withdrawn",
        }
    }
}

/// Why a pledge command or a citation of a pledge is refused (beside a denial, a missing
/// reason or norm, which are the review's codes too).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PledgeRejection {
    #[error("the pledge was already withdrawn")]
    AlreadyWithdrawn,
    #[error("there is no pledge {0}")]
    UnknownPledge(PledgeId),
    #[error(
        "pledge {pledge} is {state}'s: a working group cites the pledges of the state under review"
    )]
    NotPledgeOfStateUnderReview { pledge: PledgeId, state: StateCode },
}

impl PledgeRejection {
    /// The stable machine-readable code: never reworded.
    pub const fn code(&self) -> &'static str {
        match self {
            PledgeRejection::AlreadyWithdrawn => "pledge_already_withdrawn",
            PledgeRejection::UnknownPledge(_) => "unknown_pledge",
            PledgeRejection::NotPledgeOfStateUnderReview { .. } => {
                "pledge_not_of_state_under_review"
            }
        }
    }

    pub const fn class(&self) -> RejectionClass {
        match self {
            PledgeRejection::AlreadyWithdrawn => RejectionClass::Conflict,
            PledgeRejection::UnknownPledge(_)
            | PledgeRejection::NotPledgeOfStateUnderReview { .. } => RejectionClass::Guard,
        }
    }
}

fn refuse(rejection: PledgeRejection) -> Rejection {
    Rejection::Pledge(rejection)
}

impl Pledge {
    /// Makes a pledge for `request.state`: only that state's own delegates may (the
    /// secretariat never pledges on a state's behalf), tied to at least one norm.
    pub fn make(
        actor: &Actor,
        request: MakePledge,
        now: OffsetDateTime,
    ) -> Result<(Pledge, PledgeEvent), Rejection> {
        authorize_pledge(actor, request.state).map_err(Rejection::Denied)?;
        if request.norms.is_empty() {
            return Err(Rejection::NormsRequired);
        }
        let event = PledgeEvent::Made {
            pledge: request.id,
            state: request.state,
            text_sha256: h(request.text.as_str()),
            norms: request.norms.clone(),
        };
        let pledge = Pledge {
            id: request.id,
            state: request.state,
            text: request.text,
            norms: request.norms,
            made_at: now,
            withdrawal: None,
        };
        Ok((pledge, event))
    }

    /// Withdraws the pledge: its state's own delegates, once, with a public reason.
    pub fn withdraw(
        &self,
        actor: &Actor,
        reason: Option<ShortText>,
    ) -> Result<PledgeEvent, Rejection> {
        authorize_pledge(actor, self.state).map_err(Rejection::Denied)?;
        if self.withdrawal.is_some() {
            return Err(refuse(PledgeRejection::AlreadyWithdrawn));
        }
        let Some(reason) = reason else {
            return Err(Rejection::ReasonRequired);
        };
        Ok(PledgeEvent::Withdrawn {
            pledge: self.id,
            state: self.state,
            reason,
        })
    }

    /// Folds one event in. Events come from `make` and `withdraw`, so they are valid.
    pub fn apply(&mut self, event: &PledgeEvent, at: OffsetDateTime) {
        match event {
            PledgeEvent::Made { .. } => {}
            PledgeEvent::Withdrawn { reason, .. } => {
                self.withdrawal = Some(PledgeWithdrawal {
                    reason: reason.clone(),
                    at,
                });
            }
        }
    }

    pub fn is_withdrawn(&self) -> bool {
        self.withdrawal.is_some()
    }
}

/// Checks the pledges a working group's report cites: each must exist (`found` holds
/// the state of every cited pledge that does) and be a pledge of the state under review,
/// the pledges a working group holds it to. A withdrawn pledge may be cited: the report
/// may well find that it was withdrawn.
pub fn check_citations(
    state_under_review: StateCode,
    cited: &BTreeSet<PledgeId>,
    found: &BTreeMap<PledgeId, StateCode>,
) -> Result<(), Rejection> {
    for pledge in cited {
        match found.get(pledge) {
            None => return Err(refuse(PledgeRejection::UnknownPledge(*pledge))),
            Some(state) if *state != state_under_review => {
                return Err(refuse(PledgeRejection::NotPledgeOfStateUnderReview {
                    pledge: *pledge,
                    state: *state,
                }));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Every pledge a working group's report cites, in its findings or its recommendations.
pub fn cited_by(report: &crate::review::document::WgReportBody) -> BTreeSet<PledgeId> {
    let mut cited = report.pledges.clone();
    for recommendation in &report.recommendations {
        cited.extend(recommendation.pledges.iter().copied());
    }
    cited
}

#[cfg(test)]
mod tests;
