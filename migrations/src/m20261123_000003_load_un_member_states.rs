//! Loads the 193 UN member states (ISO 3166-1 alpha-3 code, name, UN regional group)
//! shipped with cpr in `migrations/data/un-member-states.csv`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::sea_query::{OnConflict, Query};

use crate::m20261123_000001_create_registers::States;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000003_load_un_member_states"
    }
}

const UN_MEMBER_STATES: &str = include_str!("../data/un-member-states.csv");

/// One row of the CSV: code, name and group. Names may be quoted and contain commas
/// ("Micronesia, Federated States of").
fn parse_row(line: &str) -> Option<(&str, String, &str)> {
    let (code, rest) = line.split_once(',')?;
    let (name, group) = rest.rsplit_once(',')?;
    let name = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .map_or_else(|| name.to_owned(), |n| n.replace("\"\"", "\""));
    Some((code, name, group))
}

pub fn un_member_states() -> Vec<(&'static str, String, &'static str)> {
    UN_MEMBER_STATES
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(parse_row)
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let rows = un_member_states();
        if rows.len() != 193 {
            return Err(DbErr::Migration(format!(
                "un-member-states.csv holds {} states, expected 193",
                rows.len()
            )));
        }
        // A group name is stored as its stable code, as the API uses it.
        let mut insert = Query::insert();
        insert
            .into_table(States::Table)
            .columns([States::Code, States::Name, States::RegionalGroup])
            .on_conflict(OnConflict::column(States::Code).do_nothing().to_owned());
        for (code, name, group) in rows {
            let group_code = group_code(group).ok_or_else(|| {
                DbErr::Migration(format!("unknown regional group {group:?} for {code}"))
            })?;
            insert.values_panic([code.into(), name.into(), group_code.into()]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let codes: Vec<&str> = un_member_states()
            .into_iter()
            .map(|(code, _, _)| code)
            .collect();
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(States::Table)
                    .and_where(Expr::col(States::Code).is_in(codes))
                    .to_owned(),
            )
            .await
    }
}

/// The stable code of a UN regional group, as the domain crate defines it. Duplicated
/// here on purpose: a migration must keep producing the same rows even if the domain's
/// vocabulary later grows.
fn group_code(name: &str) -> Option<&'static str> {
    Some(match name {
        "African States" => "african_states",
        "Asia-Pacific States" => "asia_pacific_states",
        "Eastern European States" => "eastern_european_states",
        "Latin American and Caribbean States" => "latin_american_and_caribbean_states",
        "Western European and Other States" => "western_european_and_other_states",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_holds_193_states_with_known_groups() {
        let rows = un_member_states();
        assert_eq!(rows.len(), 193);
        assert!(
            rows.iter()
                .all(|(code, _, group)| code.len() == 3 && group_code(group).is_some())
        );
        let micronesia = rows.iter().find(|(code, _, _)| *code == "FSM").unwrap();
        assert_eq!(micronesia.1, "Micronesia, Federated States of");
    }
}
