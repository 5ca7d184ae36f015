//! Fault injection: processes killed (SIGKILL) at random moments while they
//! write leave the previous output intact and never a partial one in place;
//! an archive survives killed intakes; an unwritable target exits 2.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::workdir::{Workdir, repo, sample_plan};

/// A small deterministic generator for kill delays.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

fn command(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("thidua"));
    c.current_dir(dir)
        .env("LC_ALL", "C.UTF-8")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    c
}

/// Runs `args` `trials` times, killing each run after a random delay within
/// its usual duration; after each, `check` must hold.
fn kill_trials(
    dir: &Path,
    args: &[&str],
    trials: usize,
    seed: u64,
    check: impl Fn(usize),
) -> (usize, usize) {
    let start = Instant::now();
    command(dir, args).status().unwrap();
    let usual = start.elapsed().as_micros() as u64;
    let mut rng = Lcg(seed);
    let (mut killed, mut finished) = (0, 0);
    for trial in 0..trials {
        let mut child = command(dir, args).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(usual + usual / 5)));
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap();
                killed += 1;
            }
        }
        child.wait().unwrap();
        check(trial);
    }
    (killed, finished)
}

fn leftovers(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".thidua-")
        })
        .count()
}

#[test]
fn killed_consolidations_leave_the_previous_workbook_whole() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let units = repo("samples/ktkt-2022/don-vi").display().to_string();
    let args = [
        "consolidate",
        "--plan",
        &plan,
        &units,
        "-o",
        "th.xlsx",
        "--json",
        "th.json",
    ];
    let (killed, finished) = kill_trials(w.path("").as_path(), &args, 100, 7, |trial| {
        let book = thidua::workbook::open(&w.path("th.xlsx"))
            .unwrap_or_else(|e| panic!("trial {trial}: the workbook in place is damaged: {e:?}"));
        assert!(book.sheet(&["Xếp hạng"]).is_some(), "trial {trial}");
        let json = std::fs::read_to_string(w.path("th.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&json)
            .unwrap_or_else(|e| panic!("trial {trial}: JSON in place is partial: {e}"));
    });
    assert_eq!(killed + finished, 100);
    assert!(killed >= 30, "most runs were killed mid-way: {killed}");
    // Temporary files of killed runs are left beside, never in place.
    eprintln!(
        "consolidate: {killed} killed, {finished} finished, {} temporary files left",
        leftovers(&w.path(""))
    );
}

#[test]
fn killed_digests_leave_the_previous_digest_whole() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    for file in ["ky/Q1/SCT_Q1.xlsx", "ky/Q1/SXD_Q1.xlsx"] {
        let path = repo(&format!("samples/ktkt-2022/{file}"))
            .display()
            .to_string();
        command(
            &w.path(""),
            &[
                "intake",
                "--plan",
                &plan,
                "--archive",
                "kho",
                "--received",
                "2022-03-20",
                &path,
            ],
        )
        .status()
        .unwrap();
    }
    let args = [
        "digest",
        "--plan",
        &plan,
        "--archive",
        "kho",
        "--month",
        "2022-04",
        "-o",
        "bt.xlsx",
        "--markdown",
        "bt.md",
    ];
    let (killed, _) = kill_trials(&w.path(""), &args, 30, 11, |trial| {
        let book = thidua::workbook::open(&w.path("bt.xlsx"))
            .unwrap_or_else(|e| panic!("trial {trial}: {e:?}"));
        assert!(book.sheet(&["Tổng quan"]).is_some());
        assert!(
            std::fs::read_to_string(w.path("bt.md"))
                .unwrap()
                .starts_with("# Bản tin")
        );
    });
    assert!(killed >= 5, "{killed}");
}

#[test]
fn killed_intakes_lose_nothing() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let files: Vec<String> = std::fs::read_dir(repo("samples/ktkt-2022/ky/9T"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut rng = Lcg(3);
    for (i, file) in files.iter().enumerate() {
        let when = format!("2022-09-{:02} 08:00", 10 + i);
        let mut child = command(
            &w.path(""),
            &[
                "intake",
                "--plan",
                &plan,
                "--archive",
                "kho",
                "--received",
                &when,
                file,
            ],
        )
        .spawn()
        .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(60_000)));
        let _ = child.kill();
        child.wait().unwrap();
    }
    // One more run recovers whatever a killed run stored without its line.
    command(
        &w.path(""),
        &["intake", "--plan", &plan, "--archive", "kho", &files[0]],
    )
    .status()
    .unwrap();
    let ledger = thidua::archive::read_ledger(&w.path("kho")).unwrap();
    for e in &ledger {
        assert!(
            w.path("kho").join(&e.stored_name).is_file(),
            "{} listed but missing",
            e.stored_name
        );
    }
    let stored: std::collections::HashSet<&str> =
        ledger.iter().map(|e| e.stored_name.as_str()).collect();
    let mut on_disk = Vec::new();
    let mut stack = vec![w.path("kho")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xlsx") {
                on_disk.push(
                    p.strip_prefix(w.path("kho"))
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    for f in &on_disk {
        assert!(
            stored.contains(f.as_str()),
            "{f} stored but not in the ledger"
        );
    }
}

#[test]
fn an_unwritable_target_exits_2_with_a_message() {
    let w = Workdir::new();
    std::fs::write(w.path("not-a-folder"), "x").unwrap();
    let plan = sample_plan().display().to_string();
    let units = repo("samples/ktkt-2022/don-vi/SCT_NAM.xlsx")
        .display()
        .to_string();
    let out = command(
        &w.path(""),
        &[
            "consolidate",
            "--plan",
            &plan,
            &units,
            "-o",
            "not-a-folder/th.xlsx",
        ],
    )
    .stderr(std::process::Stdio::piped())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-a-folder/th.xlsx"), "{err}");
}

/// A disk that fills up mid-write (simulated with a file-size limit, the
/// signal ignored so the write fails with EFBIG) gives a clear error, exit
/// 2, and leaves the previous output in place.
#[cfg(unix)]
#[test]
fn a_full_disk_exits_2_and_keeps_the_previous_output() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let units = repo("samples/ktkt-2022/don-vi").display().to_string();
    command(
        &w.path(""),
        &["consolidate", "--plan", &plan, &units, "-o", "th.xlsx"],
    )
    .status()
    .unwrap();
    let before = std::fs::read(w.path("th.xlsx")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("thidua").display().to_string();
    let script = format!(
        "ulimit -f 16; trap '' XFSZ; exec '{bin}' consolidate --plan '{plan}' '{units}' -o th.xlsx"
    );
    let out = std::process::Command::new("sh")
        .current_dir(w.path(""))
        .env("LC_ALL", "C.UTF-8")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("th.xlsx"), "{err}");
    // The sheets are built on several threads; the writer's panic on each
    // is caught there, and the message says what failed.
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(
        std::fs::read(w.path("th.xlsx")).unwrap(),
        before,
        "the previous output is intact"
    );
}
