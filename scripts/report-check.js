// Helper of scripts/report-check.sh: serves the Allure report on a loopback port,
// opens its overview in Debian's headless Chromium (driven by playwright-core),
// reads the counts the overview shows, compares them with the counts computed
// from the *-result.json files, and saves a screenshot of the overview.
//
//   node report-check.js REPORT_DIR RESULTS_DIR USER_DATA_DIR
//
// Environment: CHROMIUM (default /usr/bin/chromium), REPORT_CHECK_TIMEOUT (seconds, default 60).
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const [reportDir, resultsDir, userDataDir] = process.argv.slice(2).map((p) => p && path.resolve(p));
const timeoutMs = 1000 * Number(process.env.REPORT_CHECK_TIMEOUT || 60);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const STATUSES = ['passed', 'failed', 'broken', 'skipped', 'unknown'];
const say = (m) => console.log(`[report-check] ${m}`);
const fail = (m) => { console.error(`[report-check] ERROR: ${m}`); process.exitCode = 1; };

// What the report should show: one test per historyId, its latest attempt (the way
// Allure's retry plugin folds retries); a result without historyId counts on its own.
function expectedCounts(dir) {
  const latest = new Map();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('-result.json')).sort()) {
    let r;
    try { r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')); } catch (e) { continue; } // Allure skips unreadable files too
    const key = r.historyId ? `h:${r.historyId}` : `f:${f}`;
    const prev = latest.get(key);
    if (!prev || (r.start ?? -Infinity) >= (prev.start ?? -Infinity)) latest.set(key, r);
  }
  const c = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const r of latest.values()) c[STATUSES.includes(r.status) ? r.status : 'unknown']++;
  c.total = latest.size;
  return c;
}

// The sign-off summary's verdicts, judged here again from the results and the claims
// table, independently of the harness's own SignOff: a claim holds when every scenario
// deciding it ran and passed (latest attempt), is refuted when one failed or broke, else
// (a scenario skipped or absent) not run.
function expectedVerdicts(dir, claimsFile) {
  const latest = new Map();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
    let r;
    try { r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')); } catch (e) { continue; }
    if (!(r.labels || []).some((l) => l.name === 'gherkin_uri')) continue;
    const prev = latest.get(r.name);
    if (!prev || (r.stop ?? 0) >= (prev.stop ?? 0)) latest.set(r.name, r);
  }
  const v = { claims: 0, holds: 0, refuted: 0 };
  for (const line of fs.readFileSync(claimsFile, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const scenarios = line.split('\t')[1].split(';').map((x) => x.trim()).filter(Boolean);
    const st = scenarios.map((n) => (latest.get(n) || {}).status);
    v.claims++;
    if (st.some((x) => x && x !== 'passed' && x !== 'skipped')) v.refuted++;
    else if (st.every((x) => x === 'passed')) v.holds++;
  }
  return v;
}

function describe(c) {
  const parts = ['passed', 'failed', 'broken', 'skipped'].map((s) => `${c[s]} ${s}`);
  if (c.unknown) parts.push(`${c.unknown} unknown`);
  return `${c.total} tests: ${parts.join(', ')}`;
}

// A static file server for the report, on 127.0.0.1 only, for as long as this process lives.
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject', '.txt': 'text/plain' };
function serve(root) {
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' }).end(body);
    });
  });
  return new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve(server)));
}

// Each refuted claim of the sign-off summary names its cause and links to the failed scenario's
// page in this report; the first such page must open with that same line (the scenario's headline,
// see FailureHeadline), as a reader following the link sees it. Screenshot: failed-test.png.
async function checkCauses(page, origin, left) {
  const refuted = await page.evaluate(() => [...document.querySelectorAll('tr.claim[data-verdict="refuted"]')].map((r) => ({
    claim: r.cells[1].firstChild.textContent.trim(),
    causes: [...r.querySelectorAll('.cause')].map((c) => ({
      href: (c.querySelector('a.scenario') || { getAttribute: () => null }).getAttribute('href'),
      headline: ((c.querySelector('.headline') || {}).textContent || '').trim() })) })));
  if (refuted.length === 0) return;
  for (const r of refuted) {
    const bad = r.causes.length === 0 ? 'no cause'
      : r.causes.map((c) => (!c.headline ? 'a cause without its headline'
        : !/^index\.html#testresult\/\w+$/.test(c.href || '') ? `no link to its scenario (${c.href})`
          : !fs.existsSync(path.join(reportDir, 'data', 'test-cases', `${c.href.split('/').pop()}.json`)) ? `a link to no test of this report (${c.href})`
            : null)).find(Boolean);
    if (bad) { fail(`the refuted claim "${r.claim}" shows ${bad} in the sign-off summary`); return; }
  }
  const first = refuted[0].causes[0];
  const shot = path.join(reportDir, 'failed-test.png');
  await page.goto(`${origin}/${first.href}`, { timeout: left(), waitUntil: 'load' });
  const shown = await page.waitForSelector('.status-details__message', { timeout: left() })
    .then((m) => m.innerText()).then((t) => t.split('\n')[0].trim());
  await page.screenshot({ path: shot, fullPage: true, timeout: left() });
  if (shown !== first.headline) {
    fail(`the summary gives "${first.headline}" as the cause of "${refuted[0].claim}", but its scenario's page opens with "${shown}"; screenshot: ${shot}`);
  } else {
    say(`${refuted.length} refuted claim(s), each with its cause and a link; the first scenario's page opens with it (screenshot: ${shot})`);
  }
}

async function main() {
  if (!reportDir || !resultsDir || !userDataDir) throw new Error('usage: report-check.js REPORT_DIR RESULTS_DIR USER_DATA_DIR');
  const expected = expectedCounts(resultsDir);
  const server = await serve(reportDir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const shot = path.join(reportDir, 'overview.png');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    timeout: timeoutMs,
    viewport: { width: 1400, height: 1000 },
    locale: 'en-US',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    // the report's page carries an analytics <script> from the Internet: only loopback is allowed
    await context.route('**/*', (route) =>
      (route.request().url().startsWith(origin + '/') ? route.continue() : route.abort('blockedbyclient')));
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    let shown;
    try {
      await page.goto(`${origin}/index.html#`, { timeout: left(), waitUntil: 'load' });
      // the overview is rendered once the summary widget shows its total and, for a
      // non-empty report, the status donut has its arcs
      await page.waitForFunction(() => {
        const t = document.querySelector('[data-id="summary"] .summary-widget__stats .splash__title');
        if (!t || !/^\s*\d+\s*$/.test(t.textContent)) return false;
        return Number(t.textContent) === 0 || document.querySelectorAll('[data-id="summary"] .chart__arc').length > 0;
      }, null, { timeout: left(), polling: 250 });
      await page.waitForTimeout(1000); // let the donut's transition finish before the screenshot
      await page.screenshot({ path: shot, fullPage: true, timeout: left() });
      // the per-status counts are what the donut's tooltip shows for each arc ("6 tests (60%) Passed")
      shown = Object.fromEntries(STATUSES.map((s) => [s, 0]));
      shown.total = Number(await page.textContent('[data-id="summary"] .summary-widget__stats .splash__title'));
      for (const arc of await page.$$('[data-id="summary"] .chart__arc')) {
        const status = ((await arc.getAttribute('class')).match(/chart__fill_status_(\w+)/) || [])[1];
        await arc.dispatchEvent('mouseenter'); // what hovering the arc fires
        const tip = await page.waitForSelector('.tooltip', { state: 'visible', timeout: Math.min(5000, left()) });
        const text = (await tip.textContent()).trim().replace(/\s+/g, ' ');
        await arc.dispatchEvent('mouseleave');
        await page.waitForSelector('.tooltip', { state: 'detached', timeout: Math.min(5000, left()) });
        const m = text.match(/^(\d+)\b/);
        if (!status || !STATUSES.includes(status) || !m) throw new Error(`cannot read the donut's tooltip "${text}" for arc "${status}"`);
        shown[status] += Number(m[1]);
      }
    } catch (e) {
      await page.screenshot({ path: shot, fullPage: true, timeout: 10000 }).catch(() => {});
      fail(`the report's overview did not render within ${timeoutMs / 1000} s (${e.message.split('\n')[0]}); what the page showed: ${shot}`);
      return;
    }
    const sum = STATUSES.reduce((a, s) => a + shown[s], 0);
    if (sum !== shown.total) {
      fail(`overview shows ${shown.total} tests but its status chart adds up to ${sum} (${describe({ ...shown, total: sum })}); screenshot: ${shot}`);
    } else if (['total', ...STATUSES].some((k) => shown[k] !== expected[k])) {
      fail(`overview shows ${describe(shown)}, but the results in ${resultsDir} have ${describe(expected)}; screenshot: ${shot}`);
    } else {
      say(`overview shows ${describe(shown)} — matches the results`);
    }
    // the sign-off summary: its counts and its rows against the verdicts judged here
    const claimsFile = path.join(__dirname, '..', 'src', 'main', 'resources', 'dive', 'verify', 'report', 'seed-claims.tsv');
    if (fs.existsSync(path.join(reportDir, 'sign-off.html')) && fs.existsSync(claimsFile)) {
      const want = expectedVerdicts(resultsDir, claimsFile);
      const shotSummary = path.join(reportDir, 'sign-off.png');
      await page.goto(`${origin}/sign-off.html`, { timeout: left(), waitUntil: 'load' });
      const got = await page.evaluate(() => {
        const c = document.querySelector('#counts');
        const rows = [...document.querySelectorAll('tr.claim')].map((r) => r.dataset.verdict);
        return { claims: Number(c.dataset.claims), holds: Number(c.dataset.holds), refuted: Number(c.dataset.refuted),
          rows: rows.length, rowsHold: rows.filter((x) => x === 'holds').length, rowsRefuted: rows.filter((x) => x === 'refuted').length,
          refutedFirst: rows.indexOf('refuted') <= 0 || rows.slice(0, rows.filter((x) => x === 'refuted').length).every((x) => x === 'refuted') };
      });
      await page.screenshot({ path: shotSummary, fullPage: true, timeout: left() });
      const line = `${got.claims} claims: ${got.holds} hold, ${got.refuted} refuted`;
      if (got.claims !== want.claims || got.holds !== want.holds || got.refuted !== want.refuted
          || got.rows !== got.claims || got.rowsHold !== got.holds || got.rowsRefuted !== got.refuted || !got.refutedFirst) {
        fail(`the sign-off summary shows ${line} (rows: ${got.rows}, ${got.rowsHold} hold, ${got.rowsRefuted} refuted, refuted first: ${got.refutedFirst}),`
          + ` but the results judge ${want.claims} claims: ${want.holds} hold, ${want.refuted} refuted; screenshot: ${shotSummary}`);
      } else {
        say(`sign-off summary shows ${line} — matches the results (screenshot: ${shotSummary})`);
      }
      await checkCauses(page, origin, left);
    }
  } finally {
    await context.close().catch(() => {});
    server.close();
  }
}

main().catch((e) => fail(e.message.split('\n')[0]));
