//! `thidua access --plan PLAN --archive DIR [--renew UNIT]…`: which units
//! have an access code to the server, and new codes for those named. Codes
//! are kept only as hashes: a lost code is renewed, never shown again.

use std::io::Write;

use anyhow::{Result, bail};

use super::{Status, load_valid_plan};
use crate::cli::AccessArgs;
use crate::messages::Lang;
use crate::serve::access::Access;

pub fn run(args: &AccessArgs, lang: Lang) -> Result<Status> {
    let plan = load_valid_plan(&args.plan, lang)?;
    std::fs::create_dir_all(&args.archive)?;
    let (mut access, issued) = Access::open(&args.archive, &plan)?;
    let mut out = std::io::stdout().lock();
    if let Some(password) = &issued.leader {
        writeln!(
            out,
            "{} {password}",
            lang.pick("Mật khẩu khối trưởng:", "Leader's password:")
        )?;
    }
    let mut told: Vec<(String, String)> = issued.units;
    for wanted in &args.renew {
        let Some(unit) = plan.unit(wanted).or_else(|| plan.unit_by_any_name(wanted)) else {
            bail!("{} `{wanted}`", lang.pick("không có đơn vị", "no unit"));
        };
        let code = access.renew(&plan.code, &unit.code)?;
        told.retain(|(u, _)| u != &unit.code);
        told.push((unit.code.clone(), code));
    }
    writeln!(
        out,
        "{} {}:",
        lang.pick("Mã truy cập của kế hoạch", "Access codes of plan"),
        plan.code
    )?;
    for unit in &plan.units {
        let shown = told
            .iter()
            .find(|(u, _)| u == &unit.code)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| {
                lang.pick(
                    "(đã cấp; cấp mới bằng --renew)",
                    "(issued; renew with --renew)",
                )
                .to_string()
            });
        writeln!(out, "  {:<10} {shown:<32} {}", unit.code, unit.name)?;
    }
    Ok(Status::Clean)
}
