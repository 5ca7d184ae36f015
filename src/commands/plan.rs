//! `thidua plan PLAN`: prints the plan back as it was understood (every
//! target and rule), then the plan's findings. Exit 0 clean, 1 errors.

use std::io::Write;

use anyhow::Result;

use super::{Status, finding_line, load_plan};
use crate::cli::{OutputFormat, PlanArgs};
use crate::finding::{Code, Finding};
use crate::messages::Lang;
use crate::plan::{AdjustmentKind, Plan, Quota, Rule, ScoreSource, TieBreak};
use crate::text::number::format_date;
use crate::text::target::Target;

pub fn run(args: &PlanArgs, lang: Lang) -> Result<Status> {
    let loaded = load_plan(&args.plan, lang)?;
    let status = Status::from_findings(&loaded.findings);
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            let doc = crate::report::json::plan_doc(&args.plan.display().to_string(), &loaded);
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        OutputFormat::Text => {
            print_plan(&mut out, &loaded.plan, &loaded.findings, lang)?;
            writeln!(out)?;
            if loaded.findings.is_empty() {
                writeln!(out, "{}", lang.pick("Không có lỗi.", "No problems found."))?;
            } else {
                writeln!(out, "{}", lang.pick("Phát hiện:", "Findings:"))?;
                for f in &loaded.findings {
                    writeln!(out, "{}", finding_line(f, lang))?;
                }
            }
        }
    }
    Ok(status)
}

fn print_plan(
    out: &mut impl Write,
    plan: &Plan,
    findings: &[Finding],
    lang: Lang,
) -> std::io::Result<()> {
    print_header(out, plan, lang)?;
    print_units(out, plan, lang)?;
    print_indicators(out, plan, findings, lang)?;
    print_adjustments(out, plan, lang)?;
    print_periods(out, plan, lang)?;
    print_grades_and_awards(out, plan, lang)
}

/// The plan, its scale, leader, tie-breaks and score order.
fn print_header(out: &mut impl Write, plan: &Plan, lang: Lang) -> std::io::Result<()> {
    let num = |v: f64| lang.num(v);
    writeln!(
        out,
        "{} {} — {} — {} {}",
        lang.pick("Kế hoạch", "Plan"),
        plan.code,
        plan.bloc,
        lang.pick("năm", "year"),
        plan.year.map(|y| y.to_string()).unwrap_or_default()
    )?;
    let leader = plan
        .leader
        .as_ref()
        .map(|l| {
            let name = plan.unit(l).map(|u| u.name.as_str()).unwrap_or("?");
            format!("{l} ({name})")
        })
        .unwrap_or_else(|| "—".into());
    writeln!(
        out,
        "{} {}; {} {}; {} {}; {} {} ({} {})",
        lang.pick("Thang điểm", "Scale"),
        num(plan.scale),
        lang.pick("khối trưởng", "leader"),
        leader,
        plan.units.len(),
        lang.pick("đơn vị", "units"),
        plan.indicators.len(),
        lang.pick("tiêu chí", "indicators"),
        lang.pick("tổng điểm tối đa", "maximum total"),
        num(plan.max_total()),
    )?;
    let ties: Vec<String> = plan
        .tie_break
        .iter()
        .map(|t| match t {
            TieBreak::Section(id) => format!("{} {id}", lang.pick("Mục", "section")),
            TieBreak::Penalty => lang.pick("ít điểm trừ hơn", "fewer penalty points").into(),
            TieBreak::Bonus => lang
                .pick("nhiều điểm thưởng hơn", "more bonus points")
                .into(),
        })
        .collect();
    let order: Vec<&str> = plan
        .score_order
        .iter()
        .map(|s| match s {
            ScoreSource::Reviewed => lang.pick("thẩm định", "reviewed"),
            ScoreSource::Computed => lang.pick("tính", "computed"),
            ScoreSource::SelfScore => lang.pick("tự chấm", "self"),
        })
        .collect();
    writeln!(
        out,
        "{}: {}. {}: {}",
        lang.pick("Tiêu chí phụ", "Tie-break"),
        if ties.is_empty() {
            "—".into()
        } else {
            ties.join("; ")
        },
        lang.pick("Thứ tự điểm", "Score precedence"),
        order.join(" > ")
    )?;

    Ok(())
}

/// The member units.
fn print_units(out: &mut impl Write, plan: &Plan, lang: Lang) -> std::io::Result<()> {
    let num = |v: f64| lang.num(v);
    writeln!(out, "\n{}:", lang.pick("Đơn vị", "Units"))?;
    for u in &plan.units {
        let head = u
            .headcount
            .map(|h| format!(", {} CBCCVC", num(h)))
            .unwrap_or_default();
        let aliases = if u.aliases.is_empty() {
            String::new()
        } else {
            format!(" [{}]", u.aliases.join("; "))
        };
        writeln!(out, "  {:<8} {}{head}{aliases}", u.code, u.name)?;
    }

    Ok(())
}

/// Each indicator: its target and rule as understood.
fn print_indicators(
    out: &mut impl Write,
    plan: &Plan,
    findings: &[Finding],
    lang: Lang,
) -> std::io::Result<()> {
    let num = |v: f64| lang.num(v);
    let en = lang.is_en();
    writeln!(
        out,
        "\n{}:",
        lang.pick(
            "Tiêu chí (chỉ tiêu được hiểu là)",
            "Indicators (targets as understood)"
        )
    )?;
    for section in &plan.sections {
        writeln!(out, "{}. {}", section.id, section.title)?;
        for i in plan.indicators.iter().filter(|i| i.section == section.id) {
            writeln!(
                out,
                "  {:<6} {} [{} {}]",
                i.code,
                i.content,
                num(i.max_points),
                lang.pick("điểm", "points")
            )?;
            let written = if i.target_text.is_empty() {
                "—"
            } else {
                &i.target_text
            };
            // A target that could not be read is said as the error it is,
            // with its cell — not as "no target".
            let unreadable = findings.iter().find(|f| {
                f.code == Code::UnreadableTarget && f.indicator.as_deref() == Some(&i.code)
            });
            let understood = match unreadable {
                Some(f) => format!(
                    "{} ({} {})",
                    lang.pick(
                        "LỖI: không đọc được chỉ tiêu",
                        "ERROR: the target cannot be read"
                    ),
                    lang.pick("ô", "cell"),
                    f.cell.as_deref().unwrap_or("?")
                ),
                None if i.rule == Rule::Bloc && i.target == Target::None => lang
                    .pick(
                        "đơn vị chỉ báo cáo số liệu, không chấm điểm",
                        "units report their figure; none is scored",
                    )
                    .to_string(),
                None => i.target.describe(en),
            };
            writeln!(
                out,
                "         {}: \"{written}\" → {understood}",
                lang.pick("chỉ tiêu", "target")
            )?;
            if !i.bloc_target_text.is_empty() {
                writeln!(
                    out,
                    "         {}: \"{}\" → {}",
                    lang.pick("chỉ tiêu khối", "bloc target"),
                    i.bloc_target_text,
                    i.bloc_target.describe(en)
                )?;
            }
            let mut extras = Vec::new();
            if let Some(step) = i.step {
                extras.push(format!("{} {}", lang.pick("bước", "step"), num(step)));
            }
            if i.own_target {
                extras.push(
                    lang.pick("đơn vị đăng ký riêng", "units register their own")
                        .into(),
                );
            }
            let extras = if extras.is_empty() {
                String::new()
            } else {
                format!(" ({})", extras.join(", "))
            };
            writeln!(
                out,
                "         {}: {}{extras}",
                lang.pick("cách chấm", "rule"),
                i.rule.describe(en)
            )?;
        }
    }

    Ok(())
}

/// The bonus and penalty items.
fn print_adjustments(out: &mut impl Write, plan: &Plan, lang: Lang) -> std::io::Result<()> {
    let num = |v: f64| lang.num(v);
    if !plan.adjustments.is_empty() {
        writeln!(out, "\n{}:", lang.pick("Thưởng - Trừ", "Bonus and penalty"))?;
        for a in &plan.adjustments {
            let kind = match a.kind {
                AdjustmentKind::Bonus => lang.pick("thưởng", "bonus"),
                AdjustmentKind::Penalty => lang.pick("trừ", "penalty"),
            };
            let cap = a
                .cap
                .map(|c| format!(", {} {}", lang.pick("tối đa", "cap"), num(c)))
                .unwrap_or_default();
            let bar = if a.bars_award {
                lang.pick(", loại khỏi khen thưởng", ", bars awards")
            } else {
                ""
            };
            writeln!(
                out,
                "  {:<6} {kind} {} {}{cap}{bar}: {}",
                a.code,
                num(a.points_each),
                lang.pick("điểm/lần", "points each"),
                a.content
            )?;
        }
    }

    Ok(())
}

/// The reporting periods and their deadlines.
fn print_periods(out: &mut impl Write, plan: &Plan, lang: Lang) -> std::io::Result<()> {
    writeln!(out, "\n{}:", lang.pick("Kỳ báo cáo", "Reporting periods"))?;
    let date = |d: Option<chrono::NaiveDate>| d.map(format_date).unwrap_or_else(|| "?".into());
    for p in &plan.periods {
        writeln!(
            out,
            "  {:<5} {:<10} {} – {}, {} {}",
            p.code,
            p.name,
            date(p.from),
            date(p.to),
            lang.pick("hạn nộp", "due"),
            match p.deadline_text.is_empty() {
                true if p.deadline.is_none() => lang
                    .pick(
                        "không có (kế hoạch không ghi; không tính trễ hạn)",
                        "none (the plan gives none; nothing is late)",
                    )
                    .to_string(),
                true => date(p.deadline),
                false => format!(
                    "\"{}\" ({} {})",
                    p.deadline_text,
                    lang.pick("ngày cuối", "last day"),
                    date(p.deadline)
                ),
            }
        )?;
    }

    Ok(())
}

/// The grades and the awards.
fn print_grades_and_awards(out: &mut impl Write, plan: &Plan, lang: Lang) -> std::io::Result<()> {
    let num = |v: f64| lang.num(v);
    let en = lang.is_en();
    writeln!(out, "\n{}:", lang.pick("Xếp loại", "Grades"))?;
    for g in &plan.grades {
        let name = if en {
            g.grade.name_en()
        } else {
            g.grade.name_vi()
        };
        writeln!(out, "  ≥ {:<6} {name}", num(g.min))?;
    }
    if !plan.awards.is_empty() {
        writeln!(out, "\n{}:", lang.pick("Khen thưởng", "Awards"))?;
        for a in &plan.awards {
            let quota = match a.quota {
                Quota::Count(n) => format!("{n} {}", lang.pick("đơn vị", "units")),
                Quota::Share(p) => format!("{}% {}", num(p), lang.pick("thành viên", "of members")),
            };
            let min = a
                .min_grade
                .map(|g| {
                    format!(
                        ", {} {}",
                        lang.pick("từ", "at least"),
                        if en { g.name_en() } else { g.name_vi() }
                    )
                })
                .unwrap_or_default();
            writeln!(out, "  {}: {quota}{min}", a.name)?;
        }
    }
    Ok(())
}
