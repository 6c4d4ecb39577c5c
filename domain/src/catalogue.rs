//! The skill catalogue: what volunteers teach, from the commune's 2026 plan.
//!
//! Codes are stable ids stored in visits; labels are what people read. This is
//! the starting catalogue every commune begins with (domain.md). The five
//! basic skills of the national household target (official letter
//! 3240/BTTTT-CĐSQG) are kept as data beside it, because provinces word them
//! differently and a commune must be able to remap them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable skill id such as `vneid.level2`. Only codes of the catalogue can
/// be built, so a `SkillCode` in a record is always one the commune knows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SkillCode(String);

impl SkillCode {
    /// The code, if the catalogue has it.
    pub fn parse(raw: &str) -> Option<Self> {
        find(raw).map(|skill| SkillCode(skill.code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The label people read; the code itself if the skill has left the catalogue.
    pub fn label(&self) -> &str {
        find(&self.0).map_or(self.0.as_str(), |skill| skill.label)
    }
}

impl fmt::Display for SkillCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The programmes of the plan that skills are grouped under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillGroup {
    DigitalIdentity,
    PublicServices,
    CashlessPayment,
    OnlineSafety,
    DigitalMarket,
    SmartDevices,
    DigitalLearning,
    OnlineShopping,
    LocalPlatforms,
    DigitalHealth,
}

impl SkillGroup {
    pub fn label(self) -> &'static str {
        match self {
            SkillGroup::DigitalIdentity => "Danh tính số",
            SkillGroup::PublicServices => "Dịch vụ công trực tuyến",
            SkillGroup::CashlessPayment => "Thanh toán không dùng tiền mặt",
            SkillGroup::OnlineSafety => "An toàn trên không gian mạng",
            SkillGroup::DigitalMarket => "Chợ số - Nông thôn số",
            SkillGroup::SmartDevices => "Sử dụng thiết bị thông minh",
            SkillGroup::DigitalLearning => "Học tập số",
            SkillGroup::OnlineShopping => "Mua sắm trực tuyến",
            SkillGroup::LocalPlatforms => "Nền tảng số địa phương",
            SkillGroup::DigitalHealth => "Y tế số",
        }
    }
}

/// One teachable skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skill {
    pub code: &'static str,
    pub group: SkillGroup,
    pub label: &'static str,
}

const fn skill(code: &'static str, group: SkillGroup, label: &'static str) -> Skill {
    Skill { code, group, label }
}

/// The starting catalogue, in the order the volunteer sees it.
pub const CATALOGUE: &[Skill] = &[
    skill("vneid.install", SkillGroup::DigitalIdentity, "Cài đặt ứng dụng VNeID"),
    skill("vneid.level2", SkillGroup::DigitalIdentity, "Kích hoạt định danh điện tử mức 2"),
    skill("vneid.documents", SkillGroup::DigitalIdentity, "Tích hợp giấy tờ (BHYT, GPLX…) vào VNeID"),
    skill("publicservice.account", SkillGroup::PublicServices, "Tài khoản Cổng Dịch vụ công quốc gia"),
    skill("publicservice.submit", SkillGroup::PublicServices, "Nộp hồ sơ, tra cứu dịch vụ công trực tuyến"),
    skill("payment.account", SkillGroup::CashlessPayment, "Mở tài khoản ngân hàng / ví điện tử"),
    skill("payment.qr", SkillGroup::CashlessPayment, "Thanh toán bằng mã QR"),
    skill("safety.scam", SkillGroup::OnlineSafety, "Nhận diện, phòng tránh lừa đảo trực tuyến"),
    skill("safety.account", SkillGroup::OnlineSafety, "Mật khẩu an toàn, xác thực hai lớp"),
    skill("safety.privacy", SkillGroup::OnlineSafety, "Bảo vệ thông tin cá nhân"),
    skill("ecommerce.sell", SkillGroup::DigitalMarket, "Bán hàng trên sàn TMĐT, mạng xã hội"),
    skill("device.basics", SkillGroup::SmartDevices, "Sử dụng điện thoại thông minh cơ bản"),
    skill("device.messaging", SkillGroup::SmartDevices, "Nhắn tin, gọi video, nhóm cộng đồng"),
    skill(
        "learning.mooc",
        SkillGroup::DigitalLearning,
        "Học trên nền tảng học trực tuyến mở (MOOCs), nền tảng Bình dân học vụ số",
    ),
    skill("ecommerce.buy", SkillGroup::OnlineShopping, "Mua hàng trực tuyến an toàn"),
    skill(
        "local.platform",
        SkillGroup::LocalPlatforms,
        "Dùng nền tảng số của địa phương (cổng thông tin xã, nhóm cộng đồng)",
    ),
    skill("health.record", SkillGroup::DigitalHealth, "Sổ sức khỏe điện tử"),
];

/// Looks a code up in the catalogue.
pub fn find(code: &str) -> Option<&'static Skill> {
    CATALOGUE.iter().find(|skill| skill.code == code)
}

/// The five basic digital skills of the national household target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BasicSkill {
    PublicServices,
    OnlineShopping,
    OnlinePayment,
    OnlineSafety,
    LocalPlatforms,
}

/// Which catalogue codes count for each basic skill: a code counts when it
/// equals an entry, or starts with an entry that ends in `.` (a whole group).
pub const BASIC_SKILL_MAPPING: &[(BasicSkill, &[&str])] = &[
    (BasicSkill::PublicServices, &["publicservice."]),
    (BasicSkill::OnlineShopping, &["ecommerce.buy"]),
    (BasicSkill::OnlinePayment, &["payment."]),
    (BasicSkill::OnlineSafety, &["safety."]),
    (BasicSkill::LocalPlatforms, &["local.platform"]),
];

/// The basic skill a catalogue code counts for, if any.
pub fn basic_skill_of(code: &SkillCode) -> Option<BasicSkill> {
    BASIC_SKILL_MAPPING.iter().find_map(|(basic, patterns)| {
        patterns
            .iter()
            .any(|pattern| match pattern.strip_suffix('.') {
                Some(_) => code.as_str().starts_with(pattern),
                None => code.as_str() == *pattern,
            })
            .then_some(*basic)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_codes_are_unique() {
        let codes: HashSet<_> = CATALOGUE.iter().map(|skill| skill.code).collect();
        assert_eq!(codes.len(), CATALOGUE.len());
    }

    #[test]
    fn only_catalogue_codes_parse() {
        assert_eq!(SkillCode::parse("vneid.level2").unwrap().label(), "Kích hoạt định danh điện tử mức 2");
        assert!(SkillCode::parse("vneid.level9").is_none());
        assert!(SkillCode::parse("").is_none());
    }

    #[test]
    fn every_basic_skill_is_covered_by_the_catalogue() {
        for (basic, _) in BASIC_SKILL_MAPPING {
            assert!(
                CATALOGUE.iter().any(|skill| basic_skill_of(&SkillCode(skill.code.into())) == Some(*basic)),
                "{basic:?} has no catalogue skill"
            );
        }
    }

    #[test]
    fn groups_map_whole_prefixes_and_single_codes_exactly() {
        let code = |raw| SkillCode::parse(raw).unwrap();
        assert_eq!(basic_skill_of(&code("payment.qr")), Some(BasicSkill::OnlinePayment));
        assert_eq!(basic_skill_of(&code("ecommerce.buy")), Some(BasicSkill::OnlineShopping));
        assert_eq!(basic_skill_of(&code("ecommerce.sell")), None);
        assert_eq!(basic_skill_of(&code("vneid.install")), None);
    }
}
