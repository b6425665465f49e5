//! The search index of the read side: one row per published document (its public text)
//! and per recommendation (its text), in `search_entries`, with the database's own full
//! text index over it: on SQLite an FTS5 table whose content is `search_entries`, kept
//! in step by triggers (so in the transaction of the row's write); on PostgreSQL a
//! generated `tsvector` column with a GIN index. Both use no language's stemming or stop
//! words (PostgreSQL's `simple` configuration, FTS5's `unicode61` without removing
//! diacritics, which `simple` keeps too): documents come in every language of the UN,
//! one document's language is not recorded, and a stemmer of one language mangles the
//! others; so words match as written, case aside, and alike on both databases. The
//! store fills the rows (`PROJECTIONS_VERSION` 3 rebuilds them).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000013_create_search"
    }
}

#[derive(DeriveIden)]
enum SearchEntries {
    Table,
    Id,
    ReviewId,
    Kind,
    Document,
    Number,
    CycleId,
    StateCode,
    PublishedAt,
    Body,
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
}

const SQLITE_INDEX: [&str; 4] = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_entries', \
     content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entries_insert AFTER INSERT ON search_entries BEGIN \
     INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_entries_delete AFTER DELETE ON search_entries BEGIN \
     INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER search_entries_update AFTER UPDATE ON search_entries BEGIN \
     INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); \
     INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
];

/// ASCII's punctuation: separators of words for FTS5's `unicode61`, while PostgreSQL's
/// parser reads some of them as parts of other tokens (`<...>` as markup, `&...;` as an
/// entity, `a/b` as a path, `a@b.c` as an address, `1.2` as a number) and leaves markup
/// and entities out. Indexed as spaces, both databases see the same words at the same
/// positions.
const ASCII_PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

fn postgres_index() -> [String; 2] {
    let spaces = " ".repeat(ASCII_PUNCTUATION.len());
    let punctuation = ASCII_PUNCTUATION.replace('\'', "''");
    [
        format!(
            "ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS \
             (to_tsvector('simple', translate(body, '{punctuation}', '{spaces}'))) STORED"
        ),
        "CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv)".to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchEntries::Table)
                    .col(pk_auto(SearchEntries::Id))
                    .col(uuid(SearchEntries::ReviewId))
                    // `document` or `recommendation`.
                    .col(string(SearchEntries::Kind))
                    // The document's key, for a document.
                    .col(string_null(SearchEntries::Document))
                    // The recommendation's number, for a recommendation.
                    .col(integer_null(SearchEntries::Number))
                    .col(uuid(SearchEntries::CycleId))
                    .col(string(SearchEntries::StateCode))
                    .col(timestamp_with_time_zone(SearchEntries::PublishedAt))
                    .col(text(SearchEntries::Body))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SearchEntries::Table, SearchEntries::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A change replaces the rows of the documents it republishes.
        manager
            .create_index(
                Index::create()
                    .name("search_entries_by_item")
                    .table(SearchEntries::Table)
                    .col(SearchEntries::ReviewId)
                    .col(SearchEntries::Kind)
                    .col(SearchEntries::Document)
                    .col(SearchEntries::Number)
                    .to_owned(),
            )
            .await?;
        let statements: Vec<String> = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE_INDEX.map(str::to_owned).to_vec(),
            DbBackend::Postgres => postgres_index().to_vec(),
            _ => Vec::new(),
        };
        for statement in &statements {
            manager
                .get_connection()
                .execute_unprepared(statement)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared("DROP TABLE search_fts")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SearchEntries::Table).to_owned())
            .await
    }
}
