//! JSON messages of the HTTP API that are not part of sync (see docs/api.md).

use crate::visit::Visit;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// What a user may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Thành viên tổ: logs visits.
    Volunteer,
    /// Tổ trưởng: reviews the team's work.
    Leader,
    /// Phòng Văn hóa - Xã hội: sees every team of the commune.
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Volunteer => "volunteer",
            Role::Leader => "leader",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        [Role::Volunteer, Role::Leader, Role::Coordinator].into_iter().find(|role| role.as_str() == raw)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Volunteer => "Thành viên tổ",
            Role::Leader => "Tổ trưởng",
            Role::Coordinator => "Điều phối viên xã",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commune {
    pub id: i64,
    pub name: String,
}

/// The signed-in user, with what the app needs to work offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub commune: Commune,
    pub team: Option<Team>,
    pub villages: Vec<Village>,
}

/// Answer to a successful sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub profile: Profile,
}

/// `GET /api/v1/visits`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VisitList {
    pub visits: Vec<StoredVisit>,
}

/// `GET /api/v1/households`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HouseholdList {
    pub households: Vec<crate::household::Household>,
}

/// A visit as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredVisit {
    #[serde(flatten)]
    pub visit: Visit,
    pub author_id: i64,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// The body of every API error: `{"error":{"code":…,"message":…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, for programs: `bad_request`, `validation_failed`, `unauthorized`, …
    pub code: String,
    /// For people, in Vietnamese.
    pub message: String,
    /// Per-field problems, when a record failed validation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::validation::FieldError>,
}
