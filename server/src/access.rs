//! Who may do what to whom: the rules every handler asks before it reads or
//! writes, in one place so the authorization matrix test has one thing to check.
//!
//! Something outside the actor's reach answers 404 (its existence is not
//! revealed); something within reach that their role may not do answers 403.

use crate::db::{Actor, Database, Reach, Scope};
use crate::error::ApiError;
use gocua_domain::api::{Account, Role, Team};

/// Whose records `actor` reaches — the one place a role becomes a scope: a
/// volunteer the team's households and their own visits, a leader the team's
/// households and visits, a coordinator the commune's.
pub fn scope(actor: &Actor) -> Scope {
    let team = Reach::Team(actor.team_id);
    let (households, logged) = match actor.role {
        Role::Coordinator => (Reach::Commune, Reach::Commune),
        Role::Leader => (team, team),
        Role::Volunteer => (team, Reach::Own),
        // Never an actor (see `crate::extract`); were one made, it reaches nothing.
        Role::Province => (Reach::Team(None), Reach::Team(None)),
    };
    Scope { user_id: actor.user_id, commune_id: actor.commune_id, team_id: actor.team_id, households, logged }
}

/// The team whose people a leader manages; `None` for a coordinator (the whole commune).
/// Volunteers manage nobody.
pub fn managed_team(actor: &Actor) -> Result<Option<i64>, ApiError> {
    match actor.role {
        Role::Coordinator => Ok(None),
        Role::Leader => actor.team_id.map(Some).ok_or(ApiError::Forbidden),
        Role::Volunteer | Role::Province => Err(ApiError::Forbidden),
    }
}

/// The team whose figures and exports a user may have: a leader's own (asking
/// for another is 403), any or all for a coordinator (`None`: the commune);
/// volunteers have none.
pub fn reporting_team(actor: &Actor, asked: Option<i64>) -> Result<Option<i64>, ApiError> {
    match actor.role {
        Role::Volunteer | Role::Province => Err(ApiError::Forbidden),
        Role::Leader => {
            let own = actor.team_id.ok_or(ApiError::Forbidden)?;
            if asked.is_some_and(|asked| asked != own) {
                return Err(ApiError::Forbidden);
            }
            Ok(Some(own))
        }
        Role::Coordinator => Ok(asked),
    }
}

/// [`reporting_team`], with the team checked to be the commune's: a team of
/// another commune, or none at all, is 404 here as on every endpoint that
/// names a team (docs/api.md, "Errors").
pub async fn reporting_team_in_reach(
    db: &Database,
    actor: &Actor,
    asked: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    if matches!(actor.role, Role::Volunteer | Role::Province) {
        return Err(ApiError::Forbidden);
    }
    // Reach before role: a leader naming a team the commune does not have
    // learns no more than a coordinator would (404), one naming another team of it 403.
    if let Some(team_id) = asked {
        team_in_reach(db, actor, team_id).await?;
    }
    reporting_team(actor, asked)
}

/// A team a request names, if it is the user's commune's: a team of
/// another commune, or none at all, is 404 wherever it is named
/// (docs/api.md, "Reach, 404 against 403").
pub async fn team_in_reach(db: &Database, actor: &Actor, team_id: i64) -> Result<Team, ApiError> {
    db.team_in_commune(actor.commune_id, team_id).await?.ok_or(ApiError::NotFound)
}

/// Only a coordinator.
pub fn coordinator(actor: &Actor) -> Result<(), ApiError> {
    if actor.role == Role::Coordinator {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Whether `actor` may see `account` (already known to be of the actor's commune):
/// themselves, a leader their team's members, a coordinator everyone.
pub fn may_see(actor: &Actor, account: &Account) -> bool {
    account.id == actor.user_id
        || match actor.role {
            Role::Coordinator => true,
            Role::Leader => actor.team_id.is_some() && account.team.as_ref().map(|team| team.id) == actor.team_id,
            Role::Volunteer | Role::Province => false,
        }
}

/// Whether `actor` may act on another's account (revoke their devices, deactivate it):
/// a coordinator anyone else in the commune, a leader the volunteers of their team.
pub fn may_manage(actor: &Actor, account: &Account) -> bool {
    account.id != actor.user_id
        && match actor.role {
            Role::Coordinator => true,
            Role::Leader => account.role == Role::Volunteer && may_see(actor, account),
            Role::Volunteer | Role::Province => false,
        }
}
