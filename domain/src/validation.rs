//! What is wrong with a record, said precisely enough to fix it.
//!
//! A [`FieldError`] names the field (as its JSON path) and the problem; the
//! Vietnamese sentence shown to the volunteer next to the field and sent in
//! API errors is made here, in one place.

use crate::input::required;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A field of a record or form, named by its JSON path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "id")]
    Id,
    #[serde(rename = "household_id")]
    HouseholdId,
    #[serde(rename = "village_id")]
    Village,
    #[serde(rename = "head_name")]
    HeadName,
    #[serde(rename = "address")]
    Address,
    #[serde(rename = "phone")]
    Phone,
    #[serde(rename = "members")]
    Members,
    #[serde(rename = "outcome")]
    Outcome,
    #[serde(rename = "come_back_on")]
    ComeBackOn,
    #[serde(rename = "people")]
    People,
    #[serde(rename = "skills")]
    Skills,
    #[serde(rename = "note")]
    Note,
    #[serde(rename = "visited_at")]
    VisitedAt,
    #[serde(rename = "follow_up.on")]
    FollowUpOn,
    #[serde(rename = "follow_up.reason")]
    FollowUpReason,
    #[serde(rename = "revision")]
    Revision,
    #[serde(rename = "consent")]
    Consent,
    #[serde(rename = "username")]
    Username,
    #[serde(rename = "display_name")]
    DisplayName,
    #[serde(rename = "password")]
    Password,
    #[serde(rename = "role")]
    Role,
    #[serde(rename = "team_id")]
    Team,
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "households")]
    HouseholdCount,
    #[serde(rename = "code")]
    Code,
    #[serde(rename = "group")]
    Group,
    #[serde(rename = "label")]
    Label,
    #[serde(rename = "place")]
    Place,
    #[serde(rename = "held_on")]
    HeldOn,
    #[serde(rename = "attendees")]
    Attendees,
}

impl Field {
    fn label_vi(self) -> &'static str {
        match self {
            Field::Id => "Mã bản ghi",
            Field::HouseholdId => "Hộ gia đình",
            Field::Village => "Thôn",
            Field::HeadName => "Tên chủ hộ",
            Field::Address => "Địa chỉ",
            Field::Phone => "Số điện thoại",
            Field::Members => "Số thành viên",
            Field::Outcome => "Kết quả",
            Field::ComeBackOn => "Ngày hẹn quay lại",
            Field::People => "Số người được hướng dẫn",
            Field::Skills => "Kỹ năng",
            Field::Note => "Ghi chú",
            Field::VisitedAt => "Thời gian thăm",
            Field::FollowUpOn => "Ngày theo dõi tiếp",
            // As the visit form labels the field.
            Field::FollowUpReason => "Việc cần làm khi quay lại",
            Field::Revision => "Phiên bản",
            Field::Consent => "Đồng ý của hộ",
            Field::Username => "Tên đăng nhập",
            Field::DisplayName => "Họ và tên",
            Field::Password => "Mật khẩu",
            Field::Role => "Vai trò",
            Field::Team => "Tổ",
            Field::Name => "Tên",
            Field::HouseholdCount => "Số hộ",
            Field::Code => "Mã",
            Field::Group => "Nhóm kỹ năng",
            Field::Label => "Tên kỹ năng",
            Field::Place => "Địa điểm",
            Field::HeldOn => "Ngày tổ chức",
            Field::Attendees => "Số người tham dự",
        }
    }
}

/// Why a field was refused. Read back from JSON through [`FieldError`]'s
/// flat wire form, never on its own: a new problem needs its code in
/// [`ProblemCode`] and a line in `every_problem_reads_back_as_it_was_written`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// Nothing was given where something is needed.
    Required,
    /// Shorter than `min` characters.
    TooShort { min: usize },
    /// Already used by someone else (a username, a village or team name, a skill code).
    Taken,
    /// Personal data (name, address, phone) of a household that has not agreed to give it.
    WithoutConsent,
    /// Personal data of a household whose data was erased at its request.
    Erased,
    /// Longer than `max` characters.
    TooLong { max: usize },
    /// A count above what one visit can plausibly guide.
    TooMany { max: u32 },
    /// A guided visit with nobody guided.
    NobodyGuided,
    /// More elderly than adult residents, though the elderly are among them.
    ElderlyExceedAdults,
    /// A skill code the catalogue does not have.
    UnknownSkill { skill: String },
    /// A village the commune does not have.
    UnknownVillage,
    /// A visit dated after now.
    InTheFuture,
    /// A visit dated before the movement began: usually a phone's clock reset.
    TooOld,
    /// A number outside `min..=max`.
    OutOfRange { min: u32, max: u32 },
    /// Not a Vietnamese phone number.
    InvalidPhone,
    /// People or skills on a visit where nobody was guided (nobody home, declined, come back).
    OnlyWhenGuided,
    /// A date before the visit it belongs to.
    BeforeVisit,
    /// A date more than `max` days after the visit it belongs to: a
    /// mistyped year (a date field takes 20266), a return that would never come due.
    TooFarAfterVisit { max: u32 },
    /// A household this phone's team does not have.
    UnknownHousehold,
    /// Not a usable identifier.
    Invalid,
}

/// One refused field and why: `{"field": "head_name", "code": "too_long",
/// "max": 100}` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "FieldErrorWire")]
pub struct FieldError {
    pub field: Field,
    #[serde(flatten)]
    pub problem: Problem,
}

/// A [`FieldError`] as JSON carries it, flat. Read through this instead of
/// serde's derive for a flattened, tagged enum, which buffers every field
/// and costs the phone's download ~20 KB of WASM (docs/benchmarks.md).
#[derive(Deserialize)]
struct FieldErrorWire {
    field: Field,
    code: ProblemCode,
    min: Option<u32>,
    max: Option<u32>,
    skill: Option<String>,
}

/// The `code` of a [`Problem`], without what it carries.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProblemCode {
    Required,
    TooShort,
    Taken,
    WithoutConsent,
    Erased,
    TooLong,
    TooMany,
    NobodyGuided,
    ElderlyExceedAdults,
    UnknownSkill,
    UnknownVillage,
    InTheFuture,
    TooOld,
    OutOfRange,
    InvalidPhone,
    OnlyWhenGuided,
    BeforeVisit,
    TooFarAfterVisit,
    UnknownHousehold,
    Invalid,
    /// A code a newer server sends that this build does not know: read as
    /// `invalid`, so one new rule never makes a whole push's answer unreadable.
    #[serde(other)]
    Unknown,
}

impl TryFrom<FieldErrorWire> for FieldError {
    type Error = String;

    fn try_from(wire: FieldErrorWire) -> Result<Self, String> {
        let problem = match wire.code {
            ProblemCode::Required => Problem::Required,
            ProblemCode::TooShort => Problem::TooShort { min: required("min", wire.min)? as usize },
            ProblemCode::Taken => Problem::Taken,
            ProblemCode::WithoutConsent => Problem::WithoutConsent,
            ProblemCode::Erased => Problem::Erased,
            ProblemCode::TooLong => Problem::TooLong { max: required("max", wire.max)? as usize },
            ProblemCode::TooMany => Problem::TooMany { max: required("max", wire.max)? },
            ProblemCode::NobodyGuided => Problem::NobodyGuided,
            ProblemCode::ElderlyExceedAdults => Problem::ElderlyExceedAdults,
            ProblemCode::UnknownSkill => Problem::UnknownSkill { skill: required("skill", wire.skill)? },
            ProblemCode::UnknownVillage => Problem::UnknownVillage,
            ProblemCode::InTheFuture => Problem::InTheFuture,
            ProblemCode::TooOld => Problem::TooOld,
            ProblemCode::OutOfRange => {
                Problem::OutOfRange { min: required("min", wire.min)?, max: required("max", wire.max)? }
            }
            ProblemCode::InvalidPhone => Problem::InvalidPhone,
            ProblemCode::OnlyWhenGuided => Problem::OnlyWhenGuided,
            ProblemCode::BeforeVisit => Problem::BeforeVisit,
            ProblemCode::TooFarAfterVisit => Problem::TooFarAfterVisit { max: required("max", wire.max)? },
            ProblemCode::UnknownHousehold => Problem::UnknownHousehold,
            ProblemCode::Invalid | ProblemCode::Unknown => Problem::Invalid,
        };
        Ok(FieldError { field: wire.field, problem })
    }
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }

    /// The sentence shown next to the field: what is wrong and what to do.
    pub fn message_vi(&self) -> String {
        let label = self.field.label_vi();
        match &self.problem {
            Problem::Required => format!("{label}: chưa nhập, vui lòng điền."),
            Problem::TooLong { max } => format!("{label}: quá dài, tối đa {max} ký tự."),
            Problem::TooShort { min } => format!("{label}: quá ngắn, cần ít nhất {min} ký tự."),
            Problem::Taken => format!("{label}: đã có người dùng, vui lòng chọn tên khác."),
            Problem::Erased => {
                format!("{label}: thông tin cá nhân của hộ này đã được xóa theo yêu cầu của hộ, không ghi lại được.")
            }
            Problem::WithoutConsent => {
                format!("{label}: hộ chưa đồng ý cung cấp thông tin cá nhân, không được ghi mục này.")
            }
            Problem::TooMany { max } if self.field == Field::Attendees => {
                format!("{label}: mỗi nhóm tối đa {max} người trong một buổi học.")
            }
            Problem::TooMany { max } => format!("{label}: mỗi nhóm tối đa {max} người trong một lượt thăm."),
            Problem::NobodyGuided if self.field == Field::Attendees => {
                format!("{label}: cần ít nhất 1 người tham dự.")
            }
            Problem::NobodyGuided => format!("{label}: cần ít nhất 1 người được hướng dẫn."),
            Problem::ElderlyExceedAdults => {
                format!("{label}: số người cao tuổi không được lớn hơn số người dân trưởng thành.")
            }
            Problem::UnknownSkill { skill } => {
                format!("{label}: \"{skill}\" không có trong danh mục kỹ năng.")
            }
            Problem::UnknownVillage => format!("{label}: không có trong danh sách thôn của xã, vui lòng chọn lại."),
            Problem::InTheFuture => format!("{label}: không được ở tương lai, vui lòng kiểm tra ngày giờ."),
            Problem::TooOld => {
                format!("{label}: trước năm 2025, vui lòng kiểm tra ngày giờ trên điện thoại.")
            }
            Problem::OutOfRange { min, max } => format!("{label}: phải từ {min} đến {max}."),
            Problem::InvalidPhone => {
                format!("{label}: không đúng, hãy nhập 10 hoặc 11 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678).")
            }
            Problem::OnlyWhenGuided => {
                format!("{label}: chỉ ghi khi đã hướng dẫn được; hãy chọn kết quả \"Đã hướng dẫn\" hoặc bỏ mục này.")
            }
            Problem::BeforeVisit => format!("{label}: không được trước ngày thăm."),
            Problem::TooFarAfterVisit { max } => {
                format!("{label}: quá xa, tối đa {max} ngày sau ngày thăm; vui lòng kiểm tra năm.")
            }
            Problem::UnknownHousehold => format!("{label}: không có trong danh sách hộ của tổ, vui lòng chọn lại."),
            Problem::Invalid if self.field == Field::Code => {
                format!("{label}: chỉ dùng chữ a–z không dấu, chữ số và các dấu . _ - (ví dụ: yte.datlich)")
            }
            Problem::Invalid if self.field == Field::Username => {
                format!("{label}: chỉ dùng chữ a–z không dấu, chữ số và các dấu . _ -")
            }
            Problem::Invalid => format!("{label}: không hợp lệ."),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_vi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every problem, with what it carries: the flat wire form reads back
    /// exactly what the derived serialisation writes.
    #[test]
    fn a_code_from_a_newer_server_reads_as_invalid_instead_of_failing_the_answer() {
        let wire = r#"{"field": "follow_up.on", "code": "a_rule_of_next_year", "max": 7}"#;
        let read: FieldError = serde_json::from_str(wire).expect("an unknown code is still read");
        assert_eq!(read, FieldError::new(Field::FollowUpOn, Problem::Invalid));
    }

    #[test]
    fn every_problem_reads_back_as_it_was_written() {
        let problems = [
            Problem::Required,
            Problem::TooShort { min: 3 },
            Problem::Taken,
            Problem::WithoutConsent,
            Problem::Erased,
            Problem::TooLong { max: 100 },
            Problem::TooMany { max: 50 },
            Problem::NobodyGuided,
            Problem::ElderlyExceedAdults,
            Problem::UnknownSkill { skill: "vneid.kich_hoat".into() },
            Problem::UnknownVillage,
            Problem::InTheFuture,
            Problem::TooOld,
            Problem::OutOfRange { min: 1, max: 9 },
            Problem::InvalidPhone,
            Problem::OnlyWhenGuided,
            Problem::BeforeVisit,
            Problem::TooFarAfterVisit { max: 366 },
            Problem::UnknownHousehold,
            Problem::Invalid,
        ];
        for problem in problems {
            let error = FieldError::new(Field::People, problem);
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), error, "{json}");
        }
    }

    #[test]
    fn a_field_error_missing_what_its_problem_carries_is_refused() {
        let missing = serde_json::from_str::<FieldError>(r#"{"field": "head_name", "code": "too_long"}"#);
        assert!(missing.unwrap_err().to_string().contains("missing field `max`"));
        // A code this build does not know is read, as `invalid`: see the test below.
    }

    #[test]
    fn a_field_error_serialises_with_its_path_and_code() {
        let error = FieldError::new(Field::FollowUpOn, Problem::BeforeVisit);
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json, serde_json::json!({"field": "follow_up.on", "code": "before_visit"}));
        let error = FieldError::new(Field::HeadName, Problem::TooLong { max: 100 });
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json, serde_json::json!({"field": "head_name", "code": "too_long", "max": 100}));
        let back: FieldError = serde_json::from_value(json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn messages_are_vietnamese_and_name_the_field() {
        let error = FieldError::new(Field::HeadName, Problem::Required);
        assert_eq!(error.message_vi(), "Tên chủ hộ: chưa nhập, vui lòng điền.");
    }
}
