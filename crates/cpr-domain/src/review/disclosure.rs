//! What each viewer may see of a review. Publish nothing early: stakeholder inputs are
//! public only once the compilation is published, the working group's drafts never are
//! (its adopted report is), and oral statements are public from conclusion.

use crate::policy::Relation;
use crate::review::Review;
use crate::{Actor, Party, Stage};

impl Review {
    /// The review with what `viewer` may not see taken out (`None` is the public).
    pub fn disclosed_to(&self, viewer: Option<&Actor>) -> Review {
        let relation = viewer.map(|actor| self.relation_of(actor));
        if relation == Some(Relation::Secretariat) {
            return self.clone();
        }
        let mut shown = self.clone();

        let inputs_published = self.compilation.is_some();
        let own_organisation = match viewer.map(|actor| actor.party) {
            Some(Party::Stakeholder { organisation, .. }) => Some(organisation),
            _ => None,
        };
        shown
            .inputs
            .retain(|input| inputs_published || Some(input.organisation) == own_organisation);

        if relation != Some(Relation::WgMemberDelegate) {
            shown.working_group.draft = None;
            shown.working_group.approvals.clear();
        }

        let statements_public = self.stage == Stage::Concluded;
        if !statements_public && relation != Some(Relation::OversightChair) {
            shown.oversight.statements.clear();
        }
        shown
    }
}
