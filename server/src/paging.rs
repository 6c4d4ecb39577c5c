//! Pages of a newest-first list the API hands out a piece at a time (the
//! audit log, the visits): the size asked for, within bounds, and the next
//! page's cursor, known from one row more than the page holds.

use crate::error::ApiError;

/// The page size asked for (`default` when none), or a `400` outside 1–`max`.
pub fn limit(asked: Option<usize>, default: usize, max: usize) -> Result<usize, ApiError> {
    let limit = asked.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit phải từ 1 đến {max}")));
    }
    Ok(limit)
}

/// A page of `rows`, which were read `limit + 1` at most, and the cursor
/// (`cursor` of its last row) of the next page: `None` exactly on the last
/// page, so it ends with `null` instead of a page of nothing after it.
pub fn split<T, C>(mut rows: Vec<T>, limit: usize, cursor: impl FnOnce(&T) -> C) -> (Vec<T>, Option<C>) {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(cursor) } else { None };
    (rows, next)
}
