//! Cycles, their pools and beacons, and the seats their working groups held (counted
//! from the reviews' chains).

use std::collections::{BTreeMap, BTreeSet};

use cpr_domain::calendar::Holidays;
use cpr_domain::verify::{BeaconValue, SeatChange, Seed, seats_held};
use cpr_domain::{Cycle, CycleBeacon, CycleEvent, CycleId, ShortText, StateCode};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter,
    QuerySelect, Set, Statement,
};
use time::{Date, OffsetDateTime};

use crate::audit::{AuditNote, Chain, NewEntry, append, registry_entry};
use crate::entities::{cycle_pool_states, cycles, reviews};
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
use crate::{Store, StoreError, from_json, to_json};

/// A stored cycle. The seed itself appears only once a draw revealed it.
#[derive(Clone, Debug)]
pub struct CycleRecord {
    pub cycle: Cycle,
    pub revealed_seed: Option<Seed>,
    pub created_at: OffsetDateTime,
}

fn beacon(row: &cycles::Model) -> Result<Option<CycleBeacon>, StoreError> {
    let text = |value: &str| ShortText::parse(value).map_err(StoreError::corrupt);
    match (&row.beacon_source, &row.beacon_reference) {
        (None, None) => Ok(None),
        (Some(source), Some(reference)) => Ok(Some(CycleBeacon {
            source: text(source)?,
            reference: text(reference)?,
            value: row
                .beacon_value
                .as_deref()
                .map(|value| BeaconValue::new(value).map_err(StoreError::corrupt))
                .transpose()?,
        })),
        _ => Err(StoreError::corrupt(
            "a cycle's beacon lacks its source or reference",
        )),
    }
}

fn record(row: cycles::Model, pool: BTreeSet<StateCode>) -> Result<CycleRecord, StoreError> {
    let seed = Seed::parse(&row.seed).ok_or_else(|| StoreError::corrupt("cycle seed"))?;
    let holidays: Holidays = from_json(&row.holidays, "cycle holidays")?;
    let beacon = beacon(&row)?;
    Ok(CycleRecord {
        revealed_seed: row.seed_revealed_at.map(|_| seed),
        cycle: Cycle {
            id: CycleId::from_uuid(row.id),
            name: ShortText::parse(row.name).map_err(StoreError::corrupt)?,
            starts_on: row.starts_on,
            pool,
            holidays,
            oversight_session: row.oversight_session,
            rule_version: u32::try_from(row.rule_version).map_err(StoreError::corrupt)?,
            seed_commitment: row.seed_commitment,
            seed_revealed_at: row.seed_revealed_at,
            beacon,
        },
        created_at: row.created_at,
    })
}

fn state_code(text: &str) -> Result<StateCode, StoreError> {
    StateCode::parse(text).map_err(StoreError::corrupt)
}

impl Store {
    /// Records a new cycle with its secret seed, its pool and its opening in the cycle's
    /// own chain.
    pub async fn insert_cycle(
        &self,
        cycle: &Cycle,
        seed: &Seed,
        event: &CycleEvent,
        note: &AuditNote,
    ) -> Result<CycleRecord, StoreError> {
        let tx = self.write().await?;
        cycles::ActiveModel {
            id: Set(cycle.id.as_uuid()),
            name: Set(cycle.name.as_str().to_owned()),
            starts_on: Set(cycle.starts_on),
            holidays: Set(to_json(&cycle.holidays)?),
            rule_version: Set(i32::try_from(cycle.rule_version).map_err(StoreError::corrupt)?),
            seed: Set(seed.as_hex().to_owned()),
            seed_commitment: Set(cycle.seed_commitment.clone()),
            seed_revealed_at: Set(None),
            created_at: Set(note.at),
            oversight_session: Set(cycle.oversight_session),
            beacon_source: Set(cycle.beacon.as_ref().map(|b| b.source.as_str().to_owned())),
            beacon_reference: Set(cycle
                .beacon
                .as_ref()
                .map(|b| b.reference.as_str().to_owned())),
            beacon_value: Set(None),
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::on_unique(e, "cycle_exists", "a cycle with this name already exists")
        })?;
        insert_pool(&tx, cycle.id, &cycle.pool).await?;
        append(&tx, Chain::Cycle(cycle.id), note, vec![cycle_entry(event)?]).await?;
        crate::commit(tx).await?;
        self.cycle(cycle.id).await
    }

    pub async fn cycle(&self, id: CycleId) -> Result<CycleRecord, StoreError> {
        let row = cycles::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pool = cycle_pool_states::Entity::find()
            .filter(cycle_pool_states::Column::CycleId.eq(id.as_uuid()))
            .all(&self.db)
            .await?
            .iter()
            .map(|p| state_code(&p.state_code))
            .collect::<Result<_, _>>()?;
        record(row, pool)
    }

    /// Whether the cycle exists, without reading it.
    pub async fn cycle_exists(&self, id: CycleId) -> Result<(), StoreError> {
        cycles::Entity::find_by_id(id.as_uuid())
            .select_only()
            .column(cycles::Column::Id)
            .into_tuple::<uuid::Uuid>()
            .one(&self.db)
            .await?
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }

    /// A page of the cycles, newest first, each with its pool: two statements whatever
    /// the page's size (the page, then the pools of its cycles).
    ///
    /// "Newest first" is `starts_on` descending; the id breaks ties, descending too, so
    /// that the whole key runs one way and a page starts at `(starts_on, id) < (?, ?)`.
    /// (The unpaged list broke ties by ascending id; cycles rarely share a start date.)
    pub async fn cycles_page(
        &self,
        request: &PageRequest,
    ) -> Result<Page<CycleRecord>, StoreError> {
        let after = match &request.after {
            Some(cursor) => {
                let [day, id] = cursor.parts::<2>()?;
                let day = Date::from_julian_day(part::<i32>(day)?)
                    .map_err(|_| StoreError::InvalidCursor)?;
                Some((day, part::<uuid::Uuid>(id)?))
            }
            None => None,
        };
        let (day, id) = after.unwrap_or((Date::MIN, uuid::Uuid::nil()));
        let select = keyset(
            cycles::Entity::find(),
            &[
                (cycles::Column::StartsOn, Expr::value(day)),
                (cycles::Column::Id, Expr::value(id)),
            ],
            after.is_some(),
            Order::Desc,
        );
        let rows = limited(select, request).all(&self.db).await?;
        // The start date goes in the cursor as its Julian day number.
        let page = Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.starts_on.to_julian_day(), &row.id]),
            Ok,
        )?;
        let mut pools: BTreeMap<uuid::Uuid, BTreeSet<StateCode>> = BTreeMap::new();
        if !page.items.is_empty() {
            let ids: Vec<uuid::Uuid> = page.items.iter().map(|row| row.id).collect();
            for p in cycle_pool_states::Entity::find()
                .filter(cycle_pool_states::Column::CycleId.is_in(ids))
                .all(&self.db)
                .await?
            {
                pools
                    .entry(p.cycle_id)
                    .or_default()
                    .insert(state_code(&p.state_code)?);
            }
        }
        let items = page
            .items
            .into_iter()
            .map(|row| {
                let pool = pools.remove(&row.id).unwrap_or_default();
                record(row, pool)
            })
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// The cycle's seed, secret or not, and its beacon: only draws may use them.
    pub async fn cycle_seed(&self, id: CycleId) -> Result<(Seed, Option<CycleBeacon>), StoreError> {
        let row = cycles::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let seed = Seed::parse(&row.seed).ok_or_else(|| StoreError::corrupt("cycle seed"))?;
        Ok((seed, beacon(&row)?))
    }

    /// Records the value the cycle's beacon published, with its entry in the cycle's
    /// chain. The value is written once (`WHERE beacon_value IS NULL`): of two recordings
    /// at once, the second is told `beacon_value_already_recorded`.
    pub async fn record_beacon(
        &self,
        id: CycleId,
        value: &BeaconValue,
        event: &CycleEvent,
        note: &AuditNote,
    ) -> Result<CycleRecord, StoreError> {
        let tx = self.write().await?;
        let updated = cycles::Entity::update_many()
            .col_expr(cycles::Column::BeaconValue, Expr::value(value.as_str()))
            .filter(cycles::Column::Id.eq(id.as_uuid()))
            .filter(cycles::Column::BeaconSource.is_not_null())
            .filter(cycles::Column::BeaconValue.is_null())
            .exec(&tx)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::Conflict {
                code: "beacon_value_already_recorded",
                message: "the beacon's value is already recorded: it never changes".into(),
            });
        }
        append(&tx, Chain::Cycle(id), note, vec![cycle_entry(event)?]).await?;
        crate::commit(tx).await?;
        self.cycle(id).await
    }

    /// Replaces the pool of a cycle, unless a draw revealed the seed in the meantime.
    pub async fn change_pool(
        &self,
        id: CycleId,
        pool: &BTreeSet<StateCode>,
        event: &CycleEvent,
        note: &AuditNote,
    ) -> Result<CycleRecord, StoreError> {
        let tx = self.write().await?;
        // Checked and held in one statement: the row stays locked (PostgreSQL) until the
        // commit, so neither a draw's reveal nor a beacon value can slip in between.
        let open = cycles::Entity::update_many()
            .col_expr(cycles::Column::Seed, Expr::col(cycles::Column::Seed))
            .filter(cycles::Column::Id.eq(id.as_uuid()))
            .filter(cycles::Column::SeedRevealedAt.is_null())
            .filter(cycles::Column::BeaconValue.is_null())
            .exec(&tx)
            .await?;
        if open.rows_affected == 0 {
            return Err(StoreError::Conflict {
                code: "pool_frozen",
                message: "the pool is frozen: a draw revealed the cycle's seed, or its beacon's value is recorded".into(),
            });
        }
        cycle_pool_states::Entity::delete_many()
            .filter(cycle_pool_states::Column::CycleId.eq(id.as_uuid()))
            .exec(&tx)
            .await?;
        insert_pool(&tx, id, pool).await?;
        append(&tx, Chain::Cycle(id), note, vec![cycle_entry(event)?]).await?;
        crate::commit(tx).await?;
        self.cycle(id).await
    }

    /// The states that have a review in the cycle.
    pub async fn states_with_reviews(
        &self,
        id: CycleId,
    ) -> Result<BTreeSet<StateCode>, StoreError> {
        reviews::Entity::find()
            .select_only()
            .column(reviews::Column::StateCode)
            .filter(reviews::Column::CycleId.eq(id.as_uuid()))
            .into_tuple::<String>()
            .all(&self.db)
            .await?
            .iter()
            .map(|code| state_code(code))
            .collect()
    }

    /// Working-group seats each state holds in the `count` cycles with the latest
    /// `starts_on` strictly before `cycle`'s (ties broken by the greater cycle id), as the
    /// spec counts them ([`seats_held`]) from the hashed entries of those cycles' reviews'
    /// chains: each `working_group_drawn` entry's result, less the members that
    /// `wg_member_substituted` and `wg_member_excused` entries removed. Two statements
    /// (the reviews, then their seat entries, found by the `(kind, chain)` index), the
    /// JSON of each entry cut down in SQL to the states it names.
    pub async fn seats_in_previous_cycles(
        &self,
        cycle: &Cycle,
        count: u64,
    ) -> Result<BTreeMap<StateCode, u32>, StoreError> {
        if count == 0 {
            return Ok(BTreeMap::new());
        }
        let previous = Query::select()
            .column(cycles::Column::Id)
            .from(cycles::Entity)
            .and_where(Expr::col(cycles::Column::StartsOn).lt(cycle.starts_on))
            .order_by(cycles::Column::StartsOn, Order::Desc)
            .order_by(cycles::Column::Id, Order::Desc)
            .limit(count)
            .to_owned();
        let chains: Vec<String> = reviews::Entity::find()
            .select_only()
            .column(reviews::Column::Id)
            .filter(reviews::Column::CycleId.in_subquery(previous))
            .into_tuple::<uuid::Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|id| format!("review/{id}"))
            .collect();
        if chains.is_empty() {
            return Ok(BTreeMap::new());
        }
        let backend = self.db.get_database_backend();
        // Each entry as (chain, kind, a JSON array of the states it names).
        let states = match backend {
            DbBackend::Postgres => {
                "CASE kind WHEN 'working_group_drawn' \
                 THEN (payload::jsonb -> 'record' -> 'result')::text \
                 ELSE jsonb_build_array(payload::jsonb -> 'member')::text END"
            }
            _ => {
                "CASE kind WHEN 'working_group_drawn' \
                 THEN json_extract(payload, '$.record.result') \
                 ELSE json_array(json_extract(payload, '$.member')) END"
            }
        };
        let sql = crate::placeholders_for(
            backend,
            &format!(
                "SELECT chain, kind, {states} AS states FROM audit_entries \
                 WHERE kind IN ('working_group_drawn', 'wg_member_substituted', 'wg_member_excused') \
                 AND chain IN ({})",
                vec!["?"; chains.len()].join(", ")
            ),
        );
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                sql,
                chains.into_iter().map(Into::into),
            ))
            .await?;
        let mut changes = Vec::with_capacity(rows.len());
        for row in rows {
            let chain: String = row.try_get("", "chain")?;
            let kind: String = row.try_get("", "kind")?;
            let states: String = row.try_get("", "states")?;
            let states: Vec<StateCode> = serde_json::from_str::<Vec<String>>(&states)
                .map_err(StoreError::corrupt)?
                .iter()
                .map(|code| state_code(code))
                .collect::<Result<_, _>>()?;
            let change = if kind == "working_group_drawn" {
                SeatChange::Drawn(states)
            } else {
                let [member] = states[..] else {
                    return Err(StoreError::corrupt("a departure names one member"));
                };
                SeatChange::Left(member)
            };
            changes.push((chain, change));
        }
        Ok(seats_held(changes))
    }

    /// Marks the cycle's seed revealed (at the first draw), inside a review transaction.
    pub(crate) async fn reveal_seed(
        tx: &sea_orm::DatabaseTransaction,
        id: CycleId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        cycles::Entity::update_many()
            .col_expr(cycles::Column::SeedRevealedAt, Expr::value(at))
            .filter(cycles::Column::Id.eq(id.as_uuid()))
            .filter(cycles::Column::SeedRevealedAt.is_null())
            .exec(tx)
            .await?;
        Ok(())
    }
}

/// A cycle's events are all public: the pool, the rules and the seed commitment are what
/// the public checks draws against.
fn cycle_entry(event: &CycleEvent) -> Result<NewEntry, StoreError> {
    let payload = serde_json::to_value(event).map_err(StoreError::corrupt)?;
    Ok(registry_entry(event.kind(), payload))
}

async fn insert_pool(
    tx: &sea_orm::DatabaseTransaction,
    id: CycleId,
    pool: &BTreeSet<StateCode>,
) -> Result<(), StoreError> {
    if pool.is_empty() {
        return Ok(());
    }
    cycle_pool_states::Entity::insert_many(pool.iter().map(|state| {
        cycle_pool_states::ActiveModel {
            cycle_id: Set(id.as_uuid()),
            state_code: Set(state.as_str().to_owned()),
        }
    }))
    .exec(tx)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => StoreError::Conflict {
            code: "unknown_state",
            message: "the pool names a state that is not in the register".into(),
        },
        _ => StoreError::from(e),
    })?;
    Ok(())
}
