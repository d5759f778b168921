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
let pageErrors = 0;

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
  page.on('pageerror', (e) => {
    pageErrors++;
    console.log(`     page error: ${e.message}`);
  });
  await page.goto(`${base}/`);
  return page;
}

async function login(page, email) {
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

// An account for a person of the directory, made by a logged-in admin's page (POST /api/v1/accounts).
async function createAccount(adminPage, email, employeeId, role) {
  return adminPage.evaluate(async ({ email, employeeId, role }) => {
    const s = await (await fetch('/api/v1/session')).json();
    const person = await (await fetch(`/api/v1/people/${employeeId}`)).json();
    const r = await fetch('/api/v1/accounts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
      body: JSON.stringify({ email, display_name: person.name, password: 'tandem-demo', employee_id: employeeId, roles: [{ role, program_id: null }] }),
    });
    return { status: r.status, name: person.name };
  }, { email, employeeId, role });
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
  await step('publishing before any approval shows the 409 reason', async () => {
    await coord.getByRole('button', { name: 'Publish' }).click();
    const alert = coord.getByTestId('review').getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(/approval/.test(text), `publish message: ${text}`);
  }, coord);
  await step('coordinator runs matching a second time (for the comparison)', async () => {
    await coord.goto(`${base}/#/programs/1`);
    await coord.getByRole('button', { name: 'Run matching' }).click();
    await coord.getByTestId('job-progress').getByText(/Finished: \d+ of \d+ mentees matched/).waitFor({ timeout: 60000 });
    await coord.getByRole('link', { name: 'Run 2', exact: true }).waitFor();
  }, coord);
  await step('coordinator opens program 2 for enrolling and sets its details (field errors shown)', async () => {
    await coord.goto(`${base}/#/programs/2`);
    await coord.getByRole('button', { name: 'Open enrollment' }).click();
    await coord.locator('.status-box .badge.enrolling').waitFor();
    await coord.getByRole('button', { name: 'Edit details' }).click();
    await coord.getByLabel('Duration in weeks').fill('500');
    await coord.getByRole('button', { name: 'Save details' }).click();
    await coord.getByText('a whole number of weeks from 1 to 104').waitFor();
    await coord.getByLabel(/^Objectives/).fill('Leaders learn new ways of working\nJunior staff gain visibility');
    await coord.getByLabel('Format').selectOption('virtual');
    await coord.getByLabel('Duration in weeks').fill('12');
    await coord.getByLabel('Meeting cadence').selectOption('biweekly');
    await coord.getByLabel(/^Application questions/).fill('What would you like to learn?');
    await coord.getByRole('button', { name: 'Save details' }).click();
    await coord.getByText('Details saved.').waitFor();
    await coord.getByText('Every two weeks').waitFor();
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
    expect(await committee.getByRole('button', { name: 'Publish' }).count() === 0, 'no publish button for the committee');
  }, committee);
  await step('committee member comments, locks, swaps and approves the run', async () => {
    const review = committee.getByTestId('review');
    await committee.getByLabel('Comment', { exact: true }).fill('The pairs look balanced across sites.');
    await committee.getByRole('button', { name: 'Add comment' }).click();
    await review.getByText('The pairs look balanced across sites.').waitFor();
    await committee.getByRole('button', { name: /^Comment on the pair of/ }).first().click();
    await committee.getByLabel('Comment', { exact: true }).fill('Strong fit: keep this pair.');
    await committee.getByRole('button', { name: 'Add comment' }).click();
    await review.getByText(/On the pair of .* · you ·/).waitFor();
    await committee.getByRole('button', { name: /^Lock the pair of/ }).first().click();
    await committee.getByRole('button', { name: /^Unlock the pair of/ }).first().waitFor();
    await committee.locator('table.pairs .badge.locked').first().waitFor();
    const boxes = committee.getByRole('checkbox', { name: /for a swap$/ });
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await committee.getByRole('button', { name: 'Swap', exact: true }).click();
    const done = committee.getByText(/^Swapped: /);
    const refused = committee.getByTestId('swap-refused');
    await done.or(refused).first().waitFor();
    if (await refused.isVisible()) {
      expect((await refused.innerText()).includes('breaks a matching rule'), 'the rule is named');
      await committee.getByRole('button', { name: 'Swap anyway' }).click();
      await done.waitFor();
    }
    await committee.getByRole('button', { name: 'Approve' }).click();
    await committee.getByText('Your approval is recorded.').waitFor();
    await committee.getByRole('button', { name: 'Approved' }).waitFor();
    await committee.evaluate(() => window.scrollTo(0, 0));
    await shot(committee, 'run-review', { fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1750 } });
  }, committee);
  await step('committee member compares the swapped run with the second run', async () => {
    await committee.getByRole('button', { name: 'Compare with…' }).click();
    await committee.locator('#compare-with').selectOption('2');
    await committee.getByRole('button', { name: 'Compare', exact: true }).click();
    const cmp = committee.getByTestId('compare');
    await cmp.getByRole('columnheader', { name: 'Run 2' }).first().waitFor();
    const rows = await cmp.getByTestId('changed-pairs').locator('tbody tr').count();
    expect(rows >= 2, `changed pairs after the swap: ${rows}`);
    await cmp.screenshot({ path: path.join(shots, 'compare.png') });
  }, committee);
  await committee.context().close();

  // ---- coordinator publishes ----
  const coord2 = await newPage(base);
  await step('coordinator publishes the approved run; the program lists its relationships', async () => {
    await login(coord2, 'coordinator@northwind.example');
    await coord2.goto(`${base}/#/runs/1`);
    await coord2.getByRole('button', { name: 'Publish' }).click();
    await coord2.getByText(/^Published: \d+ relationships created/).waitFor();
    expect((await coord2.getByTestId('published').innerText()) === 'Published', 'published state');
    await coord2.goto(`${base}/#/programs/1`);
    await coord2.locator('.status-box .badge.active').waitFor();
    await coord2.getByRole('heading', { name: /^Relationships \(\d+\)$/ }).waitFor();
    await coord2.getByTestId('feedback-card').getByText(/Shown from 3 answers/).waitFor();
  }, coord2);
  await coord2.context().close();

  // ---- admin ----
  // The demo seed makes the demo mentee (mentee@) and mentor (mentor@) a pair of program 1's
  // matching, so the pair steps log in as them. The steps for a person without a mentorship log in
  // as a mentee the run left unmatched, with an account the admin creates.
  const admin = await newPage(base);
  const asked = { email: 'asked-mentor@northwind.example', id: '', name: '' };
  const pairMentee = { email: 'mentee@northwind.example', id: '', name: '', relationship: 0, mentorId: '', mentorName: '' };
  const other = { email: 'other-mentee@northwind.example', id: '', name: '' };
  await step('admin reads the audit log', async () => {
    await login(admin, 'admin@northwind.example');
    await admin.getByRole('link', { name: 'Audit log' }).click();
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor();
    await admin.getByRole('cell', { name: 'run.start' }).first().waitFor();
    await admin.getByRole('cell', { name: 'people.import' }).first().waitFor();
    await admin.getByRole('cell', { name: 'run.publish' }).first().waitFor();
  }, admin);
  await step('the demo mentee and mentor are a pair; admin gives an unmatched mentee an account', async () => {
    const found = await admin.evaluate(async () => {
      const accounts = (await (await fetch('/api/v1/accounts')).json()).items;
      const id = (email) => accounts.find((a) => a.email === email)?.employee_id ?? '';
      const menteeId = id('mentee@northwind.example');
      const mentorId = id('mentor@northwind.example');
      const rels = (await (await fetch('/api/v1/programs/1/relationships')).json()).items;
      const rel = rels.find((x) => x.mentee_id === menteeId && x.mentor_id === mentorId) ?? null;
      const person = async (p) => (await (await fetch(`/api/v1/people/${p}`)).json()).name;
      const run = await (await fetch('/api/v1/runs/1')).json();
      const unmatched = run.unmatched.find((u) => !/^T\d/.test(u.mentee_id)) ?? run.unmatched[0];
      return { menteeId, mentorId, rel: rel?.id ?? 0, menteeName: await person(menteeId), mentorName: await person(mentorId), unmatched: unmatched?.mentee_id ?? '' };
    });
    expect(found.rel, `mentee@ (${found.menteeId}) and mentor@ (${found.mentorId}) are a pair of program 1`);
    Object.assign(pairMentee, { id: found.menteeId, name: found.menteeName, relationship: found.rel, mentorId: found.mentorId, mentorName: found.mentorName });
    expect(found.unmatched, 'the run left a mentee unmatched');
    const r = await createAccount(admin, other.email, found.unmatched, 'mentee');
    expect(r.status === 201, `account creation: ${JSON.stringify(r)}`);
    Object.assign(other, { id: found.unmatched, name: r.name });
  }, admin);
  await admin.context().close();

  // ---- the pair: mentee side ----
  const pm = await newPage(base);
  await step('mentee opens My mentorships and sees the mentor and why they were matched', async () => {
    await login(pm, pairMentee.email);
    await pm.getByRole('link', { name: 'My mentorships' }).click();
    await pm.getByRole('heading', { name: 'My mentorships' }).waitFor();
    await pm.getByRole('link', { name: pairMentee.mentorName, exact: true }).waitFor();
    await pm.getByText('Your mentor', { exact: false }).first().waitFor();
    const why = await pm.locator('.why').first().innerText();
    expect(why.startsWith('Why you were matched:') && why.length > 30, `why: ${why}`);
    await shot(pm, 'my-mentorships');
  }, pm);
  await step('mentee sets a goal, schedules a meeting, downloads the invite and logs the meeting', async () => {
    await pm.getByRole('link', { name: 'Open goals and meetings' }).first().click();
    await pm.getByRole('heading', { name: pairMentee.mentorName }).waitFor();
    await pm.getByRole('button', { name: 'Add goal' }).click();
    await pm.getByText('Give the goal a title.').waitFor();
    await pm.getByLabel('Goal', { exact: true }).fill('Lead my first team retrospective');
    await pm.getByLabel(/^Milestones/).fill('Watch two retrospectives\nPlan the agenda together\nRun it');
    await pm.getByRole('button', { name: 'Add goal' }).click();
    await pm.getByText('Lead my first team retrospective').waitFor();
    await pm.getByRole('checkbox', { name: 'Watch two retrospectives' }).check();
    await pm.waitForFunction(() => document.querySelector('.done')?.textContent === 'Watch two retrospectives');
    await pm.getByLabel(/^Progress: /).evaluate((el) => {
      el.value = '40';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await pm.getByText('Progress: 40%').waitFor();
    const tomorrow = new Date(Date.now() + 86400000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await pm.getByLabel('Date and time').fill(`${day}T10:00`);
    const hint = await pm.getByTestId('meeting-zone').innerText();
    expect(hint.includes('Europe/Berlin') && /0[89]:00 UTC/.test(hint), `time zone hint: ${hint}`);
    await pm.getByLabel(/^Place or video link/).fill('Room 4.12');
    await pm.getByLabel(/^Agenda/).fill('Retrospective formats');
    await pm.getByRole('button', { name: 'Schedule meeting' }).click();
    await pm.getByTestId('meeting').getByText('Room 4.12', { exact: false }).waitFor();
    const href = await pm.getByRole('link', { name: 'Download invite (.ics)' }).getAttribute('href');
    const ics = await pm.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('Content-Type'), body: await r.text() };
    }, href);
    expect(ics.status === 200 && ics.type.startsWith('text/calendar') && ics.body.startsWith('BEGIN:VCALENDAR'), `invite: ${ics.status} ${ics.type} ${ics.body.slice(0, 40)}`);
    const download = pm.waitForEvent('download');
    await pm.getByRole('link', { name: 'Download invite (.ics)' }).click();
    expect((await download).suggestedFilename().endsWith('.ics'), 'a .ics download');
    await pm.getByRole('button', { name: 'Log as held' }).click();
    await pm.getByLabel(/^Notes from the meeting/).fill('Chose the 4L format; my mentor shares a template.');
    await pm.getByRole('button', { name: 'Save as held' }).click();
    await pm.getByTestId('meeting').locator('.badge.held').waitFor();
  }, pm);
  await step('mentee gives feedback on the held meeting', async () => {
    await pm.getByRole('button', { name: 'Send feedback' }).click();
    await pm.getByText('Choose a rating from 1 to 5.').waitFor();
    await pm.getByRole('radio', { name: '4 – very good' }).check();
    await pm.getByLabel(/^Comment/).fill('Practical and kind.');
    await pm.getByRole('button', { name: 'Send feedback' }).click();
    await pm.getByText('Thank you: your rating of 4 out of 5 is recorded.').waitFor();
    await pm.reload();
    await pm.getByText('Lead my first team retrospective').waitFor();
    await pm.getByText('Thank you: your rating of 4 out of 5 is recorded.').waitFor();
    await shot(pm, 'relationship', { fullPage: true });
  }, pm);
  await step('mentee pauses the mentorship with a reason and resumes it', async () => {
    await pm.getByRole('button', { name: 'Pause the mentorship' }).click();
    await pm.getByLabel('Why pause? (optional)').fill('Parental leave for three weeks');
    await pm.getByRole('button', { name: 'Pause', exact: true }).click();
    await pm.locator('.page-head .badge.paused').waitFor();
    await pm.getByRole('button', { name: 'End the mentorship' }).click();
    await pm.getByRole('button', { name: 'End for good' }).click();
    await pm.getByText('Say why the mentorship ends.').waitFor();
    await pm.getByRole('button', { name: 'Keep it paused' }).click();
    await pm.getByRole('button', { name: 'Resume the mentorship' }).click();
    await pm.locator('.page-head .badge.active').waitFor();
  }, pm);
  await pm.context().close();

  // ---- the pair: mentor side ----
  const mentor = await newPage(base);
  await step('the mentor gives feedback on the same meeting', async () => {
    await login(mentor, 'mentor@northwind.example');
    await mentor.goto(`${base}/#/relationships/${pairMentee.relationship}`);
    await mentor.getByRole('heading', { name: pairMentee.name }).waitFor();
    await mentor.getByText('Chose the 4L format', { exact: false }).waitFor();
    await mentor.getByRole('radio', { name: '5 – excellent' }).check();
    await mentor.getByRole('button', { name: 'Send feedback' }).click();
    await mentor.getByText('Thank you: your rating of 5 out of 5 is recorded.').waitFor();
  }, mentor);
  await step('the mentor logs a second meeting and rates it (three answers in all)', async () => {
    const tomorrow = new Date(Date.now() + 86400000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await mentor.getByLabel('Date and time').fill(`${day}T11:00`);
    await mentor.getByLabel(/^Agenda/).fill('Review the retrospective');
    await mentor.getByRole('button', { name: 'Schedule meeting' }).click();
    await mentor.getByTestId('meeting').nth(1).waitFor();
    await mentor.getByRole('button', { name: 'Log as held' }).click();
    await mentor.getByRole('button', { name: 'Save as held' }).click();
    await mentor.getByTestId('meeting').nth(1).locator('.badge.held').waitFor();
    await mentor.getByRole('radio', { name: '4 – very good' }).check();
    await mentor.getByRole('button', { name: 'Send feedback' }).click();
    await mentor.getByText('Thank you: your rating of 4 out of 5 is recorded.').waitFor();
    await mentor.reload();
    await mentor.getByText('Thank you: your rating of 5 out of 5 is recorded.').waitFor();
    expect(await mentor.getByRole('button', { name: 'Send feedback' }).count() === 0, 'no second feedback form after a reload');
  }, mentor);
  await step('the mentor sends kudos to the mentee (an empty message is refused)', async () => {
    await mentor.getByRole('button', { name: 'Send kudos' }).click();
    await mentor.getByRole('button', { name: 'Send', exact: true }).click();
    await mentor.getByText('Say what you appreciate.').waitFor();
    await mentor.getByLabel(/^Kudos to/).fill('Great preparation for our retrospective session.');
    await mentor.getByRole('button', { name: 'Send', exact: true }).click();
    await mentor.getByText(`Kudos sent to ${pairMentee.name}.`).waitFor();
  }, mentor);

  // ---- engagement: training, a survey, notifications, recognition ----
  const coordE = await newPage(base);
  await step('coordinator adds a training resource and assigns it to the mentee with a due date', async () => {
    await login(coordE, 'coordinator@northwind.example');
    await coordE.getByRole('link', { name: 'Training' }).click();
    await coordE.getByRole('heading', { name: 'Library' }).waitFor();
    await coordE.getByRole('button', { name: 'Add resource' }).click();
    await coordE.getByText('Give the resource a title.').waitFor();
    await coordE.locator('#res-title').fill('Giving feedback that helps');
    await coordE.getByLabel('Kind').selectOption('video');
    await coordE.getByLabel(/^Link/).fill('https://learning.example/feedback');
    await coordE.getByLabel(/^Description/).fill('A 20-minute talk with exercises.');
    await coordE.getByRole('button', { name: 'Add resource' }).click();
    await coordE.getByText('Added “Giving feedback that helps”.').waitFor();
    await coordE.getByRole('button', { name: 'Assign Giving feedback that helps' }).click();
    await coordE.getByLabel('Employee ids').fill('NOBODY1');
    await coordE.getByRole('button', { name: 'Assign', exact: true }).click();
    await coordE.locator('#assign-ids-err').getByText(/^NOBODY1: /).waitFor();
    await coordE.getByLabel('Employee ids').fill(pairMentee.id);
    await coordE.getByLabel(/^Due date/).fill('2027-03-31');
    await coordE.getByRole('button', { name: 'Assign', exact: true }).click();
    await coordE.getByText('Assigned “Giving feedback that helps” to 1 person.').waitFor();
  }, coordE);
  await step('coordinator opens a pulse survey on program 1 (a missing title is refused)', async () => {
    await coordE.goto(`${base}/#/programs/1`);
    const card = coordE.getByTestId('surveys');
    await card.getByRole('button', { name: 'Create survey' }).click();
    await card.getByText('Give the survey a title.').waitFor();
    await card.getByLabel('Survey title').fill('Mid-program pulse');
    await card.getByLabel(/^Statements/).fill('We meet as often as we planned.\nOur meetings help me make progress.');
    await card.getByRole('button', { name: 'Create survey' }).click();
    await card.getByText(/Survey “Mid-program pulse” created/).waitFor();
    await card.getByTestId('survey-suppressed').getByText('0 so far').waitFor();
  }, coordE);
  const pm2 = await newPage(base);
  await step('the kudos and the survey show up in the mentee\'s bell; the kudos on Recognition', async () => {
    await login(pm2, pairMentee.email);
    const count = Number(await pm2.getByTestId('unread-count').innerText());
    expect(count >= 3, `unread notifications: ${count}`);
    await pm2.getByTestId('bell').click();
    const panel = pm2.getByRole('region', { name: 'Notifications' });
    await panel.getByText('You received kudos').waitFor();
    await panel.getByText('Please answer: Mid-program pulse').waitFor();
    await panel.getByText('New training resource for you').waitFor();
    await shot(pm2, 'notifications');
    const kudos = panel.getByTestId('notification').filter({ hasText: 'You received kudos' });
    await kudos.getByRole('button', { name: 'Open' }).click();
    await pm2.getByRole('heading', { name: 'Recognition' }).waitFor();
    await pm2.getByTestId('kudos').getByText('Great preparation for our retrospective session.', { exact: false }).waitFor();
    await pm2.getByTestId('milestone').getByText('First meeting held').waitFor();
    expect(Number(await pm2.getByTestId('unread-count').innerText()) === count - 1, 'one notification fewer unread');
  }, pm2);
  await step('the mentee completes the assigned training', async () => {
    await pm2.getByRole('link', { name: 'Training' }).click();
    const item = pm2.getByTestId('assignment').filter({ hasText: 'Giving feedback that helps' });
    await item.getByText('due 2027-03-31').waitFor();
    await item.getByRole('button', { name: 'Mark as done' }).click();
    await item.locator('.badge.approved').getByText('Done').waitFor();
    await shot(pm2, 'training');
  }, pm2);
  await step('mentee and mentor answer the survey; the results stay suppressed below 3', async () => {
    for (const pg of [pm2, mentor]) {
      await pg.goto(`${base}/#/programs/1`);
      const card = pg.getByTestId('surveys');
      await card.getByRole('button', { name: 'Send answers' }).click();
      await card.getByText('Rate every statement from 1 to 5.').waitFor();
      await card.getByRole('radio', { name: 'We meet as often as we planned.: 4 of 5' }).check();
      await card.getByRole('radio', { name: 'Our meetings help me make progress.: 5 of 5' }).check();
      await card.getByRole('button', { name: 'Send answers' }).click();
      await card.getByText('Thank you: your answers are recorded.').waitFor();
    }
    await coordE.reload();
    await coordE.getByTestId('surveys').getByTestId('survey-suppressed').getByText('2 so far').waitFor();
  }, pm2);
  await step('a third answer shows the survey results with bar charts', async () => {
    const admin3 = await newPage(base);
    await login(admin3, 'admin@northwind.example');
    const third = await admin3.evaluate(async ({ menteeId }) => {
      const rels = (await (await fetch('/api/v1/programs/1/relationships')).json()).items;
      return rels.find((r) => r.mentee_id !== menteeId)?.mentee_id ?? '';
    }, { menteeId: pairMentee.id });
    const r = await createAccount(admin3, 'third-mentee@northwind.example', third, 'mentee');
    expect(r.status === 201, `account: ${JSON.stringify(r)}`);
    await admin3.context().close();
    const t = await newPage(base);
    await login(t, 'third-mentee@northwind.example');
    const status = await t.evaluate(async () => {
      const s = await (await fetch('/api/v1/session')).json();
      const surveys = (await (await fetch('/api/v1/programs/1/surveys')).json()).items;
      const res = await fetch(`/api/v1/surveys/${surveys[0].id}/responses`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }, body: JSON.stringify({ ratings: [3, 4] }),
      });
      return res.status;
    });
    expect(status === 201, `third answer: ${status}`);
    await t.context().close();
    await coordE.reload();
    const card = coordE.getByTestId('surveys');
    await card.getByText('3 responses.', { exact: false }).waitFor();
    await card.locator('canvas').waitFor();
    await coordE.waitForTimeout(300);
    await card.screenshot({ path: path.join(shots, 'survey-results.png') });
  }, coordE);
  await step('profile edit: an invalid availability is refused next to the field, then saved', async () => {
    await pm2.getByRole('link', { name: 'My profile' }).click();
    await pm2.getByRole('button', { name: 'Edit profile' }).click();
    await pm2.locator('#pf-skills_wanted').fill('public speaking; finance:2');
    await pm2.locator('#pf-interests').fill('chess; cycling');
    await pm2.locator('#pf-availability').fill('Mon 25-26');
    await pm2.getByRole('button', { name: 'Save profile' }).click();
    await pm2.locator('#pf-availability-err').getByText(/hours run from 00 to 24/).waitFor();
    await shot(pm2, 'profile-edit', { fullPage: true });
    await pm2.locator('#pf-availability').fill('Mon 09-12; Wed 14-17');
    await pm2.getByRole('button', { name: 'Save profile' }).click();
    await pm2.getByText('Profile saved.').waitFor();
    await pm2.getByRole('listitem').filter({ hasText: 'cycling' }).first().waitFor();
    await pm2.getByRole('listitem').filter({ hasText: 'public speaking' }).first().waitFor();
    const hours = await pm2.evaluate(async (id) => (await (await fetch(`/api/v1/people/${id}`)).json()).available_hours_utc, pairMentee.id);
    expect(JSON.stringify(hours) === JSON.stringify([8, 9, 10, 61, 62, 63]), `hours in UTC: ${JSON.stringify(hours)}`);
  }, pm2);
  await pm2.context().close();
  await coordE.context().close();
  await mentor.context().close();

  // ---- the demo mentee ----
  const mentee = await newPage(base);
  await step('mentee sees their profile with availability in local time', async () => {
    await login(mentee, other.email);
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
  await step('another mentee reads "not allowed" on that relationship page', async () => {
    const status = await mentee.evaluate(async (id) => (await fetch(`/api/v1/relationships/${id}`)).status, pairMentee.relationship);
    expect(status === 403, `GET /api/v1/relationships/${pairMentee.relationship} answered ${status}`);
    await mentee.goto(`${base}/#/relationships/${pairMentee.relationship}`);
    await mentee.getByTestId('not-allowed').waitFor();
  }, mentee);
  await step('mentee without a mentorship reads what to do', async () => {
    await mentee.goto(`${base}/#/mentorships`);
    await mentee.getByRole('heading', { name: 'No mentorships yet' }).waitFor();
  }, mentee);
  await step('mentee applies to the enrolling program, answering its question', async () => {
    await mentee.goto(`${base}/#/programs/2`);
    await mentee.getByRole('heading', { name: 'Apply to this program' }).waitFor();
    await mentee.getByRole('button', { name: 'Send application' }).click();
    await mentee.getByText('please answer this question').waitFor();
    await mentee.getByLabel('What would you like to learn?').fill('How senior leaders decide under uncertainty.');
    await mentee.getByRole('button', { name: 'Send application' }).click();
    await mentee.getByText(/Your application as mentee is in/).waitFor();
  }, mentee);
  await step('mentee asks a mentor through suggestions and sees the request', async () => {
    await mentee.getByRole('link', { name: 'Find a mentor' }).click();
    await mentee.getByRole('heading', { name: 'Find a mentor' }).waitFor();
    const first = mentee.locator('li.suggestion').first();
    await first.waitFor();
    const mentorName = await first.locator('h2').innerText();
    expect((await first.innerText()).includes('Why:'), 'a reason');
    await first.getByText('What would raise this score').click();
    await first.getByRole('button', { name: `Ask ${mentorName}` }).click();
    await mentee.getByRole('button', { name: 'Send request' }).click();
    await mentee.getByText('Say what you would like help with.').waitFor();
    await mentee.getByLabel(`Your message to ${mentorName}`).fill('I would like to learn how you run your team rituals.');
    await shot(mentee, 'find-mentor', { fullPage: true });
    await mentee.getByRole('button', { name: 'Send request' }).click();
    await mentee.getByText(`Request sent to ${mentorName}.`, { exact: false }).waitFor();
    await mentee.getByRole('link', { name: 'My requests' }).first().click();
    await mentee.getByRole('heading', { name: `To ${mentorName}` }).waitFor();
    await mentee.locator('.badge.open').first().waitFor();
    const mine = await mentee.evaluate(async () => (await (await fetch('/api/v1/me/requests')).json()).items[0]);
    Object.assign(asked, { id: mine.mentor_id, name: mentorName });
  }, mentee);
  await step('server falls back to index.html for a path without an extension', async () => {
    const r = await fetch(`${base}/programs/1`);
    const text = await r.text();
    expect(r.ok && text.includes('<div id="app">'), `GET /programs/1 answered ${r.status}`);
  });
  await mentee.context().close();

  // ---- coordinator: the applications queue ----
  const coord3 = await newPage(base);
  await step('coordinator reviews the application in the queue', async () => {
    await login(coord3, 'coordinator@northwind.example');
    await coord3.goto(`${base}/#/programs/2`);
    await coord3.getByRole('heading', { name: 'Applications' }).waitFor();
    await coord3.getByRole('cell', { name: new RegExp(`^${other.name}`) }).waitFor();
    await coord3.getByText('How senior leaders decide under uncertainty.').waitFor();
    await coord3.mouse.move(0, 0);
    await coord3.locator('section', { has: coord3.getByRole('heading', { name: 'Applications' }) }).screenshot({ path: path.join(shots, 'applications.png') });
    await coord3.getByLabel(`Note to ${other.name}`).fill('Welcome aboard.');
    await coord3.getByRole('button', { name: `Approve ${other.name}` }).click();
    await coord3.getByText('No applications wait for a decision.', { exact: false }).waitFor();
    await coord3.getByLabel('Show').selectOption('approved');
    await coord3.getByText('“Welcome aboard.”').waitFor();
  }, coord3);
  await coord3.context().close();

  // ---- a request answered: the asked mentor asks a question, the mentee answers, the mentor accepts ----
  const admin2 = await newPage(base);
  await step('admin gives the asked mentor an account', async () => {
    expect(asked.id, 'the mentee asked a mentor');
    await login(admin2, 'admin@northwind.example');
    const r = await createAccount(admin2, asked.email, asked.id, 'mentor');
    expect(r.status === 201, `account creation: ${JSON.stringify(r)}`);
  }, admin2);
  await admin2.context().close();
  const askedMentor = await newPage(base);
  const mentee2 = await newPage(base);
  await step('the mentor asks a question, the mentee answers, the mentor accepts', async () => {
    await login(askedMentor, asked.email);
    await askedMentor.getByRole('link', { name: 'My requests' }).click();
    await askedMentor.getByRole('heading', { name: `From ${other.name}` }).waitFor();
    await askedMentor.getByRole('button', { name: 'Ask a question' }).click();
    await askedMentor.getByText('Write your question first.').waitFor();
    await askedMentor.getByLabel(/^Reason or question/).fill('Which ritual would you like to start with?');
    await askedMentor.getByRole('button', { name: 'Ask a question' }).click();
    await askedMentor.locator('.badge.info_requested').waitFor();
    await login(mentee2, other.email);
    await mentee2.getByRole('link', { name: 'My requests' }).click();
    await mentee2.getByText('Which ritual would you like to start with?').waitFor();
    await mentee2.getByLabel(`Your answer to ${asked.name}`).fill('Stand-ups that end on time.');
    await mentee2.getByRole('button', { name: 'Send answer' }).click();
    await mentee2.locator('.badge.open').waitFor();
    await askedMentor.reload();
    await askedMentor.getByRole('button', { name: 'Accept' }).click();
    await askedMentor.locator('.badge.accepted').waitFor();
    await askedMentor.getByRole('link', { name: 'Open the mentorship' }).click();
    await askedMentor.getByRole('heading', { name: other.name }).waitFor();
    await mentee2.getByRole('link', { name: 'My mentorships' }).click();
    await mentee2.getByRole('link', { name: asked.name, exact: true }).waitFor();
    await mentee2.getByText('You found each other through a request', { exact: false }).waitFor();
  }, askedMentor);
  await askedMentor.context().close();
  await mentee2.context().close();

  // ---- executive ----
  const exec = await newPage(base);
  await step('executive sees the dashboard charts and feedback', async () => {
    await login(exec, 'executive@northwind.example');
    await exec.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await exec.getByRole('heading', { name: 'Match rate per program' }).waitFor();
    await exec.waitForFunction(() => document.querySelectorAll('canvas').length >= 6);
    for (const h of ['Enrollment funnel', 'Match rate', 'Relationships by status', 'Meetings held per week', 'Goal progress', 'Feedback ratings']) {
      await exec.getByTestId('program-dashboard').getByRole('heading', { name: h, exact: true }).first().waitFor();
    }
    const nav = await exec.getByRole('navigation', { name: 'Main' }).innerText();
    expect(nav.trim() === 'Dashboard', `executive navigation: ${nav}`);
    const card = exec.getByTestId('feedback-card');
    await card.getByRole('img', { name: /^Ratings: / }).waitFor();
    const text = await card.innerText();
    expect(/from 3 answers/.test(text), `feedback card: ${text}`);
    await exec.waitForTimeout(300);
    await shot(exec, 'dashboard', { fullPage: true });
  }, exec);
  await step('the executive cannot open the relationship page', async () => {
    await exec.goto(`${base}/#/relationships/${pairMentee.relationship}`);
    await exec.getByTestId('not-allowed').waitFor();
    expect((await exec.getByTestId('not-allowed').innerText()).includes('not allowed'), 'not allowed message');
  }, exec);
  await exec.context().close();

  // ---- structural models: a speed timetable and a rotation plan ----
  const coord4 = await newPage(base);
  async function structuralProgram(name, radio, optionLabel, value) {
    await coord4.goto(`${base}/#/programs`);
    await coord4.getByRole('link', { name: 'New program' }).first().click();
    await coord4.getByRole('heading', { name: 'New program' }).waitFor();
    await coord4.getByLabel('Program name').fill(name);
    await coord4.getByRole('radio', { name: radio }).check();
    await coord4.getByRole('button', { name: 'Create program' }).click();
    await coord4.getByRole('heading', { name }).waitFor();
    await coord4.getByRole('button', { name: 'Open enrollment' }).click();
    await coord4.locator('.status-box .badge.enrolling').waitFor();
    await coord4.getByRole('button', { name: 'Edit details' }).click();
    await coord4.getByTestId('model-options').waitFor();
    await coord4.getByLabel(optionLabel).fill(value);
    await coord4.getByRole('button', { name: 'Save details' }).click();
    await coord4.getByText('Details saved.').waitFor();
    await coord4.getByRole('button', { name: 'Start matching' }).click();
    await coord4.locator('.status-box .badge.matching').waitFor();
    await coord4.getByRole('button', { name: 'Run matching' }).click();
    await coord4.getByTestId('job-progress').getByText(/Finished: \d+ /).waitFor({ timeout: 60000 });
    await coord4.getByRole('link', { name: 'Open the run' }).click();
  }
  await step('coordinator runs a speed-mentoring program with 3 slots and sees the timetable', async () => {
    await login(coord4, 'coordinator@northwind.example');
    await coord4.goto(`${base}/#/programs`);
    await coord4.getByRole('link', { name: 'New program' }).first().click();
    await coord4.getByLabel('Program name').fill('Speed mentoring day');
    await coord4.getByRole('radio', { name: /^Speed/ }).check();
    await coord4.getByRole('button', { name: 'Create program' }).click();
    await coord4.getByRole('heading', { name: 'Speed mentoring day' }).waitFor();
    await coord4.getByRole('button', { name: 'Edit details' }).click();
    await coord4.getByLabel(/^Time slots/).fill('25');
    await coord4.getByRole('button', { name: 'Save details' }).click();
    await coord4.getByText('a whole number from 1 to 20').first().waitFor();
    await coord4.getByRole('button', { name: 'Cancel' }).click();
    await structuralProgram('Speed mentoring, 3 slots', /^Speed/, /^Time slots/, '3');
    await coord4.getByRole('heading', { name: 'Timetable' }).waitFor();
    const table = coord4.locator('table.timetable');
    await table.waitFor();
    const slots = await table.locator('thead th.slot').allTextContents();
    expect(slots.join('|') === 'Slot 1|Slot 2|Slot 3', `slot columns: ${slots.join('|')}`);
    expect(await table.locator('td.filled').count() >= 1, 'a filled cell');
    expect(await coord4.getByRole('button', { name: 'Publish' }).count() === 0, 'no Publish for a speed run');
    await coord4.getByTestId('no-publish').waitFor();
    expect(await coord4.getByRole('button', { name: 'Swap' }).count() === 0, 'no Swap');
    expect(await coord4.getByRole('button', { name: /^(Lock|Unlock)/ }).count() === 0, 'no Lock');
    await coord4.getByRole('button', { name: 'Print' }).waitFor();
    await shot(coord4, 'speed-timetable', { fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1000 } });
    await coord4.getByRole('button', { name: 'Per mentor' }).click();
    await table.locator('thead th').first().getByText('Mentor').waitFor();
    expect(await table.locator('td.filled').count() >= 1, 'a filled cell per mentor');
  }, coord4);
  await step('coordinator runs a rotation program with 2 rounds and sees the rotation plan', async () => {
    await structuralProgram('Rotation, 2 rounds', /^Rotation/, /^Rounds/, '2');
    await coord4.getByRole('heading', { name: 'Rotation plan' }).waitFor();
    const table = coord4.locator('table.rotation');
    await table.waitFor();
    const rounds = await table.locator('thead th.slot').allTextContents();
    expect(rounds.join('|') === 'Round 1|Round 2', `round columns: ${rounds.join('|')}`);
    expect(await table.locator('td.filled').count() >= 1, 'a filled cell');
    expect(await coord4.getByRole('button', { name: 'Publish' }).count() === 0, 'no Publish for a rotation run');
    await shot(coord4, 'rotation-plan', { fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1000 } });
  }, coord4);
  await coord4.context().close();
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
if (pageErrors) {
  failed++;
  console.log(`FAIL ${pageErrors} uncaught page error(s) (listed above)`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
