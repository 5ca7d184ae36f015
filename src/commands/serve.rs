//! `thidua serve --plan PLAN --archive DIR [--listen ADDR]`: the pages where
//! units check and send their workbook (see `crate::serve`).

use anyhow::Result;

use super::{Status, load_valid_plan};
use crate::cli::ServeArgs;
use crate::messages::Lang;
use crate::serve::{self, Config};

pub fn run(args: &ServeArgs, lang: Lang) -> Result<Status> {
    let plan = load_valid_plan(&args.plan, lang)?;
    let config = Config {
        plan_path: args.plan.clone(),
        archive: args.archive.clone(),
        listen: args.listen,
        max_upload: args.max_upload * 1024 * 1024,
    };
    serve::run(config, plan, lang)?;
    Ok(Status::Clean)
}
