//! A temporary folder per test and a handle on the `thidua` binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `thidua` run inside the work folder.
    pub fn thidua(&self) -> Command {
        let mut cmd = Command::cargo_bin("thidua").expect("binary built");
        cmd.current_dir(self.dir.path());
        // The language follows the locale; the tests expect the default,
        // Vietnamese, whatever the machine's.
        cmd.env("LC_ALL", "C.UTF-8");
        cmd
    }
}

/// A path in the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn sample_plan() -> PathBuf {
    repo("samples/ktkt-2022/ke-hoach.xlsx")
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}
