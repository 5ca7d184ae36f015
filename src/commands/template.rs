//! `thidua template --plan PLAN -o DIR`: one workbook per unit.

use anyhow::{Result, bail};
use std::io::Write;

use super::{Status, load_valid_plan, resolve_period};
use crate::cli::TemplateArgs;
use crate::messages::Lang;
use crate::report::template;
use crate::serve::access::Access;

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
    // With the server's archive, each workbook tells its unit a new code.
    let mut access = match &args.archive {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let (access, issued) = Access::open(dir, &plan)?;
            if let Some(password) = &issued.leader {
                writeln!(
                    std::io::stdout(),
                    "{} {password}",
                    lang.pick("Mật khẩu khối trưởng:", "Leader's password:")
                )?;
            }
            Some(access)
        }
        None => None,
    };
    for unit in units {
        let path = args.out.join(template::file_name(unit, period));
        let code = match access.as_mut() {
            Some(a) => Some(a.renew(&plan.code, &unit.code)?),
            None => None,
        };
        let coded = code.as_deref().map(template::WithAccessCode);
        let fill = coded.as_ref().map(|c| c as &dyn template::Fill);
        template::write(&plan, unit, period, fill, &path, args.force)?;
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
