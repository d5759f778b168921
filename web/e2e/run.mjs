// End-to-end test of the web UI against a real `tandem serve --demo`, driven by playwright-core in
// Debian's Chromium (/usr/bin/chromium; no browser is downloaded). Builds nothing: run
// `npm run build` first. Starts the server itself on a free port with a temporary database,
// walks through each role, saves screenshots to docs/screenshots/, prints "N passed, N failed"
// and exits non-zero on any failure. The server is stopped at the end, also on failure.
//
//   TANDEM_BIN   the server binary (default build/dev/apps/tandem, relative to the repo root)
//   CHROMIUM     the browser (default /usr/bin/chromium)
//   E2E_HEADED=1 show the browser (needs a display)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.resolve(repoRoot, process.env.TANDEM_BIN ?? 'build/dev/apps/tandem');
const webDist = path.join(repoRoot, 'web', 'dist');
const shots = path.join(repoRoot, 'docs', 'screenshots');
const peopleCsv = path.join(repoRoot, 'samples', 'people.csv');
const PASSWORD = 'tandem-demo';

let server = null;
let browser = null;
let tmpDir = null;
let passed = 0;
let failed = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, ms) {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer /api/v1/health in time (${last})`);
}

function stopServer() {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    const s = server;
    setTimeout(() => {
      if (s.exitCode === null) s.kill('SIGKILL');
    }, 3000).unref();
  }
}

async function cleanup() {
  if (browser) await browser.close().catch(() => undefined);
  browser = null;
  stopServer();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = null;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function step(name, fn, page) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
    if (page && tmpDir) {
      const file = path.join(tmpDir, `failure-${passed + failed}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      console.log(`     screenshot of the failure: ${file} (removed at the end; set E2E_KEEP=1 to keep)`);
    }
  }
}

async function shot(page, name, opts = {}) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.screenshot({ path: path.join(shots, `${name}.png`), ...opts });
}

async function newPage(base, extra = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Berlin', ...extra });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => console.log(`     page error: ${e.message}`));
  await page.goto(`${base}/`);
  return page;
}

async function login(page, email) {
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

async function main() {
  expect(fs.existsSync(bin), `no server binary at ${path.relative(repoRoot, bin)} (build it, or set TANDEM_BIN)`);
  expect(fs.existsSync(path.join(webDist, 'index.html')), 'web/dist/index.html is missing: run `npm run build` in web/ first');
  fs.mkdirSync(shots, { recursive: true });
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(tmpDir, 'server.log'), 'w');
  server = spawn(bin, ['serve', '--demo', '--database', path.join(tmpDir, 'e2e.db'), '--port', String(port), '--web-dir', webDist],
    { stdio: ['ignore', log, log] });
  await waitForHealth(base, 30000);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: process.env.E2E_HEADED !== '1',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'].filter((a) => a !== '--headless' || process.env.E2E_HEADED !== '1'),
  });

  // ---- coordinator ----
  const coord = await newPage(base);
  await step('login page renders with labelled fields', async () => {
    await coord.getByRole('heading', { name: 'Log in to Tandem' }).waitFor();
    expect(await coord.getByLabel('Work email').isVisible(), 'email field');
    await shot(coord, 'login');
  }, coord);
  await step('a wrong password shows a clear error', async () => {
    await coord.getByLabel('Work email').fill('coordinator@northwind.example');
    await coord.getByLabel('Password').fill('not-the-password');
    await coord.getByRole('button', { name: 'Log in' }).click();
    await coord.getByRole('alert').filter({ hasText: 'email or password is not right' }).waitFor();
  }, coord);
  await step('coordinator logs in and sees the programs', async () => {
    await login(coord, 'coordinator@northwind.example');
    await coord.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
    await coord.getByRole('link', { name: 'Leadership mentoring 2027' }).waitFor();
    expect(await coord.locator('.badge.matching').count() >= 1, 'a matching status badge');
    const nav = await coord.getByRole('navigation', { name: 'Main' }).innerText();
    expect(nav.includes('People') && !nav.includes('Audit'), `coordinator navigation: ${nav}`);
    await shot(coord, 'programs');
  }, coord);
  await step('people import: preview shows counts, commit imports', async () => {
    await coord.getByRole('link', { name: 'People' }).click();
    await coord.getByRole('heading', { name: 'Import people' }).waitFor();
    await coord.locator('tbody tr').first().waitFor();
    await coord.getByLabel('People file (.csv or .json)').setInputFiles(peopleCsv);
    const counts = coord.getByTestId('import-counts');
    await counts.waitFor();
    const text = await counts.innerText();
    expect(/22\s*rows read/.test(text) && /22\s*new people/.test(text), `preview counts: ${text.replace(/\s+/g, ' ')}`);
    await coord.getByText('No errors: the file can be imported.').waitFor();
    await shot(coord, 'people-import');
    await coord.getByRole('button', { name: 'Commit import' }).click();
    await coord.getByText('Imported 22 people: 22 new, 0 updated.').waitFor();
    await coord.getByRole('button', { name: 'Load more' }).click();
    await coord.waitForFunction(() => document.querySelectorAll('tbody tr').length > 50);
  }, coord);
  await step('a file with a bad row lists the row error and offers no commit', async () => {
    await coord.getByLabel('People file (.csv or .json)').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name\nX1,\n') });
    await coord.getByRole('cell', { name: 'the name is empty; every person needs one' }).waitFor();
    expect(await coord.getByRole('button', { name: 'Commit import' }).count() === 0, 'no commit button');
  }, coord);
  await step('new program from a template with a live weight preview', async () => {
    await coord.goto(`${base}/#/programs`);
    await coord.getByRole('link', { name: 'New program' }).first().click();
    await coord.getByRole('heading', { name: 'New program' }).waitFor();
    await coord.getByRole('button', { name: 'Create program' }).click();
    await coord.getByText('Give the program a name.').waitFor();
    await coord.getByLabel('Program name').fill('Virtual mentoring across sites');
    await coord.getByRole('radio', { name: /Virtual/ }).check();
    const before = await coord.getByTestId('preview-score').innerText();
    await coord.getByLabel(/^Skills/).fill('10');
    await coord.getByLabel(/^Communication style/).fill('0');
    await coord.waitForFunction((b) => document.querySelector('[data-testid=preview-score]')?.textContent !== b, before);
    await shot(coord, 'new-program', { fullPage: true });
    await coord.getByRole('button', { name: 'Create program' }).click();
    await coord.getByRole('heading', { name: 'Virtual mentoring across sites' }).waitFor();
    await coord.locator('.badge.draft').waitFor();
  }, coord);
  await step('demo program: status transitions, run matching with progress, pairs with explanations', async () => {
    await coord.goto(`${base}/#/programs/1`);
    await coord.getByRole('heading', { name: 'Leadership mentoring 2027' }).waitFor();
    await coord.getByRole('button', { name: 'Back to enrolling' }).click();
    await coord.locator('.status-box .badge.enrolling').waitFor();
    await coord.getByRole('button', { name: 'Start matching' }).click();
    await coord.locator('.status-box .badge.matching').waitFor();
    await coord.getByRole('button', { name: 'Run matching' }).click();
    await coord.getByRole('progressbar', { name: 'Matching run progress' }).waitFor();
    await coord.getByTestId('job-progress').getByText(/Finished: \d+ of \d+ mentees matched/).waitFor({ timeout: 60000 });
    await coord.getByRole('link', { name: 'Run 1', exact: true }).waitFor();
    await shot(coord, 'program-run', { fullPage: true });
    await coord.getByRole('link', { name: 'Open the run' }).click();
    await coord.getByRole('heading', { name: /^Pairs \(\d+\)$/ }).waitFor();
    expect(await coord.locator('table.pairs tbody tr').count() > 10, 'pairs listed');
    await coord.getByRole('button', { name: 'Why?' }).first().click();
    const why = coord.locator('tr.why').first();
    await why.waitFor();
    expect((await why.locator('.explanation').innerText()).length > 10, 'an explanation');
    expect(await why.locator('.factor').count() >= 13, 'factor bars');
    await coord.getByRole('heading', { name: 'Fairness audit' }).waitFor();
    await coord.getByRole('heading', { name: /Unmatched mentees/ }).waitFor();
    await shot(coord, 'run-pairs');
  }, coord);
  await coord.context().close();

  // ---- committee ----
  const committee = await newPage(base);
  await step('committee member sees the run of their program', async () => {
    await login(committee, 'committee@northwind.example');
    await committee.getByRole('link', { name: 'Review runs' }).first().click();
    await committee.getByRole('link', { name: 'Run 1', exact: true }).click();
    await committee.getByRole('heading', { name: /^Pairs \(\d+\)$/ }).waitFor();
    expect(await committee.getByRole('button', { name: 'Run matching' }).count() === 0, 'no run button for the committee');
  }, committee);
  await committee.context().close();

  // ---- executive ----
  const exec = await newPage(base);
  await step('executive sees the dashboard charts', async () => {
    await login(exec, 'executive@northwind.example');
    await exec.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await exec.getByRole('heading', { name: 'Match rate per program' }).waitFor();
    await exec.waitForFunction(() => document.querySelectorAll('canvas').length >= 4);
    const nav = await exec.getByRole('navigation', { name: 'Main' }).innerText();
    expect(nav.trim() === 'Dashboard', `executive navigation: ${nav}`);
    await exec.waitForTimeout(300);
    await shot(exec, 'dashboard', { fullPage: true });
  }, exec);
  await exec.context().close();

  // ---- admin ----
  const admin = await newPage(base);
  await step('admin reads the audit log', async () => {
    await login(admin, 'admin@northwind.example');
    await admin.getByRole('link', { name: 'Audit log' }).click();
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor();
    await admin.getByRole('cell', { name: 'run.start' }).first().waitFor();
    await admin.getByRole('cell', { name: 'people.import' }).first().waitFor();
  }, admin);
  await admin.context().close();

  // ---- mentee ----
  const mentee = await newPage(base);
  await step('mentee sees their profile with availability in local time', async () => {
    await login(mentee, 'mentee@northwind.example');
    await mentee.getByRole('heading', { name: 'My profile' }).waitFor();
    await mentee.getByRole('heading', { name: 'Weekly availability' }).waitFor();
    const note = await mentee.getByTestId('tz-note').innerText();
    expect(note.includes('Europe/Berlin'), `time zone note: ${note}`);
    await shot(mentee, 'profile', { fullPage: true });
  }, mentee);
  await step('mentee gets 403 from /api/v1/runs/1 and "not allowed" on the run page', async () => {
    const status = await mentee.evaluate(async () => (await fetch('/api/v1/runs/1')).status);
    expect(status === 403, `GET /api/v1/runs/1 answered ${status}`);
    await mentee.goto(`${base}/#/runs/1`);
    await mentee.getByTestId('not-allowed').waitFor();
    expect((await mentee.getByTestId('not-allowed').innerText()).includes('not allowed'), 'not allowed message');
  }, mentee);
  await step('server falls back to index.html for a path without an extension', async () => {
    const r = await fetch(`${base}/programs/1`);
    const text = await r.text();
    expect(r.ok && text.includes('<div id="app">'), `GET /programs/1 answered ${r.status}`);
  });
  await mentee.context().close();
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e && e.message ? e.message : e}`);
  if (tmpDir && fs.existsSync(path.join(tmpDir, 'server.log'))) {
    console.log(fs.readFileSync(path.join(tmpDir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n'));
  }
} finally {
  if (process.env.E2E_KEEP === '1' && tmpDir) {
    console.log(`kept ${tmpDir}`);
    tmpDir = null;
  }
  await cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
