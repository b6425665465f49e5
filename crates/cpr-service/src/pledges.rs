//! States' pledges: a state's own delegates make and withdraw them; anyone reads them,
//! a state's list and its chain.

use std::collections::{BTreeMap, BTreeSet};

use cpr_domain::pledge::{MakePledge, Pledge, check_citations, cited_by};
use cpr_domain::review::document::WgReportBody;
use cpr_domain::{Actor, Norm, PledgeId, ShortText, StateCode};
use cpr_store::{AuditEntry, Chain, PledgeRecord};

use crate::{Page, PageRequest, Service, ServiceError, ServiceResult, new_uuid};

impl Service {
    /// Makes a pledge for `state`: the domain decides who may, the store keeps the
    /// pledge and its chain entry together. Public from this moment.
    pub async fn make_pledge(
        &self,
        actor: &Actor,
        state: StateCode,
        text: ShortText,
        norms: BTreeSet<Norm>,
    ) -> ServiceResult<PledgeRecord> {
        let note = self.note(actor);
        let request = MakePledge {
            id: PledgeId::from_uuid(new_uuid()),
            state,
            text,
            norms,
        };
        let (pledge, event) = Pledge::make(actor, request, note.at)?;
        Ok(self.store.insert_pledge(&pledge, &event, &note).await?)
    }

    /// Withdraws a pledge with its public reason; it stays readable, marked withdrawn.
    pub async fn withdraw_pledge(
        &self,
        actor: &Actor,
        id: PledgeId,
        reason: Option<ShortText>,
    ) -> ServiceResult<PledgeRecord> {
        let before = self.store.pledge(id).await?;
        let note = self.note(actor);
        let event = before.pledge.withdraw(actor, reason)?;
        let mut after = before.pledge.clone();
        after.apply(&event, note.at);
        Ok(self
            .store
            .save_pledge(&before, &after, &event, &note)
            .await?)
    }

    /// One pledge, for anyone to read.
    pub async fn pledge(&self, id: PledgeId) -> ServiceResult<PledgeRecord> {
        Ok(self.store.pledge(id).await?)
    }

    /// A page of a state's pledges in the order made, for anyone to read; a state that
    /// is not in the register has no list.
    pub async fn pledges(
        &self,
        state: StateCode,
        norm: Option<Norm>,
        page: &PageRequest,
    ) -> ServiceResult<Page<PledgeRecord>> {
        self.store.state(state).await?;
        Ok(self.store.pledges_page(state, norm, page).await?)
    }

    /// A page of every state's pledges tied to `norm`, in the order made, for anyone to
    /// read.
    pub async fn pledges_by_norm(
        &self,
        norm: Norm,
        page: &PageRequest,
    ) -> ServiceResult<Page<PledgeRecord>> {
        Ok(self.store.norm_pledges_page(norm, page).await?)
    }

    /// A page of a state's pledge chain (all of it public), in order.
    pub async fn pledge_audit(
        &self,
        state: StateCode,
        page: &PageRequest,
    ) -> ServiceResult<Page<AuditEntry>> {
        self.store.state(state).await?;
        Ok(self
            .store
            .audit_page(Chain::Pledges(state), None, page)
            .await?)
    }

    /// The pledges among `ids` that exist (those a working group's report cites).
    pub async fn pledges_by_id(
        &self,
        ids: &BTreeSet<PledgeId>,
    ) -> ServiceResult<Vec<PledgeRecord>> {
        Ok(self.store.pledges_by_id(ids).await?)
    }

    /// The pledges a working group's report, as the caller reads it, cites (in its
    /// findings and its recommendations): what the report shows beside its body.
    pub async fn cited_pledges(
        &self,
        report: &cpr_domain::views::DocumentView,
    ) -> ServiceResult<Vec<PledgeRecord>> {
        let Some(body) = &report.body else {
            return Ok(Vec::new());
        };
        let Ok(body) = serde_json::from_value::<WgReportBody>(body.clone()) else {
            return Ok(Vec::new());
        };
        self.pledges_by_id(&cited_by(&body)).await
    }

    /// Checks, by the domain's rule, that the pledges a working group's report cites
    /// exist and are the state under review's.
    pub(crate) async fn check_pledge_citations(
        &self,
        state_under_review: StateCode,
        cited: &BTreeSet<PledgeId>,
    ) -> ServiceResult<()> {
        if cited.is_empty() {
            return Ok(());
        }
        let found: BTreeMap<PledgeId, StateCode> = self
            .store
            .pledges_by_id(cited)
            .await?
            .into_iter()
            .map(|record| (record.pledge.id, record.pledge.state))
            .collect();
        check_citations(state_under_review, cited, &found).map_err(ServiceError::from)
    }
}
