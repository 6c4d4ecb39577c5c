//! A season of work in the demo commune, so whoever opens the demo sees a
//! living one: a few hundred households (most agreed to give their names,
//! some did not), three months of visits by the team up to today, returns
//! due and overdue, and community sessions. Stored through the same storage
//! call a phone's push reaches, so every figure is kept as in real use.
//! Made the same way every time (a fixed seed), and only once: a commune
//! whose team already has households is left as it is.

use super::{TEAM_MEMBERS_LOGGING, VILLAGES};
use crate::access;
use crate::db::{Actor, Change, ChangeBatch, Database, Principal, SessionCheck};
use crate::token;
use anyhow::{bail, Context};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use gocua_domain::catalogue::Catalogue;
use gocua_domain::sync::{PushStatus, Pushed, MAX_PUSH_CHANGES};
use gocua_domain::time::{local_day, start_of_day};
use gocua_domain::visit::{FollowUpInput, SkillTaughtInput};
use gocua_domain::{
    CommunitySession, CommunitySessionId, CommunitySessionInput, Household, HouseholdId, HouseholdInput, Outcome,
    PeopleGuided, Visit, VisitId, VisitInput,
};

/// How much work a demo commune has done: the province's view shows
/// communes of different progress side by side.
#[derive(Debug, Clone, Copy)]
pub struct Season {
    /// Households the team has met.
    pub households: usize,
    /// The days visits fall on, counted back from the last day of work.
    pub days: i64,
    /// Days since the last day of work: a commune gone quiet has many.
    pub quiet_days: i64,
    /// Community sessions held, one a fortnight back from the last day of work.
    pub sessions: i64,
    /// Where the generator starts: each commune's season is its own, the same every time.
    pub seed: u64,
}

/// Kiến Minh's: about half of the villages' doors over three months up to today.
pub const KIEN_MINH: Season =
    Season { households: 240, days: 90, quiet_days: 0, sessions: 6, seed: 0x9E37_79B9_7F4A_7C15 };

/// One in this many households did not agree to give its name, address and phone.
const WITHOUT_CONSENT_ONE_IN: u64 = 8;

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh", "Hữu", "Kim"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Long", "Mai",
    "Nam", "Nga", "Phúc", "Phương", "Sơn", "Tâm", "Thảo", "Tuấn", "Vân", "Xuân", "Yến",
];
const LANES: &[&str] = &["ngõ Chợ", "xóm Giữa", "ngõ Đình", "xóm Trại", "ngõ Giếng", "đường làng"];
/// Skills guided, the common ones first (picked more often).
const SKILLS: &[&str] = &[
    "vneid.level2",
    "payment.qr",
    "safety.scam",
    "vneid.install",
    "publicservice.submit",
    "publicservice.account",
    "payment.account",
    "device.messaging",
    "ecommerce.buy",
    "local.platform",
    "safety.account",
    "health.record",
];
const FOLLOW_UPS: &[&str] = &[
    "Hướng dẫn nộp hồ sơ cấp đổi giấy tờ trên Cổng dịch vụ công",
    "Kích hoạt tài khoản định danh mức 2 khi có căn cước",
    "Cài ứng dụng ngân hàng cho con gái",
    "Ông cụ muốn học gọi video cho cháu",
];

/// A small deterministic generator (xorshift): the same season every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

/// One of the team who logs visits: the actor and their sign-in (device).
struct Logger {
    actor: Actor,
    device: i64,
}

/// Fills the demo commune with a season of work ending `now`, unless its team already has households.
pub async fn ensure(db: &Database, now: DateTime<Utc>) -> anyhow::Result<()> {
    fill(db, now, &TEAM_MEMBERS_LOGGING, VILLAGES, &KIEN_MINH).await
}

/// Fills a demo commune with `season`'s work, logged by `members` (of one team,
/// the first a volunteer) in `villages`, unless the team already has households.
pub async fn fill(
    db: &Database,
    now: DateTime<Utc>,
    members: &[&str],
    villages: &[(&str, u32)],
    season: &Season,
) -> anyhow::Result<()> {
    let mut loggers = Vec::new();
    for username in members {
        let credentials =
            db.credentials(username).await?.with_context(|| format!("the demo account {username} is missing"))?;
        // A sign-in of its own, as a phone would have; nobody holds its token, and it lapses in a minute.
        let token_hash = token::hash(&token::generate());
        db.create_session(credentials.user_id, &token_hash, "Điện thoại thử", now, now + Duration::minutes(1)).await?;
        let SessionCheck::Valid { principal: Principal::Commune(actor), session_id } =
            db.check_session(&token_hash, now).await?
        else {
            bail!("the demo sign-in of {username} did not hold");
        };
        loggers.push(Logger { actor, device: session_id });
    }
    let first = &loggers[0];
    if !db.visible_households(&access::scope(&first.actor)).await?.is_empty() {
        return Ok(());
    }
    let profile = db.profile(first.actor.user_id).await?;
    let villages: Vec<i64> = villages
        .iter()
        .filter_map(|(name, _)| profile.villages.iter().find(|village| village.name == *name).map(|village| village.id))
        .collect();
    let catalogue = db.catalogue(first.actor.commune_id).await?;
    let mut dice = Dice(season.seed);
    let last_day = local_day(now) - Duration::days(season.quiet_days);

    // Households, each found by one of the team.
    let mut households = Vec::with_capacity(season.households);
    for n in 0..season.households {
        let village_id = *dice.pick(&villages);
        let consent = !dice.one_in(WITHOUT_CONSENT_ONE_IN);
        let input = HouseholdInput {
            id: HouseholdId::new().to_string(),
            village_id,
            head_name: if consent {
                format!("{} {} {}", dice.pick(FAMILY), dice.pick(MIDDLE), dice.pick(GIVEN))
            } else {
                String::new()
            },
            address: if consent { format!("Số {}, {}", 1 + n % 60, dice.pick(LANES)) } else { String::new() },
            phone: if consent && dice.one_in(2) { format!("09{:08}", dice.below(100_000_000)) } else { String::new() },
            members: Some(1 + dice.below(6) as u32),
            consent,
            ..Default::default()
        };
        households.push(Household::parse(&input).map_err(|errors| refused("household", errors))?);
    }
    let by = |dice: &mut Dice| dice.below(loggers.len() as u64) as usize;
    let mut batches: Vec<Vec<Change>> = vec![Vec::new(); loggers.len()];
    for household in &households {
        batches[by(&mut dice)].push(Change::Household(Pushed::new_record(household.clone())));
    }

    // Visits over the season: most households once or twice, some three times.
    for household in &households {
        let visits = 1 + dice.below(3);
        for _ in 0..visits {
            let days_ago = dice.below(season.days as u64) as i64;
            let day = last_day - Duration::days(days_ago);
            // Between 8:00 and 17:00 in Vietnam, never after now.
            let at = (start_of_day(day) + Duration::minutes(8 * 60 + dice.below(9 * 60) as i64)).min(now);
            let visit = season_visit(&mut dice, household.id, at, now, &catalogue)?;
            batches[by(&mut dice)].push(Change::Visit(Pushed::new_record(visit)));
        }
    }

    // Community sessions, held by the leader's side of the team.
    for fortnight in 0..season.sessions {
        let held_on = last_day - Duration::days(7 + 14 * fortnight);
        let session = CommunitySession::parse(
            &CommunitySessionInput {
                id: CommunitySessionId::new().to_string(),
                village_id: *dice.pick(&villages),
                place: if fortnight % 2 == 0 { "Nhà văn hóa thôn".into() } else { "Trường tiểu học".into() },
                held_on: Some(held_on),
                skills: vec!["vneid.level2".into(), "safety.scam".into()],
                attendees: PeopleGuided {
                    adults: 12 + dice.below(20) as u32,
                    elderly: 5 + dice.below(8) as u32,
                    ..Default::default()
                },
                note: "Buổi hướng dẫn chung: định danh điện tử, nhận biết lừa đảo qua mạng.".into(),
                revision: 1,
            },
            now,
            &catalogue,
        )
        .map_err(|errors| refused("community session", errors))?;
        batches[by(&mut dice)].push(Change::CommunitySession(Pushed::new_record(session)));
    }

    // Every household first, as the team's phones would have them before visits to them.
    let (households, others): (Vec<Vec<Change>>, Vec<Vec<Change>>) = batches
        .into_iter()
        .map(|changes| changes.into_iter().partition(|change| matches!(change, Change::Household(_))))
        .unzip();
    for stage in [households, others] {
        for (logger, changes) in loggers.iter().zip(stage) {
            let scope = access::scope(&logger.actor);
            for chunk in changes.chunks(MAX_PUSH_CHANGES) {
                let batch = ChangeBatch { device: logger.device, changes: chunk.to_vec() };
                for answer in db.store_changes(&scope, &batch, now).await? {
                    match answer {
                        Ok(stored) if stored.status == PushStatus::Applied => {}
                        other => bail!("a change of the demo season was not stored: {other:?}"),
                    }
                }
            }
        }
    }
    Ok(())
}

/// A visit of the season at `at`: mostly guided, some nobody home, asked to come back, or declined.
fn season_visit(
    dice: &mut Dice,
    household: HouseholdId,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    catalogue: &Catalogue,
) -> anyhow::Result<Visit> {
    let day: NaiveDate = local_day(at);
    let roll = dice.below(100);
    let outcome = match roll {
        0..=69 => Outcome::Guided,
        70..=84 => Outcome::NobodyHome,
        85..=94 => Outcome::ComeBack,
        _ => Outcome::Declined,
    };
    let mut input = VisitInput {
        id: VisitId::new().to_string(),
        household_id: household.to_string(),
        outcome: Some(outcome),
        visited_at: Some(at),
        ..Default::default()
    };
    match outcome {
        Outcome::Guided => {
            let adults = 1 + dice.below(3) as u32;
            input.people = PeopleGuided {
                adults,
                elderly: dice.below(u64::from(adults) + 1) as u32,
                pupils: if dice.one_in(3) { 1 + dice.below(2) as u32 } else { 0 },
                workers: u32::from(dice.one_in(5)),
                officials: u32::from(dice.one_in(12)),
            };
            let taught = 1 + dice.below(3);
            for _ in 0..taught {
                // The common skills first: the lower half of the list, twice as often.
                let code = if dice.one_in(3) { dice.pick(SKILLS) } else { dice.pick(&SKILLS[..SKILLS.len() / 2]) };
                input.skills.push(SkillTaughtInput { code: (*code).into(), completed: !dice.one_in(4) });
            }
            if dice.one_in(6) {
                input.follow_up = Some(FollowUpInput {
                    on: Some(day + Duration::days(3 + dice.below(25) as i64)),
                    reason: (*dice.pick(FOLLOW_UPS)).into(),
                });
            }
        }
        Outcome::ComeBack => input.come_back_on = Some(day + Duration::days(1 + dice.below(14) as i64)),
        Outcome::NobodyHome | Outcome::Declined => {}
    }
    input.note = match outcome {
        Outcome::Guided => "Đã hướng dẫn tại nhà, cả nhà làm theo được.".into(),
        Outcome::NobodyHome => "Nhà đi làm đồng, sẽ ghé lại buổi tối.".into(),
        Outcome::ComeBack => "Hộ hẹn hôm khác khi con cái có nhà.".into(),
        Outcome::Declined => String::new(),
    };
    Visit::parse(&input, now, catalogue).map_err(|errors| refused("visit", errors))
}

/// A record of the season the domain's rules refuse: a mistake in this module.
fn refused(what: &str, errors: Vec<gocua_domain::FieldError>) -> anyhow::Error {
    let problems: Vec<String> = errors.iter().map(|error| error.message_vi()).collect();
    anyhow::anyhow!("a demo {what} the rules refuse: {}", problems.join(" "))
}
