//! Credentials: invitations (the single-use link mailed to an account's own address, by
//! which its holder obtains the first token), the disabling of accounts, and the entries
//! of the registers' chain that record every invitation, issuance, revocation and
//! disabling. Those entries are public and name the account, its role and its state or
//! organisation, never a name, an address, a token or a secret.

use cpr_domain::{AccountId, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::audit::{AuditNote, Chain, NewEntry, append, registry_entry};
use crate::entities::{accounts, api_tokens, invitations, outbox};
use crate::outbox::OutboxStatus;
use crate::registry::{AccountRecord, TokenRecord};
use crate::{Store, StoreError, to_json};

/// The notice kind of the invitation mail.
pub const INVITATION_KIND: &str = "account_invitation";

/// A new invitation, with the secret the service generated: the secret goes into the
/// mail only; the invitation keeps its hash.
#[derive(Clone, Debug)]
pub struct NewInvitation {
    pub id: Uuid,
    pub secret: String,
    pub secret_hash: String,
    pub expires_at: OffsetDateTime,
}

/// An invitation as stored (without its secret, which is not stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: Uuid,
    pub account: AccountId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub redeemed_at: Option<OffsetDateTime>,
    pub superseded_at: Option<OffsetDateTime>,
}

impl From<invitations::Model> for InvitationRecord {
    fn from(row: invitations::Model) -> Self {
        InvitationRecord {
            id: row.id,
            account: AccountId::from_uuid(row.account_id),
            created_at: row.created_at,
            expires_at: row.expires_at,
            redeemed_at: row.redeemed_at,
            superseded_at: row.superseded_at,
        }
    }
}

/// What every credentials entry says of the account concerned, and who acted: ids and
/// codes only.
pub(crate) fn holder_payload(account: &AccountRecord, note: &AuditNote) -> serde_json::Value {
    json!({
        "account": account.id,
        "role": account.role,
        "organisation": account.organisation,
        "state": account.state,
        "by": note.account,
    })
}

fn rfc3339(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339).map_err(StoreError::corrupt)
}

/// Inside `tx`: marks the account's pending invitations superseded, records the new one
/// and queues its mail to the account's own address. Answers the chain entry to append.
pub(crate) async fn insert_invitation(
    store: &Store,
    tx: &DatabaseTransaction,
    account: &AccountRecord,
    invitation: &NewInvitation,
    note: &AuditNote,
) -> Result<NewEntry, StoreError> {
    invitations::Entity::update_many()
        .col_expr(
            invitations::Column::SupersededAt,
            Expr::value(Some(note.at)),
        )
        .filter(invitations::Column::AccountId.eq(account.id.as_uuid()))
        .filter(invitations::Column::RedeemedAt.is_null())
        .filter(invitations::Column::SupersededAt.is_null())
        .exec(tx)
        .await?;
    invitations::ActiveModel {
        id: Set(invitation.id),
        account_id: Set(account.id.as_uuid()),
        secret_hash: Set(invitation.secret_hash.clone()),
        created_at: Set(note.at),
        expires_at: Set(invitation.expires_at),
        redeemed_at: Set(None),
        superseded_at: Set(None),
    }
    .insert(tx)
    .await?;
    let message = Uuid::now_v7();
    let data = json!({
        "kind": INVITATION_KIND,
        "invitation": invitation.id.to_string(),
        "account": account.id,
        "role": account.role,
        "state": account.state,
        "recipient_name": account.name,
        "invitation_secret": invitation.secret,
        "expires_at": rfc3339(invitation.expires_at)?,
    });
    outbox::ActiveModel {
        id: Set(message),
        message_id: Set(format!("<{message}@{}>", store.message_id_domain)),
        recipient: Set(account.email.clone()),
        recipient_name: Set(Some(account.name.clone())),
        kind: Set(INVITATION_KIND.to_owned()),
        review_id: Set(None),
        data: Set(to_json(&data)?),
        status: Set(OutboxStatus::Queued.code().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(note.at),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(note.at),
        sent_at: Set(None),
    }
    .insert(tx)
    .await?;
    let mut payload = holder_payload(account, note);
    payload["invitation"] = json!(invitation.id);
    payload["expires_at"] = json!(rfc3339(invitation.expires_at)?);
    Ok(registry_entry("invitation_sent", payload))
}

impl Store {
    /// Invites the holder of `account` again: earlier unredeemed invitations stop
    /// working, and the new one is mailed to the account's address.
    pub async fn invite(
        &self,
        account: AccountId,
        invitation: &NewInvitation,
        note: &AuditNote,
    ) -> Result<InvitationRecord, StoreError> {
        let tx = self.write().await?;
        let account: AccountRecord = accounts::Entity::find_by_id(account.as_uuid())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()?;
        if account.disabled_at.is_some() {
            return Err(StoreError::Conflict {
                code: "account_disabled",
                message: "the account is disabled".into(),
            });
        }
        let entry = insert_invitation(self, &tx, &account, invitation, note).await?;
        append(&tx, Chain::Registry, note, vec![entry]).await?;
        crate::commit(tx).await?;
        self.wake_worker();
        Ok(InvitationRecord {
            id: invitation.id,
            account: account.id,
            created_at: note.at,
            expires_at: invitation.expires_at,
            redeemed_at: None,
            superseded_at: None,
        })
    }

    /// The invitation whose secret hashes to `secret_hash`, with its account.
    pub async fn invitation_by_secret(
        &self,
        secret_hash: &str,
    ) -> Result<Option<(InvitationRecord, AccountRecord)>, StoreError> {
        let Some(row) = invitations::Entity::find()
            .filter(invitations::Column::SecretHash.eq(secret_hash))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let account = self.account(AccountId::from_uuid(row.account_id)).await?;
        Ok(Some((row.into(), account)))
    }

    /// Redeems an invitation for the token `token`, in one transaction: the invitation is
    /// marked used by a statement that matches it only while it is unused, the latest
    /// and unexpired, so of two concurrent redemptions exactly one gets a token.
    pub async fn redeem_invitation(
        &self,
        invitation: Uuid,
        holder: &AccountRecord,
        token: &TokenRecord,
        token_hash: &str,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let tx = self.write().await?;
        let claimed = invitations::Entity::update_many()
            .col_expr(invitations::Column::RedeemedAt, Expr::value(Some(note.at)))
            .filter(invitations::Column::Id.eq(invitation))
            .filter(invitations::Column::RedeemedAt.is_null())
            .filter(invitations::Column::SupersededAt.is_null())
            .filter(invitations::Column::ExpiresAt.gt(note.at))
            .exec(&tx)
            .await?;
        if claimed.rows_affected != 1 {
            let row = invitations::Entity::find_by_id(invitation)
                .one(&tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let (code, message) = if row.redeemed_at.is_some() {
                ("invitation_used", "this invitation was used already")
            } else if row.superseded_at.is_some() {
                (
                    "invitation_superseded",
                    "a newer invitation replaced this one",
                )
            } else {
                ("invitation_expired", "this invitation has expired")
            };
            return Err(StoreError::Conflict {
                code,
                message: message.into(),
            });
        }
        let mut entry = token_entry(&tx, token, token_hash, holder, note).await?;
        entry.payload["invitation"] = json!(invitation);
        append(&tx, Chain::Registry, note, vec![entry]).await?;
        crate::commit(tx).await?;
        Ok(())
    }

    /// Disables an account: its tokens stop working and its pending invitations with
    /// them. Disabling twice keeps the first time.
    pub async fn disable_account(
        &self,
        id: AccountId,
        note: &AuditNote,
    ) -> Result<AccountRecord, StoreError> {
        let tx = self.write().await?;
        let account: AccountRecord = accounts::Entity::find_by_id(id.as_uuid())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()?;
        if account.disabled_at.is_some() {
            return Ok(account);
        }
        accounts::Entity::update_many()
            .col_expr(accounts::Column::DisabledAt, Expr::value(Some(note.at)))
            .filter(accounts::Column::Id.eq(id.as_uuid()))
            .exec(&tx)
            .await?;
        invitations::Entity::update_many()
            .col_expr(
                invitations::Column::SupersededAt,
                Expr::value(Some(note.at)),
            )
            .filter(invitations::Column::AccountId.eq(id.as_uuid()))
            .filter(invitations::Column::RedeemedAt.is_null())
            .filter(invitations::Column::SupersededAt.is_null())
            .exec(&tx)
            .await?;
        let payload = holder_payload(&account, note);
        append(
            &tx,
            Chain::Registry,
            note,
            vec![registry_entry("account_disabled", payload)],
        )
        .await?;
        crate::commit(tx).await?;
        Ok(AccountRecord {
            disabled_at: Some(note.at),
            ..account
        })
    }

    /// Whether a secretariat account holds a live token (unrevoked, unexpired, of an
    /// enabled account): the command line then issues no more.
    pub async fn secretariat_holds_a_token(&self, now: OffsetDateTime) -> Result<bool, StoreError> {
        let secretariat: Vec<Uuid> = accounts::Entity::find()
            .select_only()
            .column(accounts::Column::Id)
            .filter(accounts::Column::Role.eq(Role::Secretariat.code()))
            .filter(accounts::Column::DisabledAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        if secretariat.is_empty() {
            return Ok(false);
        }
        let live = api_tokens::Entity::find()
            .filter(api_tokens::Column::AccountId.is_in(secretariat))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .filter(
                sea_orm::Condition::any()
                    .add(api_tokens::Column::ExpiresAt.is_null())
                    .add(api_tokens::Column::ExpiresAt.gt(now)),
            )
            .count(&self.db)
            .await?;
        Ok(live > 0)
    }
}

/// Inside `tx`: stores a token by its hash and answers its chain entry.
pub(crate) async fn token_entry(
    tx: &DatabaseTransaction,
    token: &TokenRecord,
    token_hash: &str,
    holder: &AccountRecord,
    note: &AuditNote,
) -> Result<NewEntry, StoreError> {
    api_tokens::ActiveModel {
        id: Set(token.id.as_uuid()),
        account_id: Set(token.account.as_uuid()),
        token_hash: Set(token_hash.to_owned()),
        label: Set(token.label.clone()),
        created_at: Set(token.created_at),
        expires_at: Set(token.expires_at),
        revoked_at: Set(None),
    }
    .insert(tx)
    .await?;
    let mut payload = holder_payload(holder, note);
    payload["token"] = json!(token.id);
    Ok(registry_entry("token_issued", payload))
}
