//! The registers: states, organisations, accounts, API tokens and rule sets.

use cpr_domain::rules::{RuleSet, RuleVersion};
use cpr_domain::{
    AccountId, OrganisationId, Party, RegionalGroup, Role, StakeholderKind, StateCode, TokenId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
    Select, Set,
};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accreditation::{NewApplication, insert_application};
use crate::audit::{AuditNote, Chain, append, registry_entry};
use crate::credentials::{NewInvitation, holder_payload, insert_invitation, token_entry};
use crate::entities::{accounts, api_tokens, organisations, rule_sets, states};
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
use crate::{Store, StoreError, from_json, to_json};

/// A state of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateRecord {
    pub code: StateCode,
    pub name: String,
    pub regional_group: RegionalGroup,
}

impl TryFrom<states::Model> for StateRecord {
    type Error = StoreError;
    fn try_from(row: states::Model) -> Result<Self, Self::Error> {
        Ok(StateRecord {
            code: StateCode::parse(&row.code).map_err(StoreError::corrupt)?,
            regional_group: RegionalGroup::parse(&row.regional_group)
                .map_err(StoreError::corrupt)?,
            name: row.name,
        })
    }
}

/// The kinds of organisation an account can belong to (state delegates belong to their
/// state instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrganisationKind {
    Secretariat,
    Stakeholder,
    Oversight,
}

impl OrganisationKind {
    pub const fn code(self) -> &'static str {
        match self {
            OrganisationKind::Secretariat => "secretariat",
            OrganisationKind::Stakeholder => "stakeholder",
            OrganisationKind::Oversight => "oversight",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            OrganisationKind::Secretariat,
            OrganisationKind::Stakeholder,
            OrganisationKind::Oversight,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
    }

    /// The role an account of this organisation holds.
    pub const fn role(self) -> Role {
        match self {
            OrganisationKind::Secretariat => Role::Secretariat,
            OrganisationKind::Stakeholder => Role::Stakeholder,
            OrganisationKind::Oversight => Role::Oversight,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationRecord {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    pub stakeholder_kind: Option<StakeholderKind>,
    pub country: Option<StateCode>,
    pub website: Option<String>,
    pub accredited_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl TryFrom<organisations::Model> for OrganisationRecord {
    type Error = StoreError;
    fn try_from(row: organisations::Model) -> Result<Self, Self::Error> {
        Ok(OrganisationRecord {
            id: OrganisationId::from_uuid(row.id),
            kind: OrganisationKind::parse(&row.kind)
                .ok_or_else(|| StoreError::corrupt(format!("organisation kind {}", row.kind)))?,
            name: row.name,
            stakeholder_kind: row
                .stakeholder_kind
                .as_deref()
                .map(StakeholderKind::parse)
                .transpose()
                .map_err(StoreError::corrupt)?,
            country: row
                .country
                .as_deref()
                .map(StateCode::parse)
                .transpose()
                .map_err(StoreError::corrupt)?,
            website: row.website,
            accredited_at: row.accredited_at,
            created_at: row.created_at,
        })
    }
}

/// A new organisation, as the secretariat registers it.
#[derive(Clone, Debug)]
pub struct NewOrganisation {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    pub stakeholder_kind: Option<StakeholderKind>,
    pub country: Option<StateCode>,
    pub website: Option<String>,
    /// A stakeholder organisation comes with its application for accreditation; nobody
    /// is accredited by being registered.
    pub application: Option<NewApplication>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    pub id: AccountId,
    pub role: Role,
    pub organisation: Option<OrganisationId>,
    pub state: Option<StateCode>,
    pub name: String,
    pub email: String,
    pub created_at: OffsetDateTime,
    pub disabled_at: Option<OffsetDateTime>,
}

impl TryFrom<accounts::Model> for AccountRecord {
    type Error = StoreError;
    fn try_from(row: accounts::Model) -> Result<Self, Self::Error> {
        Ok(AccountRecord {
            id: AccountId::from_uuid(row.id),
            role: Role::parse(&row.role)
                .ok_or_else(|| StoreError::corrupt(format!("role {}", row.role)))?,
            organisation: row.organisation_id.map(OrganisationId::from_uuid),
            state: row
                .state_code
                .as_deref()
                .map(StateCode::parse)
                .transpose()
                .map_err(StoreError::corrupt)?,
            name: row.name,
            email: row.email,
            created_at: row.created_at,
            disabled_at: row.disabled_at,
        })
    }
}

/// A new account: a state delegate names its state, everyone else an organisation.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub id: AccountId,
    pub role: Role,
    pub organisation: Option<OrganisationId>,
    pub state: Option<StateCode>,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: TokenId,
    pub account: AccountId,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl From<api_tokens::Model> for TokenRecord {
    fn from(row: api_tokens::Model) -> Self {
        TokenRecord {
            id: TokenId::from_uuid(row.id),
            account: AccountId::from_uuid(row.account_id),
            label: row.label,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// The owner of a presented token: the account and the party it speaks for.
#[derive(Clone, Debug)]
pub struct TokenOwner {
    pub token: TokenRecord,
    pub account: AccountRecord,
    pub party: Party,
}

impl Store {
    // --- states -------------------------------------------------------------------------

    /// The whole register of states, by code (a few hundred rows at most; the list
    /// endpoint reads [`Store::states_page`]).
    pub async fn states(&self) -> Result<Vec<StateRecord>, StoreError> {
        states::Entity::find()
            .order_by_asc(states::Column::Code)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StateRecord::try_from)
            .collect()
    }

    /// A page of the register of states, by code.
    pub async fn states_page(
        &self,
        request: &PageRequest,
    ) -> Result<Page<StateRecord>, StoreError> {
        let after = match &request.after {
            Some(cursor) => {
                let [code] = cursor.parts::<1>()?;
                Some(StateCode::parse(code).map_err(|_| StoreError::InvalidCursor)?)
            }
            None => None,
        };
        let code = after.map_or_else(String::new, |code| code.as_str().to_owned());
        let select = keyset(
            states::Entity::find(),
            &[(states::Column::Code, Expr::value(code))],
            after.is_some(),
            Order::Asc,
        );
        let rows = limited(select, request).all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.code]),
            StateRecord::try_from,
        )
    }

    pub async fn state(&self, code: StateCode) -> Result<StateRecord, StoreError> {
        states::Entity::find_by_id(code.as_str().to_owned())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// Adds a state to the register or updates its name and group.
    pub async fn put_state(
        &self,
        state: &StateRecord,
        note: &AuditNote,
    ) -> Result<bool, StoreError> {
        let tx = self.write().await?;
        let existing = states::Entity::find_by_id(state.code.as_str().to_owned())
            .one(&tx)
            .await?;
        let created = existing.is_none();
        let row = states::ActiveModel {
            code: Set(state.code.as_str().to_owned()),
            name: Set(state.name.clone()),
            regional_group: Set(state.regional_group.code().to_owned()),
        };
        if created {
            row.insert(&tx).await?;
        } else {
            row.update(&tx).await?;
        }
        let kind = if created {
            "state_added"
        } else {
            "state_updated"
        };
        let payload = json!({
            "state": state.code,
            "name": state.name,
            "regional_group": state.regional_group,
        });
        commit_with_entry(tx, note, kind, payload).await?;
        Ok(created)
    }

    // --- organisations ------------------------------------------------------------------

    pub async fn create_organisation(
        &self,
        organisation: &NewOrganisation,
        note: &AuditNote,
    ) -> Result<OrganisationRecord, StoreError> {
        let tx = self.write().await?;
        let row = organisations::ActiveModel {
            id: Set(organisation.id.as_uuid()),
            kind: Set(organisation.kind.code().to_owned()),
            name: Set(organisation.name.clone()),
            stakeholder_kind: Set(organisation.stakeholder_kind.map(|k| k.code().to_owned())),
            country: Set(organisation.country.map(|c| c.as_str().to_owned())),
            website: Set(organisation.website.clone()),
            accredited_at: Set(None),
            created_at: Set(note.at),
        }
        .insert(&tx)
        .await?;
        let payload = json!({
            "organisation": organisation.id,
            "kind": organisation.kind.code(),
            "stakeholder_kind": organisation.stakeholder_kind,
        });
        let mut entries = vec![registry_entry("organisation_registered", payload)];
        if let Some(application) = &organisation.application {
            entries.push(insert_application(&tx, application, note).await?);
        }
        append(&tx, Chain::Registry, note, entries).await?;
        crate::commit(tx).await?;
        row.try_into()
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<OrganisationRecord, StoreError> {
        organisations::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// A page of the organisations, in the order they were registered.
    pub async fn organisations_page(
        &self,
        request: &PageRequest,
    ) -> Result<Page<OrganisationRecord>, StoreError> {
        let select = by_instant_and_id(
            organisations::Entity::find(),
            (organisations::Column::CreatedAt, organisations::Column::Id),
            request,
            Order::Asc,
        )?;
        let rows = select.all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.created_at, &row.id]),
            OrganisationRecord::try_from,
        )
    }

    /// The secretariat's organisation, created on first use (the CLI bootstraps the
    /// first secretariat account before any organisation exists).
    pub async fn secretariat_organisation(
        &self,
        new_id: OrganisationId,
        note: &AuditNote,
    ) -> Result<OrganisationRecord, StoreError> {
        let existing = organisations::Entity::find()
            .filter(organisations::Column::Kind.eq(OrganisationKind::Secretariat.code()))
            .order_by_asc(organisations::Column::CreatedAt)
            .one(&self.db)
            .await?;
        match existing {
            Some(row) => row.try_into(),
            None => {
                let organisation = NewOrganisation {
                    id: new_id,
                    kind: OrganisationKind::Secretariat,
                    name: "Secretariat".to_owned(),
                    stakeholder_kind: None,
                    country: None,
                    website: None,
                    application: None,
                };
                self.create_organisation(&organisation, note).await
            }
        }
    }

    // --- accounts -----------------------------------------------------------------------

    /// Creates an account and, with `invitation`, invites its holder: the invitation and
    /// its mail to the account's own address are written in the same transaction.
    pub async fn create_account(
        &self,
        account: &NewAccount,
        invitation: Option<&NewInvitation>,
        note: &AuditNote,
    ) -> Result<AccountRecord, StoreError> {
        let tx = self.write().await?;
        let row = accounts::ActiveModel {
            id: Set(account.id.as_uuid()),
            role: Set(account.role.code().to_owned()),
            organisation_id: Set(account.organisation.map(OrganisationId::as_uuid)),
            state_code: Set(account.state.map(|s| s.as_str().to_owned())),
            name: Set(account.name.clone()),
            email: Set(account.email.clone()),
            created_at: Set(note.at),
            disabled_at: Set(None),
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::on_unique(
                e,
                "email_taken",
                "an account with this email already exists",
            )
        })?;
        let record: AccountRecord = row.try_into()?;
        // Names and addresses stay out of the chain: an audit entry can never be erased.
        let payload = json!({
            "account": account.id,
            "role": account.role,
            "organisation": account.organisation,
            "state": account.state,
        });
        let mut entries = vec![registry_entry("account_created", payload)];
        if let Some(invitation) = invitation {
            entries.push(insert_invitation(self, &tx, &record, invitation, note).await?);
        }
        append(&tx, Chain::Registry, note, entries).await?;
        crate::commit(tx).await?;
        if invitation.is_some() {
            self.wake_worker();
        }
        Ok(record)
    }

    pub async fn account(&self, id: AccountId) -> Result<AccountRecord, StoreError> {
        accounts::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// A page of the accounts, in the order they were created.
    pub async fn accounts_page(
        &self,
        request: &PageRequest,
    ) -> Result<Page<AccountRecord>, StoreError> {
        let select = by_instant_and_id(
            accounts::Entity::find(),
            (accounts::Column::CreatedAt, accounts::Column::Id),
            request,
            Order::Asc,
        )?;
        let rows = select.all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.created_at, &row.id]),
            AccountRecord::try_from,
        )
    }

    // --- tokens -------------------------------------------------------------------------

    /// Stores a new token of `holder` by its hash; the token itself is never stored.
    pub async fn insert_token(
        &self,
        token: &TokenRecord,
        token_hash: &str,
        holder: &AccountRecord,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let tx = self.write().await?;
        let entry = token_entry(&tx, token, token_hash, holder, note).await?;
        append(&tx, Chain::Registry, note, vec![entry]).await?;
        crate::commit(tx).await?;
        Ok(())
    }

    pub async fn token(&self, id: TokenId) -> Result<TokenRecord, StoreError> {
        Ok(api_tokens::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .into())
    }

    /// A page of an account's tokens, in the order they were issued.
    pub async fn tokens_page(
        &self,
        account: AccountId,
        request: &PageRequest,
    ) -> Result<Page<TokenRecord>, StoreError> {
        let select = by_instant_and_id(
            api_tokens::Entity::find().filter(api_tokens::Column::AccountId.eq(account.as_uuid())),
            (api_tokens::Column::CreatedAt, api_tokens::Column::Id),
            request,
            Order::Asc,
        )?;
        let rows = select.all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.created_at, &row.id]),
            |row| Ok(TokenRecord::from(row)),
        )
    }

    /// Revokes a token; revoking twice keeps the first revocation time.
    pub async fn revoke_token(
        &self,
        id: TokenId,
        note: &AuditNote,
    ) -> Result<TokenRecord, StoreError> {
        let tx = self.write().await?;
        let row = api_tokens::Entity::find_by_id(id.as_uuid())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.revoked_at.is_some() {
            return Ok(row.into());
        }
        let holder: AccountRecord = accounts::Entity::find_by_id(row.account_id)
            .one(&tx)
            .await?
            .ok_or_else(|| StoreError::corrupt("token without account"))?
            .try_into()?;
        let mut active: api_tokens::ActiveModel = row.into();
        active.revoked_at = Set(Some(note.at));
        let row = active.update(&tx).await?;
        let mut payload = holder_payload(&holder, note);
        payload["token"] = json!(id);
        commit_with_entry(tx, note, "token_revoked", payload).await?;
        Ok(row.into())
    }

    /// The account and party behind a token hash, if the token is live (unrevoked and
    /// unexpired); the caller checks whether the account is disabled.
    pub async fn token_owner(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<TokenOwner>, StoreError> {
        // The token and its account in one statement: every authenticated request
        // pays for it.
        let owner: sea_orm::RelationDef = api_tokens::Entity::belongs_to(accounts::Entity)
            .from(api_tokens::Column::AccountId)
            .to(accounts::Column::Id)
            .into();
        let Some((token, account)) = api_tokens::Entity::find()
            .filter(api_tokens::Column::TokenHash.eq(token_hash))
            .join(sea_orm::JoinType::InnerJoin, owner)
            .select_also(accounts::Entity)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if token.revoked_at.is_some() || token.expires_at.is_some_and(|at| at <= now) {
            return Ok(None);
        }
        let account: AccountRecord = account
            .ok_or_else(|| StoreError::corrupt("token without account"))?
            .try_into()?;
        let party = self.party_of(&account).await?;
        Ok(Some(TokenOwner {
            token: token.into(),
            account,
            party,
        }))
    }

    /// The party an account speaks for, with the organisation's accreditation.
    pub async fn party_of(&self, account: &AccountRecord) -> Result<Party, StoreError> {
        let organisation = || {
            account
                .organisation
                .ok_or_else(|| StoreError::corrupt("account without organisation"))
        };
        Ok(match account.role {
            Role::State => Party::State(
                account
                    .state
                    .ok_or_else(|| StoreError::corrupt("state account without state"))?,
            ),
            Role::Secretariat => Party::Secretariat(organisation()?),
            Role::Oversight => Party::Oversight(organisation()?),
            Role::Stakeholder => {
                let record = self.organisation(organisation()?).await?;
                Party::Stakeholder {
                    organisation: record.id,
                    accredited: record.accredited_at.is_some(),
                }
            }
        })
    }

    // --- rule sets ----------------------------------------------------------------------

    /// The newest rule set; version 1 (the spec's defaults) is recorded on first use.
    pub async fn current_rules(&self, note: &AuditNote) -> Result<RuleVersion, StoreError> {
        let newest = rule_sets::Entity::find()
            .order_by_desc(rule_sets::Column::Version)
            .limit(1)
            .one(&self.db)
            .await?;
        match newest {
            Some(row) => rule_version(row),
            None => self.insert_rules(&RuleSet::default(), note).await,
        }
    }

    pub async fn rules(&self, version: u32) -> Result<RuleVersion, StoreError> {
        let row = rule_sets::Entity::find_by_id(
            i32::try_from(version).map_err(|_| StoreError::NotFound)?,
        )
        .one(&self.db)
        .await?
        .ok_or(StoreError::NotFound)?;
        rule_version(row)
    }

    /// The rules of `version`, read through `conn` (inside a transaction, say).
    pub(crate) async fn rules_in<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        version: u32,
    ) -> Result<cpr_domain::rules::RuleSet, StoreError> {
        let row = rule_sets::Entity::find_by_id(
            i32::try_from(version).map_err(|_| StoreError::NotFound)?,
        )
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(rule_version(row)?.rules)
    }

    /// A page of the rule sets, oldest version first.
    pub async fn rules_page(&self, request: &PageRequest) -> Result<Page<RuleVersion>, StoreError> {
        let after = match &request.after {
            Some(cursor) => {
                let [version] = cursor.parts::<1>()?;
                Some(part::<i32>(version)?)
            }
            None => None,
        };
        let select = keyset(
            rule_sets::Entity::find(),
            &[(rule_sets::Column::Version, Expr::value(after.unwrap_or(0)))],
            after.is_some(),
            Order::Asc,
        );
        let rows = limited(select, request).all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.version]),
            rule_version,
        )
    }

    /// Records a new rule set under the next version number.
    pub async fn insert_rules(
        &self,
        rules: &RuleSet,
        note: &AuditNote,
    ) -> Result<RuleVersion, StoreError> {
        let tx = self.write().await?;
        let newest = rule_sets::Entity::find()
            .order_by_desc(rule_sets::Column::Version)
            .limit(1)
            .one(&tx)
            .await?;
        let version = newest.map_or(1, |row| row.version + 1);
        rule_sets::ActiveModel {
            version: Set(version),
            rules: Set(to_json(rules)?),
            created_at: Set(note.at),
            created_by: Set(note.account.map(AccountId::as_uuid)),
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::on_unique(
                e,
                "rules_changed",
                "another rule set was recorded at the same time",
            )
        })?;
        let payload = json!({ "version": version, "rules": rules });
        commit_with_entry(tx, note, "rules_recorded", payload).await?;
        Ok(RuleVersion {
            version: u32::try_from(version).map_err(StoreError::corrupt)?,
            rules: rules.clone(),
        })
    }
}

/// The last step of every change to a register: its entry in the registers' chain, then
/// the commit of both.
async fn commit_with_entry(
    tx: sea_orm::DatabaseTransaction,
    note: &AuditNote,
    kind: &'static str,
    payload: serde_json::Value,
) -> Result<(), StoreError> {
    append(
        &tx,
        Chain::Registry,
        note,
        vec![registry_entry(kind, payload)],
    )
    .await?;
    crate::commit(tx).await?;
    Ok(())
}

fn rule_version(row: rule_sets::Model) -> Result<RuleVersion, StoreError> {
    Ok(RuleVersion {
        version: u32::try_from(row.version).map_err(StoreError::corrupt)?,
        rules: from_json(&row.rules, "rule set")?,
    })
}

/// Orders `select` by (an instant, an id) in `order` and keeps one page of it, after the
/// key of the request's cursor: the shape of most lists of the registers, the
/// accreditations and the outbox.
pub(crate) fn by_instant_and_id<E, C>(
    select: Select<E>,
    (at, id): (C, C),
    request: &PageRequest,
    order: Order,
) -> Result<Select<E>, StoreError>
where
    E: EntityTrait,
    C: ColumnTrait + Copy,
{
    let after = match &request.after {
        Some(cursor) => {
            let [instant, key] = cursor.parts::<2>()?;
            Some((part::<OffsetDateTime>(instant)?, part::<Uuid>(key)?))
        }
        None => None,
    };
    let (instant, key) = after.unwrap_or((OffsetDateTime::UNIX_EPOCH, Uuid::nil()));
    let select = keyset(
        select,
        &[(at, Expr::value(instant)), (id, Expr::value(key))],
        after.is_some(),
        order,
    );
    Ok(limited(select, request))
}
