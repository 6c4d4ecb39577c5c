//! Who is signed in on this phone. The session is kept in local storage so
//! the volunteer stays signed in offline, across reloads and restarts.

use chrono::{DateTime, Utc};
use gocua_domain::api::{LoginResponse, Profile};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub profile: Profile,
}

impl From<LoginResponse> for Session {
    fn from(login: LoginResponse) -> Self {
        Session { token: login.token, expires_at: login.expires_at, profile: login.profile }
    }
}

impl Session {
    pub fn village_name(&self, village_id: i64) -> Option<&str> {
        self.profile.villages.iter().find(|village| village.id == village_id).map(|village| village.name.as_str())
    }
}
