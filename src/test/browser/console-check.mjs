// Drives the ltxvfs console in Debian's headless Chromium the way a user would (labels, keys,
// clicks) and reports what the page showed; ConsoleBrowserTest checks the report against plain
// SQLite. One browser, every scenario, well under a minute.
//
//   node console-check.mjs PLAN.json REPORT.json
//   node console-check.mjs --measure URL [TOKEN]     transfer size and time to interactive (JSON line)

import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'ltxvfs-chromium-')); // a fresh --user-data-dir
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, acceptDownloads: true,
    viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1,
  });
  return { context, close: async () => { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const short = (txid) => txid.replace(/^0+(?=.{4})/, ''); // as the console shows it

async function check(plan, reportPath) {
  const { context, close } = await launch();
  const report = { databases: {}, screenshots: [], foreignRequests: [], tokenInUrl: false };
  const origin = new URL(plan.url).origin;
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) report.foreignRequests.push(u);
    if (u.includes(plan.token) || u.includes(plan.wrongToken)) report.tokenInUrl = true;
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const shot = async (name, target = page) => {
    const path = join(plan.screenshots, name + '.png');
    await target.screenshot({ path, ...(target === page ? { fullPage: true } : {}) });
    report.screenshots.push(path);
  };
  const meta = page.locator('#answer-meta');
  const error = page.locator('#error');
  /** Waits until the query just started has answered (or failed). */
  const settled = () => page.waitForFunction(() => !document.getElementById('answer-meta').textContent.startsWith('Running')
    && !document.getElementById('run').disabled);
  const answerAt = (txid) => meta.locator(`[data-txid="${txid}"]`).waitFor();
  const cells = (scope) => page.$$eval(scope + ' tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  const columns = () => page.$$eval('#answer thead th', (ths) => ths.map((th) => [...th.children].map((c) => c.textContent).join(' ')));

  try {
    // Tokens: the console asks for one; a wrong one is refused, the right one opens it.
    await page.goto(plan.url);
    const prompt = page.getByRole('heading', { name: 'This server needs a token' });
    await prompt.waitFor();
    report.tokenPrompt = await prompt.textContent();
    await page.getByLabel('Token').fill(plan.wrongToken);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#token-error', { hasText: 'refused' }).waitFor();
    report.wrongToken = await page.locator('#token-error').textContent();
    await page.getByLabel('Token').fill(plan.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('body[data-ready="true"]').waitFor();

    const slider = page.getByLabel('Moment');
    /** Moves the history slider with the keyboard to the moment of `txid`. */
    const selectMoment = async (txid) => {
      await slider.focus();
      await slider.press('Home');
      for (let i = 0; i < 2000; i++) {
        if ((await slider.getAttribute('aria-valuetext')).startsWith(`TXID ${short(txid)} ·`)) return;
        await slider.press('ArrowRight');
      }
      throw new Error('no moment with TXID ' + txid + ' on the slider');
    };

    for (const db of plan.databases) {
      const r = {};
      report.databases[db] = r;
      await page.getByLabel('Database').selectOption(db);
      await page.locator('#timeline-summary', { hasText: 'moments kept' }).waitFor();

      // Pick a database, type SQL, Ctrl+Enter: the rows at the latest state.
      await page.getByLabel('Point in time').fill('');
      await page.getByLabel('SQL').fill(plan.sql);
      await page.getByLabel('SQL').press('Control+Enter');
      await settled();
      r.latest = { txid: await meta.locator('[data-txid]').getAttribute('data-txid'), columns: await columns(), rows: await cells('#answer') };

      // Export CSV of the answer on screen.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      r.csv = readFileSync(await download.path(), 'utf8');
      r.csvName = download.suggestedFilename();

      // Move the point in time to a past moment with the history slider: that moment's rows.
      await selectMoment(plan.past);
      await answerAt(plan.past);
      await settled();
      r.past = { txid: plan.past, at: await page.getByLabel('Point in time').inputValue(), rows: await cells('#answer') };
      await shot(`${db}-past`);

      // Compare the moments around the DELETE: exactly the deleted rows.
      await selectMoment(plan.deleteFrom);
      await page.getByRole('button', { name: 'Compare from here' }).click();
      await selectMoment(plan.deleteTo);
      await page.getByRole('button', { name: 'Compare to here' }).click();
      await settled();
      await page.getByLabel('Key column').selectOption('');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.locator('#compare-meta', { hasText: 'removed' }).waitFor();
      r.compare = { meta: await page.locator('#compare-meta').textContent(), rows: await cells('#diff') };

      // Keyed by id, up to the UPDATE after it: removed and changed rows.
      await selectMoment(plan.keyedTo);
      await page.getByRole('button', { name: 'Compare to here' }).click();
      await settled();
      await page.getByLabel('Key column').selectOption({ label: plan.keyColumn });
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.locator('#compare-meta', { hasText: 'changed' }).waitFor();
      r.keyed = { meta: await page.locator('#compare-meta').textContent(), rows: await cells('#diff') };
      await shot(`${db}-compare`);
      // The compare card alone at a narrower width: the README's picture (docs/console-compare.png).
      await page.setViewportSize({ width: 980, height: 900 });
      await shot(`${db}-compare-card`, page.locator('#compare-form'));
      await page.setViewportSize({ width: 1280, height: 900 });

      // Bad SQL: SQLite's own message.
      await page.getByLabel('SQL').fill(plan.badSql);
      await page.getByRole('button', { name: 'Run' }).click();
      await settled();
      await error.waitFor();
      r.badSql = await error.textContent();

      // A time before retention: the message, and the oldest moment kept as a one-click fix.
      await page.getByLabel('SQL').fill(plan.sql);
      await page.getByLabel('Point in time').fill(plan.beforeRetention);
      await page.getByRole('button', { name: 'Run' }).click();
      await settled();
      await error.locator('.message', { hasText: 'before' }).waitFor();
      await shot(`${db}-before-retention`);
      const fix = error.getByRole('button');
      r.beforeRetention = { message: await error.locator('.message').textContent(), fix: await fix.textContent() };
      await fix.click();
      await settled();
      await error.waitFor({ state: 'hidden' });
      r.beforeRetention.fixedTxid = await meta.locator('[data-txid]').getAttribute('data-txid');
      r.beforeRetention.rows = await cells('#answer');
      await page.getByLabel('Point in time').fill('');
    }
    // A catalog's database: listed under its catalog, opened by the first request.
    const option = page.locator(`#db option[value="${plan.catalogDatabase}"]`);
    report.catalog = { group: await option.evaluate((o) => o.parentElement.label) };
    await page.getByLabel('Database').selectOption(plan.catalogDatabase);
    await page.locator('#timeline-summary', { hasText: 'moments kept' }).waitFor();
    await page.getByLabel('SQL').fill(plan.sql);
    await page.getByLabel('SQL').press('Control+Enter');
    await settled();
    report.catalog.txid = await meta.locator('[data-txid]').getAttribute('data-txid');
    report.catalog.rows = await cells('#answer');
    report.pageErrors = pageErrors;
  } catch (e) {
    await shot('failure').catch(() => {});
    report.failure = String(e.stack || e);
    writeFileSync(reportPath, JSON.stringify(report, null, 2));
    await close();
    console.error(report.failure);
    process.exit(1);
  }
  writeFileSync(reportPath, JSON.stringify(report, null, 2));
  await close();
  if (pageErrors.length) {
    console.error('errors in the page: ' + pageErrors.join('\n'));
    process.exit(1);
  }
}

/** Cold first load (new profile) for transfer size, then warm reloads for time to interactive. */
async function measure(url, token) {
  const { context, close } = await launch();
  if (token) await context.addInitScript((t) => sessionStorage.setItem('ltxvfs.token', t), token);
  const page = context.pages()[0] || (await context.newPage());
  const origin = new URL(url).origin;
  const bytes = { console: 0, api: 0 };
  page.on('response', async (res) => {
    if (!res.url().startsWith(origin)) return;
    const size = (await res.body().catch(() => Buffer.alloc(0))).length;
    if (new URL(res.url()).pathname.startsWith('/v1/')) bytes.api += size;
    else bytes.console += size;
  });
  const ready = async () => {
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
    return page.evaluate(() => performance.getEntriesByName('ltxvfs-ready')[0].startTime);
  };
  await page.goto(url);
  const cold = await ready();
  const firstLoad = { ...bytes };
  const warm = [];
  for (let i = 0; i < 7; i++) {
    await page.reload();
    warm.push(await ready());
  }
  warm.sort((a, b) => a - b);
  await close();
  console.log(JSON.stringify({
    consoleBytes: firstLoad.console, apiBytes: firstLoad.api, coldInteractiveMs: Math.round(cold),
    warmInteractiveMsMedian: Math.round(warm[3]), warmInteractiveMsMin: Math.round(warm[0]), warmInteractiveMsMax: Math.round(warm[6]),
  }));
}

const [, , a1, a2, a3] = process.argv;
if (a1 === '--measure') await measure(a2, a3);
else await check(JSON.parse(readFileSync(a1, 'utf8')), a2);
