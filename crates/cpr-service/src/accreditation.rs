//! The accreditation of stakeholder organisations: anyone applies, the secretariat
//! proposes and decides, states object with public reasons, and the whole record is
//! public except the contact address.

use cpr_domain::accreditation::{Accreditation, Command, EcosocStatus};
use cpr_domain::policy::may_see_organisation;
use cpr_domain::{
    Actor, OrganisationId, ShortText, StakeholderKind, StateCode, ValueError, WebUrl,
};
use cpr_store::{
    AccreditationRecord, AuditNote, NewApplication, NewOrganisation, OrganisationKind,
};

use crate::registry::parse_email;
use crate::{Page, PageRequest, Service, ServiceError, ServiceResult, new_uuid};

/// What an organisation gives when it applies for accreditation.
#[derive(Clone, Debug)]
pub struct ApplicationRequest {
    pub name: ShortText,
    pub stakeholder_kind: StakeholderKind,
    pub country: Option<StateCode>,
    pub website: Option<WebUrl>,
    /// Recorded, never required.
    pub ecosoc_status: EcosocStatus,
    /// Where the secretariat writes to the organisation; never published. Required of
    /// an anonymous applicant.
    pub contact_email: Option<String>,
}

impl Service {
    /// A new stakeholder organisation with its application, registered by `note`'s
    /// actor (the secretariat, or an anonymous applicant).
    pub(crate) async fn register_applicant(
        &self,
        note: &AuditNote,
        request: ApplicationRequest,
    ) -> ServiceResult<AccreditationRecord> {
        let contact_email = request
            .contact_email
            .as_deref()
            .map(parse_email)
            .transpose()?;
        if let Some(country) = request.country {
            self.known_state(country, "country").await?;
        }
        let id = OrganisationId::from_uuid(new_uuid());
        let (accreditation, applied) = Accreditation::apply_for(id, request.ecosoc_status, note.at);
        let organisation = NewOrganisation {
            id,
            kind: OrganisationKind::Stakeholder,
            name: request.name.as_str().to_owned(),
            stakeholder_kind: Some(request.stakeholder_kind),
            country: request.country,
            website: request.website.map(|url| url.as_str().to_owned()),
            application: Some(NewApplication {
                accreditation,
                applied,
                contact_email,
            }),
        };
        self.store.create_organisation(&organisation, note).await?;
        Ok(self.store.accreditation(id).await?)
    }

    /// Anyone, without an account, may apply for the accreditation of an organisation.
    pub async fn apply_for_accreditation(
        &self,
        request: ApplicationRequest,
    ) -> ServiceResult<AccreditationRecord> {
        if request.contact_email.is_none() {
            return Err(ServiceError::invalid(
                "contact_email",
                ValueError::Invalid("an applicant gives a contact address"),
            ));
        }
        // An applicant has no account yet: the trail names the public as the actor.
        let note = AuditNote {
            actor: "public".to_owned(),
            account: None,
            at: self.now(),
        };
        self.register_applicant(&note, request).await
    }

    /// A page of the accreditation procedures, oldest application first, for anyone to
    /// read (the API leaves out the contact addresses).
    pub async fn accreditations(
        &self,
        page: &PageRequest,
    ) -> ServiceResult<Page<AccreditationRecord>> {
        Ok(self.store.accreditations_page(page).await?)
    }

    /// One organisation's accreditation procedure, for anyone to read.
    pub async fn accreditation(
        &self,
        organisation: OrganisationId,
    ) -> ServiceResult<AccreditationRecord> {
        Ok(self.store.accreditation(organisation).await?)
    }

    /// One organisation's accreditation with its contact address: for the secretariat
    /// and the organisation's own members; to anyone else it does not exist.
    pub async fn accreditation_with_contact(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
    ) -> ServiceResult<AccreditationRecord> {
        if !may_see_organisation(actor, organisation) {
            return Err(ServiceError::NotFound);
        }
        Ok(self.store.accreditation(organisation).await?)
    }

    /// Carries out one step of an accreditation: the domain decides, the store records
    /// the step and its audit entries together.
    pub async fn accreditation_command(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
        command: Command,
    ) -> ServiceResult<AccreditationRecord> {
        let before = self.store.accreditation(organisation).await?;
        let note = self.note(actor);
        let events = before.accreditation.decide(actor, &command, note.at)?;
        let mut after = before.accreditation.clone();
        for event in &events {
            after.apply(event, note.at);
        }
        Ok(self
            .store
            .save_accreditation(&before, &after, &events, &note)
            .await?)
    }
}
