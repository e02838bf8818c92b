// Browser tests of the regional finance page, run through tests/browser/run: the demo district
// has regional finance for 2025 (25 municipalities, two payers), and the users admin, analyst and
// finance; FINANCE_TOKEN is the finance user's API token.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  ANALYST_TOKEN, BASE_URL, FINANCE_TOKEN, LOAD_TIMEOUT, PASSWORD, SCREENSHOT_DIR,
  accessibleNamesInPage, actAndWait, api, apiOk, eventually, launchBrowser, loginThroughForm, newContext, newPage,
  parseLocaleNumber, screenshot, waitReady,
} from './helpers.mjs';

const T = { timeout: 90_000 };
const YEAR = 2025;
const MUNICIPALITIES = 25;

const testid = (p, id) => p.getByTestId(id);
const queryOf = (p) => new URL(p.url()).searchParams;
const finance = (path) => apiOk(path, { token: FINANCE_TOKEN });

/** The comparison table as shown: each row's name, codes and figures (data-values). */
const readComparison = (p) => p.evaluate(() => {
  const row = (tr) => ({
    municipality: tr.dataset.municipality,
    name: tr.querySelector('th').textContent.trim(),
    crude: tr.querySelector('[data-testid="regional-crude"]').dataset.value,
    standardised: tr.querySelector('[data-testid="regional-standardised"]').dataset.value,
    rankChange: tr.querySelector('.rank-change').dataset.value,
  });
  return {
    rows: [...document.querySelectorAll('[data-testid="regional-compare-row"]')].map(row),
    district: [...document.querySelectorAll('[data-testid="regional-compare-district"]')].map(row),
    headers: [...document.querySelectorAll('[data-testid="regional-compare-table"] thead th')]
      .map((th) => th.getAttribute('scope')),
  };
});

/** The invoice as shown: each row's kind and its amount as written (and data-value). */
const readInvoice = (p) => testid(p, 'invoice-row').evaluateAll((trs) => trs.map((tr) => ({
  kind: tr.dataset.kind,
  product: tr.dataset.product,
  text: tr.querySelector('[data-testid="invoice-amount"]').textContent.trim(),
  value: tr.querySelector('[data-testid="invoice-amount"]').dataset.value,
  weight: Number(getComputedStyle(tr.querySelector('[data-testid="invoice-amount"]')).fontWeight),
})));

/** What the chart drew: the size of its SVG and how many bars and texts are in it. */
const readChart = (p) => testid(p, 'regional-chart').evaluate((el) => {
  const svg = el.querySelector('svg');
  const box = svg?.getBoundingClientRect();
  return {
    label: el.getAttribute('aria-label'),
    described: document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent.trim() ?? '',
    svg: svg ? [Math.round(box.width), Math.round(box.height)] : null,
    shapes: svg ? svg.querySelectorAll('path').length : 0,
    texts: svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent.trim()) : [],
  };
});

/** Records the page's API calls and those that failed (status ≥ 400) from now on. */
function recordCalls(p) {
  const calls = { all: [], failed: [] };
  p.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    const call = `${response.status()} ${response.request().method()} ${url.pathname}${url.search}`;
    calls.all.push(call);
    if (response.status() >= 400) calls.failed.push(call);
  });
  return calls;
}

/** The page's errors, less the 401 of /api/v1/me before signing in (how the page learns it must). */
const pageErrors = (p) => p.errors.filter((e) => !/^HTTP 401 GET \S+\/api\/v1\/me$/.test(e));

let browser;

describe('regional finance', () => {
  before(async () => {
    const ready = await fetch(new URL('/readyz', BASE_URL));
    assert.equal(ready.status, 200, 'the server is not ready');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  test('an admin opens the regional page: the chart and the comparison of 25 municipalities and the district', T, async () => {
    const context = await newContext(browser);
    try {
      const page = await newPage(context);
      await loginThroughForm(page, 'admin');
      assert.ok(await testid(page, 'tab-regional').isVisible(), 'the admin has no regional tab');
      await actAndWait(page, () => testid(page, 'tab-regional').click(),
        () => document.querySelectorAll('[data-testid="regional-compare-row"]').length > 0);
      await eventually(async () => assert.equal(queryOf(page).get('view'), 'regional', `URL ${page.url()}`));
      assert.equal(queryOf(page).get('year'), String(YEAR), `the page did not default to ${YEAR}: ${page.url()}`);
      assert.equal(await testid(page, 'tab-regional').getAttribute('aria-current'), 'page');
      assert.ok(!(await testid(page, 'filter-unit').isVisible()), 'the situation filters show on the regional page');
      assert.equal(await testid(page, 'regional-year').inputValue(), String(YEAR));

      // The table: 25 municipalities, most expensive (age-standardised) first, and the district.
      const expected = await finance(`/api/v1/regional/compare?year=${YEAR}&standardised=true&lang=fi`);
      const apiDistrict = expected[expected.length - 1];
      assert.equal(apiDistrict.municipality, null, 'the API\'s last comparison row is not the district');
      const shown = await readComparison(page);
      assert.equal(shown.rows.length, MUNICIPALITIES, `the comparison shows ${shown.rows.length} municipalities`);
      assert.equal(shown.district.length, 1, 'the comparison has no district row');
      assert.equal(shown.district[0].name, 'Koko alue');
      assert.equal(Number(shown.district[0].crude), apiDistrict.cost_per_resident);
      assert.ok(shown.headers.every((s) => s === 'col'), `column headers without scope=col: ${shown.headers}`);
      const standardised = shown.rows.map((r) => Number(r.standardised));
      for (let i = 1; i < standardised.length; i += 1) {
        assert.ok(standardised[i - 1] >= standardised[i], `not sorted by the age-standardised cost at row ${i}: ${standardised}`);
      }
      for (const row of shown.rows) {
        const api = expected.find((r) => r.municipality === row.municipality);
        assert.ok(api, `municipality ${row.municipality} is not in the API's comparison`);
        assert.equal(row.name, api.municipality_name);
        assert.equal(Number(row.crude), api.cost_per_resident, `${row.name}: crude cost per resident`);
        assert.equal(Number(row.standardised), api.standardised_cost_per_resident, `${row.name}: standardised`);
        assert.equal(Number(row.rankChange), api.rank - api.standardised_rank, `${row.name}: rank change`);
      }
      assert.ok(shown.rows.some((r) => Number(r.rankChange) !== 0), 'age standardisation moves no municipality');

      // The chart: an SVG with the municipalities' names, bars, and a text alternative.
      await eventually(async () => {
        const chart = await readChart(page);
        assert.ok(chart.svg && chart.svg[0] >= 300 && chart.svg[1] >= MUNICIPALITIES * 20,
          `the chart is not drawn: ${JSON.stringify(chart.svg)}`);
        assert.ok(chart.shapes >= 2 * MUNICIPALITIES, `the chart has ${chart.shapes} shapes`);
        for (const r of shown.rows) assert.ok(chart.texts.includes(r.name), `the chart lacks '${r.name}'`);
        assert.ok(chart.label && chart.label.length > 20, 'the chart has no aria-label');
        assert.match(chart.described, /Koko alue|koko alueen/i, `the chart's summary: '${chart.described}'`);
      });

      // Every control has a name; the downloads are CSV and Excel of the same report.
      const { controls } = await page.evaluate(accessibleNamesInPage);
      const unnamed = controls.filter((c) => !c.name).map((c) => c.control);
      assert.deepEqual(unnamed, [], `controls without an accessible name: ${unnamed.join(', ')}`);
      const csv = await testid(page, 'regional-compare-csv').getAttribute('href');
      assert.match(csv, /^\/api\/v1\/regional\/compare\?year=2025&standardised=true&lang=fi&format=csv$/);
      const download = await page.evaluate(async (href) => {
        const response = await fetch(href);
        return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
      }, csv);
      assert.equal(download.status, 200, download.text);
      assert.match(download.type, /text\/csv/);
      assert.equal(download.text.trim().split('\n').length, MUNICIPALITIES + 2, 'the CSV is not a header, 25 municipalities and the district');
      assert.match(download.text.split('\n')[0], /Kunta/, 'the CSV header is not in Finnish');
      assert.match(await testid(page, 'regional-compare-xlsx').getAttribute('href'), /format=xlsx/);

      // Capitation and bonus for 2025: a table each, with the total last.
      const capitation = await testid(page, 'capitation-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.kind));
      assert.equal(capitation.length, MUNICIPALITIES + 1, `capitation rows: ${capitation.length}`);
      assert.equal(capitation.at(-1), 'total');
      const bonus = await testid(page, 'bonus-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.kind));
      assert.ok(bonus.includes('measure') && bonus.includes('provider'), `bonus rows: ${bonus}`);
      assert.equal(bonus.at(-1), 'total');

      await screenshot(page, 'regional-fi');
      assert.deepEqual(pageErrors(page), [], `page errors: ${pageErrors(page).join('; ')}`);

      // In Swedish: the district row's label (and the rest) from the API in Swedish.
      await testid(page, 'lang-switch').selectOption('sv');
      await page.waitForFunction(() => document.documentElement.lang === 'sv' && document.body.dataset.ready === 'true',
        null, { timeout: LOAD_TIMEOUT });
      await eventually(async () => {
        const sv = await readComparison(page);
        assert.equal(sv.district[0]?.name, 'Hela området');
        assert.equal(sv.rows.length, MUNICIPALITIES);
      });
      assert.equal(queryOf(page).get('lang'), 'sv');
      assert.equal(queryOf(page).get('view'), 'regional', 'the language switch left the regional page');
      await eventually(async () => assert.ok((await readChart(page)).texts.includes('Åldersstandardiserad'),
        'the chart legend is not in Swedish'));
      await screenshot(page, 'regional-sv');

      // The URL alone reproduces the page.
      await page.reload({ waitUntil: 'domcontentloaded' });
      await waitReady(page);
      await eventually(async () => assert.equal((await readComparison(page)).district[0]?.name, 'Hela området'));

      // On a phone the page stays within the screen: the tables scroll sideways instead.
      await page.setViewportSize({ width: 390, height: 844 });
      await eventually(async () => {
        const fit = await page.evaluate(() => {
          const wraps = [...document.querySelectorAll('#regional .table-wrap')].filter((el) => el.checkVisibility());
          return {
            right: Math.round(document.getElementById('regional').getBoundingClientRect().right),
            width: window.innerWidth,
            scrolls: wraps.some((el) => el.scrollWidth > el.clientWidth),
          };
        });
        assert.ok(fit.right <= fit.width, `the regional page is ${fit.right} px wide on a ${fit.width} px screen`);
        assert.ok(fit.scrolls, 'no table scrolls sideways on a phone (are they squeezed instead?)');
      });
      await screenshot(page, 'regional-mobile');
    } finally {
      await context.close();
    }
  });

  test('the invoice of the first payer for 2025-12: its total is the sum of the lines and the pooling', T, async () => {
    const context = await newContext(browser);
    try {
      const page = await newPage(context);
      await loginThroughForm(page, 'admin');
      await actAndWait(page, () => testid(page, 'tab-regional').click(),
        () => document.querySelectorAll('[data-testid="invoice-row"]').length > 0);
      const overview = await finance('/api/v1/regional');
      assert.ok(overview.payers.length >= 1, `no payers: ${JSON.stringify(overview)}`);
      const payer = overview.payers[0];
      const payerOptions = await testid(page, 'regional-payer').evaluate((el) => [...el.options].map((o) => o.value));
      assert.equal(payerOptions[0], payer.code, `the payer select does not start with ${payer.code}: ${payerOptions}`);
      if ((await testid(page, 'regional-payer').inputValue()) !== payer.code) {
        await actAndWait(page, () => testid(page, 'regional-payer').selectOption(payer.code));
      }
      if ((await testid(page, 'regional-month').inputValue()) !== `${YEAR}-12`) {
        await actAndWait(page, () => testid(page, 'regional-month').selectOption(`${YEAR}-12`));
      }
      await eventually(async () => {
        assert.equal(queryOf(page).get('payer'), payer.code, `URL ${page.url()}`);
        assert.equal(queryOf(page).get('month'), `${YEAR}-12`, `URL ${page.url()}`);
      });

      const rows = await readInvoice(page);
      const kinds = rows.map((r) => r.kind);
      assert.equal(kinds.at(-1), 'total', `the invoice does not end with its total: ${kinds}`);
      assert.equal(kinds.filter((k) => k === 'total').length, 1);
      assert.ok(kinds.includes('line') && kinds.includes('subtotal'), `no lines or subtotals: ${kinds}`);
      assert.ok(kinds.includes('pool'), 'the December invoice has no pooling rows');
      // The amounts as written: "1 234,56 €", two decimals, a comma.
      for (const r of rows) assert.match(r.text, /^\u2212?\d{1,3}(\u00a0\d{3})*,\d{2}\u00a0€$/, `amount '${r.text}'`);
      const cents = (r) => Math.round(parseLocaleNumber(r.text, 'fi') * 100);
      const total = rows.at(-1);
      const sum = rows.filter((r) => r.kind === 'line' || r.kind === 'pool').reduce((s, r) => s + cents(r), 0);
      assert.equal(cents(total), sum, `the total ${total.text} is not the sum of the lines and pooling (${sum / 100})`);
      // Each subtotal is its municipality's lines.
      let running = 0;
      for (const r of rows) {
        if (r.kind === 'line') running += cents(r);
        if (r.kind === 'subtotal') {
          assert.equal(cents(r), running, `a subtotal ${r.text} is not the sum of its lines (${running / 100})`);
          running = 0;
        }
      }
      assert.ok(total.weight >= 700, `the total is not bold (font-weight ${total.weight})`);
      const apiRows = await finance(`/api/v1/regional/invoice?payer=${payer.code}&month=${YEAR}-12&lang=fi`);
      assert.equal(rows.length, apiRows.length, 'the invoice does not show every API row');
      assert.equal(Number(total.value), apiRows.at(-1).amount);
      assert.equal(await testid(page, 'regional-invoice-table').locator('tfoot th').first().textContent(), payer.name);
      assert.match(await testid(page, 'regional-invoice-csv').getAttribute('href'),
        new RegExp(`payer=${payer.code}&month=${YEAR}-12&lang=fi&format=csv`));

      // Another month: only the invoice changes (no pooling before December).
      await actAndWait(page, () => testid(page, 'regional-month').selectOption(`${YEAR}-06`));
      await eventually(async () => {
        const june = await readInvoice(page);
        assert.ok(june.length > 0 && !june.some((r) => r.kind === 'pool'), 'the June invoice has pooling rows');
      });
      await screenshot(page, 'regional-invoice');
      assert.deepEqual(pageErrors(page), [], `page errors: ${pageErrors(page).join('; ')}`);
    } finally {
      await context.close();
    }
  });

  test('a finance user sees the regional page and the scorecard, nothing else, and no call fails', T, async () => {
    const context = await newContext(browser);
    try {
      const page = await newPage(context);
      await page.goto('/', { waitUntil: 'domcontentloaded' });
      await testid(page, 'login-form').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      const calls = recordCalls(page); // from the sign-in on; /me before it answers 401, as it should
      await testid(page, 'login-user').fill('finance');
      await testid(page, 'login-password').fill(PASSWORD);
      await actAndWait(page, () => testid(page, 'login-submit').click(),
        () => document.querySelectorAll('[data-testid="regional-compare-row"]').length > 0);
      await eventually(async () => assert.equal(queryOf(page).get('view'), 'regional', `URL ${page.url()}`));
      assert.ok(await testid(page, 'regional').isVisible(), 'the regional page does not show');
      assert.equal(await testid(page, 'tab-regional').getAttribute('aria-current'), 'page');
      assert.ok(await testid(page, 'tab-scorecard').isVisible(), 'no scorecard tab');
      assert.ok(!(await testid(page, 'tab-situation').isVisible()), 'a finance user has the situation picture\'s tab');
      for (const id of ['filter-unit', 'nps-current', 'trend-chart', 'comments-toggle', 'themes']) {
        assert.ok(!(await testid(page, id).isVisible()), `${id} shows to a finance user`);
      }
      assert.equal((await readComparison(page)).rows.length, MUNICIPALITIES);
      assert.match(await page.locator('#user-info').textContent(), /talous/);
      await screenshot(page, 'regional-finance');

      // The scorecard, through its tab.
      await actAndWait(page, () => testid(page, 'tab-scorecard').click(),
        () => document.querySelector('[data-testid="scorecard"]')?.checkVisibility() === true);
      await testid(page, 'scorecard-row').first().waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      assert.ok(!(await testid(page, 'regional').isVisible()), 'the regional page still shows on the scorecard');

      // The site's root, and a link to the situation picture: the regional page instead.
      for (const url of ['/', '/?view=situation&unit=A12']) {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        await waitReady(page);
        await eventually(async () => assert.equal(queryOf(page).get('view'), 'regional', `${url} → ${page.url()}`));
        await testid(page, 'regional-compare-row').first().waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
        assert.ok(!(await testid(page, 'nps-current').isVisible()), `${url}: the NPS shows to a finance user`);
      }

      assert.deepEqual(calls.failed, [], `calls that failed: ${calls.failed.join('; ')}`);
      const forbidden = calls.all.filter((c) => /\/api\/v1\/(nps|units|comments|themes|export)/.test(c));
      assert.deepEqual(forbidden, [], `calls a finance user may not make: ${forbidden.join('; ')}`);
      assert.ok(calls.all.some((c) => c.includes('/api/v1/regional/compare')), 'no comparison was fetched');
      assert.ok(calls.all.some((c) => c.includes('/api/v1/scorecard')), 'no scorecard was fetched');
      const alerts = await page.locator('[role=alert]').evaluateAll((els) =>
        els.filter((el) => el.checkVisibility()).map((el) => el.textContent.trim()).filter(Boolean));
      assert.deepEqual(alerts, [], `alerts shown: ${alerts}`);
      console.log(`# finance user: ${calls.all.length} API calls, none failed`);
    } finally {
      await context.close();
    }
  });

  test('an analyst has no regional tab, and the API refuses them regional finance', T, async () => {
    const refused = await api('/api/v1/regional', { token: ANALYST_TOKEN });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json?.error?.code, 'PermissionDenied', refused.text);
    for (const path of [`/api/v1/regional/compare?year=${YEAR}`, `/api/v1/regional/capitation?year=${YEAR}`]) {
      assert.equal((await api(path, { token: ANALYST_TOKEN })).status, 403, path);
    }

    const context = await newContext(browser);
    try {
      const page = await newPage(context);
      await loginThroughForm(page, 'analyst');
      assert.ok(await testid(page, 'tab-situation').isVisible());
      assert.ok(!(await testid(page, 'tab-regional').isVisible()), 'an analyst has the regional tab');

      // A regional link: the situation picture, and no regional call.
      const calls = recordCalls(page);
      await page.goto('/?view=regional&year=2025', { waitUntil: 'domcontentloaded' });
      await waitReady(page);
      await testid(page, 'filter-unit').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      assert.ok(!(await testid(page, 'regional').isVisible()), 'the regional page shows to an analyst');
      assert.notEqual(queryOf(page).get('view'), 'regional', `URL ${page.url()}`);
      assert.deepEqual(calls.all.filter((c) => c.includes('/api/v1/regional')), [], 'the analyst\'s page asked for regional finance');
      assert.deepEqual(calls.failed, [], `calls that failed: ${calls.failed.join('; ')}`);
    } finally {
      await context.close();
    }
  });
});
