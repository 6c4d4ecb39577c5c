//! The quarterly report's calendar and headings: quarters, the due date the
//! plan sets (the 10th of the quarter's last month: 10 March, 10 June,
//! 10 September, 10 December), and the plan's programmes that skills are
//! reported under.

use crate::catalogue::SkillGroup;
use crate::dashboard::{CommunitySessionFigures, Totals, VillageFigures};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub number: u32,
}

impl Quarter {
    /// The quarter `day` falls in.
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter { year: day.year(), number: day.month0() / 3 + 1 }
    }

    /// `2026-Q4` (as in an API query, the `Q` in either case): the year's four
    /// digits, a dash and the quarter's one, nothing around them.
    pub fn parse(raw: &str) -> Option<Quarter> {
        let (year, number) = raw.split_once("-Q").or_else(|| raw.split_once("-q"))?;
        let digits = |text: &str, count: usize| text.len() == count && text.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(number, 1) {
            return None;
        }
        let quarter = Quarter { year: year.parse().ok()?, number: number.parse().ok()? };
        ((1..=4).contains(&quarter.number) && crate::time::REPORTABLE_YEARS.contains(&quarter.year)).then_some(quarter)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 3 * self.number - 2, 1).expect("a quarter starts on a real day")
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.number == 4 {
            Quarter { year: self.year + 1, number: 1 }
        } else {
            Quarter { year: self.year, number: self.number + 1 }
        };
        next.first_day().pred_opt().expect("the day before a quarter exists")
    }

    /// When the commune's report for this quarter is due: the 10th of its last month.
    pub fn report_due(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 3 * self.number, 10).expect("the 10th exists in every month")
    }

    /// "Quý IV/2026".
    pub fn label_vi(self) -> String {
        let roman = ["I", "II", "III", "IV"][(self.number - 1) as usize];
        format!("Quý {roman}/{}", self.year)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

/// The commune's (or a team's) report for a quarter: `GET /api/v1/reports/quarterly`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterlyReport {
    /// `2026-Q4`.
    pub quarter: String,
    /// "Quý IV/2026".
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// When the report is due upward: the 10th of the quarter's last month.
    pub due: NaiveDate,
    pub commune: String,
    pub generated_at: DateTime<Utc>,
    pub totals: Totals,
    pub programmes: Vec<ProgrammeFigures>,
    pub villages: Vec<VillageFigures>,
    pub teams: Vec<TeamFigures>,
    /// Counted apart from visits, as in the dashboard.
    pub community_sessions: CommunitySessionFigures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeFigures {
    pub programme: Programme,
    pub label: String,
    /// Skills of the programme guided, and completed, counted per visit and skill.
    pub guided: u32,
    pub completed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamFigures {
    pub team_id: i64,
    pub name: String,
    pub doors: u32,
    pub households_guided: u32,
    pub people: u32,
}

/// The plan's programmes the report counts skills under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Programme {
    DigitalIdentity,
    OnlinePublicServices,
    CashlessPayments,
    /// "Chợ số": selling and buying online.
    ECommerce,
    OnlineSafety,
    CommunityLearning,
    /// Skills outside the six (devices, local platforms, health).
    Other,
}

impl Programme {
    pub const ALL: [Programme; 7] = [
        Programme::DigitalIdentity,
        Programme::OnlinePublicServices,
        Programme::CashlessPayments,
        Programme::ECommerce,
        Programme::OnlineSafety,
        Programme::CommunityLearning,
        Programme::Other,
    ];

    pub fn of(group: SkillGroup) -> Programme {
        match group {
            SkillGroup::DigitalIdentity => Programme::DigitalIdentity,
            SkillGroup::PublicServices => Programme::OnlinePublicServices,
            SkillGroup::CashlessPayment => Programme::CashlessPayments,
            SkillGroup::DigitalMarket | SkillGroup::OnlineShopping => Programme::ECommerce,
            SkillGroup::OnlineSafety => Programme::OnlineSafety,
            SkillGroup::DigitalLearning => Programme::CommunityLearning,
            SkillGroup::SmartDevices | SkillGroup::LocalPlatforms | SkillGroup::DigitalHealth => Programme::Other,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Programme::DigitalIdentity => "Định danh điện tử (VNeID)",
            Programme::OnlinePublicServices => "Dịch vụ công trực tuyến",
            Programme::CashlessPayments => "Thanh toán không dùng tiền mặt",
            Programme::ECommerce => "Thương mại điện tử \u{201c}Chợ số\u{201d}",
            Programme::OnlineSafety => "An toàn trên không gian mạng",
            Programme::CommunityLearning => "Học tập số cộng đồng",
            Programme::Other => "Kỹ năng số khác",
        }
    }
}

/// Skills guided and completed — each with its group, `None` for a skill no
/// longer in the catalogue — summed per programme of the plan, every
/// programme in the plan's order (a skill of no programme counts as "other").
pub fn programme_figures(skills: impl IntoIterator<Item = (Option<SkillGroup>, u32, u32)>) -> Vec<ProgrammeFigures> {
    let mut figures: Vec<ProgrammeFigures> = Programme::ALL
        .iter()
        .map(|programme| ProgrammeFigures {
            programme: *programme,
            label: programme.label_vi().to_owned(),
            guided: 0,
            completed: 0,
        })
        .collect();
    for (group, guided, completed) in skills {
        let programme = group.map_or(Programme::Other, Programme::of);
        if let Some(counted) = figures.iter_mut().find(|figures| figures.programme == programme) {
            counted.guided += guided;
            counted.completed += completed;
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn skills_are_summed_per_programme_in_the_plans_order() {
        let figures = programme_figures([
            (Some(SkillGroup::DigitalMarket), 2, 1),
            (Some(SkillGroup::OnlineShopping), 3, 3),
            (None, 1, 0),
            (Some(SkillGroup::DigitalHealth), 4, 2),
        ]);
        let programmes: Vec<Programme> = figures.iter().map(|figures| figures.programme).collect();
        assert_eq!(programmes, Programme::ALL);
        let of = |programme| figures.iter().find(|figures| figures.programme == programme).unwrap();
        assert_eq!((of(Programme::ECommerce).guided, of(Programme::ECommerce).completed), (5, 4));
        assert_eq!((of(Programme::Other).guided, of(Programme::Other).completed), (5, 2));
        assert_eq!(of(Programme::DigitalIdentity).guided, 0);
    }

    #[test]
    fn reports_are_due_on_the_tenth_of_the_quarters_last_month() {
        let dues: Vec<NaiveDate> = (1..=4).map(|number| Quarter { year: 2026, number }.report_due()).collect();
        assert_eq!(dues, [day(2026, 3, 10), day(2026, 6, 10), day(2026, 9, 10), day(2026, 12, 10)]);
    }

    #[test]
    fn quarters_have_their_calendar_bounds() {
        let q4 = Quarter::of(day(2026, 11, 25));
        assert_eq!(q4, Quarter { year: 2026, number: 4 });
        assert_eq!((q4.first_day(), q4.last_day()), (day(2026, 10, 1), day(2026, 12, 31)));
        let q1 = Quarter::of(day(2028, 2, 29));
        assert_eq!((q1.first_day(), q1.last_day()), (day(2028, 1, 1), day(2028, 3, 31)));
        assert_eq!(Quarter::of(day(2026, 3, 31)).number, 1);
        assert_eq!(Quarter::of(day(2026, 4, 1)).number, 2);
        assert_eq!(q4.label_vi(), "Quý IV/2026");
        assert_eq!(Quarter::parse("2026-q4"), Some(q4));
        assert_eq!(Quarter::parse(&q4.to_string()), Some(q4));
        assert_eq!(Quarter::parse("2026-Q5"), None);
        for loose in [" 2026-Q1", "2026-Q1 ", "2026-Q01", "+2026-Q1", "02026-Q1", "2026-Q", "2026Q1"] {
            assert_eq!(Quarter::parse(loose), None, "{loose:?}");
        }
    }

    #[test]
    fn every_skill_group_is_reported_under_one_programme() {
        assert_eq!(Programme::of(SkillGroup::OnlineShopping), Programme::ECommerce);
        assert_eq!(Programme::of(SkillGroup::DigitalMarket), Programme::ECommerce);
        assert_eq!(Programme::of(SkillGroup::DigitalLearning), Programme::CommunityLearning);
    }
}
