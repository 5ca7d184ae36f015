//! Recognising who sent a workbook and what it refers to when the workbook
//! does not say plainly: the unit from the file name, rows by their text,
//! and "did you mean" suggestions. Matching is on folded text, so names with
//! and without diacritics are one.

use std::path::Path;

use super::cells::Reader;
use super::{Expect, Submission};
use crate::finding::Code;
use crate::plan::{Indicator, Plan};
use crate::text::fold::similarity;
use crate::text::label_key;

/// Row text this similar to an indicator's (0..1) is taken as that indicator.
const NAME_MATCH: f64 = 0.85;
/// Names this similar are offered as suggestions.
const SUGGEST: f64 = 0.6;

/// No `Thông tin` sheet: the unit from the file name (code, name or alias),
/// the period the caller is checking; both with a warning.
pub fn from_file_name(r: &mut Reader, plan: &Plan, expect: &Expect, sub: &mut Submission) {
    let stem = match expect.name {
        Some(name) => name.to_string(),
        None => Path::new(&sub.file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
    };
    sub.period = default_period(plan, expect);
    match unit_from_stem(plan, &stem) {
        Some(code) => {
            r.push(
                r.finding(Code::NoInfoSheet)
                    .found(code.clone())
                    .expected(sub.period.clone().unwrap_or_default()),
            );
            sub.unit = Some(code);
        }
        None => r.push(
            r.finding(Code::UnknownUnit)
                .found(stem.clone())
                .expected(suggest(plan, &stem)),
        ),
    }
}

/// Finds a unit in a file stem: the whole stem, then its parts split at
/// `_`, `-`, `.` and spaces, then runs of parts (`So_Xay_dung_NAM`).
fn unit_from_stem(plan: &Plan, stem: &str) -> Option<String> {
    if let Some(u) = plan.unit_by_any_name(stem) {
        return Some(u.code.clone());
    }
    let parts: Vec<&str> = stem
        .split(['_', '-', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    for len in (1..=parts.len()).rev() {
        for start in 0..=parts.len() - len {
            let candidate = parts[start..start + len].join(" ");
            if let Some(u) = plan.unit_by_any_name(&candidate) {
                return Some(u.code.clone());
            }
        }
    }
    None
}

/// The period a workbook is taken to report when it does not say.
pub fn default_period(plan: &Plan, expect: &Expect) -> Option<String> {
    expect
        .period
        .and_then(|p| plan.period(p))
        .or_else(|| plan.last_period())
        .map(|p| p.code.clone())
}

pub fn period_list(plan: &Plan) -> String {
    plan.periods
        .iter()
        .map(|p| p.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `; did you mean SXD (Sở Xây dựng)?`, or the list of codes.
pub fn suggest(plan: &Plan, text: &str) -> String {
    let key = label_key(text);
    let key = key.as_str();
    let best = plan
        .units
        .iter()
        .flat_map(|u| {
            std::iter::once(&u.code)
                .chain(std::iter::once(&u.name))
                .chain(u.aliases.iter())
                .map(move |n| (similarity(key, &label_key(n)), u))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, u)) if score >= SUGGEST => format!(" — {} ({})?", u.code, u.name),
        _ => format!(
            " — {}",
            plan.units
                .iter()
                .map(|u| u.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The indicator whose text this row's text matches, tolerating small typos.
pub fn match_by_name<'p>(plan: &'p Plan, text: &str) -> Option<&'p Indicator> {
    let key = label_key(text);
    if key.is_empty() {
        return None;
    }
    let (score, best) = plan
        .indicators
        .iter()
        .map(|i| (similarity(&key, &label_key(&i.content)), i))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    (score >= NAME_MATCH).then_some(best)
}

/// `; closest: 1.2 …` for a row that matched nothing.
pub fn suggest_indicator(plan: &Plan, text: &str) -> String {
    let key = label_key(text);
    plan.indicators
        .iter()
        .map(|i| (similarity(&key, &label_key(&i.content)), i))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s >= SUGGEST)
        .map(|(_, i)| format!(" — {} {}?", i.code, i.content))
        .unwrap_or_default()
}
