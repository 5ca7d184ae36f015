//! `thidua serve` driven over HTTP: a server started on `127.0.0.1:0` per
//! test, units signing in with the codes it printed, checking and sending
//! workbooks, and everything the archive then holds.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::workdir::{Workdir, repo, sample_plan};

/// A running server; killed when dropped.
struct Server {
    child: Child,
    base: String,
    codes: HashMap<String, String>,
    leader: String,
    archive: PathBuf,
    /// Every line printed up to the ready line.
    said: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(w: &Workdir, extra: &[&str]) -> Server {
    start_with(w, &sample_plan(), extra, &[])
}

fn start_with(w: &Workdir, plan: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let archive = w.path("kho");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("thidua"))
        .env("LC_ALL", "C.UTF-8")
        .envs(env.iter().copied())
        .arg("serve")
        .arg("--plan")
        .arg(plan)
        .arg("--archive")
        .arg(&archive)
        .args(["--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .split_whitespace()
        .last()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let mut codes = HashMap::new();
    let mut leader = String::new();
    let mut said = vec![first];
    for line in lines.by_ref() {
        let line = line.unwrap();
        said.push(line.clone());
        if let Some(p) = line.strip_prefix("Mật khẩu khối trưởng: ") {
            leader = p.trim().to_string();
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("  ") && parts.len() == 2 {
            codes.insert(parts[0].to_string(), parts[1].to_string());
        }
        if line.contains("Ctrl+C") {
            break;
        }
    }
    Server {
        child,
        base,
        codes,
        leader,
        archive,
        said,
    }
}

/// A browser's session: its cookie and the last page's form token.
struct Session<'s> {
    server: &'s Server,
    cookie: String,
    agent: ureq::Agent,
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// The status and page of a response; a connection the server closed
/// while the request was still being sent (an upload over the limit) is
/// status 0.
fn status_and_body(r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    match r {
        Ok(resp) => (resp.status(), resp.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, resp)) => (code, resp.into_string().unwrap_or_default()),
        Err(ureq::Error::Transport(t)) => (0, t.to_string()),
    }
}

fn sign_in<'s>(server: &'s Server, code: &str) -> Result<Session<'s>, u16> {
    signed_in(server, "/dang-nhap", ("code", code))
}

fn leader_sign_in<'s>(server: &'s Server, password: &str) -> Result<Session<'s>, u16> {
    signed_in(server, "/khoi-truong", ("password", password))
}

/// Posts a sign-in form; the session, or the status of a refusal. The
/// session cookie is HttpOnly and SameSite=Strict.
fn signed_in<'s>(server: &'s Server, path: &str, field: (&str, &str)) -> Result<Session<'s>, u16> {
    let agent = agent();
    match agent
        .post(&format!("{}{path}", server.base))
        .send_form(&[field])
    {
        Ok(resp) if resp.status() == 303 => {
            let set = resp.header("set-cookie").unwrap();
            assert!(
                set.contains("HttpOnly") && set.contains("SameSite=Strict"),
                "{set}"
            );
            let cookie = set.split(';').next().unwrap().to_string();
            Ok(Session {
                server,
                cookie,
                agent,
            })
        }
        Ok(resp) => Err(resp.status()),
        Err(ureq::Error::Status(code, _)) => Err(code),
        Err(e) => panic!("{e}"),
    }
}

impl Session<'_> {
    fn get(&self, path: &str) -> (u16, String) {
        status_and_body(
            self.agent
                .get(&format!("{}{path}", self.server.base))
                .set("Cookie", &self.cookie)
                .call(),
        )
    }

    fn token(&self) -> String {
        let (_, page) = self.get("/");
        let at = page.find("name=\"token\" value=\"").unwrap() + "name=\"token\" value=\"".len();
        page[at..at + 64].to_string()
    }

    fn check(&self, name: &str, bytes: &[u8], token: &str) -> (u16, String) {
        let boundary = "thiduaTESTboundary";
        let mut body = Vec::new();
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n"
            )
            .as_bytes(),
        );
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        status_and_body(
            self.agent
                .post(&format!("{}/kiem-tra", self.server.base))
                .set("Cookie", &self.cookie)
                .set(
                    "Content-Type",
                    &format!("multipart/form-data; boundary={boundary}"),
                )
                .send_bytes(&body),
        )
    }

    fn send(&self, token: &str) -> (u16, String) {
        status_and_body(
            self.agent
                .post(&format!("{}/gui", self.server.base))
                .set("Cookie", &self.cookie)
                .send_form(&[("token", token)]),
        )
    }
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(repo(&format!("samples/ktkt-2022/don-vi/{name}"))).unwrap()
}

fn ledger(archive: &Path) -> Vec<thidua::archive::Entry> {
    thidua::archive::read_ledger(archive).unwrap_or_default()
}

#[test]
fn a_unit_signs_in_checks_sends_and_gets_a_receipt() {
    let w = Workdir::new();
    let server = start(&w, &[]);
    assert_eq!(server.codes.len(), 12, "every unit's code is told once");
    // A wrong code: 403, nothing stored.
    assert_eq!(sign_in(&server, "KHONGDUNG").err(), Some(403));
    assert!(ledger(&server.archive).is_empty());
    let session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = session.token();
    let bytes = sample("SCT_NAM.xlsx");
    let (code, page) = session.check("SCT_NAM.xlsx", &bytes, &token);
    assert_eq!(code, 200);
    assert!(page.contains("SCT_NAM.xlsx: không có vấn đề."), "{page}");
    assert!(page.contains("Gửi chính thức"), "{page}");
    let (code, receipt) = session.send(&token);
    assert_eq!(code, 200);
    let sha = thidua::archive::sha256_hex(&bytes);
    assert!(receipt.contains("BIÊN NHẬN HỒ SƠ THI ĐUA"), "{receipt}");
    assert!(
        receipt.contains(&sha),
        "the receipt names the bytes: {receipt}"
    );
    let entries = ledger(&server.archive);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].unit.as_str(), entries[0].sha256.as_str()),
        ("SCT", sha.as_str())
    );
    let stored = std::fs::read(server.archive.join(&entries[0].stored_name)).unwrap();
    assert_eq!(stored, bytes, "stored as sent");
    // Sent again: a duplicate, stored once.
    session.check("SCT_NAM.xlsx", &bytes, &token);
    let (_, again) = session.send(&token);
    assert!(again.contains("gửi trùng"), "{again}");
    assert_eq!(ledger(&server.archive).len(), 2);
    // The unit's page lists what it sent.
    let (_, home) = session.get("/");
    assert!(
        home.contains("Hồ sơ đã gửi") && home.contains("SCT_NAM.xlsx"),
        "{home}"
    );
}

#[test]
fn a_unit_cannot_send_another_units_file_or_forge_a_form() {
    let w = Workdir::new();
    let server = start(&w, &[]);
    let session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = session.token();
    let (_, page) = session.check("SGTVT_NAM.xlsx", &sample("SGTVT_NAM.xlsx"), &token);
    assert!(
        page.contains("báo cáo của đơn vị `SGTVT`, không phải của `SCT`"),
        "{page}"
    );
    // Its errors are shown at their cells, linked to the cell, which is
    // marked in the score sheet shown below.
    assert!(
        page.contains("above-max") && page.contains("<a href=\"#o-I7\">I7</a>"),
        "{page}"
    );
    assert!(
        page.contains("<td class=\"error\" id=\"o-I7\">12</td>"),
        "{page}"
    );
    // The annotated copy downloads, opening on its `Lỗi` sheet.
    let (code, bytes) = download(&session, "/ban-danh-dau.xlsx");
    assert_eq!(code, 200);
    std::fs::write(w.path("danh-dau.xlsx"), &bytes).unwrap();
    let book = thidua::workbook::open(&w.path("danh-dau.xlsx")).unwrap();
    assert_eq!(book.sheets.last().unwrap().name, "Lỗi");
    let (_, refused) = session.send(&token);
    assert!(
        refused.contains("Hãy kiểm tra tệp trước khi gửi"),
        "{refused}"
    );
    assert!(ledger(&server.archive).is_empty(), "nothing stored");
    // A file of its own, checked, then a file that is no workbook: the
    // last check is what counts — nothing waits to be sent and no copy of
    // the earlier file is offered.
    session.check("SCT_NAM.xlsx", &sample("SCT_NAM.xlsx"), &token);
    let (_, page) = session.check("ghi-chu.xlsx", b"Kinh gui Khoi truong", &token);
    assert!(page.contains("<td>not-a-workbook</td>"), "{page}");
    let (_, refused) = session.send(&token);
    assert!(
        refused.contains("Hãy kiểm tra tệp trước khi gửi"),
        "{refused}"
    );
    assert_eq!(download(&session, "/ban-danh-dau.xlsx").0, 404);
    assert!(ledger(&server.archive).is_empty(), "nothing stored");
    // A forged token is refused.
    let (code, _) = session.check("SCT_NAM.xlsx", &sample("SCT_NAM.xlsx"), "00");
    assert_eq!(code, 403);
    let (code, _) = session.send("00");
    assert_eq!(code, 403);
    // Without a session nothing is sent.
    let (code, _) = status_and_body(
        agent()
            .post(&format!("{}/gui", server.base))
            .send_form(&[("token", &token)]),
    );
    assert_eq!(code, 303);
    assert!(ledger(&server.archive).is_empty());
}

#[test]
fn oversized_uploads_hostile_names_and_guessing_are_refused() {
    let w = Workdir::new();
    let server = start(&w, &["--max-upload", "1"]);
    let session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = session.token();
    let big = vec![b'x'; 2 * 1024 * 1024];
    let (code, _) = session.check("lon.xlsx", &big, &token);
    assert!(code == 413 || code == 0, "refused while streaming: {code}");
    assert!(ledger(&server.archive).is_empty());
    // The server closed that connection; the browser opens a new one.
    let session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = session.token();
    // A traversal name is shown, never used as a path.
    let bytes = sample("SCT_NAM.xlsx");
    let (code, page) = session.check("../../ngoai.xlsx", &bytes, &token);
    assert_eq!(code, 200, "{page}");
    session.send(&token);
    let entries = ledger(&server.archive);
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].stored_name.starts_with("ktkt-2022/nam/sct/"),
        "{}",
        entries[0].stored_name
    );
    assert!(!w.path("ngoai.xlsx").exists() && !server.archive.join("../ngoai.xlsx").exists());
    // A damaged file gets its finding on the page; the server stays up.
    let (code, page) = session.check("hong.xlsx", b"PK\x03\x04cut", &token);
    assert_eq!(code, 200);
    assert!(page.contains("corrupt-file"), "{page}");
    // Guessing codes: ten wrong, then a pause.
    for _ in 0..10 {
        assert_eq!(sign_in(&server, "DOANBUA").err(), Some(403));
    }
    assert_eq!(sign_in(&server, &server.codes["SXD"]).err(), Some(429));
}

fn download(session: &Session, path: &str) -> (u16, Vec<u8>) {
    match session
        .agent
        .get(&format!("{}{path}", session.server.base))
        .set("Cookie", &session.cookie)
        .call()
    {
        Ok(resp) => {
            let status = resp.status();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).unwrap();
            (status, bytes)
        }
        Err(ureq::Error::Status(code, _)) => (code, Vec::new()),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_leader_sees_the_board_and_downloads_the_workbooks() {
    let w = Workdir::new();
    let server = start(&w, &[]);
    assert!(!server.leader.is_empty(), "the password is told once");
    // Two units send (one clean, one with errors).
    for (unit, file) in [("SCT", "SCT_NAM.xlsx"), ("SGTVT", "SGTVT_NAM.xlsx")] {
        let s = sign_in(&server, &server.codes[unit]).unwrap();
        let token = s.token();
        s.check(file, &sample(file), &token);
        s.send(&token);
    }
    assert_eq!(ledger(&server.archive).len(), 2);
    assert_eq!(leader_sign_in(&server, "SAI-MAT-KHAU").err(), Some(403));
    let leader = leader_sign_in(&server, &server.leader).unwrap();
    let (code, board) = leader.get("/");
    assert_eq!(code, 200);
    assert!(board.contains("Tình hình của khối"), "{board}");
    assert!(
        board.contains("Sở Công Thương") && board.contains("Nộp báo cáo"),
        "{board}"
    );
    let (code, bytes) = download(&leader, "/tai/tong-hop.xlsx");
    assert_eq!(code, 200);
    std::fs::write(w.path("th.xlsx"), &bytes).unwrap();
    let book = thidua::workbook::open(&w.path("th.xlsx")).unwrap();
    let ranking = book
        .sheet(&["Xếp hạng"])
        .expect("the consolidated workbook");
    let all: String = (0..20)
        .map(|r| ranking.text(r, 1))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("SCT") && all.contains("SGTVT"), "{all}");
    let (code, bytes) = download(&leader, "/tai/ban-tin.xlsx");
    assert_eq!(code, 200);
    assert!(bytes.starts_with(b"PK"));
    // A unit cannot download, and the leader cannot send.
    let unit = sign_in(&server, &server.codes["SXD"]).unwrap();
    assert_eq!(download(&unit, "/tai/tong-hop.xlsx").0, 403);
    let (code, _) = leader.send(&leader.token_of_board());
    assert_eq!(code, 303);
}

impl Session<'_> {
    fn token_of_board(&self) -> String {
        let (_, page) = self.get("/");
        let at = page.find("name=\"token\" value=\"").unwrap() + "name=\"token\" value=\"".len();
        page[at..at + 64].to_string()
    }
}

/// Twelve units sending at once, then one unit sending 200 times in a row:
/// every send is in the ledger, every stored file intact, none overwritten.
#[test]
fn concurrent_and_repeated_sends_lose_nothing() {
    let w = Workdir::new();
    let (code, _, err) = crate::workdir::run(
        w.thidua()
            .args(["template", "--plan"])
            .arg(sample_plan())
            .args(["-o", "mau"]),
    );
    assert_eq!(code, 0, "{err}");
    let server = start(&w, &[]);
    let units: Vec<String> = server.codes.keys().cloned().collect();
    // The leader files the sample workbooks with `thidua intake` into the
    // same archive while the units send through the server.
    let samples: Vec<PathBuf> = ["SCT_NAM.xlsx", "SXD_NAM.xlsx", "SNN_NAM.xlsx"]
        .iter()
        .map(|n| repo(&format!("samples/ktkt-2022/don-vi/{n}")))
        .collect();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for _ in 0..3 {
                let (code, out, err) = crate::workdir::run(
                    w.thidua()
                        .args(["intake", "--plan"])
                        .arg(sample_plan())
                        .arg("--archive")
                        .arg(&server.archive)
                        .args(&samples),
                );
                assert!(code == 0 || code == 1, "{out}{err}");
            }
        });
        for unit in &units {
            let server = &server;
            let path = w.path(&format!("mau/{unit}_NAM.xlsx"));
            scope.spawn(move || {
                let s = sign_in(server, &server.codes[unit]).unwrap();
                let token = s.token();
                let (code, _) = s.check(
                    &format!("{unit}_NAM.xlsx"),
                    &std::fs::read(&path).unwrap(),
                    &token,
                );
                assert_eq!(code, 200, "{unit}");
                let (code, receipt) = s.send(&token);
                assert_eq!(code, 200, "{unit}");
                assert!(receipt.contains("BIÊN NHẬN"), "{unit}: {receipt}");
            });
        }
    });
    let entries = ledger(&server.archive);
    assert_eq!(
        entries.len(),
        12 + 9,
        "every unit's send and every intake is in the ledger"
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.verdict == thidua::archive::Verdict::Duplicate)
            .count(),
        6,
        "the intake's second and third rounds are duplicates"
    );
    for e in &entries {
        let stored = std::fs::read(server.archive.join(&e.stored_name)).unwrap();
        assert_eq!(
            thidua::archive::sha256_hex(&stored),
            e.sha256,
            "{}",
            e.stored_name
        );
    }
    // 200 sends in a row of changing files by one unit.
    let s = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = s.token();
    let base = std::fs::read(w.path("mau/SCT_NAM.xlsx")).unwrap();
    for i in 0..200u32 {
        // The same workbook with a different trailing comment in the zip: new bytes each time.
        let mut bytes = base.clone();
        bytes.extend_from_slice(&i.to_le_bytes());
        let (code, _) = s.check("SCT_NAM.xlsx", &bytes, &token);
        assert_eq!(code, 200);
        let (code, _) = s.send(&token);
        assert_eq!(code, 200, "send {i}");
    }
    let entries = ledger(&server.archive);
    assert_eq!(entries.len(), 221);
    let stored: std::collections::HashSet<&str> =
        entries.iter().map(|e| e.stored_name.as_str()).collect();
    assert_eq!(stored.len(), 215, "no stored file overwritten");
}

/// A template made with the server's archive tells its unit a code that
/// opens the server; `thidua access` renews a code and the old one stops.
#[test]
fn templates_tell_codes_and_codes_can_be_renewed() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let (code, out, err) = crate::workdir::run(w.thidua().args([
        "template",
        "--plan",
        &plan,
        "-o",
        "mau",
        "--unit",
        "SCT",
        "--archive",
        "kho",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Mật khẩu khối trưởng:"),
        "the first use tells the password: {out}"
    );
    let book = thidua::workbook::open(&w.path("mau/SCT_NAM.xlsx")).unwrap();
    let info = book.sheet(&["Thông tin"]).unwrap();
    let line = info.text(11, 0);
    let told = line
        .split(": ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let server = start(&w, &[]);
    assert!(
        sign_in(&server, &told).is_ok(),
        "the template's code opens the server"
    );
    // The template still checks as before: the code line is not a finding.
    let (_, checked, _) = crate::workdir::run(w.thidua().args(["check", "--plan", &plan, "mau"]));
    assert!(!checked.contains("Mã truy cập"), "{checked}");
    // Renewed: the new code works, the old does not.
    let (code, out, _) = crate::workdir::run(w.thidua().args([
        "access",
        "--plan",
        &plan,
        "--archive",
        "kho",
        "--renew",
        "SCT",
    ]));
    assert_eq!(code, 0);
    let new = out
        .lines()
        .find(|l| l.trim_start().starts_with("SCT "))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .to_string();
    assert_ne!(new, told);
    drop(server);
    let server = start(&w, &[]);
    assert_eq!(sign_in(&server, &told).err(), Some(403));
    assert!(sign_in(&server, &new).is_ok());
}

/// Text from a workbook is shown as text: a cell holding a script stays
/// inert on the page.
#[test]
fn cell_text_is_escaped_on_the_page() {
    let w = Workdir::new();
    let server = start(&w, &[]);
    let session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = session.token();
    let bytes = crate::corpus::tiny_row(
        "<script>alert('x')</script>",
        Some("<img src=x onerror=alert(1)>"),
    );
    let (code, page) = session.check("<b>ten</b>.xlsx", &bytes, &token);
    assert_eq!(code, 200);
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    assert!(page.contains("&lt;img src=x"), "shown, as text: {page}");
    assert!(!page.contains("<b>ten</b>"), "the file name is text too");
}

/// A unit whose name in the plan holds markup: its pages show it as text.
#[test]
fn a_unit_name_with_markup_stays_text() {
    use thidua::report::plan_book::{self, t};
    let w = Workdir::new();
    let mut draft = plan_book::example();
    draft.units[0][1] = t("<script>alert('x')</script> Sở Công Thương");
    let plan = w.path("kh.xlsx");
    plan_book::write(&draft, &plan, false, false).unwrap();
    let server = start_with(&w, &plan, &[], &[]);
    let session = sign_in(&server, &server.codes["DV01"]).unwrap();
    let (code, page) = session.get("/");
    assert_eq!(code, 200);
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Sở Công Thương"),
        "{page}"
    );
}

#[test]
fn english_pages_with_a_switch() {
    let w = Workdir::new();
    let server = start(&w, &[]);
    let mut session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let (_, vi) = session.get("/");
    assert!(
        vi.contains("lang=\"vi\"") && vi.contains("href=\"/en\""),
        "{vi}"
    );
    // The switch sets a cookie and comes back to the page.
    let r = session
        .agent
        .get(&format!("{}/en", server.base))
        .set("Cookie", &session.cookie)
        .call()
        .unwrap();
    assert_eq!(r.status(), 303);
    let set = r.header("set-cookie").unwrap().to_string();
    session.cookie = format!("{}; {}", session.cookie, set.split(';').next().unwrap());
    let (_, en) = session.get("/");
    assert!(
        en.contains("lang=\"en\"") && en.contains("href=\"/vi\""),
        "{en}"
    );
    assert!(en.contains("Sign out"), "{en}");
    let token = session.token();
    let (_, checked) = session.check("SCT_NAM.xlsx", &sample("SCT_NAM.xlsx"), &token);
    assert!(
        checked.contains("SCT_NAM.xlsx: no problems found."),
        "{checked}"
    );
    let (_, receipt) = session.send(&token);
    assert!(receipt.contains("RECEIPT OF SUBMISSION"), "{receipt}");
    assert!(!receipt.contains("Kỳ báo cáo"), "{receipt}");
}

/// Every file under the archive, relative, the ledger and lock aside.
fn stored_files(archive: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.parent() != Some(root) {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(archive, archive, &mut out);
    out.sort();
    out
}

#[test]
fn killing_the_server_mid_upload_or_mid_send_loses_nothing() {
    use std::io::Write;
    let w = Workdir::new();
    let server = start(&w, &[]);
    let codes = server.codes.clone();
    let archive = server.archive.clone();
    let sct = sign_in(&server, &codes["SCT"]).unwrap();
    let token = sct.token();
    let sent = sample("SCT_NAM.xlsx");
    sct.check("SCT_NAM.xlsx", &sent, &token);
    assert_eq!(sct.send(&token).0, 200);
    // An upload cut off halfway by the server's death.
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    let half = sample("SXD_NAM.xlsx");
    write!(
        stream,
        "POST /kiem-tra HTTP/1.1\r\nHost: {address}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"SXD_NAM.xlsx\"\r\n\r\n",
        sct.cookie,
        half.len() * 2
    )
    .unwrap();
    stream.write_all(&half[..half.len() / 2]).unwrap();
    stream.flush().unwrap();
    drop(sct);
    drop(server); // killed (SIGKILL) with the upload in flight
    drop(stream);
    let before = stored_files(&archive);
    assert_eq!(before.len(), 1, "only the sent file is stored: {before:?}");

    // A server that dies after storing a sent file and before its ledger
    // line, as a crash or a power cut would.
    let crashing = start_with(&w, &sample_plan(), &[], &[("THIDUA_FAULT", "after-store")]);
    let sxd = sign_in(&crashing, &codes["SXD"]).unwrap();
    let token = sxd.token();
    let bytes = sample("SXD_NAM.xlsx");
    sxd.check("SXD_NAM.xlsx", &bytes, &token);
    let (status, _) = sxd.send(&token);
    assert_eq!(status, 0, "the connection died with the server");
    drop(sxd);
    drop(crashing);
    assert_eq!(
        ledger(&archive).len(),
        1,
        "the crash left its file unrecorded"
    );

    // The next start records it; nothing half-written is left.
    let again = start(&w, &[]);
    assert!(
        again
            .said
            .iter()
            .any(|l| l.starts_with("Ghi bổ sung vào sổ:") && l.ends_with("(SXD)")),
        "{:?}",
        again.said
    );
    let entries = ledger(&archive);
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[1].sha256,
        thidua::archive::sha256_hex(&bytes),
        "the recovered line names the sent bytes"
    );
    let files = stored_files(&archive);
    assert!(
        files
            .iter()
            .all(|f| !f.rsplit('/').next().unwrap().starts_with(".thidua-")),
        "no temporaries left: {files:?}"
    );
    for e in &entries {
        let stored = std::fs::read(archive.join(&e.stored_name)).unwrap();
        assert_eq!(thidua::archive::sha256_hex(&stored), e.sha256, "{e:?}");
    }
    assert_eq!(files.len(), 2, "every stored file has its line: {files:?}");
    assert_eq!(
        std::fs::read(archive.join(&entries[0].stored_name)).unwrap(),
        sent
    );
}

#[test]
fn every_damaged_file_gets_its_finding_through_the_page() {
    use crate::corpus::Expect;
    let w = Workdir::new();
    let server = start(&w, &[]);
    let session = sign_in(&server, &server.codes["SCT"]).unwrap();
    let token = session.token();
    let corpus = crate::corpus::corpus();
    for (name, bytes, expect) in &corpus {
        let (status, page) = session.check(name, bytes, &token);
        assert_eq!(status, 200, "{name}: {page}");
        match expect {
            Expect::Finding(code) => {
                assert!(page.contains(&format!("<td>{code}</td>")), "{name}: {page}")
            }
            // Read as the unit's own report: it can be sent.
            Expect::Read => assert!(
                page.contains("Gửi chính thức") && !page.contains("reader-crash"),
                "{name}: {page}"
            ),
        }
    }
    // The server is still up and nothing was stored by checking.
    assert_eq!(session.get("/").0, 200);
    assert!(ledger(&server.archive).is_empty());
    assert!(corpus.len() > 40, "{}", corpus.len());
}
