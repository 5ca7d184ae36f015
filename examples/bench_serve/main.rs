//! Benchmark of `thidua serve` (docs/performance.md): the server-side time
//! from upload to findings for typical unit workbooks, and how many
//! check-and-send rounds per second the server takes with 12 units sending
//! at once. Runs the release binary on loopback with a fresh archive.
//!
//!     cargo build --release
//!     cargo run --release --example bench_serve -- [SECONDS]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

const SAMPLES: &str = "samples/ktkt-2022/don-vi";

struct Server {
    child: Child,
    base: String,
    codes: HashMap<String, String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("THIDUA_BIN") {
        return path.into();
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    Path::new(&target).join("release").join("thidua")
}

fn start(archive: &Path) -> anyhow::Result<Server> {
    let mut child = Command::new(binary())
        .env("LC_ALL", "C.UTF-8")
        .args(["serve", "--plan", "samples/ktkt-2022/ke-hoach.xlsx"])
        .arg("--archive")
        .arg(archive)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let base = first
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    let mut codes = HashMap::new();
    for line in lines {
        let line = line?;
        let parts: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("  ") && parts.len() == 2 {
            codes.insert(parts[0].to_string(), parts[1].to_string());
        }
        if line.contains("Ctrl+C") {
            break;
        }
    }
    Ok(Server { child, base, codes })
}

/// A signed-in unit: its cookie and form token.
struct Unit {
    agent: ureq::Agent,
    base: String,
    cookie: String,
    token: String,
}

impl Unit {
    fn sign_in(base: &str, code: &str) -> anyhow::Result<Unit> {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let response = agent
            .post(&format!("{base}/dang-nhap"))
            .send_form(&[("code", code)])?;
        let cookie = response
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .unwrap_or_default()
            .to_string();
        let page = agent
            .get(&format!("{base}/"))
            .set("Cookie", &cookie)
            .call()?
            .into_string()?;
        let marker = "name=\"token\" value=\"";
        let at = page.find(marker).map(|i| i + marker.len()).unwrap_or(0);
        let token = page.get(at..at + 64).unwrap_or_default().to_string();
        Ok(Unit {
            agent,
            base: base.to_string(),
            cookie,
            token,
        })
    }

    /// Uploads a file to be checked: (server-side milliseconds, round trip).
    fn check(&self, name: &str, bytes: &[u8]) -> anyhow::Result<(f64, Duration)> {
        let boundary = "thiduaBENCHboundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{}\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
Content-Type: application/octet-stream\r\n\r\n",
            self.token
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let started = Instant::now();
        let response = self
            .agent
            .post(&format!("{}/kiem-tra", self.base))
            .set("Cookie", &self.cookie)
            .set(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .send_bytes(&body)?;
        let server = response
            .header("server-timing")
            .and_then(|t| t.split("dur=").nth(1))
            .and_then(|d| d.parse().ok())
            .unwrap_or(f64::NAN);
        let page = response.into_string()?;
        anyhow::ensure!(page.contains("Kết quả kiểm tra") || page.contains("không có vấn đề"));
        Ok((server, started.elapsed()))
    }

    fn send(&self) -> anyhow::Result<()> {
        let page = self
            .agent
            .post(&format!("{}/gui", self.base))
            .set("Cookie", &self.cookie)
            .send_form(&[("token", &self.token)])?
            .into_string()?;
        anyhow::ensure!(page.contains("BIÊN NHẬN"), "no receipt");
        Ok(())
    }
}

/// The same workbook with different bytes: a counter in the zip's comment,
/// so every send is a new file rather than a duplicate.
fn distinct(xlsx: &[u8], n: usize) -> Vec<u8> {
    let comment = format!("{n:08}");
    let mut out = xlsx.to_vec();
    let len = out.len();
    out[len - 2..].copy_from_slice(&(comment.len() as u16).to_le_bytes());
    out.extend_from_slice(comment.as_bytes());
    out
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn describe(values: &mut [f64]) -> String {
    let m = median(values);
    format!(
        "median {m:.1} ms (min {:.1}, p90 {:.1}, max {:.1}; n = {})",
        values[0],
        values[values.len() * 9 / 10],
        values[values.len() - 1],
        values.len()
    )
}

fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let work = tempfile::tempdir()?;
    let archive = work.path().join("kho");
    let server = start(&archive)?;
    println!("thidua serve at {} ({})", server.base, binary().display());

    // Upload to findings, one client, one file at a time.
    let sct = Unit::sign_in(&server.base, &server.codes["SCT"])?;
    let typical = [
        ("SCT_NAM.xlsx", format!("{SAMPLES}/SCT_NAM.xlsx")),
        (
            "SGTVT_NAM.xlsx (errors)",
            format!("{SAMPLES}/SGTVT_NAM.xlsx"),
        ),
        ("lo-sgtvt.ods", "tests/fixtures/lo-sgtvt.ods".to_string()),
        ("lo-cthue.XLS", "tests/fixtures/lo-cthue.XLS".to_string()),
    ];
    println!(
        "\nupload to findings (POST /kiem-tra; server = Server-Timing, round trip on loopback):"
    );
    for (label, path) in &typical {
        let bytes = std::fs::read(path)?;
        for _ in 0..5 {
            sct.check(label, &bytes)?;
        }
        let (mut server_ms, mut round_ms) = (Vec::new(), Vec::new());
        for _ in 0..100 {
            let (s, r) = sct.check(label, &bytes)?;
            server_ms.push(s);
            round_ms.push(r.as_secs_f64() * 1000.0);
        }
        println!(
            "  {label:<24} {:>6} bytes  server {}\n  {:<38} round trip {}",
            bytes.len(),
            describe(&mut server_ms),
            "",
            describe(&mut round_ms)
        );
    }

    // The 12 units at once, each checking and sending its own workbook,
    // every send a new file.
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    for entry in std::fs::read_dir(SAMPLES)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if let Some(code) = name.strip_suffix("_NAM.xlsx") {
            files.insert(code.to_string(), std::fs::read(&path)?);
        }
    }
    // A unit without a sample workbook sends its blank template.
    files.retain(|code, _| server.codes.contains_key(code));
    let blanks = work.path().join("mau");
    let without: Vec<String> = server
        .codes
        .keys()
        .filter(|c| !files.contains_key(*c))
        .cloned()
        .collect();
    for code in without {
        let dir = blanks.join(&code);
        let status = Command::new(binary())
            .args([
                "template",
                "--plan",
                "samples/ktkt-2022/ke-hoach.xlsx",
                "--unit",
            ])
            .arg(&code)
            .arg("-o")
            .arg(&dir)
            .stdout(Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "thidua template --unit {code}");
        let made = std::fs::read_dir(&dir)?
            .next()
            .ok_or_else(|| anyhow::anyhow!("no template for {code}"))??;
        files.insert(code, std::fs::read(made.path())?);
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = files
        .into_iter()
        .map(|(code, bytes)| {
            let base = server.base.clone();
            let access = server.codes[&code].clone();
            std::thread::spawn(move || -> anyhow::Result<(usize, Vec<f64>, Vec<String>)> {
                let unit = Unit::sign_in(&base, &access)?;
                let (mut rounds, mut times, mut hashes) = (0, Vec::new(), Vec::new());
                while Instant::now() < deadline {
                    let file = distinct(&bytes, rounds);
                    let t = Instant::now();
                    unit.check(&format!("{code}_NAM.xlsx"), &file)?;
                    unit.send()?;
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    hashes.push(format!("{:x}", Sha256::digest(&file)));
                    rounds += 1;
                }
                Ok((rounds, times, hashes))
            })
        })
        .collect();
    let (mut rounds, mut times, mut hashes) = (0, Vec::new(), Vec::new());
    for handle in handles {
        let (n, t, h) = handle.join().expect("client thread")?;
        rounds += n;
        times.extend(t);
        hashes.extend(h);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "\n12 clients for {seconds} s: {rounds} check-and-send rounds, {:.1} sends per second; \
one round (check, then send) {}",
        rounds as f64 / elapsed,
        describe(&mut times)
    );

    // Every send is in the ledger, with its bytes stored.
    let entries = thidua::archive::read_ledger(&archive)?;
    let stored: std::collections::HashSet<&str> =
        entries.iter().map(|e| e.sha256.as_str()).collect();
    let missing = hashes
        .iter()
        .filter(|h| !stored.contains(h.as_str()))
        .count();
    let mut damaged = 0;
    for e in &entries {
        let bytes = std::fs::read(archive.join(&e.stored_name))?;
        if format!("{:x}", Sha256::digest(&bytes)) != e.sha256 {
            damaged += 1;
        }
    }
    println!(
        "ledger: {} lines for {} sends; {missing} missing, {damaged} stored files differing from their line",
        entries.len(),
        hashes.len()
    );
    anyhow::ensure!(missing == 0 && damaged == 0 && entries.len() == hashes.len());
    Ok(())
}
