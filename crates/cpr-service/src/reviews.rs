//! Reviews: opening one, reading it as each viewer may, and carrying out every command of
//! the state machine in one transaction with its audit entries.

use std::sync::Arc;

use cpr_domain::calendar::{DeadlineKind, DeadlineOverrides, Holidays};
use cpr_domain::policy::{RegistryAction, authorize_registry};
use cpr_domain::review::command::{CoSigner, Command, DrawInputs, Speaker};
use cpr_domain::review::document::InputBody;
use cpr_domain::review::event::DrawRecord;
use cpr_domain::review::summary;
use cpr_domain::review::{Context, OpenReview};
use cpr_domain::rules::RuleSet;
use cpr_domain::verify::Candidate;
use cpr_domain::views::{DrawView, ReviewView};
use cpr_domain::{
    Actor, CycleId, InputId, OrganisationId, Party, Review, ReviewId, StakeholderKind, StateCode,
};
use cpr_store::{
    AuditEntry, Chain, ChainHead, OrganisationKind, ReviewFilter, ReviewListing, ReviewRecord,
};
use time::OffsetDateTime;

use crate::{Page, PageRequest, Service, ServiceError, ServiceResult, new_uuid};

/// What the secretariat gives to open a review.
#[derive(Clone, Debug)]
pub struct NewReview {
    pub state: StateCode,
    pub wg_session: OffsetDateTime,
    pub overrides: DeadlineOverrides,
}

/// A request to change a review, as a caller makes it. Most are domain commands as they
/// are; the others need ids or draw inputs the service supplies.
#[derive(Clone, Debug)]
pub enum ReviewRequest {
    Command(Command),
    /// Starts a new draft input of the acting organisation.
    NewInput {
        body: InputBody,
    },
    /// Revises a draft input.
    DraftInput {
        input: InputId,
        body: InputBody,
    },
    InviteCoSigner {
        input: InputId,
        organisation: OrganisationId,
    },
    DrawSpeakers,
    DrawWorkingGroup,
    SubstituteWgMember {
        member: StateCode,
    },
    ExcuseWgMember,
}

/// A review as one viewer may see it, with what is overdue now.
#[derive(Clone, Debug)]
pub struct ShownReview {
    pub view: ReviewView,
    pub version: i64,
    pub updated_at: OffsetDateTime,
    pub overdue: Vec<DeadlineKind>,
    /// The head of the review's audit chain (its `seq` and hash): what a reader checks
    /// the chain it reads page by page against.
    pub audit: ChainHead,
    /// Set when a command created something inside the review (a filed input).
    pub created_input: Option<InputId>,
    /// The earlier recommendations carried into this review, with their answers and
    /// implementation histories, when asked for.
    pub follow_up: Option<Vec<cpr_store::RecommendationRecord>>,
}

/// A review as the listings show it, with what is overdue now.
#[derive(Clone, Debug)]
pub struct ListedReview {
    pub listing: ReviewListing,
    pub overdue: Vec<DeadlineKind>,
}

/// What a conditional read compares before reading a review: its version and what is
/// overdue now (which changes with the clock alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewTagNow {
    pub version: i64,
    pub overdue: Vec<DeadlineKind>,
}

impl Service {
    fn shown(&self, record: ReviewRecord, viewer: Option<&Actor>) -> ShownReview {
        ShownReview {
            overdue: record.review.overdue(self.now()),
            view: record.review.view_for(viewer),
            version: record.version,
            updated_at: record.updated_at,
            audit: record.audit,
            created_input: None,
            follow_up: None,
        }
    }

    /// Opens a review of a pool state in a cycle.
    pub async fn open_review(
        &self,
        actor: &Actor,
        cycle: CycleId,
        request: NewReview,
    ) -> ServiceResult<ShownReview> {
        authorize_registry(actor, RegistryAction::OpenReview)?;
        let cycle = self.store.cycle(cycle).await?.cycle;
        let state = self.known_state(request.state, "state").await?;
        let note = self.note(actor);
        let rules = self.rules_of(cycle.rule_version).await?;
        let ctx = Context {
            now: note.at,
            rules: &rules,
            holidays: &cycle.holidays,
        };
        let (review, opened) = Review::open(
            actor,
            OpenReview {
                id: ReviewId::from_uuid(new_uuid()),
                cycle: cycle.id,
                pool: cycle.pool.clone(),
                state: state.code,
                regional_group: state.regional_group,
                rule_version: cycle.rule_version,
                wg_session: request.wg_session,
                overrides: request.overrides,
                previously_recommended: self.store.open_recommendations(state.code).await?,
                oversight_session: cycle.oversight_session,
            },
            &ctx,
        )?;
        let summary = review.summary(&rules.reminders.days_before);
        let record = self
            .store
            .insert_review(&review, &opened, &note, &summary)
            .await?;
        let follow_up = self
            .store
            .recommendations_by_ref(&record.review.previously_recommended)
            .await?;
        let mut shown = self.shown(record, Some(actor));
        shown.follow_up = Some(follow_up);
        Ok(shown)
    }

    /// A review as `viewer` may see it, with the earlier recommendations it carries.
    pub async fn review(&self, viewer: Option<&Actor>, id: ReviewId) -> ServiceResult<ShownReview> {
        let record = self.store.review(id).await?;
        let follow_up = self
            .store
            .recommendations_by_ref(&record.review.previously_recommended)
            .await?;
        let mut shown = self.shown(record, viewer);
        shown.follow_up = Some(follow_up);
        Ok(shown)
    }

    /// The version of a review and what is overdue in it now, without reading it: what
    /// a conditional read is answered from.
    pub async fn review_tag(&self, id: ReviewId) -> ServiceResult<ReviewTagNow> {
        let tag = self.store.review_tag(id).await?;
        Ok(ReviewTagNow {
            version: tag.version,
            overdue: summary::overdue(tag.stage, &tag.dues, self.now()),
        })
    }

    /// A page of reviews, of a cycle and/or a state, from their summaries (the same
    /// for every viewer: a listing shows only public facts).
    pub async fn reviews(
        &self,
        filter: ReviewFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<ListedReview>> {
        let now = self.now();
        Ok(self.store.review_page(filter, page).await?.map(|listing| {
            let overdue = summary::overdue(listing.stage, &listing.dues, now);
            ListedReview { listing, overdue }
        }))
    }

    /// The rules of a version (immutable once made, so kept once read).
    pub(crate) async fn rules_of(&self, version: u32) -> ServiceResult<Arc<RuleSet>> {
        if let Some(rules) = self.caches.rules(version) {
            return Ok(rules);
        }
        let rules = Arc::new(self.store.rules(version).await?.rules);
        self.caches.keep_rules(version, rules.clone());
        Ok(rules)
    }

    /// The holidays of a cycle's calendar (fixed when it opens, so kept once read).
    async fn holidays_of(&self, cycle: CycleId) -> ServiceResult<Arc<Holidays>> {
        if let Some(holidays) = self.caches.holidays(cycle) {
            return Ok(holidays);
        }
        let holidays = Arc::new(self.store.cycle(cycle).await?.cycle.holidays);
        self.caches.keep_holidays(cycle, holidays.clone());
        Ok(holidays)
    }

    /// Carries out a request on a review. `expected_version` is the caller's `If-Match`:
    /// when given and stale, nothing is decided.
    pub async fn execute(
        &self,
        actor: &Actor,
        id: ReviewId,
        expected_version: Option<i64>,
        request: ReviewRequest,
    ) -> ServiceResult<ShownReview> {
        let before = self.store.review(id).await?;
        if let Some(expected) = expected_version
            && expected != before.version
        {
            return Err(ServiceError::PreconditionFailed {
                expected,
                actual: before.version,
            });
        }
        let cycle = before.review.cycle;
        let rules = self.rules_of(before.review.rule_version).await?;
        let holidays = self.holidays_of(cycle).await?;
        let mut created_input = None;
        let command = match request {
            ReviewRequest::Command(command) => command,
            ReviewRequest::NewInput { body } => {
                let input = InputId::from_uuid(new_uuid());
                created_input = Some(input);
                Command::DraftInput {
                    input,
                    kind: self.stakeholder_kind(actor).await?,
                    body,
                    new: true,
                }
            }
            ReviewRequest::DraftInput { input, body } => Command::DraftInput {
                input,
                kind: self.stakeholder_kind(actor).await?,
                body,
                new: false,
            },
            ReviewRequest::InviteCoSigner {
                input,
                organisation,
            } => Command::InviteCoSigner {
                input,
                cosigner: self.cosigner(organisation).await?,
            },
            ReviewRequest::DrawSpeakers => {
                let (seed, beacon) = self.store.cycle_seed(cycle).await?;
                Command::DrawSpeakers { seed, beacon }
            }
            // A draw reads the cycle as it is now: its pool may have changed.
            ReviewRequest::DrawWorkingGroup => Command::DrawWorkingGroup {
                draw: self.draw_inputs(cycle).await?,
            },
            ReviewRequest::SubstituteWgMember { member } => Command::SubstituteWgMember {
                member,
                draw: self.draw_inputs(cycle).await?,
            },
            ReviewRequest::ExcuseWgMember => Command::ExcuseWgMember {
                draw: self.draw_inputs(cycle).await?,
            },
        };
        self.check_references(&command).await?;
        self.check_attachments(&command).await?;
        let note = self.note(actor);
        let ctx = Context {
            now: note.at,
            rules: &rules,
            holidays: &holidays,
        };
        let (after, events) = before.review.execute(actor, &command, &ctx)?;
        // Checked once the domain has allowed the command, so an outsider is refused
        // for who it is before it learns anything of the pledges it names.
        if let Command::DraftWgReport { body } = &command {
            self.check_pledge_citations(before.review.state, &cpr_domain::pledge::cited_by(body))
                .await?;
        }
        tracing::info!(
            review.id = %id,
            review.stage = %after.stage,
            actor.role = actor.role().map_or("system", |role| role.code()),
            events = events.len(),
            "review command accepted"
        );
        let summary = after.summary(&rules.reminders.days_before);
        let record = match self
            .store
            .save_review(&before, &after, &events, &note, &summary)
            .await
        {
            // Another change came first. A caller that named the version it saw is told
            // (412 or 409); one that did not wants its command taken on the review as it
            // now is: decided again, on the review read under the lock that saves it,
            // so it cannot lose twice. Everything else the command needed (references,
            // rules, the pledges it cites) does not depend on the review's version.
            Err(cpr_store::StoreError::ReviewChanged) if expected_version.is_none() => {
                let locked = self.store.lock_review(id).await?;
                // A fresh instant: the chain's times never go back.
                let note = self.note(actor);
                let ctx = Context {
                    now: note.at,
                    ..ctx
                };
                let (after, events) = locked.record.review.execute(actor, &command, &ctx)?;
                let summary = after.summary(&rules.reminders.days_before);
                self.store
                    .save_locked(locked, &after, &events, &note, &summary)
                    .await?
            }
            other => other?,
        };
        if record.review.stage != before.review.stage {
            self.counters.transition_into(record.review.stage.code());
        }
        let mut shown = self.shown(record, Some(actor));
        shown.created_input = created_input;
        Ok(shown)
    }

    /// The kind of the acting stakeholder organisation (anyone else gets the domain's
    /// refusal, so any kind will do for them).
    async fn stakeholder_kind(&self, actor: &Actor) -> ServiceResult<StakeholderKind> {
        match actor.party {
            Party::Stakeholder { organisation, .. } => {
                let record = self.store.organisation(organisation).await?;
                Ok(record.stakeholder_kind.unwrap_or(StakeholderKind::Ngo))
            }
            _ => Ok(StakeholderKind::Ngo),
        }
    }

    /// An organisation invited to co-sign, as the register knows it.
    async fn cosigner(&self, organisation: OrganisationId) -> ServiceResult<CoSigner> {
        match self.store.organisation(organisation).await {
            Ok(record) if record.kind == OrganisationKind::Stakeholder => Ok(CoSigner {
                organisation,
                accredited: record.accredited_at.is_some(),
            }),
            Ok(_) | Err(cpr_store::StoreError::NotFound) => Err(ServiceError::Unprocessable {
                code: "unknown_organisation",
                message: format!(
                    "organisation: there is no stakeholder organisation {organisation}"
                ),
            }),
            Err(other) => Err(other.into()),
        }
    }

    /// A document may only refer to attachments that were uploaded.
    async fn check_attachments(&self, command: &Command) -> ServiceResult<()> {
        let wanted = command.attachments();
        if wanted.is_empty() {
            return Ok(());
        }
        let missing = self.missing_attachments(wanted).await?;
        if missing.is_empty() {
            return Ok(());
        }
        let missing: Vec<String> = missing.iter().map(ToString::to_string).collect();
        Err(ServiceError::Unprocessable {
            code: "unknown_attachment",
            message: format!(
                "attachments: nothing was uploaded under {}",
                missing.join(", ")
            ),
        })
    }

    /// A command may only name states and organisations of the registers.
    async fn check_references(&self, command: &Command) -> ServiceResult<()> {
        let positions = match command {
            Command::AdoptOutcome { outcome }
            | Command::PublishErratum {
                correction: cpr_domain::review::command::Correction::Outcome(outcome),
                ..
            } => outcome.positions.as_slice(),
            _ => &[],
        };
        for position in positions {
            self.known_state(position.state, "positions").await?;
        }
        match command {
            Command::RecordStatement {
                speaker: Speaker::State { state },
                ..
            } => {
                self.known_state(*state, "speaker").await?;
            }
            Command::RecordStatement {
                speaker: Speaker::Stakeholder { organisation },
                ..
            } => {
                let known = match self.store.organisation(*organisation).await {
                    Ok(record) => record.kind == OrganisationKind::Stakeholder,
                    Err(cpr_store::StoreError::NotFound) => false,
                    Err(other) => return Err(other.into()),
                };
                if !known {
                    return Err(ServiceError::Unprocessable {
                        code: "unknown_organisation",
                        message: format!(
                            "speaker: there is no stakeholder organisation {organisation}"
                        ),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// What a working-group draw needs: the cycle's seed, beacon and pool, and every state
    /// of the register with its group and its seats in the previous cycles.
    async fn draw_inputs(&self, cycle: CycleId) -> ServiceResult<DrawInputs> {
        let cycle = self.store.cycle(cycle).await?.cycle;
        // How many earlier cycles count is the cycle's rule.
        let lookback = self
            .rules_of(cycle.rule_version)
            .await?
            .working_group
            .seat_lookback_cycles;
        let seats = self
            .store
            .seats_in_previous_cycles(&cycle, u64::from(lookback))
            .await?;
        let states = self
            .store
            .states()
            .await?
            .into_iter()
            .map(|state| Candidate {
                seats_in_previous_3_cycles: seats.get(&state.code).copied().unwrap_or(0),
                state: state.code,
                regional_group: state.regional_group,
            })
            .collect();
        let (seed, _) = self.store.cycle_seed(cycle.id).await?;
        Ok(DrawInputs {
            seed,
            beacon: cycle.beacon.clone(),
            pool: cycle.pool.clone(),
            states,
        })
    }

    /// A page of a review's audit chain: every entry with its hashes, so anyone can
    /// verify it; the payload only where it is public, or for the secretariat.
    pub async fn review_audit(
        &self,
        viewer: Option<&Actor>,
        id: ReviewId,
        page: &PageRequest,
    ) -> ServiceResult<Page<AuditEntry>> {
        self.store.review_exists(id).await?;
        let full = viewer.is_some_and(|actor| {
            authorize_registry(actor, RegistryAction::ReadPrivateAudit).is_ok()
        });
        let mut entries = self.store.audit_page(Chain::Review(id), None, page).await?;
        if !full {
            crate::public_part(&mut entries.items);
        }
        Ok(entries)
    }

    /// A page of the published records of a review's working-group draws.
    pub async fn draws(&self, id: ReviewId, page: &PageRequest) -> ServiceResult<Page<DrawView>> {
        self.store.review_exists(id).await?;
        let entries = self
            .store
            .audit_page(Chain::Review(id), Some("working_group_drawn"), page)
            .await?;
        let mut records = Vec::with_capacity(entries.items.len());
        for entry in entries.items {
            let payload: DrawRecordPayload = serde_json::from_value(entry.payload)
                .map_err(|e| ServiceError::Internal(format!("draw record: {e}")))?;
            records.push(DrawView::of(&payload.record));
        }
        Ok(Page {
            items: records,
            next: entries.next,
        })
    }
}

/// The payload of a `working_group_drawn` entry.
#[derive(serde::Deserialize)]
struct DrawRecordPayload {
    record: DrawRecord,
}
