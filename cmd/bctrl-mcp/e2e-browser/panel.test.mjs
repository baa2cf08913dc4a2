// Drives the invocation panel in Debian's Chromium through `bctrl-mcp
// preview` (its URL in BCTRL_PREVIEW_URL; the Go test starts it on a fast
// simulator): progress, the answer as a table, cancel from the keyboard, a
// failure with its hint, artifacts, theme, narrow width, accessibility, no
// console errors and no request leaving loopback. Screenshots go to
// BCTRL_PANEL_SHOTS. Run by go test (cmd/bctrl-mcp/e2e_browser_test.go).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, statSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const PAGE = process.env.BCTRL_PREVIEW_URL;
const SHOTS = process.env.BCTRL_PANEL_SHOTS || mkdtempSync(join(tmpdir(), "bctrl-panel-shots-"));
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WAIT = 30000; // the longest any one thing on the page may take
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

let context, page, userData;
const consoleErrors = [];
const leftLoopback = [];
const shots = [];

before(async () => {
  assert.ok(PAGE, "BCTRL_PREVIEW_URL is not set");
  mkdirSync(SHOTS, { recursive: true });
  userData = mkdtempSync(join(tmpdir(), "bctrl-chromium-"));
  context = await chromium.launchPersistentContext(userData, {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 820, height: 1000 },
    colorScheme: "light",
  });
  page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  context.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol === "data:" || u.protocol === "about:") return;
    if (!LOOPBACK.has(u.hostname)) leftLoopback.push(r.url());
  });
  await page.goto(PAGE);
  await page.waitForSelector("body[data-ready=true]", { timeout: WAIT });
});

after(async () => {
  await context?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
  console.log(`screenshots in ${SHOTS}: ${shots.join(", ")}`);
});

// start runs create_invocation from the preview's form and returns the new panel.
async function start(instruction, { provider = "stagehand", wait = 0 } = {}) {
  const before = await page.evaluate(() => document.body.dataset.lastPanel || "0");
  await page.fill("#instruction", instruction);
  await page.selectOption("#provider", provider);
  await page.fill("#wait", String(wait));
  await page.click("#start");
  await page.waitForFunction((n) => (document.body.dataset.lastPanel || "0") !== n, before, { timeout: WAIT });
  const n = await page.evaluate(() => document.body.dataset.lastPanel);
  return panel(n);
}

async function panel(n) {
  const iframe = await page.waitForSelector(`iframe[data-panel="${n}"]`, { timeout: WAIT });
  const frame = await iframe.contentFrame();
  await frame.waitForSelector("#status", { timeout: WAIT });
  return { n, iframe, frame };
}

const statusOf = (p) => p.frame.$eval("#status", (e) => e.textContent);
async function untilStatus(p, status) {
  await p.frame.waitForFunction((s) => document.getElementById("status").textContent === s, status, { timeout: WAIT });
}

async function shoot(p, name) {
  const path = join(SHOTS, name);
  await p.iframe.screenshot({ path });
  const size = statSync(path).size;
  assert.ok(size < 200 * 1024, `${name} is ${size} bytes, over 200 KB`);
  shots.push(name);
}

// until polls what the page shows (read()) until ok() holds, for at most WAIT.
async function until(read, ok, describe) {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) assert.fail(describe(value));
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setTheme(theme) {
  await page.selectOption("#theme", theme);
}

// axeCheck runs axe-core in the panel and fails on serious or critical violations.
async function axeCheck(p, label) {
  await p.frame.addScriptTag({ content: AXE });
  const { violations } = await p.frame.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`), [], `axe on ${label}`);
}

let tablePanel, cancelledPanel, failedPanel, artifactPanel;

test("the progress bar moves, then the answer shows as a table", async () => {
  const p = await start("Find the three cheapest direct flights from Berlin to Lisbon next Friday sim:steps=24 sim:table");
  tablePanel = p;
  // Record every value the progress bar takes, as the page shows it.
  await p.frame.evaluate(() => {
    const bar = document.getElementById("bar");
    window.seen = [];
    const note = () => {
      const v = bar.getAttribute("aria-valuenow");
      if (v !== null && window.seen[window.seen.length - 1] !== v) window.seen.push(v);
    };
    note();
    new MutationObserver(note).observe(bar, { attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  await p.frame.waitForFunction(() => window.seen.filter((v) => Number(v) > 0).length >= 2, null, { timeout: WAIT });
  await shoot(p, "panel-running-light.png");
  await untilStatus(p, "succeeded");
  const seen = await p.frame.evaluate(() => window.seen);
  assert.ok(new Set(seen).size >= 3, `the progress bar took only these values: ${seen}`);
  assert.deepEqual(seen.map(Number), [...seen.map(Number)].sort((a, b) => a - b), "progress went backwards");
  assert.equal(seen[seen.length - 1], "24");
  assert.match(await p.frame.$eval("#stepline", (e) => e.textContent), /^Done in 24 steps/);

  const headers = await p.frame.$$eval("#answer table th", (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(headers, ["airline", "arrives", "departs", "flight", "price"]); // the server's (sorted) key order
  const rows = await p.frame.$$eval("#answer table tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0], ["TAP Air Portugal", "09:55", "07:05", "TP 559", "€89"]);
  assert.equal(await p.frame.isEnabled("#cancel"), false, "Cancel must be disabled once the invocation has ended");
  assert.ok(await p.frame.$eval("#timeline", (ol) => ol.children.length) >= 4, "the timeline should list statuses and steps");
  assert.match(await p.frame.$eval("#json", (e) => e.textContent), /"airline": "TAP Air Portugal"/);
  await shoot(p, "panel-succeeded-light.png");
  await axeCheck(p, "the succeeded panel (light)");
});

test("the panel follows the host's theme", async () => {
  await setTheme("dark");
  const p = tablePanel;
  await p.frame.waitForFunction(() => document.documentElement.dataset.theme === "dark", null, { timeout: WAIT });
  const bg = await p.frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(35, 35, 38)", "the host's dark background variable is not applied");
  await shoot(p, "panel-succeeded-dark.png");
  await axeCheck(p, "the succeeded panel (dark)");
});

test("Cancel, confirmed from the keyboard, ends in cancelled", async () => {
  const p = await start("Watch the ticket shop for returned tickets and report any under €50 sim:hang sim:steps=40", { provider: "browserUse" });
  cancelledPanel = p;
  await p.frame.waitForFunction(() => Number(document.getElementById("bar").getAttribute("aria-valuenow")) >= 2, null, { timeout: WAIT });
  await shoot(p, "panel-running-dark.png");
  assert.equal(await statusOf(p), "running");
  await p.frame.focus("#cancel");
  await page.keyboard.press("Enter");
  await p.frame.waitForSelector("#confirm:not([hidden])", { timeout: WAIT });
  assert.equal(await p.frame.evaluate(() => document.activeElement.id), "confirm-yes", "focus should move to the confirmation");
  assert.notEqual(await p.frame.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "none", "keyboard focus must be visible");
  await page.keyboard.press("Enter");
  await untilStatus(p, "cancelled");
  assert.equal(await p.frame.isEnabled("#cancel"), false);
  assert.equal(await p.frame.$eval("#cancel", (b) => b.textContent), "Cancel");
  assert.match(await p.frame.$eval("#failure", (e) => e.textContent), /cancelled on request/);
  await axeCheck(p, "the cancelled panel (dark)");
});

test("a failure shows its error and hint", async () => {
  await setTheme("light");
  const p = await start("Log in to the supplier portal and download the invoices sim:failed sim:steps=2");
  failedPanel = p;
  await untilStatus(p, "failed");
  const text = await p.frame.$eval("#failure", (e) => e.innerText);
  assert.match(text, /could not complete the task/);
  assert.match(text, /Hint: Check the credentials in sensitiveData or variables\./);
  assert.equal(await p.frame.$eval("#failure", (e) => e.getAttribute("role")), "alert");
  await shoot(p, "panel-failed-light.png");
  await axeCheck(p, "the failed panel");
});

test("artifacts are listed, images inline through resources/read", async () => {
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFklEQVR4nGNk+M/AwMDAxMDAwMAAAAMpAQOw0OhnAAAAAElFTkSuQmCC";
  const run = "0c4a6d8e-1b2f-4e3a-9c5d-7f8e9a0b1c2d";
  const shotURI = `bctrl://runs/${run}/artifacts/a1`;
  const fixture = {
    id: "7d3e9f1a-2b4c-4d5e-8f6a-0b1c2d3e4f5a", status: "succeeded", terminal: true, stepCount: 3, runId: run,
    createdAt: "2026-11-27T10:00:00Z", startedAt: "2026-11-27T10:00:02Z", finishedAt: "2026-11-27T10:00:09Z", durationMs: 7000,
    request: { steps: [{ call: "agent.execute", args: [{ provider: "stagehand", input: { instruction: "Screenshot the pricing page" } }] }] },
    result: { ok: true, steps: [{ index: 0, call: "agent.execute", ok: true, result: "The pricing page lists three plans." }] },
    artifacts: [
      { id: "a1", runId: run, name: "pricing.png", kind: "screenshot", contentType: "image/png", sizeBytes: 75, createdAt: "2026-11-27T10:00:08Z", uri: shotURI },
      { id: "a2", runId: run, name: "plans.csv", kind: "download", contentType: "text/csv", sizeBytes: 2048, createdAt: "2026-11-27T10:00:09Z", uri: `bctrl://runs/${run}/artifacts/a2` },
    ],
  };
  const n = await page.evaluate(([sc, uri, blob]) => window.bctrlPreview.inject(sc, { [uri]: { uri, mimeType: "image/png", blob } }), [fixture, shotURI, png]);
  const p = await panel(n);
  artifactPanel = p;
  await p.frame.waitForSelector("#artifacts:not([hidden]) img", { timeout: WAIT });
  const items = await p.frame.$$eval("#artifact-list li", (lis) => lis.map((li) => li.innerText));
  assert.equal(items.length, 2);
  assert.match(items[0], /pricing\.png screenshot · image\/png · 75 B/);
  assert.match(items[1], /plans\.csv download · text\/csv · 2\.0 KB/);
  const img = await p.frame.$eval("#artifact-list img", (i) => ({ alt: i.alt, width: i.naturalWidth, src: i.src.slice(0, 22) }));
  assert.deepEqual(img, { alt: "pricing.png", width: 4, src: "data:image/png;base64," });
  assert.equal(await p.frame.$eval("#answer-body", (e) => e.innerText), "The pricing page lists three plans.");
  await shoot(p, "panel-artifacts-light.png");
  await axeCheck(p, "the artifacts panel");
});

test("the panel reads at a narrow width and reports its height", async () => {
  await page.setViewportSize({ width: 360, height: 900 });
  const p = tablePanel;
  await p.frame.waitForFunction(() => document.documentElement.clientWidth < 340, null, { timeout: WAIT });
  const overflow = await p.frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the panel overflows its width by ${overflow}px at 360px (the table must scroll inside its region)`);
  // The host sizes the iframe from the panel's size-changed reports: wait
  // until the iframe is as tall as the panel's content. (Chromium does not
  // lay out cross-origin frames out of view, so bring it into view first.)
  await p.iframe.scrollIntoViewIfNeeded();
  const sizes = () => Promise.all([
    p.frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height)),
    p.iframe.evaluate((f) => f.getBoundingClientRect().height),
  ]);
  const [inner, outer] = await until(sizes, ([i, o]) => i > 300 && Math.abs(i - o) <= 2,
    ([i, o]) => `the panel is ${i}px tall but the host sized it ${o}px`);
  assert.ok(inner > outer - 3 && outer > 300);
  await shoot(p, "panel-succeeded-narrow.png");
  await page.setViewportSize({ width: 820, height: 1000 });
});

test("no console errors, no request off loopback, one call in flight at most", async () => {
  const most = await page.$$eval("iframe[data-panel]", (fs) => fs.map((f) => Number(f.dataset.maxInFlight || 0)));
  assert.ok(most.every((m) => m <= 1), `a panel had more than one call in flight: ${most}`);
  assert.ok(Math.max(...most) === 1, "no panel made a call through the host");
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(leftLoopback, []);
  assert.ok(cancelledPanel && failedPanel && artifactPanel);
});
