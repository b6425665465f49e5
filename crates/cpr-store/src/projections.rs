//! The tables the public listings read: every published document with its current
//! version, its tags and its public text (`published_documents`,
//! `published_document_tags`), written from the review in the transaction of the change
//! that publishes or corrects it; the norms of each recommendation
//! (`recommendation_norms`, written with the recommendation) and the review summaries
//! (columns of `reviews`, written with the snapshot). A projection is never written
//! outside the transaction of its change; [`Store::rebuild_projections`] recomputes all
//! of them from the snapshots and revisions, and gives the same rows.

use std::collections::{BTreeMap, BTreeSet};

use cpr_domain::review::document::{DocumentKey, Redaction};
use cpr_domain::review::reading::public_text;
use cpr_domain::views::PublishedEntry;
use cpr_domain::{
    AffectedGroup, CycleId, Norm, OrganisationId, Review, ReviewId, Sector, StakeholderKind,
    StateCode,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use time::OffsetDateTime;

use crate::entities::{
    audit_entries, document_revisions, projection_versions, published_document_tags,
    published_documents, recommendation_norms, recommendation_tags, recommendation_updates,
    recommendations, review_stages, reviews, search_entries,
};
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
use crate::{Store, StoreError, exec};

/// The version of the projections' shape; data brought to an older one is rebuilt when
/// the store opens.
/// 3: the search index (`search_entries`); 4: a stakeholder input's organisations are
/// tags of it (`organisation`), for the organisation pages.
pub const PROJECTIONS_VERSION: i32 = 4;
const PROJECTIONS: &str = "read_side";

/// A published document as the public listings hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedDocumentRecord {
    pub review: ReviewId,
    pub cycle: CycleId,
    pub state: StateCode,
    pub document: String,
    pub kind: String,
    pub revision: u32,
    pub current_at: OffsetDateTime,
    pub words: u32,
    pub sha256: String,
    /// Why the current version superseded the one before (errata only).
    pub reason: Option<String>,
    pub versions: u32,
    pub published_at: OffsetDateTime,
    pub norms: Vec<Norm>,
    pub sectors: Vec<Sector>,
    pub groups: Vec<AffectedGroup>,
    pub stakeholder_kind: Option<StakeholderKind>,
}

/// Which published documents a listing holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct PublishedFilter {
    pub state: Option<StateCode>,
    pub cycle: Option<CycleId>,
    pub norm: Option<Norm>,
    pub sector: Option<Sector>,
    pub group: Option<AffectedGroup>,
    /// The stakeholder inputs this organisation leads or co-signs.
    pub organisation: Option<OrganisationId>,
}

/// The tags of a published document, as the listing reads them back.
#[derive(Clone, Debug, Default)]
struct DocumentTags {
    norms: Vec<Norm>,
    sectors: Vec<Sector>,
    groups: Vec<AffectedGroup>,
}

/// What the listings keep of a published document, redactions included (they change
/// its public text).
#[derive(PartialEq)]
struct Listed {
    entry: PublishedEntry,
    redactions: Vec<Redaction>,
}

fn listed(review: &Review) -> BTreeMap<DocumentKey, Listed> {
    review
        .published_documents()
        .into_iter()
        .map(|entry| {
            let redactions = review.redactions_of(entry.key);
            (entry.key, Listed { entry, redactions })
        })
        .collect()
}

/// The published documents `filter` keeps.
fn published_filtered(filter: PublishedFilter) -> sea_orm::Select<published_documents::Entity> {
    use published_documents::Column;
    let mut select = published_documents::Entity::find();
    if let Some(state) = filter.state {
        select = select.filter(Column::StateCode.eq(state.as_str()));
    }
    if let Some(cycle) = filter.cycle {
        select = select.filter(Column::CycleId.eq(cycle.as_uuid()));
    }
    let organisation = filter.organisation.map(|o| o.to_string());
    for (tag, code) in [
        ("norm", filter.norm.map(Norm::code)),
        ("sector", filter.sector.map(Sector::code)),
        ("group", filter.group.map(AffectedGroup::code)),
        ("organisation", organisation.as_deref()),
    ] {
        if let Some(code) = code {
            select = select.filter(tagged(tag, code));
        }
    }
    select
}

/// The columns a listing reads (all but the text, which is for search).
fn published_columns(
    select: sea_orm::Select<published_documents::Entity>,
) -> sea_orm::Select<published_documents::Entity> {
    use published_documents::Column;
    select
        .select_only()
        .columns([
            Column::ReviewId,
            Column::Document,
            Column::CycleId,
            Column::StateCode,
            Column::Kind,
            Column::Revision,
            Column::Versions,
            Column::PublishedAt,
            Column::CurrentAt,
            Column::Words,
            Column::Sha256,
            Column::CurrentReason,
            Column::StakeholderKind,
        ])
        .column_as(Expr::value(""), Column::Text)
}

fn int(n: u32) -> Result<i32, StoreError> {
    i32::try_from(n).map_err(StoreError::corrupt)
}

/// Brings the public listings of `after` up to date inside `tx`: documents that became
/// public, whose current version changed (an erratum) or that are no longer public.
/// A change that publishes nothing (a draft) issues no statement.
pub(crate) async fn sync_published(
    tx: &DatabaseTransaction,
    before: Option<&Review>,
    after: &Review,
) -> Result<(), StoreError> {
    let old = before.map(listed).unwrap_or_default();
    let new = listed(after);
    let changed: Vec<&Listed> = new
        .iter()
        .filter(|(key, now)| old.get(key) != Some(*now))
        .map(|(_, now)| now)
        .collect();
    let gone: Vec<String> = old
        .keys()
        .filter(|key| !new.contains_key(key))
        .map(ToString::to_string)
        .collect();
    if changed.is_empty() && gone.is_empty() {
        return Ok(());
    }
    let review_id = after.id.as_uuid();
    let stale: Vec<String> = changed
        .iter()
        .map(|listed| listed.entry.key.to_string())
        .chain(gone)
        .collect();
    if before.is_some() {
        published_document_tags::Entity::delete_many()
            .filter(published_document_tags::Column::ReviewId.eq(review_id))
            .filter(published_document_tags::Column::Document.is_in(stale.clone()))
            .exec(tx)
            .await?;
        published_documents::Entity::delete_many()
            .filter(published_documents::Column::ReviewId.eq(review_id))
            .filter(published_documents::Column::Document.is_in(stale.clone()))
            .exec(tx)
            .await?;
        crate::search::forget_documents(tx, review_id, stale).await?;
    }
    if changed.is_empty() {
        return Ok(());
    }
    let bodies = current_bodies(tx, after.id, &changed).await?;
    let mut rows = Vec::with_capacity(changed.len());
    let mut tags = Vec::new();
    let mut entries = Vec::with_capacity(changed.len());
    for listed in changed {
        let entry = &listed.entry;
        let name = entry.key.to_string();
        // The first release kept bodies in a table its successor dropped: such a
        // document is still listed (by its digest), with no text to search.
        let text = match bodies.get(&name) {
            Some(body) => public_text(entry.key, body, &listed.redactions)
                .map_err(|e| StoreError::corrupt(format!("{name}: {e}")))?,
            None => {
                tracing::warn!(review.id = %after.id, document = %name, "published without a stored body");
                String::new()
            }
        };
        entries.push(crate::search::document_entry(
            after,
            &name,
            entry.published_at,
            &text,
        ));
        rows.push(published_documents::ActiveModel {
            review_id: Set(review_id),
            document: Set(name.clone()),
            cycle_id: Set(after.cycle.as_uuid()),
            state_code: Set(after.state.as_str().to_owned()),
            kind: Set(entry.kind.to_owned()),
            revision: Set(int(entry.current.revision)?),
            versions: Set(int(entry.versions)?),
            published_at: Set(entry.published_at),
            current_at: Set(entry.current.at),
            words: Set(int(entry.current.words)?),
            sha256: Set(entry.current.sha256.clone()),
            current_reason: Set(entry.current.reason.clone()),
            text: Set(text),
            stakeholder_kind: Set(entry.stakeholder_kind.map(|k| k.code().to_owned())),
        });
        let codes = entry
            .norms
            .iter()
            .map(|n| ("norm", n.code()))
            .chain(entry.sectors.iter().map(|s| ("sector", s.code())))
            .chain(entry.groups.iter().map(|g| ("group", g.code())))
            .map(|(tag, code)| (tag, code.to_owned()))
            .chain(
                entry
                    .organisations
                    .iter()
                    .map(|o| ("organisation", o.to_string())),
            );
        for (tag, code) in codes {
            tags.push(published_document_tags::ActiveModel {
                review_id: Set(review_id),
                document: Set(name.clone()),
                tag: Set(tag.to_owned()),
                code: Set(code),
            });
        }
    }
    for chunk in rows.chunks(200) {
        published_documents::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    for chunk in tags.chunks(300) {
        published_document_tags::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    crate::search::insert_entries(tx, entries).await?;
    Ok(())
}

/// Records that `review` entered `stage` at `at`, inside the transaction of the change.
pub(crate) async fn record_stage(
    tx: &DatabaseTransaction,
    review: ReviewId,
    stage: cpr_domain::Stage,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    review_stages::Entity::insert(review_stages::ActiveModel {
        review_id: Set(review.as_uuid()),
        stage: Set(stage.code().to_owned()),
        entered_at: Set(at),
    })
    .exec(tx)
    .await?;
    Ok(())
}

/// When a review entered each stage, as its chain says: the opening's stage at the
/// opening, every other at its `stage_changed` entry (whose payload the hash covers).
async fn rebuild_stages(tx: &DatabaseTransaction, review: ReviewId) -> Result<(), StoreError> {
    let entries = audit_entries::Entity::find()
        .filter(audit_entries::Column::Chain.eq(format!("review/{review}")))
        .filter(audit_entries::Column::Kind.is_in(["review_opened", "stage_changed"]))
        .order_by_asc(audit_entries::Column::Seq)
        .all(tx)
        .await?;
    let mut rows = Vec::new();
    for entry in entries {
        let payload: serde_json::Value = crate::from_json(&entry.payload, "audit payload")?;
        let stage = match entry.kind.as_str() {
            "review_opened" => payload["stage"].as_str(),
            _ => payload["to"].as_str(),
        }
        .ok_or_else(|| StoreError::corrupt("a stage entry without its stage"))?
        .to_owned();
        let at = OffsetDateTime::parse(&entry.at, &time::format_description::well_known::Rfc3339)
            .map_err(StoreError::corrupt)?;
        rows.push(review_stages::ActiveModel {
            review_id: Set(review.as_uuid()),
            stage: Set(stage),
            entered_at: Set(at),
        });
    }
    if !rows.is_empty() {
        review_stages::Entity::insert_many(rows).exec(tx).await?;
    }
    Ok(())
}

/// The stored bodies of the current versions of `listed`, by document, read in a few
/// statements.
async fn current_bodies(
    tx: &DatabaseTransaction,
    review: ReviewId,
    listed: &[&Listed],
) -> Result<BTreeMap<String, serde_json::Value>, StoreError> {
    let mut bodies = BTreeMap::new();
    for chunk in listed.chunks(100) {
        let mut wanted = Condition::any();
        for listed in chunk {
            wanted = wanted.add(
                Condition::all()
                    .add(document_revisions::Column::Document.eq(listed.entry.key.to_string()))
                    .add(
                        document_revisions::Column::Revision
                            .eq(int(listed.entry.current.revision)?),
                    ),
            );
        }
        for row in document_revisions::Entity::find()
            .filter(document_revisions::Column::ReviewId.eq(review.as_uuid()))
            .filter(wanted)
            .all(tx)
            .await?
        {
            let body = serde_json::from_str(&row.body).map_err(StoreError::corrupt)?;
            bodies.insert(row.document, body);
        }
    }
    Ok(bodies)
}

impl Store {
    /// A page of the documents the public may read, oldest publication first.
    pub async fn published_page(
        &self,
        filter: PublishedFilter,
        request: &PageRequest,
    ) -> Result<Page<PublishedDocumentRecord>, StoreError> {
        use published_documents::Column;
        let select = published_filtered(filter);
        let (at, review, document) = match &request.after {
            Some(cursor) => {
                let [at, review, document] = cursor.parts::<3>()?;
                (
                    part::<OffsetDateTime>(at)?,
                    part::<uuid::Uuid>(review)?,
                    part::<String>(document)?,
                )
            }
            None => (OffsetDateTime::UNIX_EPOCH, uuid::Uuid::nil(), String::new()),
        };
        let select = keyset(
            select,
            &[
                (Column::PublishedAt, Expr::value(at)),
                (Column::ReviewId, Expr::value(review)),
                (Column::Document, Expr::value(document)),
            ],
            request.after.is_some(),
            Order::Asc,
        );
        let rows = published_columns(limited(select, request))
            .all(&self.db)
            .await?;
        let page = Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.published_at, &row.review_id, &row.document]),
            Ok,
        )?;
        Ok(Page {
            items: self.published_records(page.items).await?,
            next: page.next,
        })
    }

    /// The `limit` published documents whose current version is the newest (a first
    /// publication or an erratum), newest first: what a feed of publications lists.
    /// Every version of a document is at most as new as its current one, so these hold
    /// the `limit` newest versions of all.
    pub async fn latest_published(
        &self,
        filter: PublishedFilter,
        limit: u32,
    ) -> Result<Vec<PublishedDocumentRecord>, StoreError> {
        use published_documents::Column;
        let rows = published_columns(
            published_filtered(filter)
                .order_by(Column::CurrentAt, Order::Desc)
                .order_by(Column::ReviewId, Order::Desc)
                .order_by(Column::Document, Order::Desc)
                .limit(u64::from(limit)),
        )
        .all(&self.db)
        .await?;
        self.published_records(rows).await
    }

    async fn published_records(
        &self,
        rows: Vec<published_documents::Model>,
    ) -> Result<Vec<PublishedDocumentRecord>, StoreError> {
        let tags = self
            .tags_of(rows.iter().map(|row| row.review_id).collect())
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let DocumentTags {
                norms,
                sectors,
                groups,
            } = tags
                .get(&(row.review_id, row.document.clone()))
                .cloned()
                .unwrap_or_default();
            items.push(PublishedDocumentRecord {
                review: ReviewId::from_uuid(row.review_id),
                cycle: CycleId::from_uuid(row.cycle_id),
                state: StateCode::parse(&row.state_code).map_err(StoreError::corrupt)?,
                document: row.document,
                kind: row.kind,
                revision: u32::try_from(row.revision).map_err(StoreError::corrupt)?,
                current_at: row.current_at,
                words: u32::try_from(row.words).map_err(StoreError::corrupt)?,
                sha256: row.sha256,
                reason: row.current_reason,
                versions: u32::try_from(row.versions).map_err(StoreError::corrupt)?,
                published_at: row.published_at,
                norms,
                sectors,
                groups,
                stakeholder_kind: row
                    .stakeholder_kind
                    .as_deref()
                    .map(StakeholderKind::parse)
                    .transpose()
                    .map_err(StoreError::corrupt)?,
            });
        }
        Ok(items)
    }

    /// The tags of the published documents of `reviews`, in one statement.
    async fn tags_of(
        &self,
        reviews: BTreeSet<uuid::Uuid>,
    ) -> Result<BTreeMap<(uuid::Uuid, String), DocumentTags>, StoreError> {
        let mut tags: BTreeMap<(uuid::Uuid, String), DocumentTags> = BTreeMap::new();
        if reviews.is_empty() {
            return Ok(tags);
        }
        for row in published_document_tags::Entity::find()
            .filter(published_document_tags::Column::ReviewId.is_in(reviews))
            .order_by_asc(published_document_tags::Column::Code)
            .all(&self.db)
            .await?
        {
            let entry = tags.entry((row.review_id, row.document)).or_default();
            let corrupt = StoreError::corrupt;
            match row.tag.as_str() {
                "norm" => entry.norms.push(Norm::parse(&row.code).map_err(corrupt)?),
                "sector" => entry
                    .sectors
                    .push(Sector::parse(&row.code).map_err(corrupt)?),
                "group" => entry
                    .groups
                    .push(AffectedGroup::parse(&row.code).map_err(corrupt)?),
                // An input's organisations filter the listing; they are not shown as tags.
                _ => {}
            }
        }
        Ok(tags)
    }

    /// Brings the projections to the current version if an older release (or none)
    /// wrote them: once, whoever starts first.
    pub async fn ensure_projections(&self) -> Result<(), StoreError> {
        if self.projections_version().await? >= PROJECTIONS_VERSION {
            return Ok(());
        }
        self.rebuild_projections_if(|version| version < PROJECTIONS_VERSION)
            .await
            .map(|_| ())
    }

    async fn projections_version(&self) -> Result<i32, StoreError> {
        Ok(
            projection_versions::Entity::find_by_id(PROJECTIONS.to_owned())
                .one(&self.db)
                .await?
                .map_or(0, |row| row.version),
        )
    }

    /// Recomputes every projection from the snapshots, the revisions and the chains, in
    /// one transaction; answers how many reviews it went through.
    pub async fn rebuild_projections(&self) -> Result<usize, StoreError> {
        self.rebuild_projections_if(|_| true).await
    }

    async fn rebuild_projections_if(
        &self,
        needed: impl Fn(i32) -> bool,
    ) -> Result<usize, StoreError> {
        let tx = self.write().await?;
        if tx.get_database_backend() == DbBackend::Postgres {
            exec(
                &tx,
                Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_xact_lock(hashtextextended('cpr projections', 0))",
                ),
            )
            .await?;
        }
        // Another instance may have rebuilt while this one waited for the lock.
        let version = projection_versions::Entity::find_by_id(PROJECTIONS.to_owned())
            .one(&tx)
            .await?
            .map_or(0, |row| row.version);
        if !needed(version) {
            return Ok(0);
        }
        published_document_tags::Entity::delete_many()
            .exec(&tx)
            .await?;
        published_documents::Entity::delete_many().exec(&tx).await?;
        recommendation_norms::Entity::delete_many()
            .exec(&tx)
            .await?;
        recommendation_tags::Entity::delete_many().exec(&tx).await?;
        review_stages::Entity::delete_many().exec(&tx).await?;
        search_entries::Entity::delete_many().exec(&tx).await?;

        let mut rules = BTreeMap::new();
        let mut count = 0;
        let mut after = uuid::Uuid::nil();
        loop {
            let rows = reviews::Entity::find()
                .filter(reviews::Column::Id.gt(after))
                .order_by_asc(reviews::Column::Id)
                .limit(100)
                .all(&tx)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in rows {
                let mut record = self.record_of(row).await?;
                let version = record.review.rule_version;
                if let std::collections::btree_map::Entry::Vacant(slot) = rules.entry(version) {
                    slot.insert(self.rules_in(&tx, version).await?);
                }
                let days = &rules[&version].reminders.days_before;
                let summary = record.review.summary(days);
                record.audit = chain_head(&tx, record.review.id).await?;
                rewrite_review(&tx, &record, &summary).await?;
                sync_published(&tx, None, &record.review).await?;
                rebuild_stages(&tx, record.review.id).await?;
                count += 1;
            }
        }
        rebuild_recommendation_projections(&tx).await?;
        projection_versions::Entity::delete_many()
            .filter(projection_versions::Column::Name.eq(PROJECTIONS))
            .exec(&tx)
            .await?;
        projection_versions::Entity::insert(projection_versions::ActiveModel {
            name: Set(PROJECTIONS.to_owned()),
            version: Set(PROJECTIONS_VERSION),
        })
        .exec(&tx)
        .await?;
        // What the public reads may differ after a rebuild: pages rendered before it are
        // no longer current.
        let now = crate::audit::chain_time(time::OffsetDateTime::now_utc())?;
        crate::audit::advance_public_record(&tx, &now).await?;
        crate::commit(tx).await?;
        tracing::info!(reviews = count, "projections rebuilt");
        Ok(count)
    }

    /// Every row of every projection, in a stable order, as JSON: what a rebuild must
    /// reproduce exactly.
    pub async fn projections(&self) -> Result<serde_json::Value, StoreError> {
        use reviews::Column as R;
        let summaries: Vec<serde_json::Value> = reviews::Entity::find()
            .select_only()
            .columns([
                R::Id,
                R::Stage,
                R::SnapshotFormat,
                R::AuditSeq,
                R::AuditHead,
                R::NextDeadline,
                R::NextDeadlineAt,
                R::AttentionAt,
                R::DueStateReport,
                R::DueInputWindow,
                R::DueCompilation,
                R::DueAdvanceQuestions,
                R::DueWgReport,
                R::DueResponse,
                R::ReportStatus,
                R::ResponseStatus,
            ])
            .order_by_asc(R::Id)
            .into_json()
            .all(&self.db)
            .await?;
        let published = published_documents::Entity::find()
            .order_by_asc(published_documents::Column::ReviewId)
            .order_by_asc(published_documents::Column::Document)
            .into_json()
            .all(&self.db)
            .await?;
        let tags = published_document_tags::Entity::find()
            .order_by_asc(published_document_tags::Column::ReviewId)
            .order_by_asc(published_document_tags::Column::Document)
            .order_by_asc(published_document_tags::Column::Tag)
            .order_by_asc(published_document_tags::Column::Code)
            .into_json()
            .all(&self.db)
            .await?;
        let norms = recommendation_norms::Entity::find()
            .order_by_asc(recommendation_norms::Column::ReviewId)
            .order_by_asc(recommendation_norms::Column::Number)
            .order_by_asc(recommendation_norms::Column::Norm)
            .into_json()
            .all(&self.db)
            .await?;
        let stages = review_stages::Entity::find()
            .order_by_asc(review_stages::Column::ReviewId)
            .order_by_asc(review_stages::Column::Stage)
            .into_json()
            .all(&self.db)
            .await?;
        let recommendation_tags = recommendation_tags::Entity::find()
            .order_by_asc(recommendation_tags::Column::ReviewId)
            .order_by_asc(recommendation_tags::Column::Number)
            .order_by_asc(recommendation_tags::Column::Tag)
            .order_by_asc(recommendation_tags::Column::Code)
            .into_json()
            .all(&self.db)
            .await?;
        let recommendations = recommendations::Entity::find()
            .select_only()
            .columns([
                recommendations::Column::ReviewId,
                recommendations::Column::Number,
                recommendations::Column::UpdatesCount,
                recommendations::Column::LastUpdateAt,
            ])
            .order_by_asc(recommendations::Column::ReviewId)
            .order_by_asc(recommendations::Column::Number)
            .into_json()
            .all(&self.db)
            .await?;
        use search_entries::Column as S;
        let search = search_entries::Entity::find()
            .select_only()
            // Not the id: a rebuild numbers the rows afresh.
            .columns([
                S::ReviewId,
                S::Kind,
                S::Document,
                S::Number,
                S::CycleId,
                S::StateCode,
                S::PublishedAt,
                S::Body,
            ])
            .order_by_asc(S::ReviewId)
            .order_by_asc(S::Kind)
            .order_by_asc(S::Document)
            .order_by_asc(S::Number)
            .into_json()
            .all(&self.db)
            .await?;
        Ok(serde_json::json!({
            "search_entries": search,
            "review_summaries": summaries,
            "published_documents": published,
            "published_document_tags": tags,
            "recommendation_norms": norms,
            "recommendation_tags": recommendation_tags,
            "review_stages": stages,
            "recommendations": recommendations,
        }))
    }
}

/// The condition that a published document carries `tag` `code`.
fn tagged(tag: &str, code: &str) -> sea_orm::sea_query::SimpleExpr {
    use published_document_tags as t;
    use published_documents as d;
    Expr::exists(
        Query::select()
            .expr(Expr::value(1))
            .from(t::Entity)
            .and_where(
                Expr::col((t::Entity, t::Column::ReviewId))
                    .equals((d::Entity, d::Column::ReviewId)),
            )
            .and_where(
                Expr::col((t::Entity, t::Column::Document))
                    .equals((d::Entity, d::Column::Document)),
            )
            .and_where(Expr::col((t::Entity, t::Column::Tag)).eq(tag))
            .and_where(Expr::col((t::Entity, t::Column::Code)).eq(code))
            .to_owned(),
    )
}

/// The head of a review's chain as the chain itself says.
async fn chain_head(
    tx: &DatabaseTransaction,
    review: ReviewId,
) -> Result<crate::audit::ChainHead, StoreError> {
    let head = audit_entries::Entity::find()
        .filter(audit_entries::Column::Chain.eq(format!("review/{review}")))
        .order_by_desc(audit_entries::Column::Seq)
        .limit(1)
        .one(tx)
        .await?;
    Ok(match head {
        Some(row) => crate::audit::ChainHead {
            seq: u64::try_from(row.seq).map_err(StoreError::corrupt)?,
            hash: row.hash,
        },
        None => crate::audit::ChainHead::genesis(),
    })
}

/// Writes a review's summary and chain head again, and its snapshot in the current
/// format (its version is unchanged: nothing happened to the review).
async fn rewrite_review(
    tx: &DatabaseTransaction,
    record: &crate::ReviewRecord,
    summary: &cpr_domain::review::summary::ReviewSummary,
) -> Result<(), StoreError> {
    let snapshot =
        cpr_domain::review::snapshot::write(&record.review).map_err(StoreError::corrupt)?;
    let format =
        i32::try_from(cpr_domain::review::snapshot::CURRENT_FORMAT).map_err(StoreError::corrupt)?;
    let mut update = reviews::Entity::update_many()
        .col_expr(reviews::Column::Snapshot, Expr::value(snapshot))
        .col_expr(reviews::Column::SnapshotFormat, Expr::value(format))
        .col_expr(
            reviews::Column::AuditSeq,
            Expr::value(i64::try_from(record.audit.seq).map_err(StoreError::corrupt)?),
        )
        .col_expr(
            reviews::Column::AuditHead,
            Expr::value((record.audit.seq > 0).then(|| record.audit.hash.clone())),
        );
    for (column, value) in crate::reviews::summary_columns(summary) {
        update = update.col_expr(column, value);
    }
    update
        .filter(reviews::Column::Id.eq(record.review.id.as_uuid()))
        .exec(tx)
        .await?;
    Ok(())
}

/// The norms of every recommendation as rows, and its implementation updates counted.
async fn rebuild_recommendation_projections(tx: &DatabaseTransaction) -> Result<(), StoreError> {
    let updates = recommendation_updates::Entity::find()
        .order_by_asc(recommendation_updates::Column::CreatedAt)
        .all(tx)
        .await?;
    let mut per_recommendation: BTreeMap<(uuid::Uuid, i32), (i32, OffsetDateTime)> =
        BTreeMap::new();
    for update in updates {
        let entry = per_recommendation
            .entry((update.review_id, update.number))
            .or_insert((0, update.created_at));
        entry.0 += 1;
        entry.1 = Ord::max(entry.1, update.created_at);
    }
    let rows = recommendations::Entity::find().all(tx).await?;
    let mut norms = Vec::new();
    let mut tags = Vec::new();
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        entries.push(crate::search::recommendation_entry(
            row.review_id,
            row.number,
            row.cycle_id,
            &row.state_code,
            row.issued_at,
            &row.text,
        ));
        let codes: Vec<Norm> = crate::from_json(&row.norms, "recommendation norms")?;
        for norm in codes {
            norms.push(recommendation_norms::ActiveModel {
                review_id: Set(row.review_id),
                number: Set(row.number),
                norm: Set(norm.code().to_owned()),
            });
        }
        let sectors: Vec<Sector> = crate::from_json(&row.sectors, "recommendation sectors")?;
        let groups: Vec<AffectedGroup> = crate::from_json(&row.groups, "recommendation groups")?;
        tags.extend(crate::recommendations::tag_rows(
            row.review_id,
            row.number,
            &sectors,
            &groups,
        ));
        let (count, last) = per_recommendation
            .get(&(row.review_id, row.number))
            .map_or((0, None), |(count, last)| (*count, Some(*last)));
        recommendations::Entity::update_many()
            .col_expr(recommendations::Column::UpdatesCount, Expr::value(count))
            .col_expr(recommendations::Column::LastUpdateAt, Expr::value(last))
            .filter(recommendations::Column::ReviewId.eq(row.review_id))
            .filter(recommendations::Column::Number.eq(row.number))
            .exec(tx)
            .await?;
    }
    for chunk in norms.chunks(300) {
        recommendation_norms::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    for chunk in tags.chunks(300) {
        recommendation_tags::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    crate::search::insert_entries(tx, entries).await
}
