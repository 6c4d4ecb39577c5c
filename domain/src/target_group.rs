//! The plan's four target groups, and how many people of each a visit guided.

use serde::{Deserialize, Serialize};

/// Every person guided belongs to one of the plan's four groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// Cán bộ, công chức, viên chức, người lao động.
    Officials,
    /// Học sinh.
    Pupils,
    /// Người dân trưởng thành (the elderly are counted again inside it).
    Adults,
    /// Người lao động trong doanh nghiệp, hợp tác xã.
    Workers,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 4] =
        [TargetGroup::Officials, TargetGroup::Pupils, TargetGroup::Adults, TargetGroup::Workers];

    pub fn label(self) -> &'static str {
        match self {
            TargetGroup::Officials => "Cán bộ, công chức, viên chức, người lao động",
            TargetGroup::Pupils => "Học sinh",
            TargetGroup::Adults => "Người dân trưởng thành",
            TargetGroup::Workers => "Người lao động trong doanh nghiệp, hợp tác xã",
        }
    }
}

/// People guided in one visit, per target group. The elderly (60+) are a
/// priority sub-group of adult residents, so they are counted inside `adults`
/// and again in `elderly`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleGuided {
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub officials: u32,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub pupils: u32,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub adults: u32,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub elderly: u32,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub workers: u32,
}

impl PeopleGuided {
    pub fn get(&self, group: TargetGroup) -> u32 {
        match group {
            TargetGroup::Officials => self.officials,
            TargetGroup::Pupils => self.pupils,
            TargetGroup::Adults => self.adults,
            TargetGroup::Workers => self.workers,
        }
    }

    pub fn set(&mut self, group: TargetGroup, count: u32) {
        match group {
            TargetGroup::Officials => self.officials = count,
            TargetGroup::Pupils => self.pupils = count,
            TargetGroup::Adults => self.adults = count,
            TargetGroup::Workers => self.workers = count,
        }
    }

    /// Both counts together, group by group (a province's communes summed).
    pub fn plus(&self, other: &PeopleGuided) -> PeopleGuided {
        PeopleGuided {
            officials: self.officials + other.officials,
            pupils: self.pupils + other.pupils,
            adults: self.adults + other.adults,
            elderly: self.elderly + other.elderly,
            workers: self.workers + other.workers,
        }
    }

    /// Everyone guided; the elderly are already inside `adults`.
    pub fn total(&self) -> u64 {
        TargetGroup::ALL.iter().map(|group| u64::from(self.get(*group))).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_does_not_count_the_elderly_twice() {
        let people = PeopleGuided { officials: 1, pupils: 2, adults: 3, elderly: 2, workers: 4 };
        assert_eq!(people.total(), 10);
    }

    #[test]
    fn missing_groups_default_to_zero() {
        let people: PeopleGuided = serde_json::from_str(r#"{"adults":2}"#).unwrap();
        assert_eq!(people.total(), 2);
    }
}
