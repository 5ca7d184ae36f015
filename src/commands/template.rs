//! `thidua template --plan PLAN -o DIR`: one workbook per unit.

use anyhow::{Result, bail};
use std::io::Write;

use super::{Status, load_valid_plan, resolve_period};
use crate::cli::TemplateArgs;
use crate::messages::Lang;
use crate::report::template;

pub fn run(args: &TemplateArgs, lang: Lang) -> Result<Status> {
    let plan = load_valid_plan(&args.plan, lang)?;
    let period = resolve_period(&plan, args.period.as_deref(), lang)?;
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
        writeln!(
            std::io::stdout(),
            "{} {} — {}",
            lang.pick("Đã tạo", "Wrote"),
            path.display(),
            unit.name
        )?;
    }
    Ok(Status::Clean)
}
