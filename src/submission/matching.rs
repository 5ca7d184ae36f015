//! Matching the rows of a score table to the plan's indicators and
//! bonus/penalty items: by the code column first; then by a number in the
//! `TT` column or the text when the wording agrees; then by wording
//! (diacritics, abbreviations, typos and added words tolerated), within the
//! row's section and keeping the plan's order, so that two similar wordings
//! cannot swap; last, a lone row left between two matched rows takes the
//! lone indicator left between them. Every match says how it was made.

use serde::Serialize;

use super::layout::{Block, Item};
use crate::plan::{AdjustmentKind, Plan, code_key};
use crate::text::wording::{wording_similarity, words};
use crate::vocab::AdjustmentHeading;

/// Wording this similar (0..1) to a plan item's is taken as that item.
pub const WORDING_MATCH: f64 = 0.6;
/// A number in the text is taken as the plan's code when the wording is
/// at least this similar too.
const NUMBER_AGREES: f64 = 0.4;
/// A second candidate this close to the best makes the match ambiguous.
const AMBIGUOUS_MARGIN: f64 = 0.05;

/// How a row was matched to the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum MatchedBy {
    /// The code column holds the plan's code.
    Code,
    /// A number in the `TT` column or at the start of the text is the
    /// plan's code and the wording agrees.
    Number { similarity: f64 },
    /// The wording alone.
    Wording {
        similarity: f64,
        /// A second candidate almost as close, when there was one.
        #[serde(skip_serializing_if = "Option::is_none")]
        ambiguous_with: Option<String>,
    },
    /// The only row left between two matched rows, for the only item left
    /// between their items.
    Position,
}

/// What a row is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Indicator(usize),
    Adjustment(usize),
}

/// The match of each item (parallel to the items).
pub fn match_items(plan: &Plan, items: &[Item]) -> Vec<Option<(Target, MatchedBy)>> {
    let mut out: Vec<Option<(Target, MatchedBy)>> = vec![None; items.len()];
    match_codes(plan, items, &mut out);
    if out.iter().all(Option::is_some) {
        // Every row carries the plan's code: no wording to compare.
        return out;
    }
    let ind_words: Vec<Vec<String>> = plan.indicators.iter().map(|i| words(&i.content)).collect();
    let adj_words: Vec<Vec<String>> = plan.adjustments.iter().map(|a| words(&a.content)).collect();
    // Rows matched by code need no wording.
    let row_words: Vec<Vec<String>> = items
        .iter()
        .zip(&out)
        .map(|(item, m)| {
            if m.is_none() {
                words(&item.text)
            } else {
                Vec::new()
            }
        })
        .collect();
    let words_of = |t: Target| match t {
        Target::Indicator(i) => &ind_words[i],
        Target::Adjustment(i) => &adj_words[i],
    };
    // 2. A number that is the plan's code, where the wording agrees.
    for (k, item) in items.iter().enumerate() {
        if out[k].is_some() {
            continue;
        }
        let Some(number) = &item.number else { continue };
        let number = code_key(number);
        let found = candidates(plan, item)
            .into_iter()
            .find(|t| code_of(plan, *t).is_some_and(|c| code_key(c) == number));
        if let Some(t) = found {
            let sim = wording_similarity(&row_words[k], words_of(t));
            if sim >= NUMBER_AGREES && !taken(&out, t) {
                out[k] = Some((
                    t,
                    MatchedBy::Number {
                        similarity: round3(sim),
                    },
                ));
            }
        }
    }
    // 3. Wording, best pairs first, keeping the plan's order.
    let mut pairs: Vec<(f64, usize, Target)> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        if out[k].is_some() || row_words[k].is_empty() {
            continue;
        }
        for t in candidates(plan, item) {
            let sim = wording_similarity(&row_words[k], words_of(t));
            if sim >= WORDING_MATCH {
                pairs.push((sim, k, t));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(sim, k, t) in &pairs {
        if out[k].is_some() || taken(&out, t) || !in_order(items, &out, k, t) {
            continue;
        }
        let rival = pairs
            .iter()
            .filter(|(s, kk, tt)| {
                *kk == k && *tt != t && *s >= sim - AMBIGUOUS_MARGIN && !taken(&out, *tt)
            })
            .map(|(_, _, tt)| *tt)
            .next();
        out[k] = Some((
            t,
            MatchedBy::Wording {
                similarity: round3(sim),
                ambiguous_with: rival.and_then(|r| code_of(plan, r)).map(str::to_string),
            },
        ));
    }
    // 4. Position: one row left between matched neighbours, one indicator
    // left between theirs.
    by_position(plan, items, &mut out);
    out
}

/// 1. The code column.
fn match_codes(plan: &Plan, items: &[Item], out: &mut [Option<(Target, MatchedBy)>]) {
    for (k, item) in items.iter().enumerate() {
        if item.code.is_empty() {
            continue;
        }
        if let Some(i) = plan.indicator_position(&item.code) {
            out[k] = Some((Target::Indicator(i), MatchedBy::Code));
        } else if let Some(i) = plan.adjustment_position(&item.code) {
            out[k] = Some((Target::Adjustment(i), MatchedBy::Code));
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn code_of(plan: &Plan, t: Target) -> Option<&str> {
    match t {
        Target::Indicator(i) => plan.indicators.get(i).map(|x| x.code.as_str()),
        Target::Adjustment(i) => plan.adjustments.get(i).map(|x| x.code.as_str()),
    }
}

fn taken(out: &[Option<(Target, MatchedBy)>], t: Target) -> bool {
    out.iter().flatten().any(|(x, _)| *x == t)
}

/// The plan items a row may be: indicators of its section (all, when the
/// sheet does not say), or the bonus/penalty items its heading opened.
fn candidates(plan: &Plan, item: &Item) -> Vec<Target> {
    match item.block {
        Block::Indicators => plan
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| item.section.as_ref().is_none_or(|s| *s == i.section))
            .map(|(k, _)| Target::Indicator(k))
            .collect(),
        Block::Adjustments(h) => plan
            .adjustments
            .iter()
            .enumerate()
            .filter(|(_, a)| match h {
                AdjustmentHeading::Both => true,
                AdjustmentHeading::Bonus => a.kind == AdjustmentKind::Bonus,
                AdjustmentHeading::Penalty => a.kind == AdjustmentKind::Penalty,
            })
            .map(|(k, _)| Target::Adjustment(k))
            .collect(),
    }
}

/// True when matching item `k` to `t` keeps the plan's order with every
/// match of the same kind made so far.
fn in_order(items: &[Item], out: &[Option<(Target, MatchedBy)>], k: usize, t: Target) -> bool {
    out.iter().enumerate().all(|(j, m)| match (m, t) {
        (Some((Target::Indicator(x), _)), Target::Indicator(y))
        | (Some((Target::Adjustment(x), _)), Target::Adjustment(y)) => {
            (items[j].row < items[k].row) == (*x < y)
        }
        _ => true,
    })
}

fn by_position(plan: &Plan, items: &[Item], out: &mut [Option<(Target, MatchedBy)>]) {
    let index = |m: &Option<(Target, MatchedBy)>| match m {
        Some((Target::Indicator(i), _)) => Some(*i),
        _ => None,
    };
    for k in 0..items.len() {
        let item = &items[k];
        if out[k].is_some()
            || !item.has_values
            || item.block != Block::Indicators
            || item.text.is_empty()
        {
            continue;
        }
        let before = (0..k).rev().find_map(|j| index(&out[j]).map(|i| (j, i)));
        let after = (k + 1..items.len()).find_map(|j| index(&out[j]).map(|i| (j, i)));
        let lo = before.map_or(0, |(_, i)| i + 1);
        let hi = after.map_or(plan.indicators.len(), |(_, i)| i);
        let rows_between = items
            [before.map_or(0, |(j, _)| j + 1)..after.map_or(items.len(), |(j, _)| j)]
            .iter()
            .filter(|it| it.has_values && it.block == Block::Indicators)
            .count();
        if hi == lo + 1
            && rows_between == 1
            && before.is_some()
            && after.is_some()
            && item
                .section
                .as_ref()
                .is_none_or(|s| *s == plan.indicators[lo].section)
            && !taken(out, Target::Indicator(lo))
        {
            out[k] = Some((Target::Indicator(lo), MatchedBy::Position));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::layout::Columns;

    fn plan() -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/ktkt-2022/ke-hoach.xlsx");
        crate::plan::load(&path).unwrap().plan
    }

    fn item(row: u32, code: &str, text: &str) -> Item {
        Item {
            row,
            columns: Columns::default(),
            code: code.into(),
            number: None,
            text: text.into(),
            section: Some("II".into()),
            block: Block::Indicators,
            has_values: true,
        }
    }

    fn codes(plan: &Plan, m: &[Option<(Target, MatchedBy)>]) -> Vec<Option<String>> {
        m.iter()
            .map(|x| {
                x.as_ref()
                    .and_then(|(t, _)| code_of(plan, *t))
                    .map(str::to_string)
            })
            .collect()
    }

    #[test]
    fn similar_wordings_keep_the_plans_order() {
        let plan = plan();
        // The first row could be 2.3 or 2.4; the second is plainly 2.4, so
        // the first, above it, is 2.3: the two cannot swap.
        let items = [
            item(10, "", "CBCCVC đạt danh hiệu Chiến sỹ thi đua"),
            item(
                11,
                "",
                "CBCCVC đạt danh hiệu Chiến sỹ thi đua cấp tỉnh hoặc ngành",
            ),
        ];
        let m = match_items(&plan, &items);
        assert_eq!(codes(&plan, &m), [Some("2.3".into()), Some("2.4".into())]);
        // Below it instead, it may not take 2.3 across 2.4.
        let items = [
            item(
                10,
                "",
                "CBCCVC đạt danh hiệu Chiến sỹ thi đua cấp tỉnh hoặc ngành",
            ),
            item(11, "", "CBCCVC đạt danh hiệu Chiến sỹ thi đua"),
        ];
        let m = match_items(&plan, &items);
        assert_eq!(codes(&plan, &m)[0].as_deref(), Some("2.4"));
        assert_ne!(codes(&plan, &m)[1].as_deref(), Some("2.3"));
    }

    #[test]
    fn a_near_tie_is_ambiguous_and_names_the_other() {
        let plan = plan();
        let m = match_items(
            &plan,
            &[item(10, "", "CBCCVC đạt danh hiệu Chiến sỹ thi đua")],
        );
        match &m[0] {
            Some((t, MatchedBy::Wording { ambiguous_with, .. })) => {
                assert_eq!(code_of(&plan, *t), Some("2.3"));
                assert_eq!(ambiguous_with.as_deref(), Some("2.4"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn codes_first_then_numbers_then_position() {
        let plan = plan();
        let mut numbered = item(11, "", "Tỷ lệ LĐTT");
        numbered.number = Some("2.2".into());
        let items = [
            item(10, "2.1", "anything"),
            numbered,
            item(12, "", "xyz không giống tiêu chí nào"),
            item(13, "2.4", ""),
        ];
        let m = match_items(&plan, &items);
        assert_eq!(m[0].as_ref().map(|x| &x.1), Some(&MatchedBy::Code));
        assert!(matches!(m[1], Some((_, MatchedBy::Number { .. }))));
        assert_eq!(codes(&plan, &m)[2].as_deref(), Some("2.3"));
        assert_eq!(m[2].as_ref().map(|x| &x.1), Some(&MatchedBy::Position));
    }
}
