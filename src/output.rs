//! Writing the tool's output files safely: every output is checked before
//! anything is read (its extension says what it holds; it is not an input
//! nor another output of the same run), then written through a temporary
//! file renamed into place, with the permissions the user's umask gives.
//! Knows nothing of workbooks: `report` builds the bytes, this module puts
//! them on disk.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::messages::Lang;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{0}` already exists; use --force to replace it")]
    Exists(PathBuf),
    #[error(
        "cannot write `{0}`: it is open in another program (Excel?) or read-only; close it and run again"
    )]
    Locked(PathBuf),
    // The cause follows from the error chain (`{:#}`), not repeated here.
    #[error("cannot write `{path}`")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot build the workbook `{path}`")]
    Build {
        path: PathBuf,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl WriteError {
    /// The sentence in the user's language (the cause, if any, follows).
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (WriteError::Exists(p), Lang::Vi) => {
                format!("`{}` đã có; thêm --force nếu muốn ghi đè", p.display())
            }
            (WriteError::Locked(p), Lang::Vi) => format!(
                "không ghi được `{}`: tệp đang mở trong chương trình khác (Excel?) hoặc chỉ đọc; hãy đóng tệp rồi chạy lại",
                p.display()
            ),
            (WriteError::Io { path, .. }, Lang::Vi) => {
                format!("không ghi được `{}`", path.display())
            }
            (WriteError::Build { path, .. }, Lang::Vi) => {
                format!("không tạo được bảng tính `{}`", path.display())
            }
        }
    }
}

/// What an output file holds, and so the extensions its name may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Json,
    Markdown,
    Html,
}

impl Kind {
    /// Accepted extensions, the first one added to a name without any.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Xlsx => &["xlsx"],
            Kind::Json => &["json"],
            Kind::Markdown => &["md", "markdown"],
            Kind::Html => &["html", "htm"],
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Kind::Xlsx => lang.pick("bảng tính Excel (.xlsx)", "an Excel workbook (.xlsx)"),
            Kind::Json => "JSON (.json)",
            Kind::Markdown => "Markdown (.md)",
            Kind::Html => "HTML (.html)",
        }
    }
}

/// An output's name as it will be written: a name without an extension
/// gets the kind's own (said on stderr); a name whose extension promises
/// another format is refused — a `.ods` or `.csv` holding xlsx bytes would
/// not open, or open as garbage.
pub fn name_for(path: &Path, kind: Kind, lang: Lang) -> anyhow::Result<PathBuf> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    match ext {
        Some(e) if kind.extensions().contains(&e.as_str()) => Ok(path.to_path_buf()),
        None => {
            let named = path.with_extension(kind.extensions()[0]);
            eprintln!(
                "{} `{}`",
                lang.pick(
                    "thidua: tên tệp chưa có đuôi; sẽ ghi",
                    "thidua: the name has no extension; writing"
                ),
                named.display()
            );
            Ok(named)
        }
        Some(e) => anyhow::bail!(
            "`{}`: {} {}; {} `{}`",
            path.display(),
            lang.pick("tệp này được ghi dưới dạng", "this file is written as"),
            kind.name(lang),
            lang.pick(
                &format!("đuôi `.{e}` sẽ làm tệp không mở được — hãy đặt tên"),
                &format!("the extension `.{e}` would make it unopenable — name it"),
            ),
            path.with_extension(kind.extensions()[0]).display()
        ),
    }
}

/// Refuses a run whose outputs would replace one of its inputs or each
/// other: compared by canonical path (so `./x`, `../d/x` and symbolic links
/// count) and by file identity (hard links).
pub fn refuse_clashes(inputs: &[&Path], outputs: &[&Path], lang: Lang) -> anyhow::Result<()> {
    let inputs: Vec<Place> = inputs.iter().map(|p| Place::of(p)).collect();
    let outputs: Vec<Place> = outputs.iter().map(|p| Place::of(p)).collect();
    refuse_clashes_among(&inputs, &outputs, lang)
}

/// [`refuse_clashes`] for paths already looked up: a national run names
/// thousands of inputs, each looked up once and not once per output.
pub fn refuse_clashes_among(inputs: &[Place], outputs: &[Place], lang: Lang) -> anyhow::Result<()> {
    for (i, out) in outputs.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|input| out.is(input)) {
            anyhow::bail!(
                "{} `{}` {} `{}`; {}",
                lang.pick("tệp kết quả", "the output"),
                out.path.display(),
                lang.pick("chính là tệp đầu vào", "is the input"),
                input.path.display(),
                lang.pick(
                    "hãy chọn tên khác cho tệp kết quả (chưa ghi gì)",
                    "choose another name for the output (nothing was written)"
                )
            );
        }
        if let Some(other) = outputs[..i].iter().find(|o| out.is(o)) {
            anyhow::bail!(
                "{} `{}` {} `{}`; {}",
                lang.pick(
                    "hai tệp kết quả trùng nhau:",
                    "two outputs are the same file:"
                ),
                other.path.display(),
                lang.pick("và", "and"),
                out.path.display(),
                lang.pick(
                    "hãy đặt cho mỗi tệp một tên (chưa ghi gì)",
                    "give each its own name (nothing was written)"
                )
            );
        }
    }
    Ok(())
}

/// A path and the identity of the file it names (device and inode), looked
/// up once.
pub struct Place<'p> {
    pub path: &'p Path,
    id: Option<(u64, u64)>,
}

impl<'p> Place<'p> {
    pub fn of(path: &'p Path) -> Place<'p> {
        Place {
            path,
            id: identity(path),
        }
    }

    /// True when both name the same file, whether or not it exists yet. A
    /// path naming no file is never the same as one naming a file.
    pub fn is(&self, other: &Place) -> bool {
        match (self.id, other.id) {
            (Some(x), Some(y)) => x == y,
            (None, None) => match (canonical(self.path), canonical(other.path)) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
            _ => false,
        }
    }
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<(u64, u64)> {
    None
}

/// The canonical form of a path that may not exist yet: its folder made
/// canonical, its name kept.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

/// Writes bytes atomically; refuses to replace an existing file unless told.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    write_atomic_with(path, overwrite, |w| w.write_all(bytes))
}

/// Writes a file atomically from a writer callback (for output too large to
/// hold in memory), through a temporary file in the target folder renamed
/// into place, so a crash leaves the old file or the new one, never half.
pub fn write_atomic_with(
    path: &Path,
    overwrite: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !overwrite && path.exists() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let locked = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::PermissionDenied => WriteError::Locked(path.to_path_buf()),
        _ => io(e),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    remove_stale_temporaries(&dir);
    let mut tmp = temporary_builder().tempfile_in(&dir).map_err(locked)?;
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut buffered).map_err(io)?;
        buffered.flush().map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    if overwrite {
        tmp.persist(path).map_err(|e| locked(e.error))?;
    } else {
        tmp.persist_noclobber(path)
            .map_err(|e| match e.error.kind() {
                std::io::ErrorKind::AlreadyExists => WriteError::Exists(path.to_path_buf()),
                _ => io(e.error),
            })?;
    }
    Ok(())
}

/// Temporary files are created as the output will be: readable and
/// writable as the umask allows (0644 under the usual 022), like any file a
/// program writes — not tempfile's private 0600.
fn temporary_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".thidua-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Temporary files older than this, left beside an output by a run that
/// was killed, are removed by the next write into the same folder. (A
/// younger one may belong to a run still writing.)
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // The name first: an output folder may hold thousands of files,
        // and only ours need their age looked up.
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".thidua-") && name.ends_with(".tmp")) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale {
            // Best effort: a file another run removed first is fine.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

thread_local! {
    static WRITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while a guarded write runs on this thread: a panic then is the
/// writer's way of failing (see [`guarded`]) and need not be printed.
pub fn panic_is_reported() -> bool {
    WRITING.with(|w| w.get())
}

/// Runs a write, turning a panic inside the workbook writer (rust_xlsxwriter
/// panics when its temporary files cannot be written) into an error that
/// names the output.
pub fn guarded(
    path: &Path,
    write: impl FnOnce() -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    // Guards nest (a workbook's sheets are built under guards of their
    // own): the flag comes back as it was.
    let was = WRITING.with(|w| w.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(write));
    WRITING.with(|w| w.set(was));
    result.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(WriteError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(format!(
                "the workbook could not be built (disk full?): {}",
                why.lines().next().unwrap_or("")
            )),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_refuses_to_replace_unless_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        write_atomic(&path, b"one", false).unwrap();
        assert!(matches!(
            write_atomic(&path, b"two", false),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temporaries_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".thidua-old.tmp");
        let fresh = dir.path().join(".thidua-new.tmp");
        std::fs::write(&stale, b"half").unwrap();
        std::fs::write(&fresh, b"writing").unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER * 2;
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomic(&dir.path().join("out.xlsx"), b"x", true).unwrap();
        assert!(!stale.exists(), "a killed run's leftover is removed");
        assert!(fresh.exists(), "a run still writing keeps its file");
    }

    /// Excel on Windows locks an open file; the rename then fails with
    /// "permission denied", which must read as advice, not an OS error.
    #[test]
    fn a_locked_target_says_to_close_it() {
        let locked = WriteError::Locked(PathBuf::from("tong-hop.xlsx"));
        assert_eq!(
            locked.to_string(),
            "cannot write `tong-hop.xlsx`: it is open in another program (Excel?) or read-only; close it and run again"
        );
        assert!(
            locked
                .text(Lang::Vi)
                .starts_with("không ghi được `tong-hop.xlsx`: tệp đang mở")
        );
    }

    #[test]
    fn an_extension_says_what_the_file_holds() {
        let named = |p: &str, k| name_for(Path::new(p), k, Lang::En).map_err(|e| e.to_string());
        assert_eq!(named("th.xlsx", Kind::Xlsx).unwrap(), Path::new("th.xlsx"));
        assert_eq!(named("TH.XLSX", Kind::Xlsx).unwrap(), Path::new("TH.XLSX"));
        assert_eq!(
            named("tong-hop", Kind::Xlsx).unwrap(),
            Path::new("tong-hop.xlsx")
        );
        assert_eq!(named("bt.md", Kind::Markdown).unwrap(), Path::new("bt.md"));
        let refused = named("th.ods", Kind::Xlsx).unwrap_err();
        assert!(
            refused.contains("`.ods`") && refused.contains("th.xlsx"),
            "{refused}"
        );
        assert!(named("th.csv", Kind::Xlsx).is_err());
        assert!(named("th.xlsx", Kind::Json).is_err());
    }

    fn same_file(a: &Path, b: &Path) -> bool {
        Place::of(a).is(&Place::of(b))
    }

    #[test]
    fn the_same_file_is_found_under_every_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("kh.xlsx");
        std::fs::write(&plan, b"plan").unwrap();
        let dotted = dir.path().join(".").join("kh.xlsx");
        assert!(same_file(&plan, &dotted));
        let hard = dir.path().join("cung.xlsx");
        std::fs::hard_link(&plan, &hard).unwrap();
        assert!(same_file(&plan, &hard), "a hard link is the same file");
        #[cfg(unix)]
        {
            let soft = dir.path().join("lien-ket.xlsx");
            std::os::unix::fs::symlink(&plan, &soft).unwrap();
            assert!(same_file(&plan, &soft), "a symbolic link is the same file");
        }
        let new = dir.path().join("sub").join("..").join("moi.xlsx");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(
            same_file(&new, &dir.path().join("moi.xlsx")),
            "not yet written"
        );
        assert!(!same_file(&plan, &dir.path().join("moi.xlsx")));
        assert!(!same_file(&dir.path().join("moi.xlsx"), &plan));
        let copy = dir.path().join("ban-sao.xlsx");
        std::fs::write(&copy, b"plan").unwrap();
        assert!(!same_file(&plan, &copy), "the same bytes in another file");
        let clash = refuse_clashes(&[&plan], &[&dotted], Lang::Vi).unwrap_err();
        assert!(
            clash.to_string().contains("chính là tệp đầu vào"),
            "{clash}"
        );
        let twice = refuse_clashes(&[], &[&new, &dir.path().join("moi.xlsx")], Lang::En);
        assert!(twice.is_err());
    }

    #[cfg(unix)]
    #[test]
    fn outputs_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"{}", false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // Whatever the umask of the test run, the group/other bits it allows
        // are set: under the usual 022 that is 0644, never a private 0600.
        assert_eq!(mode & 0o600, 0o600);
        let umask = current_umask();
        assert_eq!(mode, 0o666 & !umask, "mode {mode:o} under umask {umask:o}");
    }

    /// The process umask, read from /proc (Linux); 022 elsewhere.
    #[cfg(unix)]
    fn current_umask() -> u32 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
            .unwrap_or(0o022)
    }
}
