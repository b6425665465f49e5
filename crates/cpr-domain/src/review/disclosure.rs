//! Who may read what of a review: the spec's table of documents, enforced in one place.
//! Publish nothing early: the report, the admitted inputs and the compilation become
//! public together when the compilation is published; the working group's report when
//! it is adopted; the response when it is submitted; the oversight record at conclusion.
//! Drafts are read by their authors only; confidential parts by the working group and
//! the secretariat; contact details by the authors and the secretariat. Redactions are
//! recorded openly: everyone who may read a document sees which section was withheld
//! and why, never its text.

use super::document::{Access, DocumentKey};
use super::{Review, Screening};
use crate::policy::Relation;
use crate::{Actor, Party, Stage};

impl Review {
    /// How much of `document` `viewer` may read (`None` is the public).
    pub fn access(&self, viewer: Option<&Actor>, document: DocumentKey) -> Access {
        let relation = viewer.map(|actor| self.relation_of(actor));
        let organisation = match viewer.map(|actor| actor.party) {
            Some(Party::Stakeholder { organisation, .. }) => Some(organisation),
            _ => None,
        };
        let is = |r: Relation| relation == Some(r);
        let published = self.compilation.submission.submitted().is_some();
        let public_if = |condition: bool| {
            if condition {
                Access::Public
            } else {
                Access::None
            }
        };
        match document {
            DocumentKey::StateReport => {
                let submitted = self.report.submission.submitted().is_some();
                if is(Relation::SurDelegate) {
                    Access::Author
                } else if is(Relation::Secretariat) && submitted {
                    Access::Secretariat
                } else if is(Relation::WgMemberDelegate) && submitted && published {
                    Access::Confidential
                } else {
                    public_if(submitted && published)
                }
            }
            DocumentKey::Input(id) => {
                let Some(input) = self.input(id) else {
                    return Access::None;
                };
                if organisation.is_some_and(|org| input.is_author(org)) {
                    return Access::Author;
                }
                if !input.is_filed() {
                    return Access::None;
                }
                if is(Relation::Secretariat) {
                    return Access::Secretariat;
                }
                match (&input.screening, published) {
                    (Screening::Admitted, true) if is(Relation::WgMemberDelegate) => {
                        Access::Confidential
                    }
                    (Screening::Admitted, true) => Access::Public,
                    (Screening::NotAdmitted { .. }, true) => Access::Listing,
                    _ => Access::None,
                }
            }
            DocumentKey::Compilation => {
                if is(Relation::Secretariat) {
                    Access::Author
                } else {
                    public_if(published)
                }
            }
            DocumentKey::WgReport => {
                // The working group writes its own report: the secretariat, which runs
                // the session, reads it once adopted, like everyone.
                let adopted = self.working_group.adopted.is_some();
                if is(Relation::WgMemberDelegate) {
                    Access::Author
                } else if is(Relation::Secretariat) && adopted {
                    Access::Secretariat
                } else {
                    public_if(adopted)
                }
            }
            DocumentKey::Response => {
                let submitted = self.response.submission.submitted().is_some();
                if is(Relation::SurDelegate) {
                    Access::Author
                } else if is(Relation::Secretariat) && submitted {
                    Access::Secretariat
                } else {
                    public_if(submitted)
                }
            }
            DocumentKey::Question(number) => {
                let Some(question) = self.questions.iter().find(|q| q.number == number) else {
                    return Access::None;
                };
                let asked =
                    matches!(viewer.map(|a| a.party), Some(Party::State(s)) if s == question.from);
                if asked {
                    Access::Author
                } else if is(Relation::Secretariat) {
                    Access::Secretariat
                } else if is(Relation::WgMemberDelegate) {
                    Access::Confidential
                } else if is(Relation::SurDelegate) && question.forwarded_at.is_some() {
                    Access::Public
                } else {
                    public_if(self.working_group.adopted.is_some())
                }
            }
            DocumentKey::Reply(id) => {
                let replied = self.input(id).is_some_and(|input| input.reply.is_some());
                if !replied {
                    Access::None
                } else if is(Relation::SurDelegate) {
                    Access::Author
                } else if is(Relation::Secretariat) {
                    Access::Secretariat
                } else {
                    Access::Public
                }
            }
            DocumentKey::Statement(number)
                if !self.oversight.statements.iter().any(|s| s.number == number) =>
            {
                Access::None
            }
            DocumentKey::Statement(_) | DocumentKey::Outcome => {
                if is(Relation::OversightChair) {
                    Access::Author
                } else if is(Relation::Secretariat) {
                    Access::Secretariat
                } else {
                    public_if(self.stage == Stage::Concluded)
                }
            }
        }
    }
}
