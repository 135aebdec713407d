//! Keyset pagination, shared by every list. No OFFSET: a page is "the rows after
//! (or before) this sort key and id", which stays fast and stable on large tables.
//!
//! Cursors are opaque to clients: base64url of a small JSON object naming the
//! ordering, the sort key and the row id. A cursor of another ordering is refused.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Select, Value};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

/// Most items one page may hold.
pub const MAX_PAGE_SIZE: u64 = 100;

/// Which way a page reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `first` / `after`.
    Forward,
    /// `last` / `before`.
    Backward,
}

/// A decoded cursor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Ordering tag, e.g. `org:name:asc`.
    #[serde(rename = "o")]
    pub order: String,
    /// Sort key as text.
    #[serde(rename = "k")]
    pub key: String,
    /// Row id (tie-breaker).
    #[serde(rename = "i", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
}

impl Cursor {
    /// Encodes for a client.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Decodes a client's cursor.
    pub fn decode(text: &str) -> Result<Self, ApiError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| ApiError::InvalidCursor("not a cursor of this API".to_owned()))?;
        serde_json::from_slice(&bytes).map_err(|_| ApiError::InvalidCursor("not a cursor of this API".to_owned()))
    }
}

/// A validated page request.
#[derive(Clone, Debug)]
pub struct PageRequest {
    /// Number of items wanted.
    pub limit: u64,
    /// Which way.
    pub direction: Direction,
    /// Start after (forward) or before (backward) this cursor.
    pub cursor: Option<Cursor>,
}

impl PageRequest {
    /// Validates Relay arguments: exactly one of `first`/`last`, 0..=100, `after`
    /// only with `first` and `before` only with `last`.
    pub fn from_args(first: Option<i32>, after: Option<&str>, last: Option<i32>, before: Option<&str>) -> Result<Self, ApiError> {
        let bad = |m: &str| Err(ApiError::BadUserInput(m.to_owned()));
        let (limit, direction, cursor) = match (first, last) {
            (Some(_), Some(_)) => return bad("pass either `first` or `last`, not both"),
            (None, None) => return bad("pass `first` or `last` (at most 100) to page through this list"),
            (Some(n), None) => {
                if before.is_some() {
                    return bad("`before` goes with `last`; use `after` with `first`");
                }
                (n, Direction::Forward, after)
            }
            (None, Some(n)) => {
                if after.is_some() {
                    return bad("`after` goes with `first`; use `before` with `last`");
                }
                (n, Direction::Backward, before)
            }
        };
        let limit = u64::try_from(limit).ok().filter(|n| *n <= MAX_PAGE_SIZE);
        let Some(limit) = limit else {
            return bad("`first` and `last` must be between 0 and 100");
        };
        let cursor = cursor.map(Cursor::decode).transpose()?;
        Ok(Self { limit, direction, cursor })
    }

    /// The cursor, checked to belong to `order`.
    pub fn cursor_for(&self, order: &str) -> Result<Option<&Cursor>, ApiError> {
        match &self.cursor {
            Some(c) if c.order != order => Err(ApiError::InvalidCursor("the cursor belongs to another ordering or list".to_owned())),
            other => Ok(other.as_ref()),
        }
    }
}

/// One page of results with their cursors.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The items with their cursors, in the requested order.
    pub items: Vec<(String, T)>,
    /// More items follow the last one.
    pub has_next_page: bool,
    /// Items precede the first one.
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched items (in reading order).
    pub fn from_fetched(mut items: Vec<(String, T)>, request: &PageRequest) -> Self {
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let more = items.len() > limit;
        items.truncate(limit);
        let after_cursor = request.cursor.is_some();
        match request.direction {
            Direction::Forward => Self { items, has_next_page: more, has_previous_page: after_cursor },
            Direction::Backward => {
                items.reverse();
                Self { items, has_next_page: after_cursor, has_previous_page: more }
            }
        }
    }
}

/// How a keyset list is sorted.
pub struct Keyset<C> {
    /// Ordering tag written into cursors.
    pub tag: String,
    /// Sort column.
    pub sort: C,
    /// Tie-breaker column (the primary key).
    pub id: C,
    /// Ascending?
    pub ascending: bool,
}

/// Runs `select` as one keyset page. `key_of` gives a row's sort key as text and
/// `value_of` turns a cursor's key text back into a SQL value (None: malformed).
pub async fn paginate<E, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    keyset: &Keyset<C>,
    request: &PageRequest,
    key_of: impl Fn(&E::Model) -> (String, Uuid),
    value_of: impl Fn(&str) -> Option<Value>,
) -> Result<Page<E::Model>, ApiError>
where
    E: EntityTrait,
    C: ColumnTrait + Copy,
{
    let ascending = keyset.ascending == (request.direction == Direction::Forward);
    let mut select = select;
    if let Some(cursor) = request.cursor_for(&keyset.tag)? {
        let key = value_of(&cursor.key).ok_or_else(|| ApiError::InvalidCursor("malformed sort key".to_owned()))?;
        let id = cursor.id.ok_or_else(|| ApiError::InvalidCursor("missing row id".to_owned()))?;
        let condition = if ascending {
            Condition::any().add(keyset.sort.gt(key.clone())).add(Condition::all().add(keyset.sort.eq(key)).add(keyset.id.gt(id)))
        } else {
            Condition::any().add(keyset.sort.lt(key.clone())).add(Condition::all().add(keyset.sort.eq(key)).add(keyset.id.lt(id)))
        };
        select = select.filter(condition);
    }
    let order = if ascending { Order::Asc } else { Order::Desc };
    let rows = select.order_by(keyset.sort, order.clone()).order_by(keyset.id, order).limit(request.limit + 1).all(db).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let (key, id) = key_of(&row);
            (Cursor { order: keyset.tag.clone(), key, id: Some(id) }.encode(), row)
        })
        .collect();
    Ok(Page::from_fetched(items, request))
}

/// The `value_of` of [`paginate`] for keys that are RFC 3339 timestamps
/// (`created_at` orders): None for a key that is not one.
pub fn time_key(key: &str) -> Option<sea_orm::Value> {
    chrono::DateTime::parse_from_rfc3339(key).ok().map(|t| sea_orm::Value::from(t.to_utc()))
}

/// Pages through an in-memory list sorted by a unique text key (e.g. country codes).
pub fn paginate_slice<T: Clone>(items: &[T], tag: &str, key_of: impl Fn(&T) -> String, request: &PageRequest) -> Result<Page<T>, ApiError> {
    let cursor_key = request.cursor_for(tag)?.map(|c| c.key.clone());
    let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
    let fetched: Vec<(String, T)> = match request.direction {
        Direction::Forward => items
            .iter()
            .filter(|item| cursor_key.as_ref().is_none_or(|k| key_of(item) > *k))
            .take(limit + 1)
            .cloned()
            .map(|item| (Cursor { order: tag.to_owned(), key: key_of(&item), id: None }.encode(), item))
            .collect(),
        Direction::Backward => items
            .iter()
            .rev()
            .filter(|item| cursor_key.as_ref().is_none_or(|k| key_of(item) < *k))
            .take(limit + 1)
            .cloned()
            .map(|item| (Cursor { order: tag.to_owned(), key: key_of(&item), id: None }.encode(), item))
            .collect(),
    };
    Ok(Page::from_fetched(fetched, request))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_arguments_are_checked() {
        assert!(PageRequest::from_args(None, None, None, None).is_err());
        assert!(PageRequest::from_args(Some(1), None, Some(1), None).is_err());
        assert!(PageRequest::from_args(Some(101), None, None, None).is_err());
        assert!(PageRequest::from_args(Some(-1), None, None, None).is_err());
        assert!(PageRequest::from_args(Some(10), None, None, Some("x")).is_err());
        assert!(matches!(PageRequest::from_args(Some(10), Some("%%%"), None, None), Err(ApiError::InvalidCursor(_))));
        let ok = PageRequest::from_args(None, None, Some(100), None).expect("valid");
        assert_eq!((ok.limit, ok.direction), (100, Direction::Backward));
    }

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_ordering() {
        let c = Cursor { order: "org:name:asc".to_owned(), key: "Amani".to_owned(), id: Some(Uuid::nil()) };
        let text = c.encode();
        assert_eq!(Cursor::decode(&text).expect("decodes"), c);
        let request = PageRequest::from_args(Some(5), Some(&text), None, None).expect("valid");
        assert!(request.cursor_for("org:name:asc").is_ok());
        assert!(matches!(request.cursor_for("org:created:asc"), Err(ApiError::InvalidCursor(_))));
    }

    #[test]
    fn slices_page_both_ways() {
        let items: Vec<String> = ["A", "B", "C", "D", "E"].iter().map(|s| (*s).to_owned()).collect();
        let first = PageRequest::from_args(Some(2), None, None, None).expect("valid");
        let page = paginate_slice(&items, "t", Clone::clone, &first).expect("page");
        assert_eq!(page.items.iter().map(|(_, i)| i.as_str()).collect::<Vec<_>>(), ["A", "B"]);
        assert!(page.has_next_page && !page.has_previous_page);
        let next = PageRequest::from_args(Some(2), Some(&page.items[1].0), None, None).expect("valid");
        let page2 = paginate_slice(&items, "t", Clone::clone, &next).expect("page");
        assert_eq!(page2.items.iter().map(|(_, i)| i.as_str()).collect::<Vec<_>>(), ["C", "D"]);
        let back = PageRequest::from_args(None, None, Some(2), Some(&page2.items[0].0)).expect("valid");
        let page3 = paginate_slice(&items, "t", Clone::clone, &back).expect("page");
        assert_eq!(page3.items.iter().map(|(_, i)| i.as_str()).collect::<Vec<_>>(), ["A", "B"]);
        assert!(!page3.has_previous_page && page3.has_next_page);
    }
}
