//! What is wrong with a record, said precisely enough to fix it.
//!
//! A [`FieldError`] names the field (as its JSON path) and the problem; the
//! Vietnamese sentence shown to the volunteer next to the field and sent in
//! API errors is made here, in one place.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A field of a visit, named by its JSON path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "id")]
    Id,
    #[serde(rename = "village_id")]
    Village,
    #[serde(rename = "household.head_name")]
    HeadName,
    #[serde(rename = "household.address")]
    Address,
    #[serde(rename = "people")]
    People,
    #[serde(rename = "skills")]
    Skills,
    #[serde(rename = "note")]
    Note,
    #[serde(rename = "visited_at")]
    VisitedAt,
}

impl Field {
    fn label_vi(self) -> &'static str {
        match self {
            Field::Id => "Mã lượt thăm",
            Field::Village => "Thôn",
            Field::HeadName => "Tên chủ hộ",
            Field::Address => "Địa chỉ",
            Field::People => "Số người được hướng dẫn",
            Field::Skills => "Kỹ năng",
            Field::Note => "Ghi chú",
            Field::VisitedAt => "Thời gian thăm",
        }
    }
}

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// Nothing was given where something is needed.
    Required,
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
    /// Not a usable identifier.
    Invalid,
}

/// One refused field and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    #[serde(flatten)]
    pub problem: Problem,
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
            Problem::TooMany { max } => format!("{label}: mỗi nhóm tối đa {max} người trong một lượt thăm."),
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

    #[test]
    fn a_field_error_serialises_with_its_path_and_code() {
        let error = FieldError::new(Field::HeadName, Problem::TooLong { max: 100 });
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json, serde_json::json!({"field": "household.head_name", "code": "too_long", "max": 100}));
        let back: FieldError = serde_json::from_value(json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn messages_are_vietnamese_and_name_the_field() {
        let error = FieldError::new(Field::HeadName, Problem::Required);
        assert_eq!(error.message_vi(), "Tên chủ hộ: chưa nhập, vui lòng điền.");
    }
}
