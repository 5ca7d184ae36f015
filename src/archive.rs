//! The intake archive (lưu trữ hồ sơ nộp): the only writer into the
//! archive folder and its ledger. Every file that arrives is stored once,
//! never overwritten, under `DIR/<plan>/<period>/<unit>/<received>-<hash>.<ext>`,
//! and one line is appended to the ledger `DIR/so-nhan.csv` (UTF-8 with a
//! BOM, so Excel opens it; RFC 4180 quoting).
//!
//! Crash safety: a file is written to a temporary name, flushed and renamed
//! into place, and only then is its ledger line appended. A crash between
//! the two leaves an orphan that the next run finds and records as
//! `recovered`. Concurrent runs take an exclusive lock on `DIR/.so-nhan.lock`
//! (released by the OS if a run dies), so they lose nothing.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The ledger's file name in the archive root.
pub const LEDGER: &str = "so-nhan.csv";
const LOCK: &str = ".so-nhan.lock";
const BOM: &str = "\u{feff}";

/// The ledger's columns, in order.
pub const COLUMNS: [&str; 12] = [
    "received",
    "original_name",
    "stored_name",
    "sha256",
    "plan",
    "unit",
    "period",
    "report_date",
    "verdict",
    "errors",
    "warnings",
    "late_days",
];

/// What the intake decided about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No errors: stored and counted.
    Accepted,
    /// Errors: stored so the leader can show the unit, not counted.
    Rejected,
    /// The same bytes arrived before: recorded, not stored again.
    Duplicate,
    /// Found stored without a ledger line (a crash between the two).
    Recovered,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
            Verdict::Duplicate => "duplicate",
            Verdict::Recovered => "recovered",
        }
    }

    fn parse(s: &str) -> Option<Verdict> {
        Some(match s {
            "accepted" => Verdict::Accepted,
            "rejected" => Verdict::Rejected,
            "duplicate" => Verdict::Duplicate,
            "recovered" => Verdict::Recovered,
            _ => return None,
        })
    }
}

/// One ledger line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub received: NaiveDateTime,
    pub original_name: String,
    /// Path of the stored file relative to the archive root, `/`-separated.
    pub stored_name: String,
    pub sha256: String,
    pub plan: String,
    pub unit: String,
    pub period: String,
    pub report_date: Option<NaiveDate>,
    pub verdict: Verdict,
    pub errors: usize,
    pub warnings: usize,
    pub late_days: Option<i64>,
}

impl Entry {
    /// True for a submission that counts: accepted, or recovered without
    /// errors (not a duplicate, not rejected).
    pub fn counts(&self) -> bool {
        self.verdict == Verdict::Accepted
            || (self.verdict == Verdict::Recovered && self.errors == 0)
    }

    /// Where the stored file is, in the archive at `root`.
    pub fn path_in(&self, root: &Path) -> PathBuf {
        root.join(&self.stored_name)
    }

    /// True when the entry belongs to the plan (codes compared folded).
    pub fn is_for(&self, plan: &str) -> bool {
        crate::text::label_key(&self.plan) == crate::text::label_key(plan)
    }
}

/// What a file was found to be, as the caller's checks say.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub plan: String,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub report_date: Option<NaiveDate>,
    pub errors: usize,
    pub warnings: usize,
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("cannot use the archive `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the ledger `{path}` line {line} cannot be read: {why}")]
    Ledger {
        path: PathBuf,
        line: usize,
        why: String,
    },
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An open archive, held under its lock.
pub struct Archive {
    root: PathBuf,
    _lock: File,
    entries: Vec<Entry>,
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A path component that is safe on every file system: letters, digits,
/// `-`, `_` and `.` kept (Vietnamese letters folded), everything else `_`;
/// never `.`/`..`, never a Windows device name, never empty.
pub fn safe_component(text: &str) -> String {
    let folded = crate::text::fold(text);
    let mut out: String = folded
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    out = out.trim_matches('.').to_string();
    if out.is_empty() {
        out = "_".into();
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    out.chars().take(80).collect()
}

/// Environment variable that makes filing stop after storing a file and
/// before writing its ledger line (`after-store`): a crash, for tests of
/// `thidua intake` and `thidua serve`.
pub const FAULT_ENV: &str = "THIDUA_FAULT";

/// True when [`FAULT_ENV`] asks for a crash after storing.
pub fn fault_after_store() -> bool {
    std::env::var(FAULT_ENV).is_ok_and(|v| v == "after-store")
}

impl Archive {
    /// Opens (creating if needed) the archive, waits for its lock, reads the
    /// ledger, and removes temporary files a crashed run left.
    pub fn open(root: &Path) -> Result<Archive, ArchiveError> {
        let archive = Archive::locked(root)?;
        archive.remove_temporaries()?;
        Ok(archive)
    }

    /// Opens the archive and waits for its lock without looking through
    /// every stored file: for a server that swept the archive when it
    /// started and files one submission at a time.
    pub fn locked(root: &Path) -> Result<Archive, ArchiveError> {
        std::fs::create_dir_all(root).map_err(io_err(root))?;
        let lock_path = root.join(LOCK);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        lock.lock().map_err(io_err(&lock_path))?;
        let entries = read_ledger(root)?;
        let archive = Archive {
            root: root.to_path_buf(),
            _lock: lock,
            entries,
        };
        Ok(archive)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn remove_temporaries(&self) -> Result<(), ArchiveError> {
        for path in walk(&self.root).map_err(io_err(&self.root))? {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name.starts_with(".thidua-") && name.ends_with(".tmp") {
                std::fs::remove_file(&path).map_err(io_err(&path))?;
            }
        }
        Ok(())
    }

    /// Stored files without a ledger line: what a crash between storing and
    /// recording leaves behind.
    pub fn orphans(&self) -> Result<Vec<PathBuf>, ArchiveError> {
        let known: HashSet<&str> = self
            .entries
            .iter()
            .map(|e| e.stored_name.as_str())
            .collect();
        let mut out = Vec::new();
        for path in walk(&self.root).map_err(io_err(&self.root))? {
            let rel = relative(&self.root, &path);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name == LEDGER || name == LOCK || name.starts_with('.') || !rel.contains('/') {
                continue;
            }
            if !known.contains(rel.as_str()) {
                out.push(path);
            }
        }
        out.sort();
        Ok(out)
    }

    /// The entry of an earlier file with the same bytes, if any.
    pub fn find_hash(&self, sha: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.sha256 == sha && e.verdict != Verdict::Duplicate)
    }

    /// Stores a file's bytes (unless the same bytes are stored already) and
    /// appends its ledger line. `fault` stops the run after the file is
    /// stored and before its line is written, to test recovery.
    pub fn file(
        &mut self,
        original_name: &str,
        bytes: &[u8],
        facts: &Facts,
        received: NaiveDateTime,
        fault: bool,
    ) -> Result<Entry, ArchiveError> {
        let sha = sha256_hex(bytes);
        let late_days = match (facts.deadline, facts.period.as_ref()) {
            (Some(d), Some(_)) if received.date() > d => Some((received.date() - d).num_days()),
            _ => None,
        };
        let mut entry = Entry {
            received,
            original_name: original_name.to_string(),
            stored_name: String::new(),
            sha256: sha.clone(),
            plan: facts.plan.clone(),
            unit: facts.unit.clone().unwrap_or_default(),
            period: facts.period.clone().unwrap_or_default(),
            report_date: facts.report_date,
            verdict: if facts.errors > 0 {
                Verdict::Rejected
            } else {
                Verdict::Accepted
            },
            errors: facts.errors,
            warnings: facts.warnings,
            late_days,
        };
        if let Some(first) = self.find_hash(&sha) {
            entry.stored_name = first.stored_name.clone();
            entry.verdict = Verdict::Duplicate;
        } else {
            entry.stored_name = self.store(original_name, bytes, &entry)?;
            if fault {
                // Test hook: die the way a crash or power cut would.
                std::process::abort();
            }
        }
        self.append(&entry)?;
        Ok(entry)
    }

    fn store(
        &self,
        original_name: &str,
        bytes: &[u8],
        entry: &Entry,
    ) -> Result<String, ArchiveError> {
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "_khong-ro".to_string()
            } else {
                safe_component(s)
            }
        };
        let dir = self
            .root
            .join(or_unknown(&entry.plan))
            .join(or_unknown(&entry.period))
            .join(or_unknown(&entry.unit));
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let ext = Path::new(original_name)
            .extension()
            .map(|e| safe_component(&e.to_string_lossy().to_lowercase()))
            .unwrap_or_else(|| "bin".into());
        let stamp = entry.received.format("%Y%m%dT%H%M%S");
        let mut n = 0;
        loop {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            let name = format!("{stamp}-{}{suffix}.{ext}", &entry.sha256[..12]);
            let path = dir.join(&name);
            match crate::output::write_atomic(&path, bytes, false) {
                Ok(()) => return Ok(relative(&self.root, &path)),
                Err(crate::output::WriteError::Exists(_)) => n += 1,
                Err(e) => {
                    return Err(ArchiveError::Io {
                        path,
                        source: std::io::Error::other(e.to_string()),
                    });
                }
            }
        }
    }

    /// Records a file found stored without its line.
    pub fn recover(&mut self, path: &Path, facts: &Facts) -> Result<Entry, ArchiveError> {
        let bytes = std::fs::read(path).map_err(io_err(path))?;
        let received = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local())
            .unwrap_or_default();
        let received = stamp_of(path).unwrap_or(received);
        let entry = Entry {
            received,
            original_name: String::new(),
            stored_name: relative(&self.root, path),
            sha256: sha256_hex(&bytes),
            plan: facts.plan.clone(),
            unit: facts.unit.clone().unwrap_or_default(),
            period: facts.period.clone().unwrap_or_default(),
            report_date: facts.report_date,
            verdict: Verdict::Recovered,
            errors: facts.errors,
            warnings: facts.warnings,
            late_days: match facts.deadline {
                Some(d) if received.date() > d => Some((received.date() - d).num_days()),
                _ => None,
            },
        };
        self.append(&entry)?;
        Ok(entry)
    }

    fn append(&mut self, entry: &Entry) -> Result<(), ArchiveError> {
        let path = self.root.join(LEDGER);
        let new = !path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_err(&path))?;
        let mut text = String::new();
        if new {
            text.push_str(BOM);
            text.push_str(&COLUMNS.join(","));
            text.push_str("\r\n");
        }
        text.push_str(&to_csv(entry));
        text.push_str("\r\n");
        file.write_all(text.as_bytes()).map_err(io_err(&path))?;
        file.sync_all().map_err(io_err(&path))?;
        self.entries.push(entry.clone());
        Ok(())
    }
}

/// The received time encoded in a stored name (`20221215T083000-…`).
fn stamp_of(path: &Path) -> Option<NaiveDateTime> {
    let name = path.file_name()?.to_string_lossy();
    NaiveDateTime::parse_from_str(name.get(..15)?, "%Y%m%dT%H%M%S").ok()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    Ok(out)
}

fn csv_field(s: &str) -> String {
    // A leading `=`, `+`, `-` or `@` would make Excel read a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn to_csv(e: &Entry) -> String {
    [
        e.received.format("%Y-%m-%d %H:%M:%S").to_string(),
        e.original_name.clone(),
        e.stored_name.clone(),
        e.sha256.clone(),
        e.plan.clone(),
        e.unit.clone(),
        e.period.clone(),
        e.report_date.map(|d| d.to_string()).unwrap_or_default(),
        e.verdict.as_str().to_string(),
        e.errors.to_string(),
        e.warnings.to_string(),
        e.late_days.map(|d| d.to_string()).unwrap_or_default(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

/// Splits one CSV record (RFC 4180, quotes doubled inside quoted fields).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Reads the ledger of an archive (empty when there is none yet).
pub fn read_ledger(root: &Path) -> Result<Vec<Entry>, ArchiveError> {
    let path = root.join(LEDGER);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err(&path)(e)),
    };
    let mut entries = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_err(&path))?;
        let line = line.trim_start_matches(BOM).trim_end_matches('\r');
        if i == 0 || line.is_empty() {
            continue;
        }
        let bad = |why: &str| ArchiveError::Ledger {
            path: path.clone(),
            line: i + 1,
            why: why.to_string(),
        };
        let f = split_csv(line);
        if f.len() != COLUMNS.len() {
            return Err(bad("wrong number of fields"));
        }
        let unquote = |s: &str| {
            s.strip_prefix('\'')
                .filter(|r| r.starts_with(['=', '+', '-', '@']))
                .unwrap_or(s)
                .to_string()
        };
        entries.push(Entry {
            received: NaiveDateTime::parse_from_str(&f[0], "%Y-%m-%d %H:%M:%S")
                .map_err(|_| bad("bad time"))?,
            original_name: unquote(&f[1]),
            stored_name: f[2].clone(),
            sha256: f[3].clone(),
            plan: unquote(&f[4]),
            unit: unquote(&f[5]),
            period: unquote(&f[6]),
            report_date: if f[7].is_empty() {
                None
            } else {
                Some(f[7].parse().map_err(|_| bad("bad report date"))?)
            },
            verdict: Verdict::parse(&f[8]).ok_or_else(|| bad("bad verdict"))?,
            errors: f[9].parse().map_err(|_| bad("bad count"))?,
            warnings: f[10].parse().map_err(|_| bad("bad count"))?,
            late_days: if f[11].is_empty() {
                None
            } else {
                Some(f[11].parse().map_err(|_| bad("bad days"))?)
            },
        });
    }
    Ok(entries)
}

/// True when a folder is an archive root (it holds a ledger).
pub fn is_archive(dir: &Path) -> bool {
    dir.join(LEDGER).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn safe_components() {
        assert_eq!(safe_component("Sở Công Thương"), "so_cong_thuong");
        assert_eq!(safe_component("../../etc"), "_.._etc");
        assert_eq!(safe_component(".."), "_");
        assert_eq!(safe_component("CON"), "_con");
        assert_eq!(safe_component("com1.xlsx"), "_com1.xlsx");
        assert_eq!(safe_component("a:b/c\\d"), "a_b_c_d");
    }

    #[test]
    fn csv_round_trips_awkward_text() {
        let line = to_csv(&Entry {
            received: NaiveDate::from_ymd_opt(2022, 3, 20)
                .unwrap()
                .and_hms_opt(8, 30, 0)
                .unwrap(),
            original_name: "=HYPERLINK(\"x\"), \"báo cáo\".xlsx".into(),
            stored_name: "a/b.xlsx".into(),
            sha256: "ab".into(),
            plan: "KTKT-2022".into(),
            unit: "SCT".into(),
            period: "Q1".into(),
            report_date: None,
            verdict: Verdict::Accepted,
            errors: 0,
            warnings: 2,
            late_days: Some(3),
        });
        assert!(
            line.contains("\"'=HYPERLINK(\"\"x\"\"), \"\"báo cáo\"\".xlsx\""),
            "{line}"
        );
        let f = split_csv(&line);
        assert_eq!(f.len(), COLUMNS.len());
        assert_eq!(f[1], "'=HYPERLINK(\"x\"), \"báo cáo\".xlsx");
        assert_eq!(f[11], "3");
    }

    proptest! {
        #[test]
        fn safe_component_stays_inside(s in "\\PC{0,40}") {
            let c = safe_component(&s);
            prop_assert!(!c.is_empty());
            prop_assert!(c != "." && c != "..");
            prop_assert!(!c.contains('/') && !c.contains('\\') && !c.contains(':'));
        }
    }
}
