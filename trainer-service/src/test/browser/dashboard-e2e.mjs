// End-to-end test of the trainer dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): opened during a real run on a real broker (bin/dashboard-e2e starts them), the
// loss chart must gain points as steps happen, a run started from the form with an invalid value must
// show the trainer's error, and the stop button must stop the run and show it. A screenshot is saved.
// Usage: node dashboard-e2e.mjs TRAINER_URL SCREENSHOT_PATH
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
const step = message => console.log(`[dashboard-e2e] ${message}`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // Flags this machine needs: no sandbox as root, and no background connections to Google's hosts.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('console', message => {
    // The 400 of the test's own invalid start is expected; every other error counts.
    if (message.type() === 'error' && !message.text().includes('status of 400')) problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('#connection.live', { timeout: 30_000 });
  step('page open, event stream live');

  const points = () => page.$eval('#step-chart', canvas => Number(canvas.dataset.points));
  await page.waitForFunction(() => Number(document.querySelector('#step-chart').dataset.points) > 0, null, { timeout: 180_000 });
  const first = await points();
  await page.waitForFunction(n => Number(document.querySelector('#step-chart').dataset.points) > n, first, { timeout: 120_000 });
  const second = await points();
  step(`loss chart gained points while the run trains: ${first} -> ${second}`);

  const runId = await page.$eval('[data-testid=run-select]', select => select.value);
  if (!/^run-/.test(runId)) throw new Error(`the page shows no run id: '${runId}'`);
  const state = await page.textContent('[data-testid=run-state]');
  if (!state.startsWith('RUNNING')) throw new Error(`the run should be RUNNING, the page says ${state}`);

  await page.waitForSelector('#start-fields input[name="num_epochs"]');
  await page.fill('#start-fields input[name="num_epochs"]', '0');
  await page.click('[data-testid=start-button]');
  await page.waitForFunction(() => document.querySelector('#start-message').textContent.includes('num_epochs must be in'),
    null, { timeout: 15_000 });
  step(`invalid start refused, the page shows: ${await page.textContent('[data-testid=start-message]')}`);

  await page.click('[data-testid=stop-button]');
  await page.waitForFunction(() => document.querySelector('[data-testid=stop-message]').textContent !== '', null,
    { timeout: 15_000 });
  const stopMessage = await page.textContent('[data-testid=stop-message]');
  step(`stop button answered: ${stopMessage}`);
  if (!stopMessage.startsWith('stop requested')) throw new Error(`the stop was refused: ${stopMessage}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=run-state]').textContent.startsWith('STOPPED'),
    null, { timeout: 120_000 });
  step(`stopped from the page, which now says: ${await page.textContent('[data-testid=run-state]')}`);
  // Issue 24: search's evaluation of the run's best checkpoint, with the keyword baseline beside it.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=evaluation] tbody tr').length >= 3, null,
    { timeout: 120_000 });
  const systems = await page.$$eval('[data-testid=evaluation] tbody th', cells => cells.map(c => c.textContent));
  if (!systems.includes('trained model') || !systems.includes('BM25 (keywords)')) {
    throw new Error(`the evaluation table should compare the trained model with BM25, it lists ${JSON.stringify(systems)}`);
  }
  step(`search evaluation table: ${systems.join(', ')}`);
  // The search box: run-local configures the search service, which serves the run's best model.
  await page.waitForSelector('#search-panel:not([hidden])', { timeout: 15_000 });
  await page.fill('#search-query', 'contrastive learning of sentence embeddings');
  await page.click('#search-form button');
  await page.waitForSelector('[data-testid=search-results] li', { timeout: 60_000 });
  step(`search box answered: ${(await page.textContent('[data-testid=search-results] li')).trim().slice(0, 80)}`);
  const searchMessage = await page.textContent('#search-message');
  if (searchMessage.includes('undefined')) throw new Error(`the search message reads a field the API does not send: ${searchMessage}`);

  // Issue 20.2: a hostile repository URL must not become a link. The parser now refuses such URLs, so the
  // page's own defence is checked with a search answer that carries them (routed, as a stale or foreign
  // search-service might send it); clicking the name must not run script or reach POST /runs.
  const hostile = [
    { rank: 1, score: 0.9, repository: 'evil/js', url: "javascript:fetch('/runs',{method:'POST',body:'{}'})", description: 'js' },
    { rank: 2, score: 0.8, repository: 'evil/data', url: 'data:text/html,<script>alert(1)</script>', description: 'data' },
    { rank: 3, score: 0.7, repository: 'good/repo', url: 'https://github.com/good/repo', description: 'fine' }];
  await page.route('**/dashboard/search?*', route => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ method: 'hnsw', checkpoint: { run_id: 'run-x', epoch: 1 }, query: { truncated: false }, results: hostile }) }));
  let runsPosted = 0;
  page.on('request', request => { if (request.method() === 'POST' && request.url().includes('/runs')) runsPosted++; });
  await page.click('#search-form button');
  await page.waitForFunction(() => document.querySelector('[data-testid=search-results]').textContent.includes('evil/js'),
    null, { timeout: 15_000 });
  const hrefs = await page.$$eval('[data-testid=search-results] a', links => links.map(a => a.getAttribute('href')));
  if (hrefs.length !== 1 || hrefs[0] !== 'https://github.com/good/repo') {
    throw new Error(`only the http(s) URL may be a link, the page has ${JSON.stringify(hrefs)}`);
  }
  await page.click('text=evil/js');
  await page.waitForTimeout(300);
  if (runsPosted !== 0) throw new Error('clicking a hostile result posted to /runs');
  await page.unroute('**/dashboard/search?*');
  step('hostile javascript: and data: URLs render as plain names; only the https URL is a link');

  // Issue 20.10: a trainer killed during a checkpoint write redoes the epoch and publishes its
  // EPOCH_FINISHED again; the page keeps one entry per (run, epoch), the later one.
  const redone = await page.evaluate(() => {
    const run = runs.get(selected);
    const last = run.epochs[run.epochs.length - 1];
    const before = run.epochs.length;
    apply({ type: 'EPOCH_FINISHED', runId: run.id, at: new Date().toISOString(), epoch: last.epoch, step: last.step,
      values: { ...last.values, train_loss: 0.123 } });
    return { before, after: run.epochs.length, loss: run.epochs[run.epochs.length - 1].values.train_loss };
  });
  if (redone.after !== redone.before || redone.loss !== 0.123) {
    throw new Error(`a redone epoch should replace its first EPOCH_FINISHED: ${JSON.stringify(redone)}`);
  }
  step('a redone epoch replaces its first EPOCH_FINISHED');

  await page.waitForTimeout(500);
  const connection = await page.textContent('#connection');
  if (connection !== 'live') throw new Error(`the event stream should still be live, the page says ${connection}`);

  // Issue 23: readable at a glance. At 1400 x 900 the run's state, both loss charts, the retrieval chart
  // and the search box are on the first screen; no settings cell is narrower than its content (no
  // word broken in the middle); numbers read as people write them.
  await page.evaluate(() => window.scrollTo(0, 0));
  const above = await page.evaluate(() => ['#status-state', '#step-chart', '#epoch-chart', '#metric-chart', '#search-query']
    .map(selector => { const box = document.querySelector(selector).getBoundingClientRect();
      return { selector, top: Math.round(box.top), bottom: Math.round(box.bottom) }; }));
  const below = above.filter(box => box.top < 0 || box.top >= 900 || box.bottom > 900);
  if (below.length) throw new Error(`not on the first screen at 1400 x 900: ${JSON.stringify(below)}`);
  const squeezed = await page.$$eval('[data-testid=settings] th, [data-testid=settings] td',
    cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent));
  if (squeezed.length) throw new Error(`settings cells narrower than their content: ${JSON.stringify(squeezed)}`);
  const settingsText = await page.textContent('[data-testid=settings]');
  if (/\d\.\d{5,}E-\d/.test(settingsText) || settingsText.includes('{"')) {
    throw new Error(`settings should read as 2e-5 and a model summary, not ${settingsText.slice(0, 300)}`);
  }
  step(`first screen at 1400 x 900: ${above.map(b => b.selector).join(', ')}; settings cells unbroken`);
  const wide = screenshot.replace(/\.png$/, '-1400x900.png');
  await page.screenshot({ path: wide });
  step(`screenshot (1400 x 900): ${wide}`);
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot (whole page): ${screenshot}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  const phone = screenshot.replace(/\.png$/, '-390x844.png');
  await page.screenshot({ path: phone });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) throw new Error(`at 390 px the page scrolls sideways by ${overflow} px`);
  step(`screenshot (phone, 390 x 844): ${phone}`);
  if (problems.length > 0) throw new Error(`the page reported errors:\n${problems.join('\n')}`);
} catch (error) {
  failed = true;
  console.error(`[dashboard-e2e] FAILED: ${error.message}`);
  if (problems.length > 0) console.error(problems.join('\n'));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
