//! Full-text search over what the public may read: the public text of every published
//! document and the text of every recommendation, one `search_entries` row each,
//! written in the transaction that writes the projection row it indexes
//! (`projections::sync_published`, the adoption's recommendations) and by the rebuild.
//! The index is the database's own: FTS5 on SQLite (`search_fts`, kept in step with the
//! rows by triggers), a generated `tsvector` with a GIN index on PostgreSQL. Only the
//! current version of a document is indexed: an erratum replaces its row, and earlier
//! versions stay readable at the document's own address, not through search.
//!
//! A query is the domain's [`SearchText`], whose terms are written here in the
//! database's syntax, each word quoted, and bound as one parameter: no text of the
//! visitor's reaches the SQL itself. Snippets come back marked with two private-use
//! characters, which the stored text never holds (they are replaced when it is written),
//! and are split into [`SnippetSegment`]s, so that no caller builds markup from them.

use cpr_domain::review::document::Position;
use cpr_domain::search::{SearchTerm, SearchText};
use cpr_domain::{AffectedGroup, CycleId, Norm, ReviewId, Sector, StakeholderKind, StateCode};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Set, Statement, Value,
};
use time::OffsetDateTime;

use crate::entities::search_entries;
use crate::page::{Cursor, Page, PageRequest, part};
use crate::{Store, StoreError};

/// Where a snippet's highlighted words start and end (Unicode private use: no stored
/// text holds them, see [`searchable`]).
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';
/// What `<` and `&` stand in for while PostgreSQL makes a snippet: its parser reads
/// `<...>` as markup and `&...;` as entities, and its snippets leave them out, while a
/// snippet shows the text as it was written (and SQLite's does).
const LESS_THAN: char = '\u{E002}';
const AMPERSAND: char = '\u{E003}';

/// How many words a snippet holds, about.
const SNIPPET_WORDS: u32 = 24;

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchKind {
    Document,
    Recommendation,
}

impl SearchKind {
    pub const fn code(self) -> &'static str {
        match self {
            SearchKind::Document => "document",
            SearchKind::Recommendation => "recommendation",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [SearchKind::Document, SearchKind::Recommendation]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// A search: its text and the filters every hit must meet.
#[derive(Clone, Debug)]
pub struct SearchQuery {
    pub text: SearchText,
    pub cycle: Option<CycleId>,
    pub state: Option<StateCode>,
    pub norm: Option<Norm>,
    pub sector: Option<Sector>,
    pub group: Option<AffectedGroup>,
    /// The state's answer: recommendations only.
    pub response: Option<Position>,
    pub kind: Option<SearchKind>,
}

impl SearchQuery {
    /// A search for `text` with no filter.
    pub fn new(text: SearchText) -> Self {
        Self {
            text,
            cycle: None,
            state: None,
            norm: None,
            sector: None,
            group: None,
            response: None,
            kind: None,
        }
    }
}

/// One published document or recommendation that matches a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    pub review: ReviewId,
    pub cycle: CycleId,
    /// The state under review.
    pub state: StateCode,
    /// When the document was published, or the recommendation issued.
    pub published_at: OffsetDateTime,
    pub found: SearchHitItem,
    /// An excerpt of the text around the words found.
    pub snippet: Vec<SnippetSegment>,
}

/// What a search hit is, with what names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchHitItem {
    /// The current version of a published document.
    Document {
        /// The document's key (`state_report`, `input/<id>`, `compilation`...).
        key: String,
        /// Its kind (`state_report`, `input`, `compilation`...).
        kind: String,
        /// Its current revision.
        revision: u32,
        /// A stakeholder input's stakeholder kind.
        stakeholder_kind: Option<StakeholderKind>,
    },
    /// A recommendation of a working group's adopted report.
    Recommendation {
        number: u32,
        proposed_by: StateCode,
        /// The state's answer, once it gave one.
        response: Option<Position>,
    },
}

/// A piece of a snippet: text as stored (to be escaped by whoever shows it), marked
/// when it is one of the words found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetSegment {
    pub text: String,
    pub highlighted: bool,
}

/// The text as the index keeps it: without the characters that mark snippets.
fn searchable(text: &str) -> String {
    text.replace([MARK_START, MARK_END, LESS_THAN, AMPERSAND], " ")
}

/// The index row of a published document.
pub(crate) fn document_entry(
    review: &cpr_domain::Review,
    document: &str,
    published_at: OffsetDateTime,
    text: &str,
) -> search_entries::ActiveModel {
    search_entries::ActiveModel {
        id: sea_orm::NotSet,
        review_id: Set(review.id.as_uuid()),
        kind: Set(SearchKind::Document.code().to_owned()),
        document: Set(Some(document.to_owned())),
        number: Set(None),
        cycle_id: Set(review.cycle.as_uuid()),
        state_code: Set(review.state.as_str().to_owned()),
        published_at: Set(published_at),
        body: Set(searchable(text)),
    }
}

/// The index row of a recommendation.
pub(crate) fn recommendation_entry(
    review: uuid::Uuid,
    number: i32,
    cycle: uuid::Uuid,
    state: &str,
    issued_at: OffsetDateTime,
    text: &str,
) -> search_entries::ActiveModel {
    search_entries::ActiveModel {
        id: sea_orm::NotSet,
        review_id: Set(review),
        kind: Set(SearchKind::Recommendation.code().to_owned()),
        document: Set(None),
        number: Set(Some(number)),
        cycle_id: Set(cycle),
        state_code: Set(state.to_owned()),
        published_at: Set(issued_at),
        body: Set(searchable(text)),
    }
}

/// Writes index rows inside the transaction of the change.
pub(crate) async fn insert_entries(
    tx: &DatabaseTransaction,
    entries: Vec<search_entries::ActiveModel>,
) -> Result<(), StoreError> {
    // Bodies are long: a few rows per statement keep each statement small.
    for chunk in entries.chunks(50) {
        search_entries::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    Ok(())
}

/// Removes the index rows of documents of `review` that are no longer public or whose
/// current version changed.
pub(crate) async fn forget_documents(
    tx: &DatabaseTransaction,
    review: uuid::Uuid,
    documents: Vec<String>,
) -> Result<(), StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    search_entries::Entity::delete_many()
        .filter(search_entries::Column::ReviewId.eq(review))
        .filter(search_entries::Column::Kind.eq(SearchKind::Document.code()))
        .filter(search_entries::Column::Document.is_in(documents))
        .exec(tx)
        .await?;
    Ok(())
}

/// The terms as an FTS5 query: every term a quoted string (so that no word is read as
/// an operator), all of them required.
fn fts5_query(terms: &[SearchTerm]) -> String {
    let quoted = |word: &str| format!("\"{}\"", word.replace('"', "\"\""));
    terms
        .iter()
        .map(|term| match term {
            SearchTerm::Word(word) => quoted(word),
            SearchTerm::Prefix(word) => format!("{}*", quoted(word)),
            SearchTerm::Phrase(words) => quoted(&words.join(" ")),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The terms as a PostgreSQL `tsquery`: every word a quoted lexeme, all of them
/// required, a phrase's words next to each other.
fn tsquery(terms: &[SearchTerm]) -> String {
    let quoted = |word: &str| format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"));
    terms
        .iter()
        .map(|term| match term {
            SearchTerm::Word(word) => quoted(word),
            SearchTerm::Prefix(word) => format!("{}:*", quoted(word)),
            SearchTerm::Phrase(words) => format!(
                "({})",
                words
                    .iter()
                    .map(|w| quoted(w))
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            ),
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// A statement being written, with its values bound in the backend's placeholders.
struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

/// `AND` the condition that the entry carries a document tag or, for a
/// recommendation, the same in its own table.
fn tagged(sql: &mut Sql, tag: &str, code: &str) {
    sql.push(
        " AND ((e.kind = 'document' AND EXISTS (SELECT 1 FROM published_document_tags t \
         WHERE t.review_id = e.review_id AND t.document = e.document AND t.tag = ",
    )
    .bind(tag)
    .push(" AND t.code = ")
    .bind(code)
    .push(")) OR (e.kind = 'recommendation' AND ");
    if tag == "norm" {
        sql.push(
            "EXISTS (SELECT 1 FROM recommendation_norms n WHERE n.review_id = e.review_id \
             AND n.number = e.number AND n.norm = ",
        )
        .bind(code)
        .push(")))");
    } else {
        sql.push(
            "EXISTS (SELECT 1 FROM recommendation_tags t WHERE t.review_id = e.review_id \
             AND t.number = e.number AND t.tag = ",
        )
        .bind(tag)
        .push(" AND t.code = ")
        .bind(code)
        .push(")))");
    }
}

/// The offset a search's cursor holds.
fn offset_of(request: &PageRequest) -> Result<i64, StoreError> {
    match &request.after {
        None => Ok(0),
        Some(cursor) => {
            let [list, offset] = cursor.parts::<2>()?;
            let offset = part::<i64>(offset)?;
            if list != "search" || offset < 1 {
                return Err(StoreError::InvalidCursor);
            }
            Ok(offset)
        }
    }
}

/// Splits a snippet marked by the database into its plain and highlighted pieces.
fn segments(snippet: &str) -> Vec<SnippetSegment> {
    let mut out: Vec<SnippetSegment> = Vec::new();
    let mut text = String::new();
    let mut highlighted = false;
    let flush = |text: &mut String, highlighted: bool, out: &mut Vec<SnippetSegment>| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.highlighted == highlighted => last.text.push_str(text),
            _ => out.push(SnippetSegment {
                text: text.clone(),
                highlighted,
            }),
        }
        text.clear();
    };
    for c in snippet.chars() {
        match c {
            MARK_START | MARK_END => {
                flush(&mut text, highlighted, &mut out);
                highlighted = c == MARK_START;
            }
            LESS_THAN => text.push('<'),
            AMPERSAND => text.push('&'),
            _ => text.push(c),
        }
    }
    flush(&mut text, highlighted, &mut out);
    out
}

impl Store {
    /// A page of the published documents and recommendations that contain every term of
    /// the query and meet its filters, best match first, each with a highlighted snippet
    /// (two statements, whatever the page).
    ///
    /// Pages go by offset, not by keyset: the order is the database's relevance score
    /// (BM25 on SQLite, `ts_rank` on PostgreSQL), which depends on the whole index and
    /// is computed for every match anyway to sort them, so a keyset would save no work
    /// and would break as soon as a publication moved the scores. The page's size is
    /// bounded (`limit` ≤ 200); ties are ordered by the entry's identity, so the order
    /// is stable between pages while the index does not change.
    pub async fn search(
        &self,
        query: &SearchQuery,
        request: &PageRequest,
    ) -> Result<Page<SearchHit>, StoreError> {
        let backend = self.db.get_database_backend();
        let offset = offset_of(request)?;
        let expression = match backend {
            DbBackend::Postgres => tsquery(query.text.terms()),
            _ => fts5_query(query.text.terms()),
        };
        let mut sql = Sql::new(backend);
        sql.push(
            "SELECT e.id, e.review_id, e.kind, e.document, e.number, e.cycle_id, \
             e.state_code, e.published_at, d.kind AS document_kind, d.revision, \
             d.stakeholder_kind, r.proposed_by, r.position ",
        );
        match backend {
            DbBackend::Postgres => {
                sql.push("FROM search_entries e CROSS JOIN to_tsquery('simple', ")
                    .bind(expression.clone())
                    .push(") q ");
            }
            _ => {
                sql.push("FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid ");
            }
        }
        sql.push(
            "LEFT JOIN published_documents d ON e.kind = 'document' \
             AND d.review_id = e.review_id AND d.document = e.document \
             LEFT JOIN recommendations r ON e.kind = 'recommendation' \
             AND r.review_id = e.review_id AND r.number = e.number WHERE ",
        );
        match backend {
            DbBackend::Postgres => sql.push("e.tsv @@ q"),
            _ => sql.push("search_fts MATCH ").bind(expression.clone()),
        };
        if let Some(cycle) = query.cycle {
            sql.push(" AND e.cycle_id = ").bind(cycle.as_uuid());
        }
        if let Some(state) = query.state {
            sql.push(" AND e.state_code = ").bind(state.as_str());
        }
        if let Some(kind) = query.kind {
            sql.push(" AND e.kind = ").bind(kind.code());
        }
        if let Some(response) = query.response {
            sql.push(" AND r.position = ").bind(response.code());
        }
        for (tag, code) in [
            ("norm", query.norm.map(Norm::code)),
            ("sector", query.sector.map(Sector::code)),
            ("group", query.group.map(AffectedGroup::code)),
        ] {
            if let Some(code) = code {
                tagged(&mut sql, tag, code);
            }
        }
        match backend {
            DbBackend::Postgres => sql.push(" ORDER BY ts_rank(e.tsv, q) DESC"),
            _ => sql.push(" ORDER BY bm25(search_fts)"),
        };
        sql.push(", e.review_id, e.kind, e.document, e.number LIMIT ")
            .bind(i64::from(request.limit) + 1)
            .push(" OFFSET ")
            .bind(offset);
        let rows = self.db.query_all_raw(sql.statement()).await?;

        let mut hits = Vec::with_capacity(rows.len());
        let mut ids = Vec::with_capacity(rows.len());
        for row in rows.iter().take(request.limit as usize) {
            let get_str = |name: &str| row.try_get::<String>("", name).map_err(StoreError::from);
            let get_opt = |name: &str| {
                row.try_get::<Option<String>>("", name)
                    .map_err(StoreError::from)
            };
            let id: i32 = row.try_get("", "id")?;
            let number: Option<i32> = row.try_get("", "number")?;
            let found = match get_str("kind")?.as_str() {
                "document" => SearchHitItem::Document {
                    key: get_opt("document")?.unwrap_or_default(),
                    kind: get_opt("document_kind")?.unwrap_or_default(),
                    revision: row
                        .try_get::<Option<i32>>("", "revision")?
                        .map_or(Ok(0), u32::try_from)
                        .map_err(StoreError::corrupt)?,
                    stakeholder_kind: get_opt("stakeholder_kind")?
                        .as_deref()
                        .map(StakeholderKind::parse)
                        .transpose()
                        .map_err(StoreError::corrupt)?,
                },
                _ => SearchHitItem::Recommendation {
                    number: number
                        .map_or(Ok(0), u32::try_from)
                        .map_err(StoreError::corrupt)?,
                    proposed_by: StateCode::parse(&get_opt("proposed_by")?.unwrap_or_default())
                        .map_err(StoreError::corrupt)?,
                    response: get_opt("position")?.as_deref().and_then(Position::parse),
                },
            };
            ids.push(id);
            hits.push(SearchHit {
                review: ReviewId::from_uuid(row.try_get("", "review_id")?),
                cycle: CycleId::from_uuid(row.try_get("", "cycle_id")?),
                state: StateCode::parse(&get_str("state_code")?).map_err(StoreError::corrupt)?,
                published_at: row.try_get("", "published_at")?,
                found,
                snippet: Vec::new(),
            });
        }
        let next = (rows.len() > request.limit as usize).then(|| {
            Cursor::new([
                "search".to_owned(),
                offset.saturating_add(i64::from(request.limit)).to_string(),
            ])
        });
        if ids.is_empty() {
            return Ok(Page { items: hits, next });
        }

        let mut sql = Sql::new(backend);
        match backend {
            DbBackend::Postgres => {
                let options = format!(
                    "StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, \
                     MinWords={}, MaxFragments=2, FragmentDelimiter=\" … \"",
                    SNIPPET_WORDS / 2
                );
                sql.push("SELECT id, ts_headline('simple', translate(body, '<&', ")
                    .bind(format!("{LESS_THAN}{AMPERSAND}"))
                    .push("), to_tsquery('simple', ")
                    .bind(expression)
                    .push("), ")
                    .bind(options)
                    .push(") AS snippet FROM search_entries WHERE id IN (");
            }
            _ => {
                sql.push("SELECT rowid AS id, snippet(search_fts, 0, ")
                    .bind(MARK_START.to_string())
                    .push(", ")
                    .bind(MARK_END.to_string())
                    .push(", '…', ")
                    .bind(i64::from(SNIPPET_WORDS))
                    .push(") AS snippet FROM search_fts WHERE search_fts MATCH ")
                    .bind(expression)
                    .push(" AND rowid IN (");
            }
        }
        for (n, id) in ids.iter().enumerate() {
            if n > 0 {
                sql.push(", ");
            }
            sql.bind(*id);
        }
        sql.push(")");
        let mut snippets = std::collections::BTreeMap::new();
        for row in self.db.query_all_raw(sql.statement()).await? {
            let id: i32 = row.try_get("", "id")?;
            let snippet: String = row.try_get("", "snippet")?;
            snippets.insert(id, segments(&snippet));
        }
        for (hit, id) in hits.iter_mut().zip(&ids) {
            hit.snippet = snippets.remove(id).unwrap_or_default();
        }
        Ok(Page { items: hits, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<SearchTerm> {
        SearchText::parse(text)
            .map(|t| t.terms().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn every_term_is_quoted_in_both_syntaxes() {
        let query = terms("\"critical infrastructure\" health* it's");
        assert_eq!(
            fts5_query(&query),
            "\"critical infrastructure\" \"health\"* \"it\" \"s\""
        );
        assert_eq!(
            tsquery(&query),
            "('critical' <-> 'infrastructure') & 'health':* & 'it' & 's'"
        );
        assert_eq!(fts5_query(&terms("NEAR x")), "\"x\"");
    }

    #[test]
    fn a_snippet_splits_into_plain_and_highlighted_segments() {
        let plain = |t: &str| SnippetSegment {
            text: t.to_owned(),
            highlighted: false,
        };
        let marked = |t: &str| SnippetSegment {
            text: t.to_owned(),
            highlighted: true,
        };
        assert_eq!(
            segments("a <b> \u{E000}word\u{E001} and \u{E000}more\u{E001}\u{E000}x\u{E001}"),
            vec![
                plain("a <b> "),
                marked("word"),
                plain(" and "),
                marked("morex")
            ]
        );
        assert_eq!(segments(""), vec![]);
        assert_eq!(searchable("x\u{E000}y\u{E001}\u{E002}\u{E003}"), "x y   ");
        assert_eq!(segments("\u{E002}b>\u{E003}amp;"), vec![plain("<b>&amp;")]);
    }
}
