//! One file per subcommand. Commands sequence the stages and print; the
//! logic lives in the library modules. Shared set-up (loading the plan,
//! finding input files) is here so no command repeats it.

mod access;
mod check;
mod consolidate;
mod digest;
mod init;
mod intake;
mod plan;
mod serve;
mod template;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::{Cli, Command};
use crate::finding::Finding;
use crate::messages::{Lang, message, severity_label};
use crate::plan::{Period, Plan, PlanLoad};

/// How a command ended when it could run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No errors (warnings allowed).
    Clean,
    /// Problems with severity error were found in the inputs.
    Problems,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Clean => ExitCode::SUCCESS,
            Status::Problems => ExitCode::from(1),
        }
    }
}

impl Status {
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Status {
        if findings.into_iter().any(Finding::is_error) {
            Status::Problems
        } else {
            Status::Clean
        }
    }
}

pub fn run(cli: Cli) -> Result<Status> {
    let lang = cli.lang;
    match cli.command {
        Command::Init(args) => init::run(&args, lang),
        Command::Plan(args) => plan::run(&args, lang),
        Command::Template(args) => template::run(&args, lang),
        Command::Check(args) => check::run(&args, lang),
        Command::Consolidate(args) => consolidate::run(&args, lang),
        Command::Intake(args) => intake::run(&args, lang),
        Command::Digest(args) => digest::run(&args, lang),
        Command::Serve(args) => serve::run(&args, lang),
        Command::Access(args) => access::run(&args, lang),
    }
}

/// Loads the plan for a command that needs a valid one: a plan that cannot
/// be read or has errors stops the command (exit 2) after its findings are
/// printed.
pub fn load_valid_plan(path: &Path, lang: Lang) -> Result<Plan> {
    let loaded = load_plan(path, lang)?;
    if loaded.has_errors() {
        let mut err = std::io::stderr().lock();
        for f in loaded.findings.iter().filter(|f| f.is_error()) {
            writeln!(err, "{}", finding_line(f, lang))?;
        }
        bail!(
            "{}",
            lang.pick(
                &format!(
                    "kế hoạch `{}` có lỗi; xem `thidua plan {}`",
                    path.display(),
                    path.display()
                ),
                &format!(
                    "the plan `{}` has errors; see `thidua plan {}`",
                    path.display(),
                    path.display()
                ),
            )
        );
    }
    Ok(loaded.plan)
}

pub fn load_plan(path: &Path, lang: Lang) -> Result<PlanLoad> {
    if std::fs::metadata(path).is_err() {
        bail!(
            "{} `{}`",
            lang.pick("không tìm thấy tệp kế hoạch", "no such plan file"),
            path.display()
        );
    }
    crate::plan::load(path).map_err(|e| {
        let f = e.to_finding(&path.display().to_string());
        anyhow::anyhow!(
            "{} `{}`: {}{}",
            lang.pick("không đọc được tệp kế hoạch", "cannot read the plan"),
            path.display(),
            message(&f, lang),
            open_advice(&f, lang)
        )
    })
}

/// What to do about a workbook that could not be opened, after its message.
pub fn open_advice(f: &Finding, lang: Lang) -> &'static str {
    use crate::finding::Code;
    match f.code {
        Code::CorruptFile | Code::ReaderCrash => lang.pick(
            " — hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại (xlsx) rồi chạy lại",
            " — open it in Excel or LibreOffice, save it again (xlsx) and run again",
        ),
        Code::UnreadableFile => lang.pick(
            " — kiểm tra đường dẫn và quyền đọc tệp",
            " — check the path and that the file can be read",
        ),
        _ => "",
    }
}

/// The period named on the command line, or the plan's last (the year-end
/// report); an unknown name stops the command with the list of codes.
pub fn resolve_period<'p>(plan: &'p Plan, wanted: Option<&str>, lang: Lang) -> Result<&'p Period> {
    let found = match wanted {
        Some(p) => plan.period(p),
        None => plan.last_period(),
    };
    match found {
        Some(p) => Ok(p),
        None => bail!(
            "{} `{}`; {}: {}",
            lang.pick("không có kỳ báo cáo", "no reporting period"),
            wanted.unwrap_or(""),
            lang.pick("các kỳ", "periods"),
            plan.periods
                .iter()
                .map(|p| p.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// One finding on one line: `lỗi  Tự chấm điểm!I9  [1.1] above-max: …`.
pub fn finding_line(f: &Finding, lang: Lang) -> String {
    let place = match (&f.sheet, &f.cell) {
        (Some(s), Some(c)) => format!("{s}!{c}"),
        (Some(s), None) => s.clone(),
        (None, _) => String::new(),
    };
    let indicator = f
        .indicator
        .as_ref()
        .map(|i| format!("[{i}] "))
        .unwrap_or_default();
    format!(
        "  {:<9} {:<22} {indicator}{}: {}",
        severity_label(f.severity, lang),
        place,
        f.code,
        message(f, lang)
    )
}

/// Workbook files named on the command line: files as given, folders
/// searched recursively for xlsx/xlsm/xls/ods, skipping Office lock files
/// (`~$…`) and hidden files. Sorted, so the order of arguments and of the
/// file system does not change results. A path that does not exist stops
/// the command (a mistyped folder must not read as "nobody sent anything").
pub fn expand_inputs(inputs: &[PathBuf], lang: Lang) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.exists() && input.symlink_metadata().is_err() {
            bail!(
                "{} `{}`",
                lang.pick("không tìm thấy tệp hoặc thư mục", "no such file or folder"),
                input.display()
            );
        }
        // A folder named like a workbook (`x.xlsx/`) is a file that cannot
        // be read, reported as such; any other folder is searched.
        if input.is_dir() && !is_workbook_name(input) {
            walk(input, &mut files).with_context(|| {
                format!(
                    "{} `{}`",
                    lang.pick("không đọc được thư mục", "cannot read the folder"),
                    input.display()
                )
            })?;
        } else {
            files.push(input.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Stops a command that found no workbook to read in what it was given.
pub fn require_files(files: &[PathBuf], inputs: &[PathBuf], lang: Lang) -> Result<()> {
    if files.is_empty() {
        bail!(
            "{} {}",
            lang.pick(
                "không có tệp bảng tính (xlsx, xls, ods) nào trong",
                "no workbook files (xlsx, xls, ods) in"
            ),
            inputs
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.starts_with("~$") || name.starts_with('.') {
            continue;
        }
        // The folder listing says what most entries are; only a symbolic
        // link (or a file system that does not say) costs a lookup.
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
            walk(&path, out)?;
        } else if is_workbook_name(&path) {
            out.push(path);
        }
    }
    Ok(())
}

pub fn is_workbook_name(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "xlsx" | "xlsm" | "xls" | "ods"))
}

/// A progress line on stderr for long batches (`[120/1200] file`), about
/// twenty per run, only when stderr is a terminal.
pub struct Progress {
    total: usize,
    every: usize,
    show: bool,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        use std::io::IsTerminal;
        Progress {
            total,
            every: (total / 20).max(1),
            show: total > 20 && std::io::stderr().is_terminal(),
        }
    }

    pub fn tick(&self, done: usize, what: &std::path::Path) {
        if self.show && (done.is_multiple_of(self.every) || done == self.total) {
            eprintln!("[{done}/{}] {}", self.total, what.display());
        }
    }
}

/// The threads `--jobs` asks for: 0 means one per core.
pub fn threads(jobs: usize) -> usize {
    match jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Applies `f` to every item on `jobs` threads (0: all cores), one item per
/// task, and returns the results in the items' order, so the output does not
/// depend on the number of threads. Prints progress for long batches.
pub fn parallel_map<T, R, F>(items: &[T], jobs: usize, f: F) -> Vec<R>
where
    T: Sync + AsRef<std::path::Path>,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads(jobs).min(items.len().max(1));
    let progress = Progress::new(items.len());
    if threads <= 1 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let r = f(item);
                progress.tick(i + 1, item.as_ref());
                r
            })
            .collect();
    }
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                    progress.tick(done.fetch_add(1, Ordering::Relaxed) + 1, item.as_ref());
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was processed"))
        .collect()
}
