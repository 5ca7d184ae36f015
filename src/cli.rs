//! Command-line arguments (clap derive): one struct per subcommand, English
//! names with Vietnamese aliases, doc comments as help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::messages::Lang;

/// Check, score and consolidate the workbooks of an emulation bloc (khối thi đua).
#[derive(Debug, Parser)]
#[command(name = "thidua", version, about)]
pub struct Cli {
    /// Language of messages: vi (Vietnamese) or en (English).
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a blank plan workbook to fill in (khởi tạo).
    #[command(alias = "khoi-tao")]
    Init(InitArgs),
    /// Check a plan and print how every target and rule was read (kế hoạch).
    #[command(alias = "ke-hoach")]
    Plan(PlanArgs),
    /// Write the units' workbooks from the plan, one per unit (mẫu).
    #[command(alias = "mau")]
    Template(TemplateArgs),
    /// Check units' workbooks against the plan (kiểm tra).
    #[command(alias = "kiem-tra")]
    Check(CheckArgs),
    /// Check and file submissions into the archive, with a ledger (nhận).
    #[command(alias = "nhan")]
    Intake(IntakeArgs),
    /// The monthly digest from the archive (bản tin).
    #[command(alias = "ban-tin")]
    Digest(DigestArgs),
    /// Score, review, rank and write the consolidated workbook (tổng hợp).
    #[command(alias = "tong-hop")]
    Consolidate(ConsolidateArgs),
    /// Serve the pages where units check and send their workbook (phục vụ).
    #[command(alias = "phuc-vu")]
    Serve(ServeArgs),
    /// List the units' access codes to the server, or renew them (mã truy cập).
    #[command(alias = "ma-truy-cap")]
    Access(AccessArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write `ke-hoach.xlsx` into (created if missing).
    pub dir: PathBuf,
    /// Replace an existing `ke-hoach.xlsx`.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The plan workbook (xlsx, xls or ods).
    pub plan: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// Folder to write the workbooks into.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Only these units (codes); all units by default.
    #[arg(long = "unit")]
    pub units: Vec<String>,
    /// Reporting period code or name (default: the plan's last, the year-end report).
    #[arg(long)]
    pub period: Option<String>,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
    /// The archive `thidua serve` uses: each workbook tells its unit a new
    /// access code (the unit's old code stops working).
    #[arg(long)]
    pub archive: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// Units' workbooks, or folders searched for xlsx/xlsm/xls/ods files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Reporting period being checked (default: the plan's last).
    #[arg(long)]
    pub period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write, for each file, a copy with the problem cells marked and a `Lỗi` sheet.
    #[arg(long)]
    pub annotate: Option<PathBuf>,
    /// Threads reading workbooks (default: all cores).
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
}

#[derive(Debug, Args)]
pub struct ConsolidateArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// Reporting period code or name (default: the plan's last, the year-end report).
    #[arg(long)]
    pub period: Option<String>,
    /// The leader's review workbook (Mã đơn vị, Mã, Điểm thẩm định, Lý do).
    #[arg(long)]
    pub review: Option<PathBuf>,
    /// Units' workbooks, or folders searched for xlsx/xlsm/xls/ods files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The consolidated workbook to write.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Also write the results as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Threads reading workbooks (default: all cores).
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
}

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// The archive folder (created if missing).
    #[arg(long)]
    pub archive: PathBuf,
    /// When the files arrived: `2022-12-15`, `2022-12-15 08:30` or
    /// `15/12/2022` (default: now), for submissions received earlier by e-mail.
    #[arg(long)]
    pub received: Option<String>,
    /// The period to assume for files that do not say (default: the plan's last).
    #[arg(long)]
    pub period: Option<String>,
    /// The submitted workbooks.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// The archive folder written by `thidua intake`.
    #[arg(long)]
    pub archive: PathBuf,
    /// The month: `2022-07` or `07/2022`.
    #[arg(long)]
    pub month: String,
    /// The digest workbook to write.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Also write the digest as Markdown.
    #[arg(long)]
    pub markdown: Option<PathBuf>,
    /// Also write the digest as HTML, an e-mail body that pastes into
    /// webmail with its tables.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// The archive folder, shared with `thidua intake` (created if missing).
    #[arg(long)]
    pub archive: PathBuf,
    /// Address to listen on; loopback unless told otherwise (behind a
    /// reverse proxy with TLS for the office network).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Largest upload, in MiB.
    #[arg(long, default_value_t = 20)]
    pub max_upload: usize,
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// The plan workbook.
    #[arg(long)]
    pub plan: PathBuf,
    /// The archive `thidua serve` uses.
    #[arg(long)]
    pub archive: PathBuf,
    /// Units (codes) to give a new access code; the old one stops working.
    #[arg(long = "renew")]
    pub renew: Vec<String>,
}
