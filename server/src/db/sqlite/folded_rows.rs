//! Merges the rows of [`gocua_domain::figures::fold`] into the kept figures,
//! each by its own rule: daily sums add, month and day bits are OR-ed, the
//! earliest first visit and basic skills win, and so does the latest visit
//! (by time, then id). A few multi-row statements for a whole fold.

use super::aggregates::DAY_COLUMNS;
use super::records::Tx;
use crate::db::DbResult;
use gocua_domain::figures::Folded;
use sqlx::{QueryBuilder, Sqlite};

/// Rows per statement: each binds at most 18 values, far below SQLite's limit.
const ROWS_PER_STATEMENT: usize = 500;

/// Merges `folded` into the kept figures.
pub(super) async fn merge(tx: &mut Tx<'_>, folded: &Folded) -> DbResult<()> {
    let days: Vec<_> = folded.days.iter().collect();
    for chunk in days.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO visit_days (commune_id, day, team_id, author_id, village_id, doors, officials, pupils, adults,
                                     elderly, workers) ",
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
                 doors = doors + excluded.doors, officials = officials + excluded.officials,
                 pupils = pupils + excluded.pupils, adults = adults + excluded.adults,
                 elderly = elderly + excluded.elderly, workers = workers + excluded.workers",
        );
        insert.build().execute(&mut **tx).await?;
    }

    let skills: Vec<_> = folded.skills.iter().collect();
    for chunk in skills.chunks(ROWS_PER_STATEMENT) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO skill_days (commune_id, day, team_id, code, guided, completed) ");
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
                 guided = guided + excluded.guided, completed = completed + excluded.completed",
        );
        insert.build().execute(&mut **tx).await?;
    }

    let years: Vec<_> = folded.years.iter().collect();
    let day_columns = |prefix: &str| (0..DAY_COLUMNS).map(|c| format!(", {prefix}days_{c}")).collect::<String>();
    let or_days = (0..DAY_COLUMNS)
        .map(|c| format!(", days_{c} = days_{c} | excluded.days_{c}, guided_days_{c} = guided_days_{c} | excluded.guided_days_{c}"))
        .collect::<String>();
    for chunk in years.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO household_months (household_id, scope_team, commune_id, year, months, guided_months{}{}) ",
            day_columns(""),
            day_columns("guided_")
        ));
        insert.push_values(chunk, |mut row, ((scope, year), bits)| {
            row.push_bind(scope.household_id.clone())
                .push_bind(scope.scope_team)
                .push_bind(bits.commune_id)
                .push_bind(year)
                .push_bind(bits.months)
                .push_bind(bits.guided_months);
            for days in bits.days.into_iter().chain(bits.guided_days) {
                row.push_bind(days);
            }
        });
        insert.push(format!(
            " ON CONFLICT (household_id, scope_team, year) DO UPDATE SET
                 months = months | excluded.months, guided_months = guided_months | excluded.guided_months{or_days}"
        ));
        insert.build().execute(&mut **tx).await?;
    }

    let progress: Vec<_> = folded.progress.iter().collect();
    let merge_progress = merge_progress();
    for chunk in progress.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO household_progress (household_id, scope_team, commune_id, village_id, first_visit_at,
                 basic0_at, basic1_at, basic2_at, basic3_at, basic4_at, target_at,
                 last_visit_id, last_visit_at, due_on, reason, owner_id, owner_team) ",
        );
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

/// The upsert clause that merges a folded progress row into the kept one.
/// Every expression of an upsert reads the kept row's old values, so the
/// target is computed from the merged basic skills written out again.
fn merge_progress() -> String {
    let merged =
        |k: usize| format!("COALESCE(MIN(basic{k}_at, excluded.basic{k}_at), basic{k}_at, excluded.basic{k}_at)");
    let basics = (0..5).map(|k| format!("basic{k}_at = {}", merged(k))).collect::<Vec<_>>().join(", ");
    let all_done = (0..5).map(|k| format!("{} IS NOT NULL", merged(k))).collect::<Vec<_>>().join(" AND ");
    let last_done = (0..5).map(merged).collect::<Vec<_>>().join(", ");
    let newer =
        "excluded.last_visit_at IS NOT NULL AND (last_visit_at IS NULL OR excluded.last_visit_at > last_visit_at
                 OR (excluded.last_visit_at = last_visit_at AND excluded.last_visit_id > last_visit_id))";
    let latest = ["last_visit_id", "last_visit_at", "due_on", "reason", "owner_id", "owner_team"]
        .map(|column| format!("{column} = CASE WHEN {newer} THEN excluded.{column} ELSE {column} END"))
        .join(", ");
    format!(
        " ON CONFLICT (household_id, scope_team) DO UPDATE SET
             village_id = excluded.village_id, first_visit_at = MIN(first_visit_at, excluded.first_visit_at),
             {basics}, target_at = CASE WHEN {all_done} THEN MAX({last_done}) END, {latest}"
    )
}
