//! A review as each audience sees it. The builders take every field from the review by
//! name and every decision of who sees what from [`Review::access`]; the public type has
//! no field a draft, an approval or a speaking request could go in.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

use super::parts::*;
use crate::AffectedGroup;
use crate::policy::Relation;
use crate::review::command::Speaker;
use crate::review::document::{Access, DocumentKey};
use crate::review::{Authored, InputRecord, Review, SpeakRequest};
use crate::{
    Actor, CycleId, InputId, Norm, OrganisationId, Party, RegionalGroup, ReviewId, Sector, Stage,
    StakeholderKind, StateCode,
};

/// The facts of a review that everyone sees: who is reviewed in which cycle, where the
/// review stands, its calendar, the answers of its submitted response, what it carries
/// from earlier cycles and why it was withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewFacts {
    pub id: ReviewId,
    pub cycle: CycleId,
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    pub rule_version: u32,
    pub stage: Stage,
    pub stage_number: Option<u8>,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    pub calendar: CalendarView,
    /// The state's position on each recommendation, by number, once its response is in.
    #[schema(schema_with = positions_schema)]
    pub positions: BTreeMap<u32, &'static str>,
    pub previously_recommended: Vec<RecommendationRefView>,
    pub withdrawal: Option<WithdrawalView>,
}

/// Positions by recommendation number: `supported` or `noted`.
fn positions_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(
            crate::schema::codes("position", &["supported", "noted"]).into(),
        )))
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[0-9]+$")),
        ))
        .build()
}

/// An input of a review, with its document as `D` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InputView<D> {
    pub id: InputId,
    pub organisation: OrganisationId,
    pub kind: StakeholderKind,
    pub document: D,
    pub norms: Vec<Norm>,
    pub sectors: Vec<Sector>,
    pub groups: Vec<AffectedGroup>,
    pub cosigners: Vec<OrganisationId>,
    pub screening: ScreeningView,
    pub reply: Option<RevisionView>,
}

/// An input as a participant sees it: its authors also see the organisations invited
/// to co-sign that have not confirmed yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ParticipantInput {
    #[serde(flatten)]
    pub input: InputView<AuthoredView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited: Option<Vec<OrganisationId>>,
}

/// The working group as everyone sees it: its members, its draws, its session and its
/// adopted report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WorkingGroupView {
    pub size: u8,
    pub own_group_requested: bool,
    pub members: Vec<SeatView>,
    pub draws: u32,
    pub substitution_used: bool,
    pub departed: Vec<StateCode>,
    pub session_scheduled: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub session_held_at: Option<OffsetDateTime>,
    /// How the session is held, once scheduled.
    pub session: Option<SessionView>,
    pub recording_url: Option<String>,
    /// The accredited organisations registered to observe the session.
    pub observers: Vec<ObserverView>,
    pub adopted: Option<WgReportView>,
}

/// What the working group's members alone see: their draft and who approved it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WgMembersPart {
    pub draft: Option<WgReportView>,
    pub approvals: Vec<StateCode>,
}

/// The working group as a participant sees it: its members also see their draft and
/// who approved it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParticipantWorkingGroup {
    #[serde(flatten)]
    pub group: WorkingGroupView,
    #[serde(flatten)]
    pub members: Option<WgMembersPart>,
}

impl utoipa::PartialSchema for ParticipantWorkingGroup {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::schema::flattened_with_optional::<WorkingGroupView, WgMembersPart>(
            "the working group; for its members, their draft and its approvals too",
        )
    }
}

impl utoipa::ToSchema for ParticipantWorkingGroup {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        crate::schema::flattened_with_optional_schemas::<WorkingGroupView, WgMembersPart>(schemas);
    }
}

/// The oversight session, with its outcome as `D` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OversightView<D> {
    #[serde(with = "time::serde::rfc3339::option")]
    pub session_at: Option<OffsetDateTime>,
    /// How the session is held (its webcast among them), once scheduled.
    pub session: Option<SessionView>,
    pub webcast_url: Option<String>,
    pub recording_url: Option<String>,
    pub speakers: Option<SpeakersView>,
    /// Public at conclusion; before it, for those who run the session.
    pub statements: Vec<StatementView>,
    pub outcome: D,
    /// How the outcome was adopted: public with it.
    pub adoption: Option<AdoptionView>,
}

/// The oversight session with the requests to speak the viewer may see: their own, or
/// every one for those who run the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OversightWithRequests<D> {
    #[serde(flatten)]
    pub oversight: OversightView<D>,
    pub requests: Vec<SpeakRequestView>,
}

/// A review as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicReview {
    #[serde(flatten)]
    pub facts: ReviewFacts,
    pub report: PublishedPart,
    pub inputs: Vec<InputView<PublishedPart>>,
    pub compilation: PublishedPart,
    pub questions: Vec<QuestionView>,
    pub working_group: WorkingGroupView,
    pub response: PublishedPart,
    pub oversight: OversightView<PublishedPart>,
}

/// A review as a signed-in participant sees it: the public review, plus what the viewer
/// wrote or takes part in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ParticipantReview {
    #[serde(flatten)]
    pub facts: ReviewFacts,
    pub report: AuthoredView,
    pub inputs: Vec<ParticipantInput>,
    pub compilation: PublishedPart,
    pub questions: Vec<QuestionView>,
    pub working_group: ParticipantWorkingGroup,
    pub response: AuthoredView,
    /// The answers of the latest response draft, for the state under review.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = positions_schema)]
    pub draft_answers: Option<BTreeMap<u32, &'static str>>,
    pub oversight: OversightWithRequests<AuthoredView>,
}

/// A review as the secretariat sees it: every filed input, the compilation it drafts,
/// every request to speak; never another party's draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SecretariatReview {
    #[serde(flatten)]
    pub facts: ReviewFacts,
    pub report: PublishedPart,
    pub inputs: Vec<InputView<PublishedPart>>,
    pub compilation: AuthoredView,
    pub questions: Vec<QuestionView>,
    pub working_group: WorkingGroupView,
    pub response: PublishedPart,
    pub oversight: OversightWithRequests<PublishedPart>,
}

/// A review as one viewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ReviewView {
    Public(Box<PublicReview>),
    Participant(Box<ParticipantReview>),
    Secretariat(Box<SecretariatReview>),
}

/// Any of the three views (`anyOf`, not `oneOf`: a participant's review holds every
/// field of the public one, so one body can match several schemas).
impl utoipa::PartialSchema for ReviewView {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        use utoipa::openapi::schema::{AnyOfBuilder, Ref};
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(PublicReview::name()))
            .item(Ref::from_schema_name(ParticipantReview::name()))
            .item(Ref::from_schema_name(SecretariatReview::name()))
            .description(Some(
                "the review as the caller may see it: public (no token), participant or \
                 secretariat",
            ))
            .into()
    }
}

impl utoipa::ToSchema for ReviewView {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((PublicReview::name().into(), PublicReview::schema()));
        PublicReview::schemas(schemas);
        schemas.push((
            ParticipantReview::name().into(),
            ParticipantReview::schema(),
        ));
        ParticipantReview::schemas(schemas);
        schemas.push((
            SecretariatReview::name().into(),
            SecretariatReview::schema(),
        ));
        SecretariatReview::schemas(schemas);
    }
}

impl Review {
    /// The review as `viewer` may see it (`None` is the public).
    pub fn view_for(&self, viewer: Option<&Actor>) -> ReviewView {
        match viewer {
            None => ReviewView::Public(Box::new(self.public_view())),
            Some(actor) if self.relation_of(actor) == Relation::Secretariat => {
                ReviewView::Secretariat(Box::new(self.secretariat_view(actor)))
            }
            Some(actor) => ReviewView::Participant(Box::new(self.participant_view(actor))),
        }
    }

    pub fn public_view(&self) -> PublicReview {
        PublicReview {
            facts: self.facts(),
            report: PublishedPart::of(&self.report),
            inputs: self.inputs_for(None, |input, _| PublishedPart::of(&input.document)),
            compilation: PublishedPart::of(&self.compilation),
            questions: self.questions_for(None),
            working_group: self.working_group_view(),
            response: PublishedPart::of(&self.response),
            oversight: self.oversight_view(None, PublishedPart::of(&self.oversight.outcome)),
        }
    }

    pub fn participant_view(&self, actor: &Actor) -> ParticipantReview {
        let viewer = Some(actor);
        let is_author = |key| self.access(viewer, key) == Access::Author;
        let authored = |authored: &Authored, key| AuthoredView::of(authored, is_author(key));
        let inputs = self
            .inputs_for(viewer, |input, access| {
                AuthoredView::of(&input.document, access == Access::Author)
            })
            .into_iter()
            .map(|input| {
                let invited = is_author(DocumentKey::Input(input.id)).then(|| {
                    self.input(input.id)
                        .map(|record| record.invited.iter().copied().collect())
                        .unwrap_or_default()
                });
                ParticipantInput { input, invited }
            })
            .collect();
        let members = is_author(DocumentKey::WgReport).then(|| WgMembersPart {
            draft: self.working_group.draft.as_ref().map(WgReportView::of),
            approvals: self.working_group.approvals.iter().copied().collect(),
        });
        let runs_session = self.relation_of(actor) == Relation::OversightChair;
        ParticipantReview {
            facts: self.facts(),
            report: authored(&self.report, DocumentKey::StateReport),
            inputs,
            compilation: PublishedPart::of(&self.compilation),
            questions: self.questions_for(viewer),
            working_group: ParticipantWorkingGroup {
                group: self.working_group_view(),
                members,
            },
            response: authored(&self.response, DocumentKey::Response),
            draft_answers: is_author(DocumentKey::Response).then(|| positions(&self.draft_answers)),
            oversight: OversightWithRequests {
                oversight: self.oversight_view(
                    viewer,
                    authored(&self.oversight.outcome, DocumentKey::Outcome),
                ),
                requests: self.requests_for(actor, runs_session),
            },
        }
    }

    pub fn secretariat_view(&self, actor: &Actor) -> SecretariatReview {
        let viewer = Some(actor);
        SecretariatReview {
            facts: self.facts(),
            report: PublishedPart::of(&self.report),
            inputs: self.inputs_for(viewer, |input, _| PublishedPart::of(&input.document)),
            compilation: AuthoredView::of(
                &self.compilation,
                self.access(viewer, DocumentKey::Compilation) == Access::Author,
            ),
            questions: self.questions_for(viewer),
            working_group: self.working_group_view(),
            response: PublishedPart::of(&self.response),
            oversight: OversightWithRequests {
                oversight: self.oversight_view(viewer, PublishedPart::of(&self.oversight.outcome)),
                requests: self.requests_for(actor, true),
            },
        }
    }

    fn facts(&self) -> ReviewFacts {
        ReviewFacts {
            id: self.id,
            cycle: self.cycle,
            state: self.state,
            regional_group: self.regional_group,
            rule_version: self.rule_version,
            stage: self.stage,
            stage_number: self.stage.number(),
            opened_at: self.opened_at,
            calendar: CalendarView::of(&self.calendar),
            positions: positions(&self.positions),
            previously_recommended: self
                .previously_recommended
                .iter()
                .map(RecommendationRefView::of)
                .collect(),
            withdrawal: self.withdrawal.as_ref().map(WithdrawalView::of),
        }
    }

    /// The inputs `viewer` may know of, each with its document as `document` shows it
    /// for the viewer's access. A not-admitted input is listed with its reason, never
    /// with its text, so its digest is withheld too.
    fn inputs_for<D>(
        &self,
        viewer: Option<&Actor>,
        document: impl Fn(&InputRecord, Access) -> D,
    ) -> Vec<InputView<D>>
    where
        D: Withholding,
    {
        self.inputs
            .iter()
            .filter_map(|input| {
                let access = self.access(viewer, DocumentKey::Input(input.id));
                if access < Access::Listing {
                    return None;
                }
                let mut shown = document(input, access);
                if access == Access::Listing {
                    shown.withhold_digests();
                }
                Some(InputView {
                    id: input.id,
                    organisation: input.organisation,
                    kind: input.kind,
                    document: shown,
                    norms: input.norms.iter().copied().collect(),
                    sectors: input.sectors.iter().copied().collect(),
                    groups: input.groups.iter().copied().collect(),
                    cosigners: input.cosigners.iter().copied().collect(),
                    screening: ScreeningView::of(&input.screening),
                    reply: input.reply.as_ref().map(RevisionView::of),
                })
            })
            .collect()
    }

    fn questions_for(&self, viewer: Option<&Actor>) -> Vec<QuestionView> {
        self.questions
            .iter()
            .filter(|q| self.access(viewer, DocumentKey::Question(q.number)) >= Access::Public)
            .map(QuestionView::of)
            .collect()
    }

    fn working_group_view(&self) -> WorkingGroupView {
        let wg = &self.working_group;
        WorkingGroupView {
            size: wg.size,
            own_group_requested: wg.own_group_requested,
            members: wg.members.iter().map(SeatView::of).collect(),
            draws: wg.draws,
            substitution_used: wg.substitution_used,
            departed: wg.departed.clone(),
            session_scheduled: wg.session_scheduled,
            session_held_at: wg.session_held_at,
            session: wg.session.as_ref().map(SessionView::of),
            recording_url: url(wg.recording_url.as_ref()),
            observers: wg.observers.iter().map(ObserverView::of).collect(),
            adopted: wg.adopted.as_ref().map(WgReportView::of),
        }
    }

    fn oversight_view<D>(&self, viewer: Option<&Actor>, outcome: D) -> OversightView<D> {
        let oversight = &self.oversight;
        let concluded_for_viewer = self.access(viewer, DocumentKey::Outcome) >= Access::Public;
        let statements = if concluded_for_viewer {
            oversight.statements.iter().map(StatementView::of).collect()
        } else {
            Vec::new()
        };
        let session = oversight.session.as_ref();
        OversightView {
            session_at: oversight.session_at,
            session: session.map(SessionView::of),
            webcast_url: url(session.and_then(|s| s.webcast_url.as_ref())),
            recording_url: url(oversight.recording_url.as_ref()),
            speakers: oversight.speakers.as_ref().map(SpeakersView::of),
            statements,
            outcome,
            adoption: oversight
                .adoption
                .as_ref()
                .filter(|_| concluded_for_viewer)
                .map(AdoptionView::of),
        }
    }

    /// The requests to speak `actor` may see: every one when it runs the session, else
    /// its own.
    fn requests_for(&self, actor: &Actor, runs_session: bool) -> Vec<SpeakRequestView> {
        let own = |request: &&SpeakRequest| match (request.speaker, actor.party) {
            (Speaker::State { state }, Party::State(mine)) => state == mine,
            (
                Speaker::Stakeholder { organisation },
                Party::Stakeholder {
                    organisation: mine, ..
                },
            ) => organisation == mine,
            _ => false,
        };
        self.oversight
            .requests
            .iter()
            .filter(|request| runs_session || own(request))
            .map(SpeakRequestView::of)
            .collect()
    }
}

/// A document part whose digests can be withheld (a not-admitted input's).
trait Withholding {
    fn withhold_digests(&mut self);
}

impl Withholding for PublishedPart {
    fn withhold_digests(&mut self) {
        if let SubmissionView::Submitted { revision } = &mut self.submission {
            revision.sha256.clear();
        }
    }
}

impl Withholding for AuthoredView {
    fn withhold_digests(&mut self) {
        self.published.withhold_digests();
    }
}
