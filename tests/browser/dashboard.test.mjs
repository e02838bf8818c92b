// Browser tests of Mittari's web dashboard, against the data-testid contract. Run through
// tests/browser/run, which starts a server with a demo district, users admin, analyst and manager
// (A12), and gives API tokens of the analyst (reports) and an integration user (writing answers).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  BASE_URL, INTEGRATION_TOKEN, LOAD_TIMEOUT, PASSWORD, SCREENSHOT_DIR,
  accessibleNamesInPage, actAndWait, api, apiOk, assertHeadlineMatchesApi, dashboardUrl, eventually,
  filtersFromUrl, gotoReady, helsinkiDate, launchBrowser, loginThroughForm, newContext, newPage,
  pdfPageCount, readHeadline, reportQuery, screenshot, units, waitReady,
} from './helpers.mjs';

const T = { timeout: 90_000 };

/** The comment themes in the API's order, with their Finnish names as the dashboard shows them. */
const THEMES_FI = {
  facilities: 'Tilat',
  staff_attitude: 'Kohtelu',
  professional_skill: 'Ammattitaito',
  care: 'Hoito',
  information: 'Tiedonkulku',
  digital: 'Digipalvelut',
  waiting: 'Odottaminen',
};
const ALL_COMMENTS = '(all comments)';

/** An NPS as the Finnish dashboard writes it: one decimal, decimal comma, U+2212 minus. */
const npsFi = (value) => (Math.round(value * 10) / 10).toFixed(1).replace('.', ',').replace('-', '\u2212');

/** The comments shown: each item's theme chips and sentiment. */
const shownComments = (p) => p.getByTestId('comment-item').evaluateAll((items) => items.map((item) => ({
  text: item.querySelector('.comment-text')?.textContent ?? '',
  themes: [...item.querySelectorAll('[data-testid="comment-theme"]')].map((chip) => chip.dataset.theme),
  pressed: [...item.querySelectorAll('[data-testid="comment-theme"][aria-pressed="true"]')].map((chip) => chip.dataset.theme),
  sentiment: item.querySelector('[data-testid="comment-sentiment"]')?.dataset.sentiment ?? null,
})));

let browser;
let analystContext;
/** The analyst's logged-in page, shared by the tests that follow the login test. */
let page;
/** The dashboard's path (without query), as the page shows it after logging in. */
let dashboardPath = '/';

const htmlLang = (p) => p.evaluate(() => document.documentElement.lang);
const queryOf = (p) => new URL(p.url()).searchParams;
const testid = (p, id) => p.getByTestId(id);

async function labelOf(p, id) {
  return p.getByTestId(id).evaluate((el) => {
    // A label's own text, without the text of controls inside it (a <select>'s options).
    const textOf = (node) => {
      const copy = node.cloneNode(true);
      copy.querySelectorAll('select, input, textarea, option').forEach((c) => c.remove());
      return copy.textContent.replace(/\s+/g, ' ').trim();
    };
    const ids = el.getAttribute('aria-labelledby');
    if (ids) return ids.split(/\s+/).map((i) => document.getElementById(i)).filter(Boolean).map(textOf).join(' ');
    return (el.getAttribute('aria-label') || [...(el.labels ?? [])].map(textOf).join(' ')).trim();
  });
}

/** Selects a filter value and waits until the URL says so and the view has reloaded. */
async function selectFilter(p, id, value) {
  await actAndWait(p, () => testid(p, id).selectOption(value));
  await eventually(async () => assert.equal(await testid(p, id).inputValue(), value));
}

describe('dashboard', () => {
  before(async () => {
    const ready = await fetch(new URL('/readyz', BASE_URL));
    assert.equal(ready.status, 200, 'the server is not ready');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
    console.log(`# chromium ${browser.version()} at ${BASE_URL}`);
    analystContext = await newContext(browser);
    page = await newPage(analystContext);
  });

  after(async () => {
    if (page?.errors.length) console.log(`# page errors seen by the analyst's page:\n#   ${page.errors.join('\n#   ')}`);
    await browser?.close();
  });

  // 1. Log in: a wrong password shows login-error, the right one the dashboard.
  test('logging in: a wrong password is refused, the right one opens the dashboard', T, async () => {
    await page.goto('/', { waitUntil: 'domcontentloaded' });
    await testid(page, 'login-form').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    assert.ok(!(await testid(page, 'dashboard').isVisible()), 'the dashboard shows before logging in');
    await testid(page, 'login-user').fill('analyst');
    await testid(page, 'login-password').fill('not-the-password');
    await testid(page, 'login-submit').click();
    await testid(page, 'login-error').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    assert.notEqual((await testid(page, 'login-error').textContent()).trim(), '', 'login-error is empty');
    assert.ok(!(await testid(page, 'dashboard').isVisible()), 'a wrong password opened the dashboard');

    await testid(page, 'login-password').fill(PASSWORD);
    await actAndWait(page, () => testid(page, 'login-submit').click(),
      () => document.querySelector('[data-testid="dashboard"]')?.checkVisibility() === true);
    await testid(page, 'dashboard').waitFor({ state: 'visible' });
    assert.ok(!(await testid(page, 'login-error').isVisible()), 'login-error still shows after logging in');
    dashboardPath = new URL(page.url()).pathname;
  });

  // 2. The NPS shown equals the API's for the filters in the URL.
  test('the headline NPS equals the API for the filters in the URL', T, async () => {
    await gotoReady(page, dashboardPath);
    const filters = filtersFromUrl(page.url());
    const { compare, value } = await assertHeadlineMatchesApi(page, filters, 'fi');
    assert.notEqual(value, null, 'the default view (all units, last year) should not be suppressed');
    console.log(`# default view ${JSON.stringify(filters)}: nps-current ${value}, n ${compare.second.n}, ` +
      `previous period ${compare.first.from}..${compare.first.to} nps ${compare.first.nps}`);
    // The previous period's figure is the compare's first.nps.
    const shown = await readHeadline(page);
    assert.ok(shown.previous, 'nps-previous is not shown');
    assert.equal(Number(shown.previous.value), compare.first.nps, 'nps-previous data-value ≠ compare first.nps');
  });

  // 3. Changing a filter changes the URL and the numbers.
  test('changing filters updates the URL and the numbers', T, async () => {
    await gotoReady(page, dashboardPath);
    const start = await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));

    await selectFilter(page, 'filter-channel', 'sms');
    await eventually(async () => assert.equal(queryOf(page).get('channel'), 'sms', `URL ${page.url()}`));
    const sms = await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));
    assert.notEqual(sms.value, start.value, 'the NPS did not change with channel = sms');

    await selectFilter(page, 'filter-unit', 'A12');
    await eventually(async () => assert.equal(queryOf(page).get('unit'), 'A12', `URL ${page.url()}`));
    assert.equal(queryOf(page).get('channel'), 'sms', 'changing the unit lost the channel filter');
    const a12 = await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));
    assert.notEqual(a12.value, sms.value, 'the NPS did not change with unit = A12');

    // The date filters too: typing a period into filter-from / filter-to.
    await actAndWait(page, () => testid(page, 'filter-from').fill('2024-01-01'));
    await eventually(async () => assert.equal(queryOf(page).get('from'), '2024-01-01', `URL ${page.url()}`));
    const to = queryOf(page).get('to');
    if (to !== '2024-12-31') {
      await actAndWait(page, () => testid(page, 'filter-to').fill('2024-12-31'));
    }
    await eventually(async () => assert.equal(queryOf(page).get('to'), '2024-12-31', `URL ${page.url()}`));
    await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));

    // The URL alone reproduces the view.
    const url = page.url();
    await gotoReady(page, url);
    assert.equal(await testid(page, 'filter-unit').inputValue(), 'A12');
    assert.equal(await testid(page, 'filter-channel').inputValue(), 'sms');
    assert.equal(await testid(page, 'filter-from').inputValue(), '2024-01-01');
    assert.equal(await testid(page, 'filter-to').inputValue(), '2024-12-31');
    await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));
  });

  test('the panels: trend, units table, funnel, splits and comments', T, async () => {
    await gotoReady(page, dashboardUrl(dashboardPath, { unit: 'A12' }));
    const filters = filtersFromUrl(page.url());
    for (const id of ['trend-chart', 'funnel-chart', 'splits-channel', 'splits-language', 'splits-visit-type',
      'units-table', 'print-button', 'logout']) {
      assert.ok(await testid(page, id).isVisible(), `${id} is not visible`);
    }
    // The trend as a table, for those who do not read charts.
    await testid(page, 'trend-table-toggle').click();
    await testid(page, 'trend-table').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });

    // The units table lists the selected unit's children, suppressed as the API says.
    const tree = await units();
    const funnel = await apiOk(`/api/v1/nps/funnel?unit=A12&from=${filters.from}&to=${filters.to}`);
    const rows = await testid(page, 'units-row').evaluateAll((els) =>
      els.map((el) => ({ unit: el.dataset.unit, suppressed: el.dataset.suppressed })));
    assert.ok(rows.length > 0, 'the units table has no rows');
    for (const row of rows) {
      assert.equal(tree.get(row.unit)?.parent, 'A12', `units-row ${row.unit} is not a child of A12`);
      const expected = funnel.units.find((u) => u.code === row.unit);
      if (expected) {
        assert.equal(row.suppressed, String(expected.suppressed), `units-row ${row.unit}: data-suppressed`);
      }
    }

    // Comments: shown when the API shows them, and the search narrows them down.
    const comments = await apiOk(`/api/v1/comments?unit=A12&from=${filters.from}&to=${filters.to}`);
    await testid(page, 'comments-toggle').click();
    await testid(page, 'comments-panel').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    await waitReady(page);
    if (comments.suppressed) {
      await testid(page, 'comments-suppressed').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      return;
    }
    await testid(page, 'comment-item').first().waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    const shown = await testid(page, 'comment-item').allTextContents();
    assert.ok(shown.length > 0 && shown.length <= comments.total);
    const firstText = comments.comments[0].text;
    assert.ok(shown.some((t) => t.includes(firstText)), `the newest comment '${firstText}' is not shown`);
    const word = firstText.split(/[^\p{L}]+/u).filter((w) => w.length >= 4)[0] ?? firstText.split(/\s+/)[0];
    const found = await apiOk(`/api/v1/comments?unit=A12&from=${filters.from}&to=${filters.to}&q=${encodeURIComponent(word)}`);
    await testid(page, 'comments-search').fill(word);
    await testid(page, 'comments-search').press('Enter');
    await eventually(async () => {
      const texts = await testid(page, 'comment-item').allTextContents();
      assert.ok(texts.length > 0 && texts.length <= found.total,
        `search '${word}': ${texts.length} comment-items shown, the API finds ${found.total}`);
      for (const text of texts) assert.ok(text.toLowerCase().includes(word.toLowerCase()), `'${text}' lacks '${word}'`);
    });
  });

  // What the comments say: theme × NPS for the unit and period, and theme chips that filter the comments.
  test('the theme view shows the seven themes and a theme chip filters the comments', T, async () => {
    await gotoReady(page, dashboardUrl(dashboardPath, { unit: 'A12' }));
    const filters = filtersFromUrl(page.url());
    const rows = await apiOk(`/api/v1/themes?${reportQuery(filters)}`);
    const baseline = rows.find((r) => r.theme === ALL_COMMENTS);
    assert.deepEqual(rows.filter((r) => r.theme !== ALL_COMMENTS).map((r) => r.theme), Object.keys(THEMES_FI),
      'the API does not give the seven themes (does the demo data have comment themes?)');
    assert.ok(baseline && !baseline.suppressed, `A12's comments are suppressed: ${JSON.stringify(baseline)}`);
    const shownThemes = rows.filter((r) => r.theme !== ALL_COMMENTS && !r.suppressed);
    assert.ok(shownThemes.length >= 5, `only ${shownThemes.length} themes of A12 have figures`);

    // Both charts are drawn, with the seven Finnish theme names on their axes; the NPS chart
    // also has the baseline as its reference line's label.
    await testid(page, 'themes').scrollIntoViewIfNeeded();
    for (const id of ['themes-nps-chart', 'themes-drivers-chart']) {
      const chart = testid(page, id);
      assert.ok(await chart.isVisible(), `${id} is not visible`);
      const { texts, box } = await chart.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { texts: [...el.querySelectorAll('svg text')].map((t) => t.textContent.trim()), box: [r.width, r.height] };
      });
      assert.ok(box[0] >= 200 && box[1] >= 200, `${id} is ${box.join('×')} px`);
      for (const name of Object.values(THEMES_FI)) assert.ok(texts.includes(name), `${id} lacks the theme '${name}': ${texts.join(' | ')}`);
      const labels = texts.filter((t) => Object.values(THEMES_FI).includes(t));
      assert.deepEqual(labels.slice(0, 7), Object.values(THEMES_FI), `${id}: themes not in order`);
    }
    const npsTexts = await testid(page, 'themes-nps-chart').evaluate((el) => [...el.querySelectorAll('svg text')].map((t) => t.textContent.trim()));
    assert.ok(npsTexts.includes(npsFi(baseline.nps)), `the reference line is not labelled ${npsFi(baseline.nps)}: ${npsTexts.join(' | ')}`);
    // One bar per theme with figures: the shapes of the bars' colour, less the legend's icon.
    const bars = await testid(page, 'themes-nps-chart').evaluate((el) =>
      [...el.querySelectorAll('svg path')].filter((p) => (p.getAttribute('fill') ?? '').replace(/\s/g, '') === 'rgb(11,92,173)').length);
    assert.equal(bars - 1, shownThemes.length, 'the NPS chart does not draw one bar per theme with figures');
    const baselineText = await testid(page, 'themes-baseline').innerText();
    assert.ok(baselineText.includes(npsFi(baseline.nps)), `themes-baseline '${baselineText}' lacks ${npsFi(baseline.nps)}`);
    await testid(page, 'themes').screenshot({ path: path.join(SCREENSHOT_DIR, 'themes.png') });

    // The same figures as a table: the seven themes in order, suppressed as the API says.
    await testid(page, 'themes-table-toggle').click();
    await testid(page, 'themes-table').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    const table = await testid(page, 'themes-row').evaluateAll((trs) => trs.map((tr) => ({
      theme: tr.dataset.theme,
      suppressed: tr.dataset.suppressed,
      name: tr.querySelector('th').textContent.trim(),
      nps: tr.querySelectorAll('td')[2]?.getAttribute('data-value') ?? null,
      text: tr.innerText,
    })));
    assert.deepEqual(table.map((r) => r.theme), Object.keys(THEMES_FI));
    assert.deepEqual(table.map((r) => r.name), Object.values(THEMES_FI));
    for (const r of table) {
      const expected = rows.find((x) => x.theme === r.theme);
      assert.equal(r.suppressed, String(expected.suppressed), `themes-row ${r.theme}: data-suppressed`);
      if (expected.suppressed) assert.match(r.text, /Liian vähän/, `themes-row ${r.theme} is not shown as suppressed`);
      else assert.equal(Number(r.nps), expected.nps, `themes-row ${r.theme}: NPS ≠ API`);
    }
    await testid(page, 'themes').screenshot({ path: path.join(SCREENSHOT_DIR, 'themes-table.png') });
    await testid(page, 'themes-table-toggle').click();
    await testid(page, 'themes-nps-chart').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });

    // The CSV download: the API's rows and columns.
    const csv = await page.evaluate(async () => (await fetch(document.querySelector('[data-testid="themes-csv"]').href)).text());
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], Object.keys(rows[0]).join(','), 'the CSV header is not the API columns');
    assert.equal(lines.length, rows.length + 1, 'the CSV does not have one line per API row');
    assert.ok(lines.some((l) => l.startsWith('waiting,')), 'the CSV has no waiting row');

    // The comments: every one with its theme chips; clicking a chip filters by that theme.
    const all = await apiOk(`/api/v1/comments?unit=A12&from=${filters.from}&to=${filters.to}`);
    assert.ok(!all.suppressed && all.total > 20, `A12's comments: ${JSON.stringify({ total: all.total, suppressed: all.suppressed })}`);
    await actAndWait(page, () => testid(page, 'comments-toggle').click());
    await testid(page, 'comment-item').first().waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    const before = await shownComments(page);
    for (const [i, c] of all.comments.slice(0, before.length).entries()) {
      assert.deepEqual(before[i].themes, c.themes, `comment ${i} shows the chips ${before[i].themes}, the API says ${c.themes}`);
      assert.equal(before[i].sentiment, c.sentiment, `comment ${i}'s sentiment marker`);
    }
    const chip = testid(page, 'comment-theme').first();
    const theme = await chip.getAttribute('data-theme');
    assert.equal((await chip.innerText()).replace('✓', '').trim(), THEMES_FI[theme], 'the chip does not have the Finnish name');
    const expected = await apiOk(`/api/v1/comments?unit=A12&from=${filters.from}&to=${filters.to}&theme=${theme}`);
    assert.ok(expected.total > 0 && expected.total < all.total, `theme ${theme}: ${expected.total} of ${all.total} comments`);
    await actAndWait(page, () => chip.click());
    await eventually(async () => assert.equal(queryOf(page).get('theme'), theme, `URL ${page.url()}`));
    const check = async (label) => {
      const shown = await shownComments(page);
      assert.ok(shown.length > 0 && shown.length <= Math.min(20, expected.total), `${label}: ${shown.length} comments shown`);
      for (const c of shown) {
        assert.ok(c.themes.includes(theme), `${label}: '${c.text}' has no ${theme} chip (chips ${c.themes.join(', ')})`);
        assert.deepEqual(c.pressed, [theme], `${label}: the ${theme} chip is not pressed on '${c.text}'`);
      }
      assert.equal(shown[0].text, expected.comments[0].text, `${label}: the newest comment on ${theme} is not first`);
      const total = await page.locator('.comments-total').innerText();
      assert.equal(Number(total.replace(/\D/g, '')), expected.total, `${label}: '${total}' ≠ the API's ${expected.total}`);
    };
    await eventually(() => check('after the click'));
    assert.equal(await page.locator(`[data-testid="comments-theme-filter"] [data-filter-theme="${theme}"]`).getAttribute('aria-pressed'), 'true');
    await screenshot(page, 'comments-theme');

    // The URL alone reproduces the filtered comments.
    const url = page.url();
    await gotoReady(page, url);
    await testid(page, 'comments-panel').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    await eventually(() => check('after a reload'));

    // A sentiment on top of the theme: only negative comments on it (or none).
    const negative = await apiOk(`/api/v1/comments?unit=A12&from=${filters.from}&to=${filters.to}&theme=${theme}&sentiment=negative`);
    await actAndWait(page, () => testid(page, 'comments-sentiment').selectOption('negative'));
    await eventually(async () => assert.equal(queryOf(page).get('sentiment'), 'negative', `URL ${page.url()}`));
    await eventually(async () => {
      const shown = await shownComments(page);
      assert.equal(shown.length, Math.min(20, negative.total), 'theme + sentiment: the number of comments shown');
      for (const c of shown) assert.ok(c.sentiment === 'negative' && c.themes.includes(theme), `'${c.text}' is ${c.sentiment}, ${c.themes}`);
    });

    // The pressed chip again: the theme filter goes, the sentiment stays.
    await actAndWait(page, () => testid(page, 'comments-sentiment').selectOption(''));
    await actAndWait(page, () => page.locator('[data-testid="comment-theme"][aria-pressed="true"]').first().click());
    await eventually(async () => assert.equal(queryOf(page).get('theme'), null, `URL ${page.url()}`));
    await eventually(async () => assert.equal((await shownComments(page)).length, 20));
  });

  // 6 and 7. Languages: <html lang>, labels, number format, URL; full-page screenshots.
  test('switching the language to sv and en', T, async () => {
    await gotoReady(page, dashboardPath);
    assert.equal(await htmlLang(page), 'fi', 'the dashboard should open in Finnish');
    const fi = await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()), 'fi');
    const labels = { fi: await labelOf(page, 'filter-unit') };
    const texts = { fi: await testid(page, 'dashboard').innerText() };
    await screenshot(page, 'dashboard-fi');

    for (const lang of ['sv', 'en']) {
      await testid(page, 'lang-switch').selectOption(lang);
      await page.waitForFunction((l) => document.documentElement.lang === l && document.body.dataset.ready === 'true',
        lang, { timeout: LOAD_TIMEOUT });
      await eventually(async () => assert.equal(queryOf(page).get('lang'), lang, `URL ${page.url()}`));
      // The headline is rendered in the new language (decimal comma in sv, point in en).
      await eventually(async () => assertHeadlineMatchesApi(page, filtersFromUrl(page.url()), lang));
      labels[lang] = await labelOf(page, 'filter-unit');
      texts[lang] = await testid(page, 'dashboard').innerText();
      assert.equal(await testid(page, 'lang-switch').inputValue(), lang);
      await screenshot(page, `dashboard-${lang}`);
    }
    assert.equal(Number((await readHeadline(page)).current.value), fi.value, 'the figure changed with the language');
    assert.equal(new Set(Object.values(labels)).size, 3, `filter-unit's label is not translated: ${JSON.stringify(labels)}`);
    assert.notEqual(texts.sv, texts.fi, 'the dashboard text did not change to Swedish');
    assert.notEqual(texts.en, texts.sv, 'the dashboard text did not change to English');
    console.log(`# filter-unit label: ${JSON.stringify(labels)}`);

    // The language survives a reload (it is in the URL).
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitReady(page);
    assert.equal(await htmlLang(page), 'en');
    await testid(page, 'lang-switch').selectOption('fi');
    await page.waitForFunction(() => document.documentElement.lang === 'fi' && document.body.dataset.ready === 'true');
  });

  test('the strategy scorecard for 2025 in Swedish: focal points, statuses and sparklines', T, async () => {
    // From the situation picture, in Swedish, through the scorecard's tab.
    await gotoReady(page, dashboardUrl(dashboardPath, { lang: 'sv' }));
    assert.equal(await htmlLang(page), 'sv');
    await actAndWait(page, () => testid(page, 'tab-scorecard').click(),
      () => document.querySelector('[data-testid="scorecard"]')?.checkVisibility() === true);
    await eventually(async () => assert.equal(queryOf(page).get('view'), 'scorecard', `URL ${page.url()}`));
    assert.equal(await testid(page, 'tab-scorecard').getAttribute('aria-current'), 'page');
    assert.ok(!(await testid(page, 'filter-unit').isVisible()), 'the situation filters show on the scorecard');
    if ((await testid(page, 'scorecard-year').inputValue()) !== '2025') {
      await actAndWait(page, () => testid(page, 'scorecard-year').selectOption('2025'));
    }
    await eventually(async () => assert.equal(queryOf(page).get('year'), '2025', `URL ${page.url()}`));
    assert.equal(queryOf(page).get('lang'), 'sv');

    const check = async () => {
      const expected = await apiOk('/api/v1/scorecard?year=2025&lang=sv');
      const focalNames = [...new Set(expected.rows.map((r) => r.focal_point))];
      assert.equal(focalNames.length, 5, `the API should give five focal points: ${focalNames.join(', ')}`);
      const shown = await page.evaluate(() => ({
        focal: [...document.querySelectorAll('[data-testid="scorecard-focal-point"] > h3')].map((el) => el.textContent.trim()),
        rows: [...document.querySelectorAll('[data-testid="scorecard-row"]')].map((tr) => {
          const svg = tr.querySelector('svg[data-testid="scorecard-sparkline"]');
          const box = svg?.getBoundingClientRect();
          return {
            id: tr.dataset.indicator,
            status: tr.dataset.status,
            badge: tr.querySelector('.sc-badge-text')?.textContent.trim() ?? null,
            note: tr.querySelector('[data-testid="scorecard-significance"]')?.textContent.trim() ?? null,
            spark: svg ? { w: Math.round(box.width), h: Math.round(box.height), marks: svg.querySelectorAll('circle').length,
              label: svg.getAttribute('aria-label') } : null,
          };
        }),
      }));
      assert.deepEqual(shown.focal, focalNames, 'the focal points shown differ from the API');
      assert.deepEqual(shown.rows.map((r) => r.id), expected.rows.map((r) => r.indicator_id), 'the indicator rows differ from the API');
      const badges = shown.rows.map((r) => r.badge);
      assert.ok(badges.includes('Uppnåddes'), `no 'Uppnåddes' status: ${JSON.stringify(badges)}`);
      assert.ok(badges.includes('Uppnåddes inte'), `no 'Uppnåddes inte' status: ${JSON.stringify(badges)}`);
      expected.rows.forEach((row, i) => {
        const r = shown.rows[i];
        assert.equal(r.status, row.status ?? '', `${row.indicator_id}: data-status`);
        assert.ok(r.spark && r.spark.w > 0 && r.spark.h > 0, `${row.indicator_id}: no visible sparkline`);
        const values = row.history.filter((p) => p.value !== null).length;
        assert.equal(r.spark.marks, values, `${row.indicator_id}: the sparkline marks ${r.spark.marks} of ${values} years`);
        assert.ok(r.spark.label.includes(String(row.history[0].year)), `${row.indicator_id}: sparkline without a text alternative`);
        assert.equal(Boolean(r.note), row.significance === 'within_interval', `${row.indicator_id}: significance note`);
      });
      return shown;
    };
    const shown = await check();
    console.log(`# scorecard 2025 (sv): ${shown.focal.length} focal points, ${shown.rows.length} indicators, ` +
      `statuses ${JSON.stringify(shown.rows.map((r) => r.badge))}`);
    await screenshot(page, 'scorecard-sv');

    // The URL alone reproduces the view; the other tab goes back to the situation picture.
    await gotoReady(page, page.url());
    await check();
    await actAndWait(page, () => testid(page, 'tab-situation').click(),
      () => document.querySelector('[data-testid="filter-unit"]')?.checkVisibility() === true);
    assert.equal(queryOf(page).get('view'), null);
    assert.ok(!(await testid(page, 'scorecard').isVisible()), 'the scorecard still shows on the situation picture');
  });

  // 7. Print: print-media screenshot and an A4 PDF of one or two pages.
  test('the print view fits one or two A4 pages', T, async () => {
    await gotoReady(page, dashboardPath);
    assert.ok(await testid(page, 'print-button').isVisible(), 'print-button is not visible');
    await page.emulateMedia({ media: 'print' });
    try {
      await screenshot(page, 'print');
      const file = path.join(SCREENSHOT_DIR, 'print.pdf');
      const pdf = await page.pdf({ path: file, format: 'A4', printBackground: true });
      const pages = pdfPageCount(pdf);
      console.log(`# print.pdf: ${pages} page(s), ${pdf.length} bytes`);
      assert.ok(pages === 1 || pages === 2, `the print view takes ${pages} A4 pages (expected 1 or 2)`);
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  test('the print view includes the trend and the funnel plot', T, async () => {
    await gotoReady(page, dashboardPath);
    await page.emulateMedia({ media: 'print' });
    try {
      // Charts may redraw for print: give them a moment, then measure what would be printed.
      await eventually(async () => {
        const sizes = await page.evaluate(() => Object.fromEntries(['trend-chart', 'trend-table', 'funnel-chart'].map((id) => {
          const el = document.querySelector(`[data-testid="${id}"]`);
          const box = el?.checkVisibility() ? el.getBoundingClientRect() : null;
          const canvas = el?.querySelector('canvas, svg');
          const drawn = canvas ? canvas.getBoundingClientRect() : null;
          return [id, { box: box && [Math.round(box.width), Math.round(box.height)],
            drawing: drawn && [Math.round(drawn.width), Math.round(drawn.height)] }];
        })));
        const tall = (s) => Boolean(s.box && s.box[1] >= 100 && (!s.drawing || s.drawing[1] >= 100));
        const trendTable = sizes['trend-table'].box && sizes['trend-table'].box[1] > 20;
        assert.ok(tall(sizes['trend-chart']) || trendTable,
          `print media: the trend is neither drawn nor tabled: ${JSON.stringify(sizes)}`);
        assert.ok(tall(sizes['funnel-chart']), `print media: the funnel plot is not drawn: ${JSON.stringify(sizes)}`);
      }, 3000);
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  // 8. Accessibility smoke test: names of controls, keyboard reach.
  test('every control has an accessible name and the keyboard reaches the filters and comments', T, async () => {
    await gotoReady(page, dashboardPath);
    // Open the comments panel too, so that its search box is checked as well.
    await testid(page, 'comments-toggle').click();
    await testid(page, 'comments-panel').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    await waitReady(page);
    const { controls, buttons } = await page.evaluate(accessibleNamesInPage);
    assert.ok(controls.length >= 7, `only ${controls.length} form controls found`);
    const unnamed = controls.filter((c) => !c.name).map((c) => c.control);
    assert.deepEqual(unnamed, [], `controls without an accessible name: ${unnamed.join(', ')}`);
    const unnamedButtons = buttons.filter((b) => !b.name).map((b) => b.control);
    if (unnamedButtons.length) console.log(`# note: buttons without a name: ${unnamedButtons.join(', ')}`);

    await gotoReady(page, dashboardPath);
    const reached = new Set();
    for (let i = 0; i < 200 && !(reached.has('filter-unit') && reached.has('comments-toggle')); i += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.closest('[data-testid]')?.dataset.testid ?? '');
      if (id) reached.add(id);
    }
    assert.ok(reached.has('filter-unit'), `Tab never reached filter-unit (reached: ${[...reached].join(', ')})`);
    assert.ok(reached.has('comments-toggle'), `Tab never reached comments-toggle (reached: ${[...reached].join(', ')})`);
  });

  // 9. Time to the first view, printed (not asserted).
  test('time from navigation to the first loaded view (printed)', T, async () => {
    const timings = [];
    for (let i = 0; i < 3; i += 1) {
      const fresh = await newPage(analystContext);
      try {
        await gotoReady(fresh, dashboardPath);
        const t = await fresh.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const slow = performance.getEntriesByType('resource').filter((r) => r.duration > 150)
            .map((r) => `${r.name.replace(location.origin, '').replace(/\?.*/, '')} ${r.duration.toFixed(0)} ms ` +
              `(${r.encodedBodySize} B on the wire)`);
          return { ready: window.__mittariReady?.firstAt, domContentLoaded: nav?.domContentLoadedEventEnd, slow };
        });
        timings.push(t);
      } finally {
        await fresh.close();
      }
    }
    const fmt = (v) => (typeof v === 'number' ? `${v.toFixed(0)} ms` : 'n/a');
    console.log(`# first view (navigation start → body[data-ready=true]), logged-in analyst, default filters: ` +
      `${timings.map((t) => fmt(t.ready)).join(', ')} (DOMContentLoaded ${timings.map((t) => fmt(t.domContentLoaded)).join(', ')}); ` +
      `target < 1000 ms`);
    const slow = [...new Set(timings.flatMap((t) => t.slow))];
    if (slow.length) console.log(`# requests over 150 ms during those loads: ${slow.join('; ')}`);
    assert.ok(timings.every((t) => typeof t.ready === 'number'), 'no data-ready transition was observed');
  });

  // 4. A manager sees only their subtree.
  test('a manager sees only their own subtree', T, async () => {
    const context = await newContext(browser);
    try {
      const manager = await newPage(context);
      await loginThroughForm(manager, 'manager');
      const options = await testid(manager, 'filter-unit').evaluate((el) => [...el.options].map((o) => o.value));
      assert.ok(options.includes('A12'), `filter-unit does not offer A12: ${options.join(', ')}`);
      const outside = options.filter((v) => !(v === 'A12' || v.startsWith('A12-')));
      assert.deepEqual(outside, [], `filter-unit offers units outside A12: ${outside.join(', ')}`);
      assert.equal(await testid(manager, 'filter-unit').inputValue(), 'A12', 'the manager\'s view is not A12');
      const filters = { ...filtersFromUrl(manager.url()), unit: 'A12' };
      const a12 = await assertHeadlineMatchesApi(manager, filters);

      const tree = await units();
      const rows = await testid(manager, 'units-row').evaluateAll((els) => els.map((el) => el.dataset.unit));
      assert.ok(rows.length > 0, 'the manager\'s units table is empty');
      for (const code of rows) assert.equal(tree.get(code)?.parent, 'A12', `units-row ${code} is not a child of A12`);
      await screenshot(manager, 'manager');

      // Another area by URL: an error (role=alert), never A01's numbers.
      const a01 = (await apiOk(`/api/v1/nps/compare?unit=A01&from=${filters.from}&to=${filters.to}`)).second.nps;
      await manager.goto(dashboardUrl(dashboardPath, { ...filters, unit: 'A01' }), { waitUntil: 'domcontentloaded' });
      const visibleAlert = () => [...document.querySelectorAll('[role=alert]')]
        .some((el) => el.checkVisibility() && el.textContent.trim() !== '');
      await manager.waitForFunction(visibleAlert, null, { timeout: LOAD_TIMEOUT, polling: 20 })
        .catch(() => {}); // asserted below, with what the page shows
      await manager.waitForFunction(() => document.body?.dataset.ready === 'true', null, { timeout: LOAD_TIMEOUT })
        .catch(() => {});
      const state = await manager.evaluate(() => ({
        url: location.search,
        alert: [...document.querySelectorAll('[role=alert]')].filter((el) => el.checkVisibility())
          .map((el) => el.textContent.trim()).filter(Boolean),
        current: document.querySelector('[data-testid="nps-current"]')?.checkVisibility()
          ? document.querySelector('[data-testid="nps-current"]').getAttribute('data-value') : null,
        unit: document.querySelector('[data-testid="filter-unit"]')?.value ?? null,
      }));
      console.log(`# manager at ?unit=A01: ${JSON.stringify(state)}`);
      await screenshot(manager, 'manager-forbidden');
      assert.ok(state.current === null || Number(state.current) !== a01 || Number(state.current) === a12.value,
        `the manager is shown A01's NPS ${a01}`);
      assert.notEqual(state.unit, 'A01', 'filter-unit says A01 for a manager of A12');
      assert.ok(state.alert.length > 0 || state.current === null,
        'neither an error (role=alert) nor an empty headline for a unit outside the manager\'s subtree');
    } finally {
      await context.close();
    }
  });

  // 5. The patient form: an answer today shows up as n + 1.
  test('an answer through the patient form raises n by one', T, async () => {
    const today = helsinkiDate();
    const filters = { unit: 'A12', from: `${today.slice(0, 4)}-01-01`, to: today };
    // Ten answers today first, so that the group is not suppressed (min_n 10).
    const stamp = Date.now();
    const answers = Array.from({ length: 10 }, (_, i) => ({
      source: 'browser-test', external_id: `pre-${stamp}-${i}`, survey: 'patient', unit: 'A12-C01-U01',
      answered_at: new Date().toISOString(), channel: 'web', language: 'fi', visit_type: 'outpatient',
      age_group: '45-64', score: i < 7 ? 9 : 5,
    }));
    const posted = await api('/api/v1/responses', { token: INTEGRATION_TOKEN, method: 'POST', body: answers });
    assert.equal(posted.status, 201, posted.text);
    assert.equal(posted.json.created, 10, posted.text);

    await gotoReady(page, dashboardUrl(dashboardPath, filters));
    const before = await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));
    assert.equal(queryOf(page).get('from'), filters.from);
    assert.equal(queryOf(page).get('to'), filters.to);
    const nBefore = before.compare.second.n;
    assert.ok(nBefore >= 10, `n is ${nBefore}`);

    const invitation = await api('/api/v1/invitations', {
      token: INTEGRATION_TOKEN, method: 'POST', body: { unit: 'A12-C01-U01', language: 'fi', visit_type: 'outpatient' },
    });
    assert.equal(invitation.status, 201, invitation.text);
    const patientContext = await newContext(browser);
    try {
      const form = await newPage(patientContext);
      const response = await form.goto(invitation.json.url, { waitUntil: 'load' });
      assert.equal(response.status(), 200);
      await form.locator('label[for="score-10"]').click();
      assert.ok(await form.locator('#score-10').isChecked(), 'clicking the label did not choose 10');
      await screenshot(form, 'form');
      const [answered] = await Promise.all([
        form.waitForNavigation({ waitUntil: 'load' }),
        form.locator('form button[type=submit]').click(),
      ]);
      assert.equal(answered.status(), 200, await answered.text());
      assert.match(await form.locator('h1').innerText(), /Kiitos/);
      await screenshot(form, 'thank-you');
    } finally {
      await patientContext.close();
    }

    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitReady(page);
    const afterwards = await assertHeadlineMatchesApi(page, filtersFromUrl(page.url()));
    console.log(`# A12 ${filters.from}..${filters.to}: n ${nBefore} → ${afterwards.compare.second.n}`);
    assert.equal(afterwards.compare.second.n, nBefore + 1, 'the API\'s n did not grow by one');
    assert.equal(Number((await readHeadline(page)).n.value), nBefore + 1, 'nps-n did not grow by one');
  });

  test('logging out returns to the login form', T, async () => {
    const context = await newContext(browser);
    try {
      const admin = await newPage(context);
      await loginThroughForm(admin, 'admin');
      await testid(admin, 'logout').click();
      await testid(admin, 'login-form').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      await admin.goto(dashboardPath, { waitUntil: 'domcontentloaded' });
      await testid(admin, 'login-form').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      assert.ok(!(await testid(admin, 'dashboard').isVisible()), 'the dashboard shows after logging out');
    } finally {
      await context.close();
    }
  });
});
