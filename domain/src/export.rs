//! The visit log as a table for Excel and LibreOffice: its Vietnamese column
//! headers, one row per visit with skills in words and dates as dd/mm/yyyy,
//! and text cells neutralised against formula injection.

use crate::catalogue::Catalogue;
use crate::time::{format_date, local_day, vietnam};
use crate::visit::Visit;
use chrono::{NaiveDate, Timelike};
use std::borrow::Cow;

/// One cell: text, a whole number (kept as a number so spreadsheets can sum
/// it) or a day (a real date in XLSX, shown dd/mm/yyyy; written so in CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(u32),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as CSV text.
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(text) => Cow::Borrowed(text),
            Cell::Number(number) => Cow::Owned(number.to_string()),
            Cell::Date(day) => Cow::Owned(format_date(*day)),
        }
    }
}

/// What a row needs beyond the visit: names from the server's tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitLogRow {
    pub visit: Visit,
    pub village: String,
    /// Empty for a household that gave no personal data.
    pub head_name: String,
    pub address: String,
    pub team: String,
    pub author: String,
}

pub const HEADERS: [&str; 18] = [
    "Ngày thăm",
    "Giờ",
    "Thôn",
    "Chủ hộ",
    "Địa chỉ",
    "Tổ",
    "Người ghi",
    "Kết quả",
    "Cán bộ, công chức, viên chức",
    "Học sinh",
    "Người dân trưởng thành",
    "Trong đó người cao tuổi",
    "Người lao động doanh nghiệp, HTX",
    "Kỹ năng đã hướng dẫn",
    "Kỹ năng đã hoàn thành",
    "Hẹn quay lại",
    "Theo dõi tiếp",
    "Ghi chú",
];

/// A spreadsheet evaluates text starting with these as a formula (or, with
/// tab and carriage return, a cell boundary some importers honour).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text a spreadsheet will show as text: a leading apostrophe keeps `=HYPERLINK(…)`
/// from running. Everything else is left exactly as typed.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// How many records a CSV export holds after its header: line breaks inside
/// quoted cells (a note written on several lines) do not start a record.
pub fn csv_records(csv: &[u8]) -> usize {
    let mut quoted = false;
    let mut breaks: usize = 0;
    for byte in csv {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => breaks += 1,
            _ => {}
        }
    }
    breaks.saturating_sub(1)
}

impl VisitLogRow {
    /// The row's cells, in the order of [`HEADERS`]; text already neutralised.
    pub fn cells(&self, catalogue: &Catalogue) -> Vec<Cell> {
        let visit = &self.visit;
        let local = visit.visited_at.with_timezone(&vietnam());
        let text = |value: &str| Cell::Text(neutralise(value).into_owned());
        let skills = |completed_only: bool| {
            let labels: Vec<&str> = visit
                .skills
                .iter()
                .filter(|skill| !completed_only || skill.completed)
                .map(|skill| catalogue.label(&skill.code))
                .collect();
            text(&labels.join("; "))
        };
        let follow_up = visit
            .follow_up
            .as_ref()
            .map(|f| {
                if f.reason.is_empty() {
                    format_date(f.on)
                } else {
                    format!("{} – {}", format_date(f.on), f.reason)
                }
            })
            .unwrap_or_default();
        vec![
            Cell::Date(local_day(visit.visited_at)),
            Cell::Text(format!("{:02}:{:02}", local.hour(), local.minute())),
            text(&self.village),
            text(&self.head_name),
            text(&self.address),
            text(&self.team),
            text(&self.author),
            Cell::Text(visit.outcome.label_vi().to_owned()),
            Cell::Number(visit.people.officials),
            Cell::Number(visit.people.pupils),
            Cell::Number(visit.people.adults),
            Cell::Number(visit.people.elderly),
            Cell::Number(visit.people.workers),
            skills(false),
            skills(true),
            visit.come_back_on.map_or(Cell::Text(String::new()), Cell::Date),
            text(&follow_up),
            text(&visit.note),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visit::{SkillTaughtInput, VisitInput};
    use crate::{HouseholdId, Outcome, PeopleGuided, VisitId};

    #[test]
    fn formulas_are_neutralised_and_other_text_is_untouched() {
        for attack in ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(attack), format!("'{attack}"));
        }
        assert_eq!(neutralise("Nguyễn Văn An"), "Nguyễn Văn An");
        assert_eq!(neutralise("Số 12 - ngõ 3"), "Số 12 - ngõ 3");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn records_are_counted_across_line_breaks_in_notes() {
        assert_eq!(csv_records(b"a,b\n1,\"hai\ndong\"\n3,x\n"), 2);
        assert_eq!(csv_records(b"a,b\n"), 0);
    }

    #[test]
    fn a_row_reads_in_vietnamese_with_local_dates() {
        let input = VisitInput {
            id: VisitId::new().to_string(),
            household_id: HouseholdId::new().to_string(),
            outcome: Some(Outcome::Guided),
            people: PeopleGuided { adults: 2, elderly: 1, ..Default::default() },
            skills: vec![
                SkillTaughtInput { code: "vneid.level2".into(), completed: true },
                SkillTaughtInput { code: "payment.qr".into(), completed: false },
            ],
            note: "=1+1".into(),
            // 23:30 in Vietnam: still the 2nd there.
            visited_at: Some("2026-03-02T16:30:00Z".parse().unwrap()),
            ..Default::default()
        };
        let now = "2026-03-03T00:00:00Z".parse().unwrap();
        let visit = Visit::parse(&input, now, &Catalogue::starting()).unwrap();
        let row = VisitLogRow {
            visit,
            village: "Thôn Đông".into(),
            head_name: "Nguyễn Văn An".into(),
            address: "Số 12".into(),
            team: "Tổ CNSCĐ thôn Đông".into(),
            author: "Phạm Thu Trang".into(),
        };
        let cells = row.cells(&Catalogue::starting());
        assert_eq!(cells.len(), HEADERS.len());
        assert_eq!(cells[0].to_text(), "02/03/2026");
        assert_eq!(cells[1], Cell::Text("23:30".into()));
        assert_eq!(cells[7], Cell::Text("Đã hướng dẫn".into()));
        assert_eq!(cells[10], Cell::Number(2));
        let Cell::Text(guided) = &cells[13] else { panic!() };
        assert_eq!(guided.matches("; ").count(), 1, "two skills: {guided}");
        let Cell::Text(completed) = &cells[14] else { panic!() };
        assert!(!completed.contains(';'));
        assert_eq!(cells[17], Cell::Text("'=1+1".into()));
    }
}
