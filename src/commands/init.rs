//! `thidua init DIR`: a blank plan workbook with a guide and example rows.

use anyhow::Result;
use std::io::Write;

use super::Status;
use crate::cli::InitArgs;
use crate::messages::Lang;
use crate::report::plan_book;

pub fn run(args: &InitArgs, lang: Lang) -> Result<Status> {
    let path = args.dir.join("ke-hoach.xlsx");
    plan_book::write(&plan_book::example(), &path, true, args.force)?;
    writeln!(
        std::io::stdout(),
        "{} {}",
        lang.pick("Đã tạo", "Wrote"),
        path.display()
    )?;
    writeln!(
        std::io::stdout(),
        "{}",
        lang.pick(
            "Điền kế hoạch (xem trang Hướng dẫn), rồi kiểm tra bằng: thidua plan",
            "Fill in the plan (see the Hướng dẫn sheet), then check it with: thidua plan"
        )
    )?;
    Ok(Status::Clean)
}
