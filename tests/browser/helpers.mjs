// Helpers of the dashboard's browser tests: the browser, the API (to compute expected figures),
// dates in Europe/Helsinki, waiting for the dashboard's data-ready signal, and formatting checks.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const BASE_URL = required('BASE_URL');
export const ANALYST_TOKEN = required('ANALYST_TOKEN');
export const INTEGRATION_TOKEN = required('INTEGRATION_TOKEN');
/** A token of the finance user (regional finance and the scorecard only). */
export const FINANCE_TOKEN = required('FINANCE_TOKEN');
export const PASSWORD = process.env.MITTARI_PASSWORD ?? 'a-long-password-1';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.resolve('screenshots');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** How long a view may take to load before a test gives up (generous: the tests also run under ASan). */
export const LOAD_TIMEOUT = 20_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through tests/browser/run`);
  return value;
}

// ---------------------------------------------------------------- browser

export async function launchBrowser() {
  // launch() gives every run a fresh, temporary user data dir (under TMPDIR, which `run` points
  // at its scratch directory).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh browser context as a Finnish user would have it (Helsinki time, Finnish locale), whose
 * pages count the dashboard's transitions of body[data-ready] to "true" (window.__mittariReady),
 * record when the first happened (performance.now(), i.e. ms since navigation start), and collect
 * page errors.
 */
export async function newContext(browser) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'fi-FI',
    timezoneId: 'Europe/Helsinki',
    viewport: { width: 1280, height: 900 },
  });
  await context.addInitScript(() => {
    const state = { id: Math.random(), count: 0, firstAt: null };
    window.__mittariReady = state;
    const seen = (value) => {
      if (value === 'true') {
        state.count += 1;
        if (state.firstAt === null) state.firstAt = performance.now();
      }
    };
    new MutationObserver((records) => {
      // Each record's oldValue is the value before it; the value after the last is the current one.
      const ready = records.filter((r) => r.target === document.body);
      for (let i = 0; i < ready.length; i += 1) {
        const after = i + 1 < ready.length ? ready[i + 1].oldValue : document.body.getAttribute('data-ready');
        if (after === 'true' && ready[i].oldValue !== 'true') seen('true');
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'], attributeOldValue: true });
  });
  return context;
}

export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      page.errors.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400) page.errors.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return page;
}

/** Waits until the freshly navigated page's view has loaded (body[data-ready="true"]). */
export async function waitReady(page, timeout = LOAD_TIMEOUT) {
  await page.waitForFunction(() => document.body?.dataset.ready === 'true', null, { timeout, polling: 20 });
}

/** Navigates (or reloads) and waits for the view to load. */
export async function gotoReady(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitReady(page);
}

/**
 * Runs an in-page action (a filter change, a click) and waits until the dashboard has gone
 * through loading to ready again, and `condition` (an in-page predicate, optional) holds.
 */
export async function actAndWait(page, action, condition = null, timeout = LOAD_TIMEOUT) {
  const before = await page.evaluate(() => ({ id: window.__mittariReady?.id, count: window.__mittariReady?.count ?? 0 }));
  await action();
  // The action may also navigate to a new document, whose own first load counts.
  await page.waitForFunction(
    (before) => {
      const state = window.__mittariReady;
      if (document.body?.dataset.ready !== 'true' || !state) return false;
      return state.id === before.id ? state.count > before.count : state.count >= 1;
    },
    before,
    { timeout, polling: 20 },
  );
  if (condition) await page.waitForFunction(condition, null, { timeout, polling: 20 });
}

/** Logs in through the login form; resolves when the dashboard has loaded. */
export async function loginThroughForm(page, user, password = PASSWORD) {
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const form = page.getByTestId('login-form');
  await form.waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(password);
  await actAndWait(page, () => page.getByTestId('login-submit').click(),
    () => document.querySelector('[data-testid="dashboard"]')?.checkVisibility() === true);
  await page.getByTestId('dashboard').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
}

export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Retries an assertion until it passes or the time is up (then throws its last error). */
export async function eventually(check, timeout = LOAD_TIMEOUT) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// ---------------------------------------------------------------- API

export async function api(pathAndQuery, { token = ANALYST_TOKEN, method = 'GET', body } = {}) {
  const response = await fetch(new URL(pathAndQuery, BASE_URL), {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, json, text };
}

export async function apiOk(pathAndQuery, options) {
  const result = await api(pathAndQuery, options);
  assert.ok(result.status >= 200 && result.status < 300, `${pathAndQuery}: HTTP ${result.status} ${result.text}`);
  return result.json;
}

let unitsCache = null;
/** The organisation tree, code → unit. */
export async function units() {
  if (!unitsCache) {
    const list = await apiOk('/api/v1/units');
    unitsCache = new Map(list.map((u) => [u.code, u]));
  }
  return unitsCache;
}

// ---------------------------------------------------------------- dates (Europe/Helsinki)

export function helsinkiDate(date = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function previousCalendarYear(date = new Date()) {
  const year = Number(helsinkiDate(date).slice(0, 4)) - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

// ---------------------------------------------------------------- filters and expected figures

const FILTER_NAMES = ['unit', 'from', 'to', 'channel', 'language', 'visit_type', 'lang'];

/** The filters in a dashboard URL, with the documented defaults filled in. */
export function filtersFromUrl(url) {
  const query = new URL(url).searchParams;
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = query.get(name);
    if (value) filters[name] = value;
  }
  const period = previousCalendarYear();
  filters.from ??= period.from;
  filters.to ??= period.to;
  return filters;
}

/** A dashboard URL (path `base`) for the given filters. */
export function dashboardUrl(base, filters) {
  const url = new URL(base, BASE_URL);
  url.search = '';
  for (const name of FILTER_NAMES) {
    if (filters[name]) url.searchParams.set(name, filters[name]);
  }
  return url.toString();
}

export function reportQuery(filters, extra = {}) {
  const query = new URLSearchParams();
  if (filters.unit) query.set('unit', filters.unit);
  query.set('from', filters.from);
  query.set('to', filters.to);
  for (const dimension of ['channel', 'language', 'visit_type']) {
    if (filters[dimension]) query.append('where', `${dimension}=${filters[dimension]}`);
  }
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query.toString();
}

/** What the headline must show for these filters: the compare response and the plain NPS row. */
export async function expectedHeadline(filters) {
  const compare = await apiOk(`/api/v1/nps/compare?${reportQuery(filters, { against: 'previous' })}`);
  const rows = await apiOk(`/api/v1/nps?${reportQuery(filters)}`);
  return { compare, row: rows.length === 1 ? rows[0] : null, rows };
}

/** The headline as the page shows it. */
export async function readHeadline(page) {
  return page.evaluate(() => {
    const byId = (id) => document.querySelector(`[data-testid="${id}"]`);
    const visible = (el) => Boolean(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
    const current = byId('nps-current');
    const n = byId('nps-n');
    return {
      current: visible(current) ? { value: current.getAttribute('data-value'), text: current.textContent.trim() } : null,
      previous: visible(byId('nps-previous'))
        ? { value: byId('nps-previous').getAttribute('data-value'), text: byId('nps-previous').textContent.trim() }
        : null,
      n: visible(n) ? { value: n.getAttribute('data-value'), text: n.textContent.trim() } : null,
      significant: visible(byId('nps-significant')),
      notSignificant: visible(byId('nps-not-significant')),
      suppressed: visible(byId('nps-suppressed')),
    };
  });
}

/**
 * Checks the page's headline against the API for `filters`; returns the shown value. The
 * data-value is compared exactly with compare's second.nps, and with /api/v1/nps's row to the
 * precision that endpoint reports (it rounds to three decimals).
 */
export async function assertHeadlineMatchesApi(page, filters, lang = 'fi') {
  const { compare, row } = await expectedHeadline(filters);
  const shown = await readHeadline(page);
  const where = JSON.stringify(filters);
  if (compare.suppressed || compare.second.nps === null) {
    assert.ok(shown.suppressed, `${where}: the API suppresses this group but nps-suppressed is not shown`);
    assert.equal(shown.n, null, `${where}: a suppressed group must not show nps-n`);
    return { compare, shown, value: null };
  }
  assert.ok(shown.current, `${where}: nps-current is not shown`);
  const value = Number(shown.current.value);
  assert.ok(shown.current.value !== null && Number.isFinite(value),
    `${where}: nps-current has no numeric data-value (${shown.current.value})`);
  assert.equal(value, compare.second.nps, `${where}: nps-current data-value ≠ compare second.nps`);
  assert.ok(row && !row.suppressed, `${where}: /api/v1/nps gives no unsuppressed single row`);
  assert.ok(Math.abs(value - row.nps) <= 0.0005 + 1e-9,
    `${where}: nps-current ${value} ≠ /api/v1/nps ${row.nps}`);
  assert.ok(shown.n, `${where}: nps-n is not shown`);
  assert.equal(Number(shown.n.value), compare.second.n, `${where}: nps-n data-value ≠ compare second.n`);
  assert.equal(compare.second.n, row.n, `${where}: compare and nps disagree on n`);
  assertNpsText(shown.current.text, value, lang);
  const flags = [shown.significant, shown.notSignificant, shown.suppressed].filter(Boolean).length;
  assert.equal(flags, 1, `${where}: exactly one of nps-significant / nps-not-significant / nps-suppressed ` +
    `must be shown (${JSON.stringify(shown)})`);
  assert.equal(shown.significant, compare.significant === true, `${where}: significance ≠ API's ${compare.significant}`);
  return { compare, shown, value };
}

/**
 * The NPS as text in a language: one decimal, decimal comma in fi and sv, point in en. The
 * sign may be written with '-' or U+2212, and a '+' may stand before positive values.
 */
export function assertNpsText(text, value, lang) {
  const normal = text.replace(/[\u00a0\u202f]/g, ' ').replace(/\u2212/g, '-');
  const separator = lang === 'en' ? '.' : ',';
  const candidates = new Set([Math.abs(value).toFixed(1), (Math.abs(Math.round(value * 10)) / 10).toFixed(1)]);
  const accepted = [...candidates].map((c) => c.replace('.', separator));
  const match = normal.match(/[+-]?\s?\d+(?:[.,]\d+)?/);
  assert.ok(match, `NPS text '${text}' has no number`);
  const number = match[0].replace(/\s/g, '');
  assert.ok(accepted.includes(number.replace(/^[+-]/, '')),
    `NPS text '${text}' (${lang}) should show ${accepted.join(' or ')} with '${separator}' as the decimal separator`);
  if (value <= -0.05) assert.ok(number.startsWith('-'), `NPS text '${text}' lacks the minus sign of ${value}`);
}

/** The accessible name of an element, as far as labels, aria-label(ledby) and title go. */
export function accessibleNamesInPage() {
  const nameOf = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      const text = labelledby.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      if (text) return text;
    }
    const aria = el.getAttribute('aria-label');
    if (aria && aria.trim()) return aria.trim();
    if (el.labels && el.labels.length) {
      const text = [...el.labels].map((l) => {
        const copy = l.cloneNode(true);
        copy.querySelectorAll('select, input, textarea, option').forEach((c) => c.remove());
        return copy.textContent;
      }).join(' ').trim();
      if (text) return text;
    }
    const title = el.getAttribute('title');
    if (title && title.trim()) return title.trim();
    if (el.tagName === 'BUTTON' || (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type))) {
      const text = (el.textContent || el.value || '').trim();
      if (text) return text;
    }
    return '';
  };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.type ? `[type=${el.type}]` : ''}` +
    `${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}${el.id ? `#${el.id}` : ''}` +
    `${el.name ? `[name=${el.name}]` : ''}`;
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .map((el) => ({ control: describe(el), name: nameOf(el) }));
  const buttons = [...document.querySelectorAll('button, [role=button]')]
    .map((el) => ({ control: describe(el), name: nameOf(el) || el.textContent.trim() }));
  return { controls, buttons };
}

/**
 * A number as the dashboard writes it in a language, back to a number: "−1 234,56 €" (fi, sv)
 * or "−€1,234.56" (en) → -1234.56. Group separators (spaces, no-break spaces, en commas), the
 * euro sign and a U+2212 minus are understood; anything else that is not a number throws.
 */
export function parseLocaleNumber(text, lang) {
  let normal = text.replace(/[\s\u00a0\u202f€]/g, '').replace(/\u2212/g, '-');
  normal = lang === 'en' ? normal.replace(/,/g, '') : normal.replace(/\./g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normal)) throw new Error(`'${text}' is not a ${lang} number`);
  return Number(normal);
}

/** Counts the pages of a PDF written by Chromium. */
export function pdfPageCount(buffer) {
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
