// The catalogue in a browser, as a competence centre's staff use it: an assessor signs in,
// uploads openDesk as a candidate archive, waits for the assessment, finds it by function,
// compares it with the proprietary suite already in the catalogue and downloads the ODF
// report; a reader finds no way to upload, and a forged upload is refused.
//
// Run by tests/it/e2e.rs, which starts `sovra serve` and passes:
//   SOVRA_BASE            http://127.0.0.1:PORT
//   SOVRA_ASSESSOR, SOVRA_READER, SOVRA_PASSWORD
//   SOVRA_ARCHIVE         the tar archive of samples/opendesk
//   SOVRA_DOWNLOADS       where downloads are saved
//   SOVRA_E2E_SCREENS     where each step's screenshot is saved
//
// JavaScript is off in the pages: the catalogue must work without it. Any console error
// (a content-security-policy violation is one) or any request that leaves the server
// fails the run.

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

const base = env('SOVRA_BASE');
const password = env('SOVRA_PASSWORD');
const screens = env('SOVRA_E2E_SCREENS');
const downloads = env('SOVRA_DOWNLOADS');
mkdirSync(screens, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

const problems = [];
let shots = 0;

/** A fresh browser context (its own cookies) with one page, JavaScript off. */
async function session(who) {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${who}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${who}: page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:')) {
      problems.push(`${who}: request outside the server: ${url}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${who}: ${r.status()} for ${r.url()}`);
    else if (r.status() === 404) problems.push(`${who}: 404 for ${r.url()}`);
  });
  return { context, page };
}

async function shot(page, name) {
  shots += 1;
  const file = join(screens, `${String(shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

function check(cond, what) {
  if (!cond) throw new Error(what);
}

/** Signs in through the login form. */
async function login(page, user) {
  await page.goto(`${base}/login?lang=en`);
  await page.fill('#login-name', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForLoadState();
  check(!/\/login/.test(new URL(page.url()).pathname), `${user} is still on the login page`);
}

/** The results of a search by function, as shown in the results table. */
async function searchByFunction(page, fn) {
  await page.goto(`${base}/?lang=en`);
  await page.selectOption('#f-function', fn);
  await page.click('#search-submit');
  await page.waitForLoadState();
  check(new URL(page.url()).searchParams.get('function') === fn, `not a search by ${fn}: ${page.url()}`);
  return page.locator('#results tbody tr').allInnerTexts();
}

// 1. The assessor signs in.
const assessor = await session('assessor');
let page = assessor.page;
await page.goto(`${base}/?lang=en`);
await shot(page, 'home-signed-out');
await login(page, env('SOVRA_ASSESSOR'));
await shot(page, 'assessor-signed-in');

// 2. Uploads openDesk as a candidate archive through the upload form.
await page.click('#nav-upload');
await page.waitForLoadState();
await page.setInputFiles('#upload-files', env('SOVRA_ARCHIVE'));
await shot(page, 'upload-form');
await page.click('#upload-submit');
await page.waitForLoadState();
check(/\/jobs\/[0-9a-f]{32}/.test(page.url()), `the upload did not lead to its job: ${page.url()}`);
await shot(page, 'upload-accepted');

// 3. Waits for the background assessment. The job page refreshes itself (a meta refresh,
// no JavaScript); the test reloads it the same way.
const deadline = Date.now() + 180_000;
for (;;) {
  const state = await page.getAttribute('#job-state', 'data-state');
  if (state === 'failed') throw new Error(`the assessment failed: ${await page.innerText('main')}`);
  if (state === 'done') break;
  check(['queued', 'running'].includes(state), `unknown job state ${state}`);
  check(Date.now() < deadline, `the job at ${page.url()} did not finish in 180 s`);
  await page.waitForTimeout(500);
  await page.reload();
}
await shot(page, 'assessment-done');
await page.click('#job-result');
await page.waitForLoadState();
await shot(page, 'candidate-opendesk');
check(/openDesk CE/.test(await page.innerText('h1')), `the job's result is not openDesk: ${await page.innerText('h1')}`);

// 4. Finds openDesk by function: "wiki" is one openDesk offers and the suite does not.
let rows = await searchByFunction(page, 'wiki');
await shot(page, 'search-function-wiki');
check(rows.some((r) => /openDesk CE/.test(r)), `openDesk is not found under wiki: ${rows}`);
check(!rows.some((r) => /Nimbus/.test(r)), `the proprietary suite is listed under wiki: ${rows}`);

// 5. Compares it with the proprietary suite: both offer "office"; select both, compare.
rows = await searchByFunction(page, 'office');
check(rows.length === 2, `office should list openDesk and the suite: ${rows}`);
await page.getByLabel(/openDesk CE/).check();
await page.getByLabel(/Nimbus Workplace Cloud/).check();
await shot(page, 'search-function-office-selected');
await page.click('#compare-submit');
await page.waitForLoadState();
await shot(page, 'comparison');
const heads = await page.locator('#comparison thead th').allInnerTexts();
check(
  heads.some((h) => /openDesk CE/.test(h)) && heads.some((h) => /Nimbus Workplace Cloud/.test(h)),
  `the comparison does not show both candidates: ${heads}`,
);

// 6. Downloads the ODF report from openDesk's page.
await page.locator('#comparison thead a', { hasText: 'openDesk CE' }).click();
await page.waitForLoadState();
const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-fodt')]);
const odf = join(downloads, download.suggestedFilename());
await download.saveAs(odf);
check(odf.endsWith('.fodt'), `the ODF download is named ${odf}`);
const text = readFileSync(odf, 'utf8');
check(text.startsWith('<?xml'), `the ODF report does not start with <?xml: ${text.slice(0, 80)}`);
check(/<office:document[\s>]/.test(text), 'the ODF report has no office:document root');
check(
  /office:mimetype="application\/vnd\.oasis\.opendocument\.text"/.test(text),
  'the ODF report is not an OpenDocument text',
);
check(/openDesk CE/.test(text), 'the ODF report does not name openDesk CE');
console.log(`downloaded ${odf} (${text.length} bytes)`);
await assessor.context.close();

// 7. A reader: no upload link, the upload page refuses, a forged form post is refused.
const reader = await session('reader');
page = reader.page;
await login(page, env('SOVRA_READER'));
await shot(page, 'reader-signed-in');
check((await page.locator('#nav-upload').count()) === 0, 'a reader is offered the upload link');
const uploadPage = await page.goto(`${base}/upload?lang=en`);
await shot(page, 'reader-upload-page');
check(
  uploadPage.status() === 403 && (await page.locator('input[type=file]').count()) === 0,
  `a reader gets the upload page (status ${uploadPage.status()})`,
);
// The post carries the reader's own CSRF token (from the sign-out form), so what refuses
// it is the role, not the forgery check.
await page.goto(`${base}/?lang=en`);
const csrf = await page.getAttribute('input[name=csrf]', 'value');
check(csrf, 'the signed-in page has no CSRF token');
const forged = await reader.context.request.post(`${base}/upload`, {
  multipart: {
    csrf,
    files: { name: 'opendesk.tar', mimeType: 'application/x-tar', buffer: readFileSync(env('SOVRA_ARCHIVE')) },
  },
  maxRedirects: 0,
});
check(forged.status() === 403, `a reader's upload post got ${forged.status()}, not 403`);
await reader.context.close();

await browser.close();
// A 403 the reader met on purpose is the point of step 7, not a problem.
const real = problems.filter((p) => !/reader: (console error: Failed to load resource: the server responded with a status of 403|403 for)/.test(p));
if (real.length > 0) {
  console.error(real.join('\n'));
  process.exit(1);
}
console.log(`ok: ${shots} screenshots in ${screens}`);
