//! Pages of a list, by keyset: a page ends with the sort key of its last item, and the
//! next page starts strictly after it (`WHERE (a, b) > (?, ?) ORDER BY a, b LIMIT n`),
//! so a page costs the same wherever it is in the list and no item is skipped or
//! repeated when items are added meanwhile.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;

use crate::StoreError;

/// The most items a page may hold, and how many it holds unless asked otherwise.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

/// Which page of a list to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// 1 to [`MAX_PAGE`].
    pub limit: u32,
    /// Where the previous page ended; the first page when `None`.
    pub after: Option<Cursor>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_PAGE,
            after: None,
        }
    }
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: u32) -> Self {
        Self { limit, after: None }
    }

    /// Reads one more item than the page holds: whether it exists says if there is a
    /// next page.
    pub(crate) fn fetch(&self) -> u64 {
        u64::from(self.limit) + 1
    }
}

/// One page of a list and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// The page from up to `limit + 1` rows read in order, `key` giving a row's cursor.
    pub(crate) fn from_rows<R>(
        mut rows: Vec<R>,
        request: &PageRequest,
        key: impl Fn(&R) -> Cursor,
        item: impl FnMut(R) -> Result<T, StoreError>,
    ) -> Result<Page<T>, StoreError> {
        let limit = request.limit as usize;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(key)
        } else {
            None
        };
        Ok(Page {
            items: rows.into_iter().map(item).collect::<Result<_, _>>()?,
            next,
        })
    }

    /// The page of a list read in memory: up to `limit + 1` items from where the page
    /// starts, `key` giving an item's cursor.
    pub fn of_listing(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> Cursor) -> Page<T> {
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(key)
        } else {
            None
        };
        Page { items, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

/// A position in a list: the sort key of the last item of a page, opaque to clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor(Vec<String>);

impl Cursor {
    pub fn new(parts: impl IntoIterator<Item = String>) -> Self {
        Self(parts.into_iter().collect())
    }

    /// The text a client sends back (URL-safe).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.join("\u{1f}"))
    }

    /// Reads a cursor written by [`Cursor::encode`]; `None` when it is not one.
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(Self(text.split('\u{1f}').map(str::to_owned).collect()))
    }

    /// The cursor's key, checked against the shape of the list it is used on.
    pub fn parts<const N: usize>(&self) -> Result<[&str; N], StoreError> {
        let parts: Vec<&str> = self.0.iter().map(String::as_str).collect();
        parts.try_into().map_err(|_| StoreError::InvalidCursor)
    }
}

/// Reads one part of a cursor's key.
pub(crate) fn part<T: KeyPart>(text: &str) -> Result<T, StoreError> {
    T::from_part(text).ok_or(StoreError::InvalidCursor)
}

/// A value that can be one part of a cursor's key.
pub(crate) trait KeyPart: Sized {
    fn to_part(&self) -> String;
    fn from_part(text: &str) -> Option<Self>;
}

impl KeyPart for OffsetDateTime {
    fn to_part(&self) -> String {
        self.unix_timestamp_nanos().to_string()
    }
    fn from_part(text: &str) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp_nanos(text.parse().ok()?).ok()
    }
}

impl KeyPart for uuid::Uuid {
    fn to_part(&self) -> String {
        self.to_string()
    }
    fn from_part(text: &str) -> Option<Self> {
        uuid::Uuid::parse_str(text).ok()
    }
}

impl KeyPart for String {
    fn to_part(&self) -> String {
        self.clone()
    }
    fn from_part(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl KeyPart for i64 {
    fn to_part(&self) -> String {
        self.to_string()
    }
    fn from_part(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl KeyPart for i32 {
    fn to_part(&self) -> String {
        self.to_string()
    }
    fn from_part(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

/// A cursor from the parts of a row's sort key.
pub(crate) fn cursor_of(parts: &[&dyn KeyPartDyn]) -> Cursor {
    Cursor::new(parts.iter().map(|p| p.part()))
}

/// [`KeyPart`] as a trait object, for [`cursor_of`].
pub(crate) trait KeyPartDyn {
    fn part(&self) -> String;
}

impl<T: KeyPart> KeyPartDyn for T {
    fn part(&self) -> String {
        self.to_part()
    }
}

/// Orders `select` by `columns` (all in `order`) and, given the previous page's key,
/// keeps only the rows strictly after it.
pub(crate) fn keyset<E, C>(
    select: sea_orm::Select<E>,
    columns: &[(C, SimpleExpr)],
    after: bool,
    order: Order,
) -> sea_orm::Select<E>
where
    E: EntityTrait,
    C: ColumnTrait + Copy,
{
    let mut select = select;
    if after {
        // (a, b, c) > (x, y, z)  ==  a > x OR (a = x AND (b > y OR (b = y AND c > z)))
        let mut condition: Option<Condition> = None;
        for (column, value) in columns.iter().rev() {
            let beyond = match order {
                Order::Desc => Expr::col(*column).lt(value.clone()),
                _ => Expr::col(*column).gt(value.clone()),
            };
            condition = Some(match condition {
                None => Condition::all().add(beyond),
                Some(inner) => Condition::any().add(beyond).add(
                    Condition::all()
                        .add(Expr::col(*column).eq(value.clone()))
                        .add(inner),
                ),
            });
        }
        if let Some(condition) = condition {
            select = select.filter(condition);
        }
    }
    for (column, _) in columns {
        select = select.order_by(*column, order.clone());
    }
    select
}

/// Limits a keyset query to one page (and the one row that tells if more follow).
pub(crate) fn limited<E: EntityTrait>(
    select: sea_orm::Select<E>,
    request: &PageRequest,
) -> sea_orm::Select<E> {
    select.limit(request.fetch())
}
