//! `thidua serve`: units check and send their workbook in a browser, the
//! leader's archive receiving them. One binary: pages and assets are
//! embedded (`templates/`), the archive and its lock are shared with
//! `thidua intake`.
//!
//! A unit signs in with its access code ([`access`]); the session is a
//! signed cookie (HttpOnly, SameSite=Strict); every form carries a token
//! derived from the session. A checked file waits in memory for the unit's
//! `Gửi chính thức`, which files it through the same intake as the command
//! line and returns a receipt (biên nhận).

pub mod access;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Form, Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::archive::{Archive, Verdict};
use crate::finding::Finding;
use crate::messages::{Lang, message, severity_label};
use crate::plan::Plan;
use crate::report::digest_text::esc;
use crate::submission::Expect;
use access::Access;

const PAGE: &str = include_str!("../../templates/page.html");
const STYLE: &str = include_str!("../../templates/style.css");
const DROP_SCRIPT: &str = include_str!("../../templates/drop.js");
const SESSION_COOKIE: &str = "thidua_phien";
const LANG_COOKIE: &str = "thidua_ngon_ngu";
/// A session lasts a working day.
const SESSION_SECONDS: u64 = 10 * 3600;
/// Wrong codes allowed per address in [`LOCKOUT`].
const MAX_FAILURES: u32 = 10;
const LOCKOUT: Duration = Duration::from_secs(600);

/// How the server runs.
pub struct Config {
    pub plan_path: PathBuf,
    pub archive: PathBuf,
    pub listen: SocketAddr,
    /// Largest upload accepted, in bytes.
    pub max_upload: usize,
}

struct AppState {
    plan: Plan,
    archive: PathBuf,
    access: Access,
    /// Wrong codes per address: count and when the count started.
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    /// A checked file per session, waiting to be sent: name, bytes and
    /// what checking found (so sending does not read it again).
    pending: Mutex<HashMap<String, Pending>>,
    /// The annotated copy of the last checked file, per session.
    annotated: Mutex<HashMap<String, Vec<u8>>>,
    /// Test hook (`THIDUA_FAULT=after-store`): die after storing a sent
    /// file and before its ledger line, as a crash would.
    fault: bool,
}

type Shared = Arc<AppState>;

/// A lock of the server's shared state; a handler that panicked while
/// holding it left nothing half-changed that matters here.
fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A checked file waiting to be sent.
struct Pending {
    name: String,
    bytes: Vec<u8>,
    facts: crate::archive::Facts,
}

/// Starts the server and serves until the process is stopped. Prints the
/// address and, the first time, the codes.
pub fn run(config: Config, plan: Plan, lang: Lang) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.archive)?;
    let (access, issued) = Access::open(&config.archive, &plan)?;
    // What a crash left behind: temporaries removed, orphans recorded.
    let recovered = {
        let mut archive = Archive::open(&config.archive)?;
        crate::submission::recover_orphans(&mut archive, &plan, &Expect::default())?
    };
    let fault = crate::archive::fault_after_store();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let address = listener.local_addr()?;
        println!(
            "{} http://{address}/",
            lang.pick("thidua phục vụ tại", "thidua serving at")
        );
        for entry in &recovered {
            println!("{}", crate::messages::recovered(entry, lang));
        }
        if let Some(password) = &issued.leader {
            println!(
                "{} {password}",
                lang.pick("Mật khẩu khối trưởng:", "Leader's password:")
            );
        }
        if !issued.units.is_empty() {
            println!(
                "{}",
                lang.pick(
                    "Mã truy cập của các đơn vị (chỉ in một lần; gửi riêng cho từng đơn vị):",
                    "The units' access codes (shown once; send each to its unit):"
                )
            );
            for (unit, code) in &issued.units {
                println!("  {unit:<10} {code}");
            }
        }
        println!(
            "{}",
            lang.pick(
                "Đang chờ các đơn vị (Ctrl+C để dừng).",
                "Waiting for the units (Ctrl+C to stop)."
            )
        );
        use std::io::Write;
        std::io::stdout().flush()?;
        let state = Arc::new(AppState {
            plan,
            archive: config.archive,
            access,
            failures: Mutex::default(),
            pending: Mutex::default(),
            annotated: Mutex::default(),
            fault,
        });
        let app = router(state, config.max_upload);
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await?;
        Ok(())
    })
}

fn router(state: Shared, max_upload: usize) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/style.css", get(style))
        .route("/drop.js", get(drop_script))
        .route("/en", get(choose_english))
        .route("/vi", get(choose_vietnamese))
        .route("/dang-nhap", post(sign_in))
        .route("/dang-xuat", post(sign_out))
        .route("/kiem-tra", post(check))
        .route("/gui", post(send))
        .route("/khoi-truong", post(leader_sign_in))
        .route("/ban-danh-dau.xlsx", get(download_annotated))
        .route("/tai/tong-hop.xlsx", get(download_consolidated))
        .route("/tai/ban-tin.xlsx", get(download_digest))
        .layer(DefaultBodyLimit::max(max_upload))
        .with_state(state)
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

async fn drop_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        DROP_SCRIPT,
    )
        .into_response()
}

/// The value of one cookie the browser sent.
fn cookie<'h>(headers: &'h HeaderMap, wanted: &str) -> Option<&'h str> {
    headers
        .get(header::COOKIE)?
        .to_str()
        .ok()?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value)
}

/// A redirect home that sets (or clears) a cookie.
fn home_setting(cookie: &str) -> Response {
    let mut response = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The signed-in unit, from the session cookie.
fn session_unit(state: &AppState, headers: &HeaderMap) -> Option<(String, String)> {
    let value = cookie(headers, SESSION_COOKIE)?;
    let (payload, signature) = value.rsplit_once('.')?;
    if !state.access.verify(payload, signature) {
        return None;
    }
    let (unit, expires) = payload.split_once('~')?;
    let expires: u64 = expires.parse().ok()?;
    (now_seconds() < expires).then(|| (unit.to_string(), value.to_string()))
}

/// The page language a browser chose (`/en`, `/vi`), Vietnamese by default.
fn page_lang(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

async fn choose_english() -> Response {
    choose_language("en")
}

async fn choose_vietnamese() -> Response {
    choose_language("vi")
}

fn choose_language(code: &str) -> Response {
    home_setting(&format!(
        "{LANG_COOKIE}={code}; SameSite=Strict; Path=/; Max-Age=31536000"
    ))
}

/// The form token of a session: its signature under another purpose.
fn form_token(state: &AppState, session: &str) -> String {
    state.access.sign(&format!("form|{session}"))
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn page(state: &AppState, lang: Lang, title: &str, who: &str, body: &str) -> Html<String> {
    let switch = match lang {
        Lang::Vi => "<a class=\"lang\" href=\"/en\">English</a>",
        Lang::En => "<a class=\"lang\" href=\"/vi\">Tiếng Việt</a>",
    };
    Html(
        PAGE.replace("{{lang}}", lang.pick("vi", "en"))
            .replace("{{title}}", &esc(title))
            .replace("{{bloc}}", &esc(&state.plan.bloc))
            .replace("{{who}}", &format!("{switch} {who}"))
            .replace("{{body}}", body),
    )
}

fn signed_in_header(lang: Lang, unit: &str, name: &str, token: &str) -> String {
    format!(
        "<span>{} — {}</span><form method=\"post\" action=\"/dang-xuat\"><input type=\"hidden\" name=\"token\" value=\"{token}\"><button>{}</button></form>",
        esc(unit),
        esc(name),
        lang.pick("Đăng xuất", "Sign out")
    )
}

/// The leader's session names no unit.
const LEADER: &str = "#khoi-truong";

async fn home(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let lang = page_lang(&headers);
    match session_unit(&state, &headers) {
        Some((who, session)) if who == LEADER => board(state, lang, &session).await,
        Some((unit, session)) => unit_page(&state, lang, &unit, &session, "").into_response(),
        None => sign_in_page(&state, lang, "").into_response(),
    }
}

fn sign_in_page(state: &AppState, lang: Lang, problem: &str) -> Html<String> {
    let problem = if problem.is_empty() {
        String::new()
    } else {
        format!("<p class=\"bad\">{}</p>", esc(problem))
    };
    let body = format!(
        "{problem}<form class=\"box\" method=\"post\" action=\"/dang-nhap\">\
<label for=\"code\">{}</label>\
<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"off\" required>\
<br><button class=\"main\">{}</button></form>\
<p>{} {}: {}</p>\
<form class=\"box\" method=\"post\" action=\"/khoi-truong\">\
<label for=\"password\">{}</label>\
<input type=\"password\" id=\"password\" name=\"password\" required>\
<br><button class=\"main\">{}</button></form>",
        lang.pick("Mã truy cập của đơn vị", "The unit's access code"),
        lang.pick("Đăng nhập", "Sign in"),
        lang.pick("Kế hoạch", "Plan"),
        esc(&state.plan.code),
        lang.pick(
            "mỗi đơn vị có một mã truy cập do khối trưởng gửi.",
            "each unit has an access code the bloc leader sent it."
        ),
        lang.pick("Khối trưởng: mật khẩu", "Bloc leader: password"),
        lang.pick("Xem tình hình của khối", "See the bloc's board")
    );
    let title = lang.pick(
        "Kiểm tra và gửi báo cáo thi đua",
        "Check and send the emulation report",
    );
    page(state, lang, title, "", &body)
}

#[derive(Deserialize)]
struct SignIn {
    code: String,
}

async fn sign_in(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let lang = page_lang(&headers);
    let unit = state.access.unit_of(&state.plan.code, &form.code);
    let wrong = lang.pick("Mã truy cập không đúng.", "Wrong access code.");
    sign_in_as(&state, peer.ip(), lang, unit, wrong)
}

/// Starts the session of `who` (the unit or the leader a secret named),
/// unless the address is locked out; a wrong secret is counted and
/// answered with the sign-in page.
fn sign_in_as(
    state: &AppState,
    ip: IpAddr,
    lang: Lang,
    who: Option<String>,
    wrong: &str,
) -> Response {
    let refused =
        |status, problem: &str| (status, sign_in_page(state, lang, problem)).into_response();
    if locked_out(state, ip) {
        let problem = lang.pick(
            "Nhập sai quá nhiều lần; hãy thử lại sau 10 phút.",
            "Too many wrong attempts; try again in 10 minutes.",
        );
        return refused(StatusCode::TOO_MANY_REQUESTS, problem);
    }
    match who {
        Some(who) => start_session(state, &who),
        None => {
            count_failure(state, ip);
            refused(StatusCode::FORBIDDEN, wrong)
        }
    }
}

/// Drops what the server holds for a session (the file waiting to be sent,
/// the annotated copy), and for every session that has expired.
fn forget(state: &AppState, session: &str) {
    let alive = |s: &String| {
        s != session
            && s.split_once('~')
                .and_then(|(_, rest)| rest.split_once('.'))
                .and_then(|(expires, _)| expires.parse::<u64>().ok())
                .is_some_and(|expires| now_seconds() < expires)
    };
    locked(&state.pending).retain(|s, _| alive(s));
    locked(&state.annotated).retain(|s, _| alive(s));
}

/// Redirects home with a new signed session for `who`.
fn start_session(state: &AppState, who: &str) -> Response {
    let payload = format!("{who}~{}", now_seconds() + SESSION_SECONDS);
    let value = format!("{payload}.{}", state.access.sign(&payload));
    let cookie = format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={SESSION_SECONDS}"
    );
    home_setting(&cookie)
}

/// True, and counted, when the address has tried too many wrong codes.
fn locked_out(state: &AppState, ip: IpAddr) -> bool {
    let mut failures = locked(&state.failures);
    match failures.get(&ip).copied() {
        Some((_, since)) if since.elapsed() > LOCKOUT => {
            failures.remove(&ip);
            false
        }
        Some((count, _)) => count >= MAX_FAILURES,
        None => false,
    }
}

fn count_failure(state: &AppState, ip: IpAddr) {
    let mut failures = locked(&state.failures);
    failures.entry(ip).or_insert((0, Instant::now())).0 += 1;
}

#[derive(Deserialize)]
struct LeaderSignIn {
    password: String,
}

async fn leader_sign_in(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LeaderSignIn>,
) -> Response {
    let lang = page_lang(&headers);
    let leader = state
        .access
        .is_leader(&form.password)
        .then(|| LEADER.to_string());
    let wrong = lang.pick("Mật khẩu không đúng.", "Wrong password.");
    sign_in_as(&state, peer.ip(), lang, leader, wrong)
}

/// The month the board shows: this month, so that everything received up
/// to now counts (reports sent after the plan's year count, as late).
fn board_month(plan: &Plan) -> String {
    let today = chrono::Local::now().date_naive();
    let year = chrono::Datelike::year(&today);
    match plan.year {
        // Before the plan's year: its first month, when nothing is due yet.
        Some(plan_year) if plan_year > year => format!("{plan_year}-01"),
        // During the year, and after it (late reports still arrive and count).
        _ => format!("{year}-{:02}", chrono::Datelike::month(&today)),
    }
}

/// The leader's board: the digest of the month from the archive as it is —
/// who sent what and how late, indicators at risk, the provisional ranking —
/// with the consolidated workbook and the digest to download.
async fn board(state: Shared, lang: Lang, session: &str) -> Response {
    let worker = Arc::clone(&state);
    let body = tokio::task::spawn_blocking(move || {
        let entries = crate::archive::read_ledger(&worker.archive).unwrap_or_default();
        let submissions = crate::digest::read_counted(&worker.plan, &entries, &worker.archive);
        let inputs = crate::digest::Inputs {
            entries: &entries,
            submissions: &submissions,
        };
        crate::digest::build(&worker.plan, &inputs, &board_month(&worker.plan))
            .map(|d| crate::report::digest_text::html_body(&worker.plan, &d, lang))
            .unwrap_or_default()
    })
    .await
    .unwrap_or_default();
    let token = form_token(&state, session);
    let who = signed_in_header(lang, "", lang.pick("Khối trưởng", "Bloc leader"), &token).replacen(
        "<span> — ",
        "<span>",
        1,
    );
    let links = format!(
        "<p><a href=\"/tai/tong-hop.xlsx\">{}</a> — <a href=\"/tai/ban-tin.xlsx\">{}</a></p>",
        lang.pick(
            "Tải bảng tổng hợp (xlsx)",
            "Download the consolidated workbook (xlsx)"
        ),
        lang.pick(
            "Tải bản tin tháng (xlsx)",
            "Download the monthly digest (xlsx)"
        )
    );
    let title = lang.pick("Tình hình của khối", "The bloc's board");
    page(&state, lang, title, &who, &format!("{links}{body}")).into_response()
}

fn is_leader(state: &AppState, headers: &HeaderMap) -> bool {
    session_unit(state, headers).is_some_and(|(who, _)| who == LEADER)
}

fn attachment(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Runs `make` on a worker with a fresh temporary file and returns what it
/// wrote there.
async fn built(
    make: impl FnOnce(&std::path::Path) -> anyhow::Result<()> + Send + 'static,
) -> Option<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("out.xlsx");
        make(&path).ok()?;
        std::fs::read(&path).ok()
    })
    .await
    .ok()
    .flatten()
}

async fn download_consolidated(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if !is_leader(&state, &headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let worker = Arc::clone(&state);
    match built(move |path| consolidate_archive(&worker, path)).await {
        Some(bytes) => attachment("tong-hop.xlsx", bytes),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn download_digest(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if !is_leader(&state, &headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let worker = Arc::clone(&state);
    let made = built(move |path| {
        let entries = crate::archive::read_ledger(&worker.archive)?;
        let submissions = crate::digest::read_counted(&worker.plan, &entries, &worker.archive);
        let inputs = crate::digest::Inputs {
            entries: &entries,
            submissions: &submissions,
        };
        let d = crate::digest::build(&worker.plan, &inputs, &board_month(&worker.plan))
            .ok_or_else(|| anyhow::anyhow!("no month"))?;
        crate::report::digest::write(&worker.plan, &d, path)?;
        Ok(())
    })
    .await;
    match made {
        Some(bytes) => attachment("ban-tin.xlsx", bytes),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The consolidated workbook of the plan's last period from the archive:
/// its accepted files, and those refused for errors.
fn consolidate_archive(state: &AppState, path: &std::path::Path) -> anyhow::Result<()> {
    let plan = &state.plan;
    let period = plan
        .last_period()
        .ok_or_else(|| anyhow::anyhow!("no period"))?;
    let entries = crate::archive::read_ledger(&state.archive).unwrap_or_default();
    let files: Vec<crate::bloc::ReadFile> = entries
        .iter()
        .filter(|e| e.is_for(&plan.code) && e.period == period.code)
        .filter(|e| e.counts() || e.verdict == Verdict::Rejected)
        .map(|e| {
            let expect = Expect {
                period: Some(&period.code),
                name: Some(&e.unit),
            };
            let stored = e.path_in(&state.archive);
            let (submission, findings) =
                crate::submission::open(&stored, plan, &expect).into_parts();
            crate::bloc::ReadFile {
                file: stored.display().to_string(),
                received: Some(e.received),
                submission,
                findings,
                rejected: e.verdict == Verdict::Rejected,
            }
        })
        .collect();
    let result = crate::bloc::consolidate(plan, period, &files, &[]);
    crate::report::consolidated::write(plan, &result, path, 1)?;
    Ok(())
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

async fn sign_out(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Some((_, session)) = session_unit(&state, &headers)
        && form.token == form_token(&state, &session)
    {
        forget(&state, &session);
    }
    home_setting(&format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
    ))
}

fn unit_page(state: &AppState, lang: Lang, unit: &str, session: &str, extra: &str) -> Html<String> {
    let name = state.plan.unit(unit).map_or(unit, |u| u.name.as_str());
    let token = form_token(state, session);
    let mut body = format!(
        "{extra}<form class=\"box\" data-drop method=\"post\" action=\"/kiem-tra\" enctype=\"multipart/form-data\">\
<input type=\"hidden\" name=\"token\" value=\"{token}\">\
<label for=\"file\">{}</label>\
<input type=\"file\" id=\"file\" name=\"file\" accept=\".xlsx,.xls,.ods,.xlsm\" required>\
<br><button class=\"main\">{}</button></form>",
        lang.pick(
            "Bảng tính của đơn vị (xlsx, xls, ods) — chọn tệp hoặc kéo thả vào khung này",
            "The unit's workbook (xlsx, xls, ods) — pick the file or drop it on this box"
        ),
        lang.pick("Kiểm tra", "Check")
    );
    let earlier = earlier_submissions(state, lang, unit);
    if !earlier.is_empty() {
        body.push_str(&format!(
            "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            lang.pick("Hồ sơ đã gửi", "Sent so far"),
            lang.pick("Nhận lúc", "Received"),
            lang.pick("Kỳ", "Period"),
            lang.pick("Tệp", "File"),
            lang.pick("Kết quả", "Result")
        ));
        body.push_str(&earlier);
        body.push_str("</table>");
    }
    let title = lang.pick("Kiểm tra và gửi báo cáo", "Check and send the report");
    page(
        state,
        lang,
        title,
        &signed_in_header(lang, unit, name, &token),
        &body,
    )
}

fn earlier_submissions(state: &AppState, lang: Lang, unit: &str) -> String {
    let Ok(entries) = crate::archive::read_ledger(&state.archive) else {
        return String::new();
    };
    entries
        .iter()
        .filter(|e| e.is_for(&state.plan.code) && e.unit == unit)
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e.received.format("%d/%m/%Y %H:%M"),
                esc(&e.period),
                esc(&e.original_name),
                esc(crate::messages::verdict(e.verdict, lang))
            )
        })
        .collect()
}

/// A multipart form's token and file.
async fn read_upload(mut form: Multipart) -> Result<(String, String, Vec<u8>), StatusCode> {
    let (mut token, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(|e| e.status())? {
        match field.name() {
            Some("token") => token = field.text().await.map_err(|e| e.status())?,
            Some("file") => {
                // The client's name is shown and recorded, never used as a path.
                name = field.file_name().unwrap_or("bao-cao.xlsx").to_string();
                bytes = field.bytes().await.map_err(|e| e.status())?.to_vec();
            }
            _ => {}
        }
    }
    Ok((token, name, bytes))
}

async fn check(State(state): State<Shared>, headers: HeaderMap, form: Multipart) -> Response {
    let lang = page_lang(&headers);
    let Some((unit, session)) = session_unit(&state, &headers).filter(|(who, _)| who != LEADER)
    else {
        return Redirect::to("/").into_response();
    };
    let (token, name, bytes) = match read_upload(form).await {
        Ok(upload) => upload,
        Err(status) => return too_large_or(status, &state, lang, &unit, &session),
    };
    if token != form_token(&state, &session) {
        return StatusCode::FORBIDDEN.into_response();
    }
    // A new check replaces the last one's file and copy, whatever it finds.
    forget(&state, &session);
    let worker = Arc::clone(&state);
    let file = name.clone();
    let started = Instant::now();
    let read = tokio::task::spawn_blocking(move || {
        let checked = checked(&worker.plan, lang, &file, &bytes);
        (checked, bytes)
    })
    .await;
    let Ok((
        Checked {
            facts,
            findings,
            sheet,
            annotated,
        },
        bytes,
    )) = read
    else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // Reading and checking, as the browser's developer tools show it.
    let timing = format!("check;dur={:.1}", started.elapsed().as_secs_f64() * 1000.0);
    if let Some(bytes) = annotated {
        locked(&state.annotated).insert(session.clone(), bytes);
    }
    let mut body = findings_table(lang, &name, &findings);
    if !findings
        .iter()
        .all(|f| f.severity == crate::finding::Severity::Info)
    {
        body.push_str(&format!(
            "<p><a href=\"/ban-danh-dau.xlsx\">{}</a></p>",
            lang.pick(
                "Tải bản sao có đánh dấu các ô có vấn đề",
                "Download a copy with the problem cells marked"
            )
        ));
    }
    body.push_str(&sheet);
    let own = facts.unit.as_deref() == Some(unit.as_str());
    if !own {
        let (other, own_unit) = (esc(facts.unit.as_deref().unwrap_or("?")), esc(&unit));
        body.push_str(&match lang {
            Lang::Vi => format!(
                "<p class=\"bad\">Tệp này là báo cáo của đơn vị `{other}`, không phải của `{own_unit}`; không gửi được.</p>"
            ),
            Lang::En => format!(
                "<p class=\"bad\">This file is the report of `{other}`, not of `{own_unit}`; it cannot be sent.</p>"
            ),
        });
    } else {
        let token = form_token(&state, &session);
        let warning = if facts.errors > 0 {
            format!(
                "<p class=\"bad\">{}</p>",
                lang.pick(
                    "Tệp còn lỗi: nếu gửi, hồ sơ được lưu nhưng không được nhận. Hãy sửa rồi kiểm tra lại.",
                    "The file has errors: if sent, it is kept but not accepted. Correct it and check again."
                )
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "{warning}<form class=\"box\" method=\"post\" action=\"/gui\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
<p>{} <b>{}</b>, {} <b>{}</b>.</p><button class=\"main\">{}</button></form>",
            lang.pick("Tệp", "File"),
            esc(&name),
            lang.pick("kỳ", "period"),
            esc(facts.period.as_deref().unwrap_or("?")),
            lang.pick("Gửi chính thức", "Send officially")
        ));
        locked(&state.pending).insert(session.clone(), Pending { name, bytes, facts });
    }
    (
        [(header::HeaderName::from_static("server-timing"), timing)],
        unit_page(&state, lang, &unit, &session, &body),
    )
        .into_response()
}

/// What checking an upload tells: the ledger's facts, the findings, the
/// score sheet as HTML with the problem cells marked, and the annotated
/// copy (for a file that could be read).
struct Checked {
    facts: crate::archive::Facts,
    findings: Vec<Finding>,
    sheet: String,
    annotated: Option<Vec<u8>>,
}

fn checked(plan: &Plan, lang: Lang, file: &str, bytes: &[u8]) -> Checked {
    // One read of the file gives the facts, the findings, the shown sheet
    // and the annotated copy.
    let opened = crate::submission::open_bytes(bytes.to_vec(), file, plan, &Expect::default());
    let (sheet, annotated) = match &opened {
        crate::submission::Opened::Read {
            book,
            submission,
            findings,
        } => {
            let sheet = submission
                .score_sheet
                .as_deref()
                .and_then(|name| book.sheet(&[name]))
                .map(|s| sheet_html(s, findings, lang))
                .unwrap_or_default();
            let annotated =
                crate::report::annotate::copy_bytes(book, Some(bytes), findings, lang).ok();
            (sheet, annotated)
        }
        _ => (String::new(), None),
    };
    let (submission, findings) = opened.into_parts();
    Checked {
        facts: crate::submission::facts_of(plan, submission.as_ref(), &findings),
        findings,
        sheet,
        annotated,
    }
}

/// The score sheet as the unit laid it out (its first 200 rows and 14
/// columns, merged regions kept), each problem cell marked and reachable
/// from its finding.
fn sheet_html(sheet: &crate::workbook::Sheet, findings: &[Finding], lang: Lang) -> String {
    let mut marks: HashMap<(u32, u32), bool> = HashMap::new();
    for f in findings
        .iter()
        .filter(|f| f.sheet.as_deref() == Some(sheet.name.as_str()))
    {
        if let Some(pos) = f.cell.as_deref().and_then(crate::finding::parse_a1) {
            let error = marks.get(&pos).copied().unwrap_or(false) || f.is_error();
            if f.severity != crate::finding::Severity::Info {
                marks.insert(pos, error);
            }
        }
    }
    let last_row = sheet.last_row().unwrap_or(0).min(199);
    let last_col = sheet
        .cells()
        .map(|((_, c), _)| c)
        .max()
        .unwrap_or(0)
        .min(13);
    let mut out = format!(
        "<h2>{} `{}`</h2><div class=\"sheet\"><table><tr><th></th>",
        lang.pick("Trang", "Sheet"),
        esc(&sheet.name)
    );
    for c in 0..=last_col {
        out.push_str(&format!("<th>{}</th>", crate::finding::column_name(c)));
    }
    out.push_str("</tr>");
    for r in 0..=last_row {
        out.push_str(&format!("<tr><th>{}</th>", r + 1));
        for c in 0..=last_col {
            // A merged region is one cell at its top left, as in Excel.
            let (rows, cols) = match sheet.merge_at(r, c) {
                Some(m) if m.start != (r, c) => continue,
                Some(m) => (m.end.0.min(last_row) - r + 1, m.end.1.min(last_col) - c + 1),
                None => (1, 1),
            };
            let spans = match (rows, cols) {
                (1, 1) => String::new(),
                (1, cols) => format!(" colspan=\"{cols}\""),
                (rows, 1) => format!(" rowspan=\"{rows}\""),
                (rows, cols) => format!(" rowspan=\"{rows}\" colspan=\"{cols}\""),
            };
            let covered: Vec<((u32, u32), bool)> = (r..r + rows)
                .flat_map(|mr| (c..c + cols).map(move |mc| (mr, mc)))
                .filter_map(|pos| marks.get(&pos).map(|e| (pos, *e)))
                .collect();
            let text = esc(&shown_text(sheet, r, c));
            match covered.first() {
                Some(_) => {
                    let class = if covered.iter().any(|(_, e)| *e) {
                        "error"
                    } else {
                        "warning"
                    };
                    // Every marked position in the region is a link target.
                    let anchors: String = covered[1..]
                        .iter()
                        .map(|((mr, mc), _)| {
                            format!("<span id=\"o-{}\"></span>", crate::finding::a1(*mr, *mc))
                        })
                        .collect();
                    let ((fr, fc), _) = covered[0];
                    out.push_str(&format!(
                        "<td class=\"{class}\"{spans} id=\"o-{}\">{anchors}{text}</td>",
                        crate::finding::a1(fr, fc)
                    ));
                }
                None => out.push_str(&format!("<td{spans}>{text}</td>")),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></div>");
    out
}

/// A cell's text as the unit sees it in Excel: a percentage as 84%.
fn shown_text(sheet: &crate::workbook::Sheet, r: u32, c: u32) -> String {
    match sheet.cell(r, c) {
        Some(cell) if cell.percent => match cell.value {
            crate::workbook::Value::Number(n) => format!(
                "{}%",
                crate::text::number::format_vi(crate::score::round2(n * 100.0))
            ),
            _ => sheet.text(r, c),
        },
        _ => sheet.text(r, c),
    }
}

async fn download_annotated(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some((_, session)) = session_unit(&state, &headers) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let bytes = locked(&state.annotated).get(&session).cloned();
    match bytes {
        Some(bytes) => attachment("ban-danh-dau.xlsx", bytes),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn too_large_or(
    status: StatusCode,
    state: &AppState,
    lang: Lang,
    unit: &str,
    session: &str,
) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let body = format!(
            "<p class=\"bad\">{}</p>",
            lang.pick(
                "Tệp quá lớn; giới hạn của máy chủ đã được vượt.",
                "The file is too large for the server's limit."
            )
        );
        return (status, unit_page(state, lang, unit, session, &body)).into_response();
    }
    status.into_response()
}

fn findings_table(lang: Lang, name: &str, findings: &[Finding]) -> String {
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity != crate::finding::Severity::Info)
        .collect();
    if shown.is_empty() {
        return format!(
            "<p class=\"ok\">{}: {}</p>",
            esc(name),
            lang.pick("không có vấn đề.", "no problems found.")
        );
    }
    let mut out = format!(
        "<h2>{}: {}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.pick("Kết quả kiểm tra", "What the check found"),
        esc(name),
        lang.pick("Mức độ", "Severity"),
        lang.pick("Mã lỗi", "Code"),
        lang.pick("Trang", "Sheet"),
        lang.pick("Ô", "Cell"),
        lang.pick("Nội dung", "Message")
    );
    for f in shown {
        let class = if f.is_error() { "error" } else { "warning" };
        out.push_str(&format!(
            "<tr><td class=\"{class}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(severity_label(f.severity, lang)),
            esc(f.code.as_str()),
            esc(f.sheet.as_deref().unwrap_or("")),
            match &f.cell {
                Some(c) => format!("<a href=\"#o-{}\">{}</a>", esc(c), esc(c)),
                None => String::new(),
            },
            esc(&message(f, lang))
        ));
    }
    out.push_str("</table>");
    out
}

async fn send(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let lang = page_lang(&headers);
    let Some((unit, session)) = session_unit(&state, &headers).filter(|(who, _)| who != LEADER)
    else {
        return Redirect::to("/").into_response();
    };
    if form.token != form_token(&state, &session) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let pending = locked(&state.pending).remove(&session);
    let Some(Pending { name, bytes, facts }) = pending else {
        let body = format!(
            "<p class=\"bad\">{}</p>",
            lang.pick(
                "Hãy kiểm tra tệp trước khi gửi.",
                "Check the file before sending it."
            )
        );
        return unit_page(&state, lang, &unit, &session, &body).into_response();
    };
    let worker = Arc::clone(&state);
    let unit_code = unit.clone();
    let filed =
        tokio::task::spawn_blocking(move || -> anyhow::Result<Option<crate::archive::Entry>> {
            if facts.unit.as_deref() != Some(unit_code.as_str()) {
                return Ok(None);
            }
            // The same archive and lock as `thidua intake`; swept at start.
            let mut archive = Archive::locked(&worker.archive)?;
            let received = chrono::Local::now().naive_local();
            Ok(Some(archive.file(
                &name,
                &bytes,
                &facts,
                received,
                worker.fault,
            )?))
        })
        .await;
    let entry = match filed {
        Ok(Ok(Some(entry))) => entry,
        Ok(Ok(None)) => return StatusCode::FORBIDDEN.into_response(),
        _ => {
            let body = format!(
                "<p class=\"bad\">{}</p>",
                lang.pick(
                    "Không lưu được hồ sơ; hãy thử lại.",
                    "The submission could not be stored; try again."
                )
            );
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                unit_page(&state, lang, &unit, &session, &body),
            )
                .into_response();
        }
    };
    receipt(&state, lang, &unit, &session, &entry).into_response()
}

fn receipt(
    state: &AppState,
    lang: Lang,
    unit: &str,
    session: &str,
    e: &crate::archive::Entry,
) -> Html<String> {
    let name = state.plan.unit(unit).map_or(unit, |u| u.name.as_str());
    let verdict = match e.verdict {
        Verdict::Accepted | Verdict::Recovered => {
            format!("<p class=\"ok\">{}</p>", lang.pick("Đã nhận.", "Received."))
        }
        Verdict::Duplicate => format!(
            "<p class=\"ok\">{}</p>",
            lang.pick(
                "Tệp này đã được gửi trước đó (gửi trùng); không lưu thêm.",
                "This file was sent before (a duplicate); nothing more was stored."
            )
        ),
        Verdict::Rejected => format!(
            "<p class=\"bad\">{}</p>",
            lang.pick(
                "Tệp có lỗi: đã lưu nhưng không được nhận. Hãy sửa và gửi lại.",
                "The file has errors: it was stored but not accepted. Fix it and send it again."
            )
        ),
    };
    let late = e
        .late_days
        .map(|d| {
            format!(
                "<tr><td>{}</td><td>{d} {}</td></tr>",
                lang.pick("Trễ hạn", "Late by"),
                lang.pick("ngày", "days")
            )
        })
        .unwrap_or_default();
    let rows = [
        (
            lang.pick("Đơn vị", "Unit"),
            format!("{} — {}", esc(unit), esc(name)),
        ),
        (lang.pick("Khối thi đua", "Bloc"), esc(&state.plan.bloc)),
        (lang.pick("Kế hoạch", "Plan"), esc(&e.plan)),
        (lang.pick("Kỳ báo cáo", "Period"), esc(&e.period)),
        (lang.pick("Tệp", "File"), esc(&e.original_name)),
        ("SHA-256", format!("<code>{}</code>", esc(&e.sha256))),
        (
            lang.pick("Nhận lúc", "Received"),
            e.received.format("%d/%m/%Y %H:%M").to_string(),
        ),
    ];
    let rows: String = rows
        .iter()
        .map(|(label, value)| format!("<tr><td>{label}</td><td>{value}</td></tr>"))
        .collect();
    let body = format!(
        "{verdict}<div class=\"receipt\"><h2>{}</h2><table>{rows}{late}\
<tr><td>{}</td><td>{}</td></tr></table></div><p class=\"noprint\"><a href=\"/\">{}</a> — {}</p>",
        lang.pick("BIÊN NHẬN HỒ SƠ THI ĐUA", "RECEIPT OF SUBMISSION"),
        lang.pick("Kết quả", "Verdict"),
        esc(crate::messages::verdict(e.verdict, lang)),
        lang.pick("Quay lại", "Back"),
        lang.pick(
            "in trang này để lưu biên nhận.",
            "print this page to keep the receipt."
        )
    );
    let token = form_token(state, session);
    page(
        state,
        lang,
        lang.pick("Biên nhận", "Receipt"),
        &signed_in_header(lang, unit, name, &token),
        &body,
    )
}
