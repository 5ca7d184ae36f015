// `thidua serve` in a real browser (Debian's Chromium, driven by
// playwright-core): the unit's path — sign in, drop a workbook with errors,
// see the marked cell, download the annotated copy, pick the corrected file,
// send it, get the receipt — then the leader's board and the English switch.
//
// Run from the repository after `cargo build` (or `cargo test`):
//   npm ci --prefix tests/browser && node tests/browser/unit-path.mjs
// Screenshots, the receipt as PDF and the downloads are left in
// `target/browser/` to be looked at. Exit status 0 when every step held.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const target = process.env.CARGO_TARGET_DIR
  ? resolve(process.env.CARGO_TARGET_DIR)
  : join(repo, "target");
const binary = process.env.THIDUA_BIN || join(target, "debug", "thidua");
const shots = join(target, "browser");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const plan = join(repo, "samples", "ktkt-2022", "ke-hoach.xlsx");
const broken = join(here, "SCT_NAM_co_loi.xlsx");
const corrected = join(repo, "samples", "ktkt-2022", "don-vi", "SCT_NAM.xlsx");

let steps = 0;
function expect(condition, what) {
  if (!condition) {
    throw new Error(`failed: ${what}`);
  }
  steps += 1;
  console.log(`  ✓ ${what}`);
}

/// Starts the server on a free port; resolves with its address, the
/// leader's password and the units' codes once it says it is ready.
function startServer(archive) {
  const child = spawn(
    binary,
    ["serve", "--plan", plan, "--archive", archive, "--listen", "127.0.0.1:0"],
    { env: { ...process.env, LC_ALL: "C.UTF-8" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolveStart, reject) => {
    const told = { child, base: null, password: null, codes: {} };
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the server stopped (${code})`)));
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (!told.base) {
        told.base = line.trim().split(/\s+/).pop().replace(/\/$/, "");
      } else if (line.startsWith("Mật khẩu khối trưởng: ")) {
        told.password = line.slice("Mật khẩu khối trưởng: ".length).trim();
      } else if (/^ {2}\S+ +\S+$/.test(line)) {
        const [unit, code] = line.trim().split(/\s+/);
        told.codes[unit] = code;
      } else if (line.includes("Ctrl+C")) {
        resolveStart(told);
      }
    });
  });
}

/// Drops a file on the page's drop form, as a file dragged from the
/// desktop would arrive, and waits for the page the form leads to.
async function dropFile(page, path, name) {
  const b64 = readFileSync(path).toString("base64");
  const transfer = await page.evaluateHandle(
    ({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name));
      return transfer;
    },
    { b64, name },
  );
  const form = page.locator("form[data-drop]");
  await form.dispatchEvent("dragenter", { dataTransfer: transfer });
  await Promise.all([
    page.waitForURL("**/kiem-tra"),
    form.dispatchEvent("drop", { dataTransfer: transfer }),
  ]);
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "thidua-browser-"));
  const server = await startServer(join(work, "kho"));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    console.log(`server ${server.base}, ${Object.keys(server.codes).length} unit codes`);
    expect(server.codes.SCT && server.password, "the server told the codes and the password");

    console.log("the unit");
    const unit = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const page = await unit.newPage();
    await page.goto(server.base + "/");
    await page.screenshot({ path: join(shots, "1-dang-nhap.png"), fullPage: true });
    await page.fill("#code", "SAI-MA-NAY");
    await page.click("form[action='/dang-nhap'] button");
    expect((await page.content()).includes("class=\"bad\""), "a wrong code is refused on the page");
    await page.fill("#code", server.codes.SCT);
    await page.click("form[action='/dang-nhap'] button");
    await page.waitForURL(server.base + "/");
    expect((await page.textContent("header")).includes("Sở Công Thương"), "signed in as Sở Công Thương");

    await dropFile(page, broken, "SCT_NAM_co_loi.xlsx");
    const findings = await page.textContent("main");
    expect(findings.includes("above-max") && findings.includes("unreadable-value"),
      "the dropped file's errors are listed (above-max, unreadable-value)");
    const link = page.locator("a[href='#o-I7']").first();
    expect(await link.count() === 1, "the finding links to cell I7");
    await link.click();
    const cell = page.locator("#o-I7");
    expect(await cell.evaluate((c) => c.matches(":target") && c.classList.contains("error")),
      "cell I7 is marked as an error and is the link's target");
    expect((await cell.textContent()).trim() === "12", "the marked cell shows the value the unit typed (12)");
    await cell.evaluate((c) => c.scrollIntoView({ block: "center" }));
    await page.screenshot({ path: join(shots, "2-o-bi-danh-dau.png") });
    await page.screenshot({ path: join(shots, "3-ket-qua-kiem-tra.png"), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("a[href='/ban-danh-dau.xlsx']"),
    ]);
    const annotatedPath = join(shots, "ban-danh-dau.xlsx");
    await download.saveAs(annotatedPath);
    const annotated = readFileSync(annotatedPath);
    expect(annotated.subarray(0, 2).toString() === "PK" && annotated.includes("xl/worksheets/thidua-loi.xml"),
      "the annotated copy is an xlsx with the findings sheet");

    await page.setInputFiles("#file", corrected);
    await Promise.all([page.waitForURL("**/kiem-tra"), page.click("form[data-drop] button")]);
    expect((await page.textContent("main")).includes("SCT_NAM.xlsx: không có vấn đề."),
      "the corrected file, picked, has no problems");
    await Promise.all([page.waitForURL("**/gui"), page.click("form[action='/gui'] button")]);
    const sha = createHash("sha256").update(readFileSync(corrected)).digest("hex");
    const receipt = await page.textContent(".receipt");
    expect(receipt.includes("BIÊN NHẬN HỒ SƠ THI ĐUA") && receipt.includes(sha),
      "the receipt names the file's SHA-256");
    await page.screenshot({ path: join(shots, "4-bien-nhan.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: join(shots, "bien-nhan.pdf"), format: "A4" });
    await page.emulateMedia({ media: "screen" });

    await page.goto(server.base + "/");
    const home = await page.textContent("main");
    expect(home.includes("Hồ sơ đã gửi") && home.includes("SCT_NAM.xlsx"), "the unit's page lists what it sent");
    await page.click("a[href='/en']");
    await page.waitForURL(server.base + "/");
    expect((await page.textContent("h1")) === "Check and send the report", "the English switch works");
    await page.screenshot({ path: join(shots, "5-english.png"), fullPage: true });

    console.log("the leader");
    const leaderContext = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const leader = await leaderContext.newPage();
    await leader.goto(server.base + "/");
    await leader.fill("#password", server.password);
    await leader.click("form[action='/khoi-truong'] button");
    await leader.waitForURL(server.base + "/");
    const board = await leader.textContent("main");
    const sctRow = await leader.locator("tr", { hasText: "Sở Công Thương" }).first().locator("td").last().textContent();
    expect(!sctRow.includes("Chưa nộp"), `the board shows the sent report (${sctRow.trim()})`);
    await leader.screenshot({ path: join(shots, "6-bang-khoi-truong.png"), fullPage: true });
    const [consolidated] = await Promise.all([
      leader.waitForEvent("download"),
      leader.click("a[href='/tai/tong-hop.xlsx']"),
    ]);
    const consolidatedPath = join(shots, "tong-hop.xlsx");
    await consolidated.saveAs(consolidatedPath);
    expect(readFileSync(consolidatedPath).subarray(0, 2).toString() === "PK",
      "the leader downloads the consolidated workbook");
    console.log(`browser path: ${steps} steps held; screenshots in ${shots}`);
  } finally {
    await browser.close();
    server.child.removeAllListeners("exit");
    server.child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
