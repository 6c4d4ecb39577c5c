//! The skill catalogue: what volunteers teach, from the commune's 2026 plan.
//!
//! Codes are stable ids stored in visits; labels are what people read. This is
//! the starting catalogue every commune begins with (domain.md). The five
//! basic skills of the national household target (official letter
//! 3240/BTTTT-CĐSQG) are kept as data beside it, because provinces word them
//! differently and a commune must be able to remap them.

use crate::order::sort_stable_by;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable skill id such as `vneid.level2`. Only a [`Catalogue`] makes new
/// ones, so a `SkillCode` in a new record is always one the commune knows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SkillCode(String);

impl SkillCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One skill of a commune's catalogue, as the server serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub code: String,
    pub group: SkillGroup,
    pub label: String,
    /// Retired skills are no longer offered for new visits, but old visits keep showing them.
    #[serde(default)]
    pub retired: bool,
    /// The basic skill of the national target that completing this skill
    /// counts for, if any: the commune's own mapping, which its coordinator
    /// may change (new skills start from [`BASIC_SKILL_MAPPING`]).
    #[serde(default)]
    pub basic_skill: Option<BasicSkill>,
}

/// A commune's skill catalogue: editable on the server, cached on phones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub skills: Vec<CatalogueEntry>,
}

impl Catalogue {
    /// The catalogue every commune starts with ([`CATALOGUE`]).
    pub fn starting() -> Catalogue {
        Catalogue {
            skills: CATALOGUE
                .iter()
                .map(|skill| CatalogueEntry {
                    code: skill.code.to_owned(),
                    group: skill.group,
                    label: skill.label.to_owned(),
                    retired: false,
                    basic_skill: starting_basic_skill(skill.code),
                })
                .collect(),
        }
    }

    /// The code, if this catalogue has it (retired or not).
    pub fn code(&self, raw: &str) -> Option<SkillCode> {
        self.skills.iter().any(|entry| entry.code == raw).then(|| SkillCode(raw.to_owned()))
    }

    /// The label people read; the code itself for a skill this catalogue never had.
    pub fn label<'a>(&'a self, code: &'a SkillCode) -> &'a str {
        self.skills.iter().find(|entry| entry.code == code.0).map_or(code.as_str(), |entry| entry.label.as_str())
    }

    /// The skills offered for new visits, in catalogue order.
    pub fn active(&self) -> impl Iterator<Item = &CatalogueEntry> {
        self.skills.iter().filter(|entry| !entry.retired)
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

/// The five basic digital skills of the national household target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasicSkill {
    PublicServices,
    OnlineShopping,
    OnlinePayment,
    OnlineSafety,
    LocalPlatforms,
}

impl BasicSkill {
    /// The five, in the order the target names them.
    pub const ALL: [BasicSkill; 5] = [
        BasicSkill::PublicServices,
        BasicSkill::OnlineShopping,
        BasicSkill::OnlinePayment,
        BasicSkill::OnlineSafety,
        BasicSkill::LocalPlatforms,
    ];

    /// Its name in the API and in storage (`online_payment`).
    pub fn as_str(self) -> &'static str {
        match self {
            BasicSkill::PublicServices => "public_services",
            BasicSkill::OnlineShopping => "online_shopping",
            BasicSkill::OnlinePayment => "online_payment",
            BasicSkill::OnlineSafety => "online_safety",
            BasicSkill::LocalPlatforms => "local_platforms",
        }
    }

    pub fn parse(raw: &str) -> Option<BasicSkill> {
        BasicSkill::ALL.into_iter().find(|basic| basic.as_str() == raw)
    }

    /// Its place in [`BasicSkill::ALL`].
    pub fn place(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        match self {
            BasicSkill::PublicServices => "Dịch vụ công trực tuyến",
            BasicSkill::OnlineShopping => "Mua sắm trực tuyến",
            BasicSkill::OnlinePayment => "Thanh toán trực tuyến",
            BasicSkill::OnlineSafety => "An toàn trên không gian mạng",
            BasicSkill::LocalPlatforms => "Nền tảng số của địa phương",
        }
    }
}

/// The starting mapping of catalogue codes onto the basic skills (domain.md):
/// a code counts when it equals an entry, or starts with an entry that ends
/// in `.` (a whole group). A commune's catalogue keeps its own mapping, one
/// [`CatalogueEntry::basic_skill`] per skill, which starts from this one.
pub const BASIC_SKILL_MAPPING: &[(BasicSkill, &[&str])] = &[
    (BasicSkill::PublicServices, &["publicservice."]),
    (BasicSkill::OnlineShopping, &["ecommerce.buy"]),
    (BasicSkill::OnlinePayment, &["payment."]),
    (BasicSkill::OnlineSafety, &["safety."]),
    (BasicSkill::LocalPlatforms, &["local.platform"]),
];

/// The basic skill a new catalogue code counts for by the starting mapping, if any.
pub fn starting_basic_skill(code: &str) -> Option<BasicSkill> {
    BASIC_SKILL_MAPPING.iter().find_map(|(basic, patterns)| {
        patterns
            .iter()
            .any(|pattern| match pattern.strip_suffix('.') {
                Some(_) => code.starts_with(pattern),
                None => code == *pattern,
            })
            .then_some(*basic)
    })
}

/// How many skills the visit form offers first, before the programmes.
pub const FIRST_OFFERED: usize = 5;

/// The plan's headline skills — VNeID, public services, QR payment, scams,
/// the smartphone itself — offered first until a team's own visits show
/// what it teaches most (codes a commune's catalogue lacks are skipped).
pub const HEADLINE_SKILLS: [&str; 5] =
    ["vneid.level2", "publicservice.submit", "payment.qr", "safety.scam", "device.basics"];

/// The skills a visit form offers, so it is not screens of buttons: the
/// team's most used first, the rest under their programmes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillOffer<'a> {
    pub first: Vec<&'a CatalogueEntry>,
    /// The other active skills by programme, programmes in catalogue order.
    pub by_programme: Vec<(SkillGroup, Vec<&'a CatalogueEntry>)>,
}

/// Orders `catalogue`'s active skills for a new visit from the codes taught
/// in earlier visits (one item per skill taught): the [`FIRST_OFFERED`]
/// most taught, ties and a short history filled from [`HEADLINE_SKILLS`].
pub fn skill_offer<'a, 'c>(
    catalogue: &'a Catalogue,
    taught: impl IntoIterator<Item = &'c SkillCode>,
) -> SkillOffer<'a> {
    let mut counts = std::collections::HashMap::<&str, usize>::new();
    for code in taught {
        *counts.entry(code.as_str()).or_default() += 1;
    }
    let headline = |entry: &CatalogueEntry| HEADLINE_SKILLS.iter().position(|code| *code == entry.code);
    let mut ranked: Vec<&CatalogueEntry> = catalogue
        .active()
        .filter(|entry| counts.contains_key(entry.code.as_str()) || headline(entry).is_some())
        .collect();
    // Most taught first; then headline skills in the plan's order; the sort is stable for the rest.
    let rank = |entry: &CatalogueEntry| {
        (
            std::cmp::Reverse(counts.get(entry.code.as_str()).copied().unwrap_or(0)),
            headline(entry).unwrap_or(usize::MAX),
        )
    };
    sort_stable_by(&mut ranked, |a, b| rank(a).cmp(&rank(b)));
    ranked.truncate(FIRST_OFFERED);
    let mut by_programme: Vec<(SkillGroup, Vec<&CatalogueEntry>)> = Vec::new();
    for entry in catalogue.active().filter(|entry| !ranked.iter().any(|first| first.code == entry.code)) {
        match by_programme.iter_mut().find(|(group, _)| *group == entry.group) {
            Some((_, entries)) => entries.push(entry),
            None => by_programme.push((entry.group, vec![entry])),
        }
    }
    SkillOffer { first: ranked, by_programme }
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
        let catalogue = Catalogue::starting();
        let code = catalogue.code("vneid.level2").unwrap();
        assert_eq!(catalogue.label(&code), "Kích hoạt định danh điện tử mức 2");
        assert!(catalogue.code("vneid.level9").is_none());
        assert!(catalogue.code("").is_none());
    }

    #[test]
    fn a_retired_skill_is_not_offered_but_stays_readable() {
        let mut catalogue = Catalogue::starting();
        catalogue.skills[0].retired = true;
        let code = catalogue.code("vneid.install").expect("old visits still parse");
        assert_eq!(catalogue.label(&code), "Cài đặt ứng dụng VNeID");
        assert!(catalogue.active().all(|entry| entry.code != "vneid.install"));
        let unknown = SkillCode("old.skill".into());
        assert_eq!(catalogue.label(&unknown), "old.skill", "a skill no catalogue knows shows its code");
    }

    #[test]
    fn every_basic_skill_is_covered_by_the_catalogue() {
        for (basic, _) in BASIC_SKILL_MAPPING {
            assert!(
                CATALOGUE.iter().any(|skill| starting_basic_skill(skill.code) == Some(*basic)),
                "{basic:?} has no catalogue skill"
            );
        }
    }

    #[test]
    fn groups_map_whole_prefixes_and_single_codes_exactly() {
        assert_eq!(starting_basic_skill("payment.qr"), Some(BasicSkill::OnlinePayment));
        assert_eq!(starting_basic_skill("ecommerce.buy"), Some(BasicSkill::OnlineShopping));
        assert_eq!(starting_basic_skill("ecommerce.sell"), None);
        assert_eq!(starting_basic_skill("vneid.install"), None);
    }

    #[test]
    fn basic_skills_have_one_stored_name_each() {
        for basic in BasicSkill::ALL {
            assert_eq!(BasicSkill::parse(basic.as_str()), Some(basic));
            let json = serde_json::to_value(basic).unwrap();
            assert_eq!(json, basic.as_str(), "the API and storage use the same name");
        }
    }

    fn codes(entries: &[&CatalogueEntry]) -> Vec<String> {
        entries.iter().map(|entry| entry.code.clone()).collect()
    }

    #[test]
    fn a_new_team_is_offered_the_headline_skills_first_and_every_other_skill_once_by_programme() {
        let catalogue = Catalogue::starting();
        let offer = skill_offer(&catalogue, []);
        assert_eq!(codes(&offer.first), HEADLINE_SKILLS);
        let rest: Vec<String> = offer.by_programme.iter().flat_map(|(_, entries)| codes(entries)).collect();
        assert_eq!(rest.len() + FIRST_OFFERED, CATALOGUE.len());
        assert!(rest.iter().all(|code| !HEADLINE_SKILLS.contains(&code.as_str())));
        let groups: Vec<SkillGroup> = offer.by_programme.iter().map(|(group, _)| *group).collect();
        assert_eq!(groups.len(), groups.iter().collect::<HashSet<_>>().len(), "each programme once");
        assert_eq!(groups[0], SkillGroup::DigitalIdentity);
    }

    #[test]
    fn what_the_team_teaches_most_comes_first() {
        let catalogue = Catalogue::starting();
        let code = |raw: &str| catalogue.code(raw).unwrap();
        let taught = [code("health.record"), code("ecommerce.sell"), code("health.record"), code("payment.qr")];
        let offer = skill_offer(&catalogue, &taught);
        assert_eq!(
            codes(&offer.first),
            ["health.record", "payment.qr", "ecommerce.sell", "vneid.level2", "publicservice.submit"]
        );
    }

    #[test]
    fn retired_skills_are_not_offered() {
        let mut catalogue = Catalogue::starting();
        catalogue
            .skills
            .iter_mut()
            .filter(|entry| entry.code == "payment.qr" || entry.code == "health.record")
            .for_each(|entry| entry.retired = true);
        let offer = skill_offer(&catalogue, &[catalogue.code("payment.qr").unwrap()]);
        let everything: Vec<String> = codes(&offer.first)
            .into_iter()
            .chain(offer.by_programme.iter().flat_map(|(_, entries)| codes(entries)))
            .collect();
        assert_eq!(everything.len(), CATALOGUE.len() - 2);
        assert!(!everything.iter().any(|code| code == "payment.qr" || code == "health.record"));
    }
}
