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
    /// Sở Khoa học và Công nghệ: the province's figures, commune by commune,
    /// and never a household's name, address, phone or note.
    Province,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Volunteer => "volunteer",
            Role::Leader => "leader",
            Role::Coordinator => "coordinator",
            Role::Province => "province",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        [Role::Volunteer, Role::Leader, Role::Coordinator, Role::Province].into_iter().find(|role| role.as_str() == raw)
    }

    /// The roles of a commune's people: what a coordinator may give an
    /// account. A province account is made by the command line alone.
    pub fn of_commune(self) -> bool {
        self != Role::Province
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Volunteer => "Thành viên tổ",
            Role::Leader => "Tổ trưởng",
            Role::Coordinator => "Điều phối viên xã",
            Role::Province => "Cán bộ cấp tỉnh",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village {
    pub id: i64,
    pub name: String,
    /// Households in the village, as the coordinator set it: what coverage is measured against.
    #[serde(default)]
    pub households: u32,
}

/// `GET /api/v1/villages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageList {
    pub villages: Vec<Village>,
}

/// `POST /api/v1/villages`, `PATCH /api/v1/villages/{id}` (a coordinator).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VillageChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
}

/// A team, with how many active members it has: `GET /api/v1/teams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: i64,
    pub name: String,
    pub members: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamList {
    pub teams: Vec<TeamSummary>,
}

/// `POST /api/v1/teams`, `PATCH /api/v1/teams/{id}` (a coordinator).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TeamChange {
    pub name: String,
}

/// `POST /api/v1/catalogue` (a coordinator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewSkillRequest {
    pub code: String,
    pub group: crate::catalogue::SkillGroup,
    pub label: String,
    /// Absent: what the starting mapping gives the code; `null`: none.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub basic_skill: Option<Option<crate::catalogue::BasicSkill>>,
}

/// `PATCH /api/v1/catalogue/{code}` (a coordinator): only the fields sent change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SkillChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<bool>,
    /// The basic skill it counts for; `null`: none. Absent: unchanged.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub basic_skill: Option<Option<crate::catalogue::BasicSkill>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Team {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commune {
    pub id: i64,
    pub name: String,
}

/// A province or centrally-run city (tỉnh / thành phố), above its communes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Province {
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
    /// The commune of its people; `null` for a province account.
    pub commune: Option<Commune>,
    /// A province account's province; `null` for a commune's people.
    #[serde(default)]
    pub province: Option<Province>,
    pub team: Option<Team>,
    pub villages: Vec<Village>,
}

impl Profile {
    /// Where the account belongs: its commune, or a province account's province.
    pub fn home_name(&self) -> &str {
        match (&self.commune, &self.province) {
            (Some(commune), _) => &commune.name,
            (None, Some(province)) => &province.name,
            (None, None) => "",
        }
    }
}

/// Answer to a successful sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub profile: Profile,
}

/// An account, as leaders and coordinators see it: `GET /api/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<Team>,
    /// A deactivated account cannot sign in; its records stay.
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub users: Vec<Account>,
}

/// `POST /api/v1/users` (a coordinator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAccountRequest {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub team_id: Option<i64>,
    pub password: String,
}

/// `PATCH /api/v1/users/{id}`: only the fields sent change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccountChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// `null` takes the account out of any team.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// A new password (the user forgot theirs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `POST /api/v1/invites`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewInviteRequest {
    /// The team to join; a leader's own team when left out.
    #[serde(default)]
    pub team_id: Option<i64>,
    /// `volunteer` when left out; only a coordinator may invite a `leader`.
    #[serde(default)]
    pub role: Option<Role>,
}

/// `POST /api/v1/province/communes` (a province account): a new commune of its province.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewCommune {
    pub name: String,
}

/// `POST /api/v1/province/invites` (a province account): a coordinator for one of its communes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewCoordinatorInvite {
    pub commune_id: i64,
}

/// An invite not used yet: `GET /api/v1/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub id: i64,
    pub role: Role,
    /// The commune it joins.
    pub commune: Commune,
    /// The team it joins; `null` for a coordinator's (a province's invite).
    pub team: Option<Team>,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteList {
    pub invites: Vec<Invite>,
}

/// The answer to `POST /api/v1/invites`: the only time the code is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedInvite {
    #[serde(flatten)]
    pub invite: Invite,
    /// "ABCDE-FGHJK".
    pub code: String,
    /// The app's join page with the code filled in, relative to the server.
    pub join_path: String,
    /// A QR code of the join link (absolute, from the request's Host), as SVG.
    pub qr_svg: String,
}

/// `POST /api/v1/auth/join`: a new member takes an invite.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinRequest {
    pub code: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// One line of the audit log: `GET /api/v1/audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: i64,
    pub actor_name: String,
    /// `household.created`, `household.changed`, `household.corrected`, `household.erased`,
    /// `account.created`, `account.changed`, `account.deactivated`, `account.joined`,
    /// `session.revoked`, `invite.created`, `invite.cancelled`, `export.visits`, …
    pub action: String,
    /// `household:<id>`, `user:<id>`, `invite:<id>`.
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; `null` at the end.
    pub next_before: Option<i64>,
}

/// A signed-in device: `GET /api/v1/auth/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    pub id: i64,
    /// Browser and system, as "Chrome · Android"; empty when unknown.
    pub device: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The session of the token that asked.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionList {
    pub sessions: Vec<DeviceSession>,
}

/// `GET /api/v1/visits`: a page, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VisitList {
    pub visits: Vec<StoredVisit>,
    /// The `before` of the next (older) page; `None` exactly when no older visit is left.
    #[serde(default)]
    pub next_before: Option<String>,
}

/// `GET /api/v1/households`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HouseholdList {
    pub households: Vec<crate::household::Household>,
}

/// `PATCH /api/v1/households/{id}` (a coordinator): only the fields sent change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HouseholdCorrection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// `""` removes the phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<u32>,
}

impl HouseholdCorrection {
    pub fn apply_to(&self, input: &mut crate::household::HouseholdInput) {
        if let Some(village_id) = self.village_id {
            input.village_id = village_id;
        }
        if let Some(head_name) = &self.head_name {
            input.head_name = head_name.clone();
        }
        if let Some(address) = &self.address {
            input.address = address.clone();
        }
        if let Some(phone) = &self.phone {
            input.phone = phone.clone();
        }
        if let Some(members) = self.members {
            input.members = Some(members);
        }
    }
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
