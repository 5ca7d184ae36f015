//! The monthly digest as text for an e-mail: Markdown (for readers and
//! tools that render it) and HTML with inline styles (pipe tables show raw
//! in most office mail clients; HTML pastes into webmail as tables), in
//! Vietnamese or English. Both are rendered from one list of blocks, built
//! from the [`Digest`]; nothing is computed here.

use std::fmt::Write as _;

use crate::bloc::UnitStatus;
use crate::digest::{Digest, IndicatorProgress, Progress, SubmissionStatus};
use crate::messages::{Lang, progress_label, submission_label};
use crate::plan::{Indicator, Plan};
use crate::text::number::format_date;

/// How a cell reads at a glance: coloured in HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Plain,
    Good,
    Warn,
    Bad,
}

struct Cell {
    text: String,
    tone: Tone,
}

impl Cell {
    fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            tone: Tone::Plain,
        }
    }
}

enum Block {
    Title(String),
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<Cell>>,
    },
}

/// The digest as Markdown.
pub fn markdown(plan: &Plan, d: &Digest, lang: Lang) -> String {
    let mut out = String::new();
    for block in blocks(plan, d, lang) {
        match block {
            Block::Title(t) => {
                let _ = writeln!(out, "# {}\n", md(&t));
            }
            Block::Heading(t) => {
                let _ = writeln!(out, "## {}\n", md(&t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(out, "{}\n", md(&t));
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(out, "- {}", md(&i));
                }
                out.push('\n');
            }
            Block::Table { head, rows } => {
                let cells = |c: Vec<String>| format!("| {} |", c.join(" | "));
                let _ = writeln!(out, "{}", cells(head.iter().map(|h| md(h)).collect()));
                let _ = writeln!(
                    out,
                    "{}",
                    cells(head.iter().map(|_| "---".into()).collect())
                );
                for r in rows {
                    let _ = writeln!(out, "{}", cells(r.iter().map(|c| md(&c.text)).collect()));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The digest as an HTML e-mail body: tables with inline styles (mail
/// clients drop style sheets), text escaped.
pub fn html(plan: &Plan, d: &Digest, lang: Lang) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"{FONT}\">\n",
        lang.pick("vi", "en"),
        esc(&title(plan, d, lang))
    );
    out.push_str(&html_body(plan, d, lang));
    out.push_str("</body></html>\n");
    out
}

const FONT: &str = "font-family:'Times New Roman',serif;font-size:12pt;color:#000";

/// The digest's content as HTML, without the document around it (for a
/// page that has its own).
pub fn html_body(plan: &Plan, d: &Digest, lang: Lang) -> String {
    const CELL: &str = "border:1px solid #999;padding:3px 6px;vertical-align:top";
    let mut out = String::new();
    for block in blocks(plan, d, lang) {
        match block {
            Block::Title(t) => {
                let _ = writeln!(out, "<h1 style=\"font-size:16pt\">{}</h1>", esc(&t));
            }
            Block::Heading(t) => {
                let _ = writeln!(
                    out,
                    "<h2 style=\"font-size:13pt;margin-top:18px\">{}</h2>",
                    esc(&t)
                );
            }
            Block::Paragraph(t) => {
                let _ = writeln!(out, "<p>{}</p>", esc(&t));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(out, "<li>{}</li>", esc(&i));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                let _ = writeln!(
                    out,
                    "<table style=\"border-collapse:collapse;{FONT}\">\n<tr>{}</tr>",
                    head.iter()
                        .map(|h| format!(
                            "<th style=\"{CELL};background:#ddebf7;text-align:left\">{}</th>",
                            esc(h)
                        ))
                        .collect::<String>()
                );
                for r in rows {
                    out.push_str("<tr>");
                    for c in r {
                        let fill = match c.tone {
                            Tone::Plain => "",
                            Tone::Good => ";background:#e2efda",
                            Tone::Warn => ";background:#fff2cc",
                            Tone::Bad => ";background:#ffc7ce;color:#9c0006",
                        };
                        let _ = write!(out, "<td style=\"{CELL}{fill}\">{}</td>", esc(&c.text));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
        }
    }
    out
}

fn title(plan: &Plan, d: &Digest, lang: Lang) -> String {
    let (y, m) = d.month.split_once('-').unwrap_or((&d.month, ""));
    match lang {
        Lang::Vi => format!("Bản tin thi đua tháng {m}/{y} — {}", plan.bloc),
        Lang::En => format!("Emulation digest {y}-{m} — {}", plan.bloc),
    }
}

fn blocks(plan: &Plan, d: &Digest, lang: Lang) -> Vec<Block> {
    let mut out = Vec::new();
    reports_sent(&mut out, plan, d, lang);
    at_risk(&mut out, plan, d, lang);
    deadlines(&mut out, plan, d, lang);
    changes(&mut out, plan, d, lang);
    provisional(&mut out, d, lang);
    out
}

/// The title, the date of the figures, and who sent each period's report.
fn reports_sent(out: &mut Vec<Block>, plan: &Plan, d: &Digest, lang: Lang) {
    out.extend([
        Block::Title(title(plan, d, lang)),
        Block::Paragraph(match lang {
            Lang::Vi => format!(
                "Số liệu đến hết ngày {} (kế hoạch {}).",
                format_date(d.month_end),
                plan.code
            ),
            Lang::En => format!(
                "Figures up to {} (plan {}).",
                d.month_end.format("%Y-%m-%d"),
                plan.code
            ),
        }),
        Block::Heading(lang.pick("Nộp báo cáo", "Reports sent").into()),
    ]);
    let mut head = vec![lang.pick("Đơn vị", "Unit").to_string()];
    head.extend(
        d.periods_due
            .iter()
            .map(|c| plan.period(c).map_or(c.clone(), |p| p.name.clone())),
    );
    let rows = d
        .units
        .iter()
        .map(|u| {
            let mut row = vec![Cell::plain(&u.name)];
            for code in &d.periods_due {
                let s = u
                    .submissions
                    .get(code)
                    .copied()
                    .unwrap_or(SubmissionStatus::Missing);
                row.push(Cell {
                    text: submission_label(s, lang),
                    tone: match s {
                        SubmissionStatus::OnTime => Tone::Good,
                        SubmissionStatus::Late(_) => Tone::Warn,
                        _ => Tone::Bad,
                    },
                });
            }
            row
        })
        .collect();
    out.push(Block::Table { head, rows });
}

/// The indicators at risk, with their figures and projections.
fn at_risk(out: &mut Vec<Block>, plan: &Plan, d: &Digest, lang: Lang) {
    let num = |v: f64| lang.num(v);
    out.push(Block::Heading(
        lang.pick("Chỉ tiêu có nguy cơ không đạt", "Indicators at risk")
            .into(),
    ));
    let mut risk = Vec::new();
    for u in &d.units {
        for (ind, p) in plan.indicators.iter().zip(&u.indicators) {
            if matches!(p.status, Progress::Behind | Progress::NotMet) {
                risk.push(vec![
                    Cell::plain(&u.name),
                    Cell::plain(format!("{} {}", ind.code, ind.content)),
                    Cell::plain(figure(ind, p.value, &num)),
                    Cell::plain(
                        p.percent_of_target
                            .map(|x| format!("{}%", num(x.round())))
                            .unwrap_or_default(),
                    ),
                    Cell::plain(projected(ind, p, &num)),
                    Cell::plain(&ind.target_text),
                    Cell {
                        text: progress_label(p.status, lang).into(),
                        tone: Tone::Bad,
                    },
                ]);
            }
        }
    }
    if risk.is_empty() {
        out.push(Block::Paragraph(lang.pick("Không có.", "None.").into()));
    } else {
        out.push(Block::Table {
            head: [
                lang.pick("Đơn vị", "Unit"),
                lang.pick("Tiêu chí", "Indicator"),
                lang.pick("Kết quả", "Achieved"),
                lang.pick("% chỉ tiêu", "% of target"),
                lang.pick("Dự báo cuối năm", "Year-end projection"),
                lang.pick("Chỉ tiêu", "Target"),
                lang.pick("Tình trạng", "Status"),
            ]
            .map(String::from)
            .to_vec(),
            rows: risk,
        });
    }
}

/// The deadlines of next month and who has still to send.
fn deadlines(out: &mut Vec<Block>, plan: &Plan, d: &Digest, lang: Lang) {
    out.push(Block::Heading(
        lang.pick("Hạn nộp trong tháng tới", "Deadlines next month")
            .into(),
    ));
    if d.deadlines_next_month.is_empty() {
        out.push(Block::Paragraph(
            lang.pick("Không có kỳ báo cáo nào đến hạn.", "No report falls due.")
                .into(),
        ));
    } else {
        out.push(Block::List(
            d.deadlines_next_month
                .iter()
                .map(|dl| {
                    let waiting = if dl.waiting.is_empty() {
                        lang.pick("không", "none").to_string()
                    } else {
                        dl.waiting
                            .iter()
                            .map(|c| unit_name(plan, c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    match lang {
                        Lang::Vi => format!(
                            "{} — hạn {}; chưa nộp: {waiting}",
                            dl.name,
                            format_date(dl.deadline)
                        ),
                        Lang::En => format!(
                            "{} — due {}; not sent yet: {waiting}",
                            dl.name,
                            dl.deadline.format("%Y-%m-%d")
                        ),
                    }
                })
                .collect(),
        ));
    }
}

/// What came in this month and what changed.
fn changes(out: &mut Vec<Block>, plan: &Plan, d: &Digest, lang: Lang) {
    out.push(Block::Heading(
        lang.pick("Thay đổi so với tháng trước", "Since last month")
            .into(),
    ));
    let mut changes: Vec<String> = vec![format!(
        "{}: {}",
        lang.pick("Hồ sơ nhận trong tháng", "Files received this month"),
        d.arrivals.len()
    )];
    for a in &d.arrivals {
        let late = a
            .late_days
            .map(|x| match lang {
                Lang::Vi => format!(", trễ {x} ngày"),
                Lang::En => format!(
                    ", {} late",
                    crate::messages::counted(x.max(0) as usize, "", "day", "days", lang)
                ),
            })
            .unwrap_or_default();
        changes.push(format!(
            "{} — {} {} {} ({}{late})",
            a.received.format("%d/%m/%Y %H:%M"),
            unit_name(plan, &a.unit),
            lang.pick("kỳ", "period"),
            plan.period(&a.period)
                .map_or(a.period.as_str(), |p| p.name.as_str()),
            crate::messages::verdict(a.verdict, lang)
        ));
    }
    for c in &d.changes {
        changes.push(format!(
            "{} — {} {}: {} → {}",
            unit_name(plan, &c.unit),
            lang.pick("tiêu chí", "indicator"),
            c.code,
            progress_label(c.from, lang),
            progress_label(c.to, lang)
        ));
    }
    out.push(Block::List(changes));
}

/// The provisional ranking, which proposes no award.
fn provisional(out: &mut Vec<Block>, d: &Digest, lang: Lang) {
    let num = |v: f64| lang.num(v);
    if let Some(c) = &d.provisional {
        out.push(Block::Heading(match lang {
            Lang::Vi => format!(
                "Xếp hạng tạm tính (kỳ {}) — chưa phải kết quả chính thức",
                c.period_name
            ),
            Lang::En => format!(
                "Provisional ranking ({}) — not the official result",
                c.period_name
            ),
        }));
        out.push(Block::Paragraph(
            lang.pick(
                "Xếp hạng giữa năm không đề nghị khen thưởng và không cần bình xét.",
                "A ranking during the year proposes no award and calls no vote.",
            )
            .into(),
        ));
        let rows = super::consolidated::ranking_order(c)
            .into_iter()
            .map(|u| {
                let (rank, score, note) = match u.rank {
                    Some(r) => (
                        format!("{r}{}", if u.shared_rank { "=" } else { "" }),
                        num(u.ranking_score),
                        String::new(),
                    ),
                    None => (
                        "—".to_string(),
                        String::new(),
                        match u.status {
                            UnitStatus::Incomplete => lang.pick("Chưa đủ số liệu", "Incomplete"),
                            UnitStatus::Conflict => {
                                lang.pick("Hai bản nộp khác nhau", "Two different reports")
                            }
                            UnitStatus::Rejected => {
                                lang.pick("Có lỗi – chưa xếp loại", "Has errors – not ranked")
                            }
                            UnitStatus::Missing | UnitStatus::Ranked => {
                                lang.pick("Chưa nộp", "Not sent")
                            }
                        }
                        .to_string(),
                    ),
                };
                vec![
                    Cell::plain(rank),
                    Cell::plain(&u.name),
                    Cell::plain(score),
                    Cell::plain(note),
                ]
            })
            .collect();
        out.push(Block::Table {
            head: [
                lang.pick("Hạng", "Rank"),
                lang.pick("Đơn vị", "Unit"),
                lang.pick("Điểm tạm tính", "Provisional score"),
                lang.pick("Ghi chú", "Remarks"),
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
}

fn unit_name(plan: &Plan, code: &str) -> String {
    plan.unit(code).map_or(code.to_string(), |u| u.name.clone())
}

/// An achieved figure as written: a percentage with its sign.
pub fn figure(ind: &Indicator, value: Option<f64>, num: &dyn Fn(f64) -> String) -> String {
    match value {
        Some(v) if ind.is_percent() => format!("{}%", num(v)),
        Some(v) => num(v),
        None => "—".into(),
    }
}

/// A projection: a percentage with its sign, a count as a whole number.
pub fn projected(ind: &Indicator, p: &IndicatorProgress, num: &dyn Fn(f64) -> String) -> String {
    match p.projected {
        Some(v) if ind.is_percent() => format!("{}%", num((v * 10.0).round() / 10.0)),
        Some(v) => num(v.round()),
        None => String::new(),
    }
}

/// Text from the plan or the workbooks inside Markdown: a leading `=`, `+`,
/// `-` or `@` is escaped (it would start a list, or a formula when pasted
/// into a spreadsheet), and `|` cannot break a table.
fn md(text: &str) -> String {
    let text = text.replace('|', "\\|");
    if text.starts_with(['=', '+', '-', '@']) {
        format!("\\{text}")
    } else {
        text
    }
}

/// Text inside HTML: a unit named `<script>` stays text.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_markdown_keep_text_as_text() {
        assert_eq!(
            esc("<script>alert('x')</script> & co"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"
        );
        assert_eq!(md("=SUM(A1)"), "\\=SUM(A1)");
        assert_eq!(md("a | b"), "a \\| b");
    }
}
