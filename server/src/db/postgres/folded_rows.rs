//! Merges the rows of [`gocua_domain::figures::fold`] into the kept figures,
//! each by its own rule: daily sums add, month and day bits are OR-ed, the
//! earliest first visit and basic skills win, and so does the latest visit
//! (by time, then id). A few multi-row statements for a whole fold, made
//! under [`super::Lock::Fold`] ([`super::aggregates`]).

use super::aggregates::DAY_COLUMNS;
use super::Tx;
use crate::db::basic_skill_columns::{basic_columns, BASIC_SKILLS};
use crate::db::DbResult;
use gocua_domain::figures::Folded;
use sqlx::{Postgres, QueryBuilder};

/// Rows per statement: each binds at most [`MOST_VALUES_PER_ROW`] values.
const ROWS_PER_STATEMENT: usize = 1000;
/// The most values a row binds (`household_months`).
const MOST_VALUES_PER_ROW: usize = 6 + 2 * DAY_COLUMNS;
const _: () = assert!(
    ROWS_PER_STATEMENT * MOST_VALUES_PER_ROW <= u16::MAX as usize,
    "PostgreSQL takes at most 65,535 bound values a statement"
);

/// Merges `folded` into the kept figures.
pub(super) async fn merge(tx: &mut Tx, folded: &Folded) -> DbResult<()> {
    let days: Vec<_> = folded.days.iter().collect();
    for chunk in days.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Postgres>::new(
            "INSERT INTO visit_days AS d (commune_id, day, team_id, author_id, village_id, doors, officials, pupils,
                                          adults, elderly, workers) ",
        );
        insert.push_values(chunk, |mut row, (key, sums)| {
            row.push_bind(key.commune_id)
                .push_bind(key.day)
                .push_bind(key.team_id)
                .push_bind(key.author_id)
                .push_bind(key.village_id)
                .push_bind(sums.doors);
            for people in sums.people {
                row.push_bind(people);
            }
        });
        insert.push(
            " ON CONFLICT (commune_id, day, team_id, author_id, village_id) DO UPDATE SET
                 doors = d.doors + excluded.doors, officials = d.officials + excluded.officials,
                 pupils = d.pupils + excluded.pupils, adults = d.adults + excluded.adults,
                 elderly = d.elderly + excluded.elderly, workers = d.workers + excluded.workers",
        );
        insert.build().execute(&mut **tx).await?;
    }

    let skills: Vec<_> = folded.skills.iter().collect();
    for chunk in skills.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Postgres>::new(
            "INSERT INTO skill_days AS d (commune_id, day, team_id, code, guided, completed) ",
        );
        insert.push_values(chunk, |mut row, (key, sums)| {
            row.push_bind(key.commune_id)
                .push_bind(key.day)
                .push_bind(key.team_id)
                .push_bind(key.code.clone())
                .push_bind(sums.guided)
                .push_bind(sums.completed);
        });
        insert.push(
            " ON CONFLICT (commune_id, day, team_id, code) DO UPDATE SET
                 guided = d.guided + excluded.guided, completed = d.completed + excluded.completed",
        );
        insert.build().execute(&mut **tx).await?;
    }

    let years: Vec<_> = folded.years.iter().collect();
    let day_columns = |prefix: &str| (0..DAY_COLUMNS).map(|c| format!(", {prefix}days_{c}")).collect::<String>();
    let or_days = (0..DAY_COLUMNS)
        .map(|c| {
            format!(
                ", days_{c} = m.days_{c} | excluded.days_{c}, guided_days_{c} = m.guided_days_{c} | excluded.guided_days_{c}"
            )
        })
        .collect::<String>();
    for chunk in years.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Postgres>::new(format!(
            "INSERT INTO household_months AS m (household_id, scope_team, commune_id, year, months, guided_months{}{}) ",
            day_columns(""),
            day_columns("guided_")
        ));
        insert.push_values(chunk, |mut row, ((scope, year), bits)| {
            row.push_bind(scope.household_id.clone())
                .push_bind(scope.scope_team)
                .push_bind(bits.commune_id)
                .push_bind(i64::from(*year))
                .push_bind(bits.months)
                .push_bind(bits.guided_months);
            for days in bits.days.into_iter().chain(bits.guided_days) {
                row.push_bind(days);
            }
        });
        insert.push(format!(
            " ON CONFLICT (household_id, scope_team, year) DO UPDATE SET
                 months = m.months | excluded.months, guided_months = m.guided_months | excluded.guided_months{or_days}"
        ));
        insert.build().execute(&mut **tx).await?;
    }

    let progress: Vec<_> = folded.progress.iter().collect();
    let merge_progress = merge_progress();
    for chunk in progress.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Postgres>::new(format!(
            "INSERT INTO household_progress AS p (household_id, scope_team, commune_id, village_id, first_visit_at,
                 {}, target_at, last_visit_id, last_visit_at, due_on, reason, owner_id, owner_team) ",
            basic_columns("")
        ));
        insert.push_values(chunk, |mut row, (scope, progress)| {
            row.push_bind(scope.household_id.clone())
                .push_bind(scope.scope_team)
                .push_bind(progress.commune_id)
                .push_bind(progress.village_id)
                .push_bind(progress.first_visit_at);
            for at in progress.basic_at {
                row.push_bind(at);
            }
            let latest = progress.latest.as_ref();
            row.push_bind(progress.target_at())
                .push_bind(latest.map(|latest| latest.visit_id.clone()))
                .push_bind(latest.map(|latest| latest.at))
                .push_bind(latest.and_then(|latest| latest.due_on))
                .push_bind(latest.map(|latest| latest.reason.clone()))
                .push_bind(latest.map(|latest| latest.owner_id))
                .push_bind(latest.and_then(|latest| latest.owner_team));
        });
        insert.push(&merge_progress);
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The upsert clause that merges a folded progress row into the kept one
/// (`p`). Every expression of an upsert reads the kept row's old values, so
/// the target is computed from the merged basic skills written out again.
/// LEAST and GREATEST pass over NULLs: a time known on one side wins.
fn merge_progress() -> String {
    let merged = |k: usize| format!("LEAST(p.basic{k}_at, excluded.basic{k}_at)");
    let basics = (0..BASIC_SKILLS).map(|k| format!("basic{k}_at = {}", merged(k))).collect::<Vec<_>>().join(", ");
    let all_done = (0..BASIC_SKILLS).map(|k| format!("{} IS NOT NULL", merged(k))).collect::<Vec<_>>().join(" AND ");
    let last_done = (0..BASIC_SKILLS).map(merged).collect::<Vec<_>>().join(", ");
    // Ties by id in byte order, as the fold's `LatestVisit::is_after` compares them.
    let newer = "excluded.last_visit_at IS NOT NULL AND (p.last_visit_at IS NULL OR excluded.last_visit_at > p.last_visit_at
                 OR (excluded.last_visit_at = p.last_visit_at AND excluded.last_visit_id COLLATE \"C\" > p.last_visit_id))";
    let latest = ["last_visit_id", "last_visit_at", "due_on", "reason", "owner_id", "owner_team"]
        .map(|column| format!("{column} = CASE WHEN {newer} THEN excluded.{column} ELSE p.{column} END"))
        .join(", ");
    format!(
        " ON CONFLICT (household_id, scope_team) DO UPDATE SET
             village_id = excluded.village_id, first_visit_at = LEAST(p.first_visit_at, excluded.first_visit_at),
             {basics}, target_at = CASE WHEN {all_done} THEN GREATEST({last_done}) END, {latest}"
    )
}
