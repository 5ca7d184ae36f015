//! `thidua template --plan PLAN -o DIR`: one workbook per unit.

use anyhow::{Result, bail};

use super::{Status, load_valid_plan};
use crate::cli::TemplateArgs;
use crate::messages::Lang;
use crate::report::template;

pub fn run(args: &TemplateArgs, lang: Lang) -> Result<Status> {
    let plan = load_valid_plan(&args.plan, lang)?;
    let period = match &args.period {
        Some(p) => match plan.period(p) {
            Some(period) => period,
            None => bail!(
                "{} `{p}`; {}: {}",
                lang.pick("không có kỳ báo cáo", "no reporting period"),
                lang.pick("các kỳ", "periods"),
                plan.periods
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        None => match plan.last_period() {
            Some(p) => p,
            None => bail!(
                "{}",
                lang.pick(
                    "kế hoạch không có kỳ báo cáo",
                    "the plan has no reporting periods"
                )
            ),
        },
    };
    let mut units = Vec::new();
    for code in &args.units {
        match plan.unit(code).or_else(|| plan.unit_by_any_name(code)) {
            Some(u) => units.push(u),
            None => bail!("{} `{code}`", lang.pick("không có đơn vị", "no unit")),
        }
    }
    if units.is_empty() {
        units = plan.units.iter().collect();
    }
    std::fs::create_dir_all(&args.out)?;
    for unit in units {
        let path = args.out.join(template::file_name(unit, period));
        template::write(&plan, unit, period, None, &path, args.force)?;
        println!(
            "{} {} — {}",
            lang.pick("Đã tạo", "Wrote"),
            path.display(),
            unit.name
        );
    }
    Ok(Status::Clean)
}
