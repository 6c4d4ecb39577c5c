//! What an erasure of a household's personal data does to its visits: the
//! note and the follow-up's reason a volunteer wrote may name the person,
//! so both are blanked (the follow-up's date stays). Each live visit that
//! had text gets a new revision, logged under its team and marked as the
//! erasure's, so the phones holding it take the blank one, even over an
//! edit of their own; a deleted visit's text is blanked only.
//!
//! One query text for both engines (`$N` placeholders, which SQLite reads
//! as numbered too). For the visits, `$1` is the household and `$2` its
//! commune; run the log before the blanking, which finds them by the text
//! still there.

/// Erases the household's name, address and phone (`$1` now, `$2` the
/// household, `$3` its commune), unless erased already: then nothing is
/// left to erase, and no new revision goes to the phones.
pub(super) const ERASE_HOUSEHOLD: &str =
    "UPDATE households SET head_name = '', address = '', phone = NULL, consent = FALSE, erased_at = $1,
                           revision = revision + 1, written_by_session = NULL, updated_at = $1
     WHERE id = $2 AND commune_id = $3 AND erased_at IS NULL";

/// A visit whose note or follow-up reason an erasure has to blank.
const HAS_TEXT: &str = "(note <> '' OR COALESCE(follow_up_reason, '') <> '')";

/// Logs a change for each live visit of the household that has text.
pub(super) fn log_visits_with_text() -> String {
    format!(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT commune_id, team_id, author_id, 'visit', id FROM visits
         WHERE household_id = $1 AND commune_id = $2 AND deleted_at IS NULL AND {HAS_TEXT}"
    )
}

/// Blanks the text of every visit of the household, a live one at its next
/// revision, and marks the revision it was blanked at (`Visit::text_erased_revision`):
/// an edit made from an earlier version brings no text back.
pub(super) fn blank_visits_text() -> String {
    format!(
        "UPDATE visits SET note = '', follow_up_reason = CASE WHEN follow_up_reason IS NULL THEN NULL ELSE '' END,
                           revision = CASE WHEN deleted_at IS NULL THEN revision + 1 ELSE revision END,
                           text_erased_revision = CASE WHEN deleted_at IS NULL THEN revision + 1 ELSE revision END,
                           written_by_session = NULL
         WHERE household_id = $1 AND commune_id = $2 AND {HAS_TEXT}"
    )
}
