//! Pure ranking: ranks from totals with the plan's tie-break keys, grades
//! from thresholds, and proposed awards within quotas. No I/O; the result
//! depends only on the entries' values, never on their order (property-tested).
//!
//! Totals are compared rounded to two decimals, so binary floating-point
//! noise cannot split a real tie.

use serde::Serialize;

use crate::plan::{Award, GradeThreshold, Quota};
use crate::text::words::Grade;

/// One ranked unit's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The unit code; used only to order the output of true ties.
    pub id: String,
    /// The score that ranks (the final total, or the converted score).
    pub score: f64,
    /// Tie-break values in the plan's order, higher is better (a penalty
    /// key is stored negated).
    pub keys: Vec<f64>,
    pub grade: Option<Grade>,
    /// Barred from awards (Loại khỏi khen thưởng).
    pub barred: bool,
}

/// A unit's place and proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placing {
    pub id: String,
    /// Xếp hạng: 1, 1, 3 for a shared first place.
    pub rank: u32,
    /// True when another unit has the same rank.
    pub shared: bool,
    /// True when the rank was decided by a tie-break key, not the total.
    pub by_tie_break: bool,
    /// The award proposed.
    pub award: Option<String>,
    /// Awards this unit is tied for at the edge of the quota: cần bình xét.
    pub needs_vote: Option<String>,
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn key_of(e: &Entry) -> (i64, Vec<i64>) {
    (cents(e.score), e.keys.iter().map(|k| cents(*k)).collect())
}

/// The grade a score earns: the best threshold it reaches.
pub fn grade(thresholds: &[GradeThreshold], score: f64) -> Option<Grade> {
    let mut sorted: Vec<&GradeThreshold> = thresholds.iter().collect();
    sorted.sort_by(|a, b| b.min.total_cmp(&a.min));
    sorted
        .into_iter()
        .find(|t| cents(score) >= cents(t.min))
        .map(|t| t.grade)
}

/// How many units a quota allows among `members`.
pub fn quota_size(quota: Quota, members: usize) -> usize {
    match quota {
        Quota::Count(n) => n as usize,
        // A share of the members, rounded down.
        Quota::Share(pct) => ((members as f64) * pct / 100.0 + crate::score::EPS).floor() as usize,
    }
}

/// Ranks entries and proposes awards. Output is in rank order, ties by id.
pub fn rank(entries: &[Entry], awards: &[Award], members: usize) -> Vec<Placing> {
    // Each entry's key made once, not once per comparison.
    let mut keyed: Vec<((i64, Vec<i64>), &Entry)> =
        entries.iter().map(|e| (key_of(e), e)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| kb.cmp(ka).then_with(|| a.id.cmp(&b.id)));
    let order: Vec<&Entry> = keyed.into_iter().map(|(_, e)| e).collect();
    let mut placings: Vec<Placing> = Vec::with_capacity(order.len());
    for (i, e) in order.iter().enumerate() {
        let rank = match i.checked_sub(1).map(|p| order[p]) {
            Some(prev) if key_of(prev) == key_of(e) => placings[i - 1].rank,
            _ => i as u32 + 1,
        };
        placings.push(Placing {
            id: e.id.clone(),
            rank,
            shared: false,
            by_tie_break: false,
            award: None,
            needs_vote: None,
        });
    }
    // Shared: another unit has the same rank. Decided by a tie-break:
    // another unit has the same total but another rank. Counted per rank and
    // per total, so a national ranking stays linear.
    use std::collections::{HashMap, HashSet};
    let mut per_rank: HashMap<u32, usize> = HashMap::new();
    let mut ranks_per_total: HashMap<i64, HashSet<u32>> = HashMap::new();
    for (p, e) in placings.iter().zip(&order) {
        *per_rank.entry(p.rank).or_default() += 1;
        ranks_per_total
            .entry(cents(e.score))
            .or_default()
            .insert(p.rank);
    }
    for (p, e) in placings.iter_mut().zip(&order) {
        p.shared = per_rank[&p.rank] > 1;
        p.by_tie_break = ranks_per_total[&cents(e.score)].len() > 1;
    }
    propose_awards(&order, &mut placings, awards, members);
    placings
}

/// Awards in the plan's order: each goes down the ranking to eligible units
/// (not barred, grade good enough, no award yet, not already in a vote); a
/// tie that straddles the quota's edge puts every tied unit to the vote.
fn propose_awards(order: &[&Entry], placings: &mut [Placing], awards: &[Award], members: usize) {
    for award in awards {
        let mut left = quota_size(award.quota, members);
        let eligible: Vec<usize> = (0..order.len())
            .filter(|&i| {
                let e = order[i];
                !e.barred
                    && placings[i].award.is_none()
                    && placings[i].needs_vote.is_none()
                    && award
                        .min_grade
                        .is_none_or(|min| e.grade.is_some_and(|g| g.at_least(min)))
            })
            .collect();
        let mut k = 0;
        while left > 0 && k < eligible.len() {
            let rank = placings[eligible[k]].rank;
            let group: Vec<usize> = eligible[k..]
                .iter()
                .copied()
                .take_while(|&i| placings[i].rank == rank)
                .collect();
            if group.len() <= left {
                for &i in &group {
                    placings[i].award = Some(award.name.clone());
                }
                left -= group.len();
            } else {
                for &i in &group {
                    placings[i].needs_vote = Some(award.name.clone());
                }
                left = 0;
            }
            k += group.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(id: &str, score: f64, keys: &[f64]) -> Entry {
        Entry {
            id: id.into(),
            score,
            keys: keys.to_vec(),
            grade: Some(Grade::Excellent),
            barred: false,
        }
    }

    fn awards() -> Vec<Award> {
        vec![
            Award {
                name: "Cờ thi đua".into(),
                quota: Quota::Count(1),
                min_grade: Some(Grade::Excellent),
            },
            Award {
                name: "Bằng khen".into(),
                quota: Quota::Count(2),
                min_grade: Some(Grade::Good),
            },
        ]
    }

    fn ranks(p: &[Placing]) -> Vec<(String, u32)> {
        p.iter().map(|p| (p.id.clone(), p.rank)).collect()
    }

    #[test]
    fn shared_ranks_skip_places() {
        let p = rank(
            &[
                entry("A", 90.0, &[]),
                entry("B", 90.0, &[]),
                entry("C", 80.0, &[]),
            ],
            &[],
            3,
        );
        assert_eq!(
            ranks(&p),
            [("A".into(), 1), ("B".into(), 1), ("C".into(), 3)]
        );
        assert!(p[0].shared && p[1].shared && !p[2].shared);
    }

    #[test]
    fn tie_break_keys_separate_equal_totals() {
        // Equal totals; B has more in section I.
        let p = rank(
            &[
                entry("A", 90.0, &[40.0, 0.0]),
                entry("B", 90.0, &[45.0, -1.0]),
            ],
            &[],
            2,
        );
        assert_eq!(ranks(&p), [("B".into(), 1), ("A".into(), 2)]);
        assert!(p[0].by_tie_break && p[1].by_tie_break);
    }

    #[test]
    fn barred_unit_keeps_rank_but_gets_no_award() {
        let mut top = entry("A", 99.0, &[]);
        top.barred = true;
        let p = rank(
            &[top, entry("B", 95.0, &[]), entry("C", 90.0, &[])],
            &awards(),
            3,
        );
        assert_eq!(p[0].rank, 1);
        assert_eq!(p[0].award, None);
        assert_eq!(p[1].award.as_deref(), Some("Cờ thi đua"));
        assert_eq!(p[2].award.as_deref(), Some("Bằng khen"));
    }

    #[test]
    fn tie_at_the_quota_edge_goes_to_the_vote() {
        let entries = [
            entry("A", 99.0, &[]),
            entry("B", 95.0, &[]),
            entry("C", 90.0, &[]),
            entry("D", 90.0, &[]),
            entry("E", 80.0, &[]),
        ];
        let p = rank(&entries, &awards(), 5);
        assert_eq!(p[0].award.as_deref(), Some("Cờ thi đua"));
        assert_eq!(p[1].award.as_deref(), Some("Bằng khen"));
        assert_eq!(p[2].needs_vote.as_deref(), Some("Bằng khen"));
        assert_eq!(p[3].needs_vote.as_deref(), Some("Bằng khen"));
        assert_eq!((p[2].award.clone(), p[4].award.clone()), (None, None));
    }

    #[test]
    fn grade_below_the_minimum_is_skipped() {
        let mut low = entry("B", 95.0, &[]);
        low.grade = Some(Grade::Complete);
        let p = rank(
            &[entry("A", 99.0, &[]), low, entry("C", 90.0, &[])],
            &awards(),
            3,
        );
        assert_eq!(p[1].award, None);
        assert_eq!(p[2].award.as_deref(), Some("Bằng khen"));
    }

    #[test]
    fn quota_shares_round_down() {
        assert_eq!(quota_size(Quota::Share(20.0), 12), 2);
        assert_eq!(quota_size(Quota::Share(20.0), 10), 2);
        assert_eq!(quota_size(Quota::Share(20.0), 4), 0);
        assert_eq!(quota_size(Quota::Count(3), 12), 3);
    }

    #[test]
    fn grades_from_thresholds() {
        let t = vec![
            GradeThreshold {
                grade: Grade::Good,
                min: 70.0,
            },
            GradeThreshold {
                grade: Grade::Excellent,
                min: 90.0,
            },
            GradeThreshold {
                grade: Grade::Complete,
                min: 50.0,
            },
        ];
        assert_eq!(grade(&t, 90.0), Some(Grade::Excellent));
        assert_eq!(
            grade(&t, 89.999),
            Some(Grade::Excellent),
            "compared in cents"
        );
        assert_eq!(grade(&t, 75.0), Some(Grade::Good));
        assert_eq!(grade(&t, 10.0), None);
    }

    proptest! {
        #[test]
        fn ranking_ignores_input_order(
            scores in proptest::collection::vec((0u8..6, 0u8..3, proptest::bool::ANY), 1..12),
            seed in 0u64..1000,
        ) {
            let entries: Vec<Entry> = scores
                .iter()
                .enumerate()
                .map(|(i, (s, k, barred))| Entry {
                    id: format!("U{i:02}"),
                    score: 80.0 + *s as f64 * 2.5,
                    keys: vec![*k as f64],
                    grade: Some(Grade::Excellent),
                    barred: *barred,
                })
                .collect();
            let mut shuffled = entries.clone();
            // A deterministic shuffle from the seed.
            let n = shuffled.len();
            for i in (1..n).rev() {
                let j = ((seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64)) % (i as u64 + 1)) as usize;
                shuffled.swap(i, j);
            }
            prop_assert_eq!(rank(&entries, &awards(), n), rank(&shuffled, &awards(), n));
        }
    }
}
