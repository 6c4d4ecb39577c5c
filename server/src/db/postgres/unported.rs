//! The areas PostgreSQL does not store yet (issue 14): each answers
//! [`DbError::NotOnPostgresYet`], never a wrong or empty result. They move
//! to modules of their own as they are written; this file then goes.

use super::PostgresDatabase;
use crate::db::storage::*;
use crate::db::{
    ChangeBatch, DashboardScope, DbError, DbResult, FollowUps, PullPage, Scope, StoreResult, VisitLogFilter,
    VoidOutcome,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use gocua_domain::api::StoredVisit;
use gocua_domain::dashboard::{
    CommunitySessionFigures, DayFigures, SkillFigures, Totals, VillageFigures, VolunteerFigures,
};
use gocua_domain::export::VisitLogRow;
use gocua_domain::report::TeamFigures;
use gocua_domain::Household;

const SYNC: DbError = DbError::NotOnPostgresYet("sync (households, visits, community sessions)");
const FIGURES: DbError = DbError::NotOnPostgresYet("the dashboard's kept figures");

#[async_trait]
impl Records for PostgresDatabase {
    async fn store_changes(&self, _: &Scope, _: &ChangeBatch, _: DateTime<Utc>) -> DbResult<Vec<StoreResult>> {
        Err(SYNC)
    }

    async fn pull(&self, _: &Scope, _: i64, _: usize) -> DbResult<PullPage> {
        Err(SYNC)
    }

    async fn visible_visits(&self, _: &Scope) -> DbResult<Vec<StoredVisit>> {
        Err(SYNC)
    }

    async fn visible_households(&self, _: &Scope) -> DbResult<Vec<Household>> {
        Err(SYNC)
    }
}

#[async_trait]
impl PersonalData for PostgresDatabase {
    async fn visible_household(&self, _: &Scope, _: &str) -> DbResult<Option<Household>> {
        Err(SYNC)
    }

    async fn correct_household(&self, _: &Scope, _: &Household, _: DateTime<Utc>) -> DbResult<bool> {
        Err(SYNC)
    }

    async fn erase_household(&self, _: &Scope, _: &str, _: DateTime<Utc>) -> DbResult<()> {
        Err(SYNC)
    }
}

#[async_trait]
impl Voiding for PostgresDatabase {
    async fn void_visit(&self, _: &Scope, _: &str, _: DateTime<Utc>) -> DbResult<VoidOutcome> {
        Err(SYNC)
    }
}

#[async_trait]
impl VisitLog for PostgresDatabase {
    async fn stream_visit_log(
        &self,
        _: &VisitLogFilter,
        _: tokio::sync::mpsc::Sender<DbResult<VisitLogRow>>,
    ) -> DbResult<u64> {
        Err(SYNC)
    }
}

#[async_trait]
impl Figures for PostgresDatabase {
    async fn dashboard_totals(&self, _: &DashboardScope) -> DbResult<Totals> {
        Err(FIGURES)
    }

    async fn dashboard_villages(&self, _: &DashboardScope) -> DbResult<Vec<VillageFigures>> {
        Err(FIGURES)
    }

    async fn dashboard_community_sessions(&self, _: &DashboardScope) -> DbResult<CommunitySessionFigures> {
        Err(FIGURES)
    }

    async fn dashboard_volunteers(&self, _: &DashboardScope) -> DbResult<Vec<VolunteerFigures>> {
        Err(FIGURES)
    }

    async fn dashboard_days(&self, _: &DashboardScope) -> DbResult<Vec<DayFigures>> {
        Err(FIGURES)
    }

    async fn dashboard_follow_ups(&self, _: &DashboardScope, _: NaiveDate) -> DbResult<FollowUps> {
        Err(FIGURES)
    }

    async fn dashboard_teams(&self, _: &DashboardScope) -> DbResult<Vec<TeamFigures>> {
        Err(FIGURES)
    }

    async fn dashboard_skills(&self, _: &DashboardScope) -> DbResult<Vec<SkillFigures>> {
        Err(FIGURES)
    }
}
