// Mittari situation picture: login, filters in the URL, and the panels. Every figure shown comes
// from the API; this file only fetches, formats and lays out.

import './style.css';
import * as api from './api';
import {
  ApiError,
  type BonusRow,
  type CapitationRow,
  type CommentsResult,
  type CompareResult,
  type CompareRow,
  type FunnelResult,
  type FunnelUnit,
  type InvoiceRow,
  type Me,
  type NpsRow,
  type RegionalOverview,
  type ScorecardResult,
  type ScorecardRow,
  type ThemeRow,
  type Unit,
} from './api';
import { byId, h } from './dom';
import {
  formatCount,
  formatDifference,
  formatInstant,
  formatInterval,
  formatMonth,
  formatNps,
  formatNumber,
  formatPercent,
  formatPeriod,
  formatPValue,
} from './format';
import {
  ANSWER_LANGUAGES,
  CHANNELS,
  LANGS,
  POSITIONS,
  SENTIMENTS,
  THEMES,
  VISIT_TYPES,
  dimensionLabel,
  isLang,
  sentimentLabel,
  t,
  themeLabel,
  type MessageKey,
} from './i18n';
import {
  apiQuery,
  commentFilters,
  hasCommentFilters,
  monthsBetween,
  parseState,
  sameReport,
  scorecardQuery,
  serialiseState,
  toggleTheme,
  type ViewState,
} from './state';
import {
  formatOutcome,
  formatOutcomeInterval,
  formatTarget,
  groupScorecard,
  historyText,
  significanceNote,
  sparkline,
  statusLabel,
  yearOptions,
} from './scorecard';
import {
  EMPTY_ROUTE,
  bonusRowKind,
  canSeeRegional,
  canSeeSituation,
  capitationRowKind,
  classifyInvoice,
  comparisonChartHeight,
  comparisonChartOption,
  comparisonSummary,
  componentLabel,
  formatCompact,
  formatMoney,
  formatRankChange,
  groupBonus,
  monthsOf,
  parseRegionalRoute,
  rankChange,
  rankChangeText,
  regionalUrl,
  reportPath,
  reportQuery,
  resolveRoute,
  sameRoute,
  sortByStandardised,
  splitComparison,
  standardisedCost,
  type RegionalReport,
  type RegionalRoute,
} from './regional';
import { csvFileName, themeChartData, themeView, toCsv, type ThemeView } from './themes';
import { defaultUnit, unitName, unitOptions, type UnitOption } from './units';

type ChartsModule = typeof import('./charts');
type SortKey = 'name' | 'n' | 'nps' | 'position';
type Dimension = 'channel' | 'language' | 'visit_type';
/** The page shown: the two of ViewState, and regional finance (its own part of the URL). */
type Page = ViewState['view'] | 'regional';

const COMMENTS_PAGE_SIZE = 20;
const PRINT_WIDTH_PX = 600; // A4 portrait within the page margins and card padding, at 96 dpi

const app = {
  state: parseState(location.search),
  me: undefined as Me | undefined,
  units: [] as Unit[],
  unitByCode: new Map<string, Unit>(),
  options: [] as UnitOption[],
  generation: 0,
  controller: undefined as AbortController | undefined,
  pending: 0,
  trendTable: false,
  trendData: undefined as { months: string[]; rows: Map<string, NpsRow> } | undefined,
  funnel: undefined as FunnelResult | undefined,
  sort: { key: undefined as SortKey | undefined, ascending: true },
  comments: { open: false, q: '', page: 1, generation: 0 },
  themesTable: false,
  /** The last theme rows of the view, as the API gave them (for the CSV), and their split. */
  themeRows: [] as ThemeRow[],
  themeView: undefined as ThemeView | undefined,
  themesCsvUrl: undefined as string | undefined,
  /** Shown in the alert area until the next filter change (e.g. a unit the user may not see). */
  notice: undefined as string | undefined,
  /** The regional finance page's choices while it shows; undefined on the other pages. */
  regional: parseRegionalRoute(location.search),
  /** The regional page's last choices, for its tab when another page shows. */
  lastRegional: parseRegionalRoute(location.search) ?? EMPTY_ROUTE,
  regionalData: emptyRegionalData(),
};

function emptyRegionalData() {
  return {
    overview: undefined as RegionalOverview | undefined,
    /** Each report's query as last rendered: a report whose query is unchanged is not fetched again. */
    loaded: new Map<RegionalReport, string>(),
  };
}

function currentPage(): Page {
  return app.regional ? 'regional' : app.state.view;
}

/** The URL of a page: the regional page has its own query; the others are the ViewState's. */
function pageUrl(s: ViewState, regional: RegionalRoute | undefined): string {
  return regional ? regionalUrl(s.lang, regional) : serialiseState(s);
}

function currentUrl(): string {
  return pageUrl(app.state, app.regional);
}

/**
 * Keeps the user on pages their role may see: no regional page for analysts and managers, and
 * no situation picture for finance users (the server refuses its calls to them), who get the
 * regional page instead. Returns true when the page changed.
 */
function normalisePage(): boolean {
  const role = app.me?.role;
  const before = currentUrl();
  if (app.regional && !canSeeRegional(role)) app.regional = undefined;
  if (!app.regional && app.state.view === 'situation' && !canSeeSituation(role) && canSeeRegional(role)) {
    app.regional = { ...app.lastRegional };
  }
  if (app.regional) app.lastRegional = app.regional;
  return currentUrl() !== before;
}

let chartsModule: Promise<ChartsModule> | undefined;
/** The chart module once loaded, for handlers that must act synchronously (beforeprint). */
let chartsLoaded: ChartsModule | undefined;
function loadCharts(): Promise<ChartsModule> {
  chartsModule ??= import('./charts').then((m) => (chartsLoaded = m));
  return chartsModule;
}

const tr = (key: MessageKey): string => t(app.state.lang, key);

// ---------------------------------------------------------------- loading state and messages

function setBusy(delta: number): void {
  app.pending = Math.max(0, app.pending + delta);
  const busy = app.pending > 0;
  byId('loading').hidden = !busy;
  document.body.dataset.ready = busy ? 'false' : 'true';
  if (!busy) byId('status-text').textContent = app.me ? tr('status.ready') : '';
  else byId('status-text').textContent = '';
}

async function track<T>(work: () => Promise<T>): Promise<T> {
  setBusy(+1);
  try {
    return await work();
  } finally {
    setBusy(-1);
  }
}

function showAlert(message: string | undefined): void {
  const alert = byId('alert');
  alert.textContent = message ?? '';
  alert.hidden = !message;
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return tr('status.forbidden');
    if (e.status === 404) return tr('status.notFound');
    return `${tr('status.error')}: ${e.message}`;
  }
  return `${tr('status.error')}: ${e instanceof Error ? e.message : String(e)}`;
}

function errorBox(e: unknown): HTMLElement {
  return h('p', { class: 'panel-error' }, errorText(e));
}

// ---------------------------------------------------------------- language

function dashboardMounted(): boolean {
  return document.getElementById('dashboard') !== null;
}

function applyLanguage(): void {
  const lang = app.state.lang;
  document.documentElement.lang = lang;
  document.title = tr('app.title');
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = tr(el.dataset.i18n as MessageKey);
  }
  (byId('lang-switch') as HTMLSelectElement).value = lang;
  if (app.me) {
    byId('user-info').textContent = `${tr('user.signedInAs')} ${app.me.user} (${tr(`role.${app.me.role}` as MessageKey)})`;
  }
  if (dashboardMounted()) {
    byId('trend-table-toggle').textContent = tr(app.trendTable ? 'trend.showChart' : 'trend.showTable');
    byId('comments-toggle').textContent = tr(app.comments.open ? 'comments.close' : 'comments.open');
    byId('trend-chart').setAttribute('aria-label', tr('trend.chartLabel'));
    byId('funnel-chart').setAttribute('aria-label', tr('funnel.chartLabel'));
    byId('themes-table-toggle').textContent = tr(app.themesTable ? 'trend.showChart' : 'trend.showTable');
    byId('themes-nps-chart').setAttribute('aria-label', tr('themes.npsChartLabel'));
    byId('themes-drivers-chart').setAttribute('aria-label', tr('themes.driversChartLabel'));
    byId('view-tabs').setAttribute('aria-label', tr('nav.label'));
    byId('regional-chart').setAttribute('aria-label', tr('regional.chartLabel'));
    rebuildUnitOptions();
    fillDimensionSelects();
    renderCommentFilters();
    syncViewTabs();
  }
}

// ---------------------------------------------------------------- login and logout

function showLogin(note?: MessageKey): void {
  app.generation++;
  app.comments.generation++;
  app.controller?.abort();
  app.me = undefined;
  api.clearSession();
  unmountDashboard();
  byId('logout').hidden = true;
  byId('print-button').hidden = true;
  byId('user-info').hidden = true;
  showAlert(undefined);
  const noteEl = byId('login-note');
  noteEl.textContent = note ? tr(note) : '';
  noteEl.hidden = !note;
  byId('login-view').hidden = false;
  byId('login-error').hidden = true;
  (byId('login-user') as HTMLInputElement).focus();
}

async function submitLogin(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const user = (byId('login-user') as HTMLInputElement).value.trim();
  const passwordInput = byId('login-password') as HTMLInputElement;
  const error = byId('login-error');
  const submit = byId('login-submit') as HTMLButtonElement;
  if (!user || !passwordInput.value) {
    error.textContent = tr('login.failed');
    error.hidden = false;
    return;
  }
  submit.disabled = true;
  error.hidden = true;
  await track(async () => {
    try {
      const me = await api.login(user, passwordInput.value);
      passwordInput.value = '';
      await startDashboard(me);
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 403 ? tr('login.failed') : tr('login.error');
      error.hidden = false;
      passwordInput.select();
    } finally {
      submit.disabled = false;
    }
  });
}

async function doLogout(): Promise<void> {
  await track(async () => {
    try {
      await api.logout();
    } catch {
      // The session may already be gone; show the login form anyway.
    }
    showLogin();
  });
}

// ---------------------------------------------------------------- dashboard start and filters

async function startDashboard(me: Me): Promise<void> {
  app.me = me;
  void loadCharts(); // fetch the chart code while the data loads
  byId('login-view').hidden = true;
  byId('user-info').hidden = false;
  byId('logout').hidden = false;
  byId('print-button').hidden = false;
  applyLanguage();
  if (me.role === 'integration') {
    showAlert(tr('status.forbidden'));
    return;
  }
  normalisePage();
  if (!canSeeSituation(me.role)) {
    // Finance: no organisation tree, answers or comments (the server refuses them), so none of
    // the situation picture's calls are made; the regional page and the scorecard need none.
    mountDashboard();
    applyLanguage();
    history.replaceState(null, '', currentUrl());
    syncFilters();
    await loadView();
    return;
  }
  // The reports need not wait for the organisation tree when the unit is known without it:
  // none asked (the whole organisation, or a manager's first unit) or a manager's own root.
  const unitsRequest = api.get<Unit[]>('/api/v1/units');
  const asked = app.state.unit;
  const startNow = !asked || me.role !== 'manager' || me.units.includes(asked);
  if (!asked && me.role === 'manager' && me.units.length > 0) app.state.unit = me.units[0];
  mountDashboard();
  applyLanguage();
  syncFilters();
  // A link that filters the comments (theme, sentiment) opens them.
  if (hasCommentFilters(app.state)) showCommentsPanel(true);
  let view = startNow ? loadView() : undefined;
  try {
    app.units = await unitsRequest;
  } catch (e) {
    if (!app.me) return; // 401: the login form is showing
    showAlert(errorText(e));
    await view;
    return;
  }
  if (!app.me || !dashboardMounted()) return;
  app.unitByCode = new Map(app.units.map((u) => [u.code, u]));
  rebuildUnitOptions();
  if (app.options.length === 0) {
    app.generation++;
    app.controller?.abort();
    unmountDashboard();
    showAlert(tr('status.forbidden'));
    return;
  }
  const before = app.state.unit;
  normaliseUnit();
  history.replaceState(null, '', currentUrl());
  syncFilters();
  if (!view || (before !== '' && before !== app.state.unit)) {
    view = loadView(); // the unit changed (or was not known): load again
  } else {
    // Same figures ('' is the organisation); only the names from the tree are new.
    updatePrintSummary(app.state);
    if (app.funnel) renderUnitsTable();
  }
  await view;
}

/** Puts the dashboard (from its <template>) into <main> and wires its controls. */
function mountDashboard(): void {
  if (dashboardMounted()) return;
  const template = byId('dashboard-template') as HTMLTemplateElement;
  byId('main').append(template.content.cloneNode(true));
  app.trendTable = false;
  app.trendData = undefined;
  app.funnel = undefined;
  app.comments = { open: false, q: '', page: 1, generation: app.comments.generation + 1 };
  app.themesTable = false;
  app.themeRows = [];
  app.themeView = undefined;
  app.regionalData = emptyRegionalData();
  wireDashboard();
}

function unmountDashboard(): void {
  chartsLoaded?.disposeCharts();
  disposeRegionalChart();
  setThemesCsv(undefined);
  document.getElementById('dashboard')?.remove();
}

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function rebuildUnitOptions(): void {
  if (!app.me) return;
  app.options = unitOptions(app.units, app.me, app.state.lang, todayIso());
  const select = byId('filter-unit') as HTMLSelectElement;
  const indent = '\u00a0\u00a0\u00a0';
  select.replaceChildren(
    ...app.options.map((o) =>
      h('option', { value: o.code }, `${indent.repeat(o.level)}${o.name}${o.closed ? ` (${tr('filters.closed')})` : ''}`),
    ),
  );
  select.value = app.state.unit;
}

function fillDimensionSelects(): void {
  const values: Record<Dimension, readonly string[]> = {
    channel: CHANNELS,
    language: ANSWER_LANGUAGES,
    visit_type: VISIT_TYPES,
  };
  for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-dimension]')) {
    const dimension = select.dataset.dimension as Dimension;
    select.replaceChildren(
      h('option', { value: '' }, tr('filters.all')),
      ...values[dimension].map((v) => h('option', { value: v }, dimensionLabel(app.state.lang, dimension, v))),
    );
    select.value = app.state[dimension];
  }
}

function normaliseUnit(): void {
  if (!app.me) return;
  if (app.options.some((o) => o.code === app.state.unit)) return;
  const asked = app.state.unit;
  app.state.unit = defaultUnit(app.options, app.me);
  if (asked) {
    app.notice = tr('status.unitReplaced').replace('{unit}', asked).replace('{shown}', unitLabel(app.state.unit));
  }
}

function syncFilters(): void {
  const s = app.state;
  (byId('filter-unit') as HTMLSelectElement).value = s.unit;
  (byId('filter-from') as HTMLInputElement).value = s.from;
  (byId('filter-to') as HTMLInputElement).value = s.to;
  (byId('filter-channel') as HTMLSelectElement).value = s.channel;
  (byId('filter-language') as HTMLSelectElement).value = s.language;
  (byId('filter-visit-type') as HTMLSelectElement).value = s.visit_type;
  (byId('lang-switch') as HTMLSelectElement).value = s.lang;
  syncCommentFilters();
  syncViewTabs();
}

/**
 * Shows the page (situation picture, scorecard or regional finance), marks its tab as current
 * and offers only the tabs of the pages the user's role may see.
 */
function syncViewTabs(): void {
  const s = app.state;
  const page = currentPage();
  const role = app.me?.role;
  for (const tab of document.querySelectorAll<HTMLAnchorElement>('#view-tabs a[data-view]')) {
    const view = tab.dataset.view as Page;
    if (view === 'regional') {
      tab.hidden = !canSeeRegional(role);
      tab.href = regionalUrl(s.lang, app.regional ?? app.lastRegional);
    } else {
      tab.hidden = view === 'situation' && !canSeeSituation(role);
      tab.href = serialiseState({ ...s, view });
    }
    if (view === page) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  const situation = page === 'situation';
  byId('filters').hidden = !situation;
  byId('print-summary').hidden = !situation;
  (document.querySelector('#dashboard > .grid') as HTMLElement).hidden = !situation;
  byId('scorecard').hidden = page !== 'scorecard';
  byId('regional').hidden = page !== 'regional';
  const select = byId('scorecard-year') as HTMLSelectElement;
  const years = yearOptions(new Date(), s.year);
  if (select.options.length !== years.length || [...select.options].some((o, i) => o.value !== String(years[i]))) {
    select.replaceChildren(...years.map((y) => h('option', { value: y }, String(y))));
  }
  select.value = String(s.year);
}

function readFilters(): ViewState {
  const q = new URLSearchParams();
  const value = (id: string) => (byId(id) as HTMLInputElement | HTMLSelectElement).value;
  q.set('unit', value('filter-unit'));
  q.set('from', value('filter-from'));
  q.set('to', value('filter-to'));
  q.set('channel', value('filter-channel'));
  q.set('language', value('filter-language'));
  q.set('visit_type', value('filter-visit-type'));
  q.set('lang', app.state.lang);
  const next = parseState(`?${q.toString()}`);
  // The comment filters are not in this form: they stay as they are.
  next.themes = app.state.themes;
  next.sentiment = app.state.sentiment;
  next.view = app.state.view;
  next.year = app.state.year;
  // An incomplete date field keeps the current value rather than jumping to the default.
  if (!value('filter-from')) next.from = app.state.from;
  if (!value('filter-to')) next.to = app.state.to;
  return next;
}

/**
 * Shows another view: the URL gets its filters (a new history entry) and what changed is loaded
 * again. When only the comment filters changed, only the comments are (and they are opened).
 * `page` is the regional page's route (by default the current one), or null for the page of
 * `next.view`. Resolves when that has loaded.
 */
function navigate(next: ViewState, page: RegionalRoute | null = app.regional ?? null): Promise<void> {
  // null, not undefined, leaves the regional page: an undefined argument would take the default.
  const regional = page ?? undefined;
  const nextUrl = pageUrl(next, regional);
  if (nextUrl === currentUrl()) return Promise.resolve();
  // The regional page loads only the reports whose query changed (loadRegional), so any change
  // there goes through loadView.
  const reportChanged = regional !== undefined || app.regional !== undefined || !sameReport(next, app.state);
  if (reportChanged) app.notice = undefined;
  const langChanged = next.lang !== app.state.lang;
  app.state = next;
  app.regional = regional;
  normalisePage();
  history.pushState(null, '', currentUrl());
  if (langChanged) applyLanguage();
  if (!app.me || !dashboardMounted()) return Promise.resolve();
  syncFilters();
  return reportChanged ? loadView() : reloadComments();
}

function onPopState(): void {
  const next = parseState(location.search);
  const regional = parseRegionalRoute(location.search);
  const reportChanged = regional !== undefined || app.regional !== undefined || !sameReport(next, app.state);
  if (reportChanged) app.notice = undefined;
  const langChanged = next.lang !== app.state.lang;
  app.state = next;
  app.regional = regional;
  if (langChanged) applyLanguage();
  if (!app.me || !dashboardMounted()) return;
  if (normalisePage()) history.replaceState(null, '', currentUrl());
  if (canSeeSituation(app.me.role)) normaliseUnit();
  syncFilters();
  void (reportChanged ? loadView() : reloadComments());
}

// ---------------------------------------------------------------- loading a view

async function loadView(): Promise<void> {
  app.controller?.abort();
  const controller = new AbortController();
  app.controller = controller;
  const gen = ++app.generation;
  const s = { ...app.state };
  showAlert(app.notice);
  updateExports(s);
  updatePrintSummary(s);
  const page = currentPage();
  const route = app.regional;
  await track(async () => {
    if (s.from > s.to && page === 'situation') {
      showAlert(tr('filters.badRange'));
      return;
    }
    const signal = controller.signal;
    if (page === 'regional' && route) {
      try {
        await loadRegional(s, route, signal, gen);
      } catch (e) {
        if (gen === app.generation && !isAbort(e) && app.me) showAlert([app.notice, errorText(e)].filter(Boolean).join(' '));
      }
      return;
    }
    if (page === 'situation' && !canSeeSituation(app.me?.role)) return;
    if (page === 'scorecard') {
      try {
        await panel('scorecard', gen, () => loadScorecard(s, signal, gen));
      } catch (e) {
        if (gen === app.generation && !isAbort(e) && app.me) showAlert([app.notice, errorText(e)].filter(Boolean).join(' '));
      }
      return;
    }
    const tasks: Promise<void>[] = [
      panel('headline', gen, () => loadHeadline(s, signal, gen)),
      panel('trend', gen, () => loadTrend(s, signal, gen)),
      panel('units', gen, () => loadUnits(s, signal, gen)),
      panel('splits', gen, () => loadSplits(s, signal, gen)),
      panel('themes', gen, () => loadThemes(s, signal, gen)),
    ];
    if (app.comments.open) {
      app.comments.page = 1;
      tasks.push(loadComments());
    }
    const results = await Promise.allSettled(tasks);
    if (gen !== app.generation) return;
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) showAlert([app.notice, errorText(failed.reason)].filter(Boolean).join(' '));
  });
}

/** Runs one panel's load, marking it busy; errors are shown in the panel and passed on. */
async function panel(id: string, gen: number, work: () => Promise<void>): Promise<void> {
  const section = byId(id);
  section.setAttribute('aria-busy', 'true');
  try {
    await work();
  } catch (e) {
    if (gen !== app.generation || isAbort(e) || !app.me) return;
    const target = section.querySelector<HTMLElement>('#headline-body, #trend-table-wrap, #units-table-wrap, .splits-grid, #scorecard-body');
    if (id === 'splits') {
      for (const d of ['channel', 'language', 'visit-type']) byId(`splits-${d}`).replaceChildren(errorBox(e));
    } else if (id === 'themes') {
      showThemesMessage(errorBox(e));
    } else if (target) {
      target.hidden = false;
      target.replaceChildren(errorBox(e));
    }
    throw e;
  } finally {
    if (gen === app.generation) section.setAttribute('aria-busy', 'false');
  }
}

function updateExports(s: ViewState): void {
  const query = apiQuery(s, { extra: { by: 'month' } });
  (byId('export-csv') as HTMLAnchorElement).href = `/api/v1/export/nps.csv?${query}`;
  (byId('export-xlsx') as HTMLAnchorElement).href = `/api/v1/export/nps.xlsx?${query}`;
}

function unitLabel(code: string): string {
  const u = app.unitByCode.get(code);
  return u ? unitName(u, app.state.lang) : code;
}

function updatePrintSummary(s: ViewState): void {
  const parts = [unitLabel(s.unit), formatPeriod(s.lang, s.from, s.to)];
  const dims: [Dimension, MessageKey][] = [
    ['channel', 'filters.channel'],
    ['language', 'filters.language'],
    ['visit_type', 'filters.visitType'],
  ];
  for (const [d, label] of dims) if (s[d]) parts.push(`${tr(label)}: ${dimensionLabel(s.lang, d, s[d])}`);
  if (s.themes.length) parts.push(`${tr('comments.themes')}: ${s.themes.map((x) => themeLabel(s.lang, x)).join(', ')}`);
  if (s.sentiment) parts.push(`${tr('comments.sentiment')}: ${sentimentLabel(s.lang, s.sentiment)}`);
  byId('print-summary').textContent = `${tr('filters.summary')} ${parts.join(' · ')}`;
}

// ---------------------------------------------------------------- headline

async function loadHeadline(s: ViewState, signal: AbortSignal, gen: number): Promise<void> {
  const c = await api.get<CompareResult>('/api/v1/nps/compare', apiQuery(s, { extra: { against: 'previous' } }), signal);
  if (gen !== app.generation) return;
  renderHeadline(c);
}

function valueSpan(testid: string, value: number | null | undefined, text: string, cls = 'kpi-value'): HTMLElement {
  return h('span', { class: cls, 'data-testid': testid, 'data-value': value ?? '' }, text);
}

function renderHeadline(c: CompareResult): void {
  const lang = app.state.lang;
  const body = byId('headline-body');
  const periods = h(
    'p',
    { class: 'periods' },
    `${tr('headline.period')}: ${formatPeriod(lang, c.second.from, c.second.to)} · ${tr('headline.vs')}: ${formatPeriod(lang, c.first.from, c.first.to)}`,
  );
  // No figure for the period (too few answers, or none at all: the API then gives nulls).
  if (c.suppressed || typeof c.second.nps !== 'number') {
    const text = c.suppressed ? tr('headline.suppressed') : tr('status.noData');
    body.replaceChildren(h('p', { class: 'suppressed-msg', 'data-testid': 'nps-suppressed' }, text), periods);
    return;
  }
  const diff = c.difference ?? null;
  const significant = c.significant === true;
  const arrow = diff === null || Math.abs(diff) < 0.05 ? '●' : diff > 0 ? '▲' : '▼';
  const sig = significant
    ? h(
        'p',
        { class: `sig sig-yes ${diff !== null && diff < 0 ? 'sig-down' : 'sig-up'}`, 'data-testid': 'nps-significant' },
        h('span', { class: 'sig-icon', 'aria-hidden': 'true' }, arrow),
        ` ${tr('headline.significant')} (${tr('headline.pValue')} ${formatPValue(lang, c.p_value)})`,
      )
    : h(
        'p',
        { class: 'sig sig-no', 'data-testid': 'nps-not-significant' },
        h('span', { class: 'sig-icon', 'aria-hidden': 'true' }, '○'),
        ` ${tr('headline.notSignificant')} (${tr('headline.pValue')} ${formatPValue(lang, c.p_value)})`,
      );
  body.replaceChildren(
    h(
      'div',
      { class: 'kpis' },
      h(
        'div',
        { class: 'kpi kpi-main' },
        h('span', { class: 'kpi-label' }, tr('headline.current')),
        valueSpan('nps-current', c.second.nps, formatNps(lang, c.second.nps), 'kpi-value kpi-big'),
        h('span', { class: 'kpi-sub' }, `${tr('headline.interval')}: ${formatInterval(lang, c.second.ci_low, c.second.ci_high)}`),
      ),
      h(
        'div',
        { class: 'kpi' },
        h('span', { class: 'kpi-label' }, tr('headline.previous')),
        valueSpan('nps-previous', c.first.nps, formatNps(lang, c.first.nps)),
        h('span', { class: 'kpi-sub' }, `${tr('headline.interval')}: ${formatInterval(lang, c.first.ci_low, c.first.ci_high)}`),
        h('span', { class: 'kpi-sub' }, `n = ${formatCount(lang, c.first.n)}`),
      ),
      h(
        'div',
        { class: 'kpi' },
        h('span', { class: 'kpi-label' }, tr('headline.difference')),
        h('span', { class: 'kpi-value', 'data-value': diff ?? '' }, formatDifference(lang, diff)),
      ),
      h(
        'div',
        { class: 'kpi' },
        h('span', { class: 'kpi-label' }, tr('headline.n')),
        valueSpan('nps-n', c.second.n, formatCount(lang, c.second.n)),
      ),
    ),
    sig,
    periods,
  );
}

// ---------------------------------------------------------------- trend by month

async function loadTrend(s: ViewState, signal: AbortSignal, gen: number): Promise<void> {
  const [rows, charts] = await Promise.all([
    api.get<NpsRow[]>('/api/v1/nps', apiQuery(s, { extra: { by: 'month' } }), signal),
    loadCharts(),
  ]);
  if (gen !== app.generation) return;
  const byMonth = new Map(rows.map((r) => [String(r.month), r]));
  const months = monthsBetween(s.from.slice(0, 7), s.to.slice(0, 7));
  app.trendData = { months: months.length ? months : [...byMonth.keys()], rows: byMonth };
  renderTrendTable();
  const shown = rows.some((r) => !r.suppressed && typeof r.nps === 'number');
  const note = byId('trend-note');
  note.textContent = shown ? '' : tr(rows.length ? 'suppressed' : 'status.noData');
  note.hidden = shown;
  if (!app.trendTable) charts.renderTrend(byId('trend-chart'), app.trendData.months, byMonth, s.lang);
}

function renderTrendTable(): void {
  const data = app.trendData;
  const wrap = byId('trend-table-wrap');
  if (!data) return;
  const lang = app.state.lang;
  wrap.replaceChildren(
    h(
      'table',
      { class: 'data-table', 'data-testid': 'trend-table' },
      h('caption', {}, tr('trend.heading')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, tr('trend.month')),
          h('th', { scope: 'col', class: 'num' }, tr('col.n')),
          h('th', { scope: 'col', class: 'num' }, tr('col.nps')),
          h('th', { scope: 'col', class: 'num' }, tr('col.interval')),
        ),
      ),
      h(
        'tbody',
        {},
        data.months.map((m) => {
          const r = data.rows.get(m);
          const head = h('th', { scope: 'row' }, formatMonth(lang, m));
          if (!r) return h('tr', {}, head, h('td', { colspan: 3, class: 'muted' }, tr('trend.noAnswers')));
          if (r.suppressed)
            return h('tr', { 'data-suppressed': 'true' }, head, h('td', { colspan: 3, class: 'suppressed' }, tr('suppressed')));
          return h(
            'tr',
            { 'data-suppressed': 'false' },
            head,
            h('td', { class: 'num' }, formatCount(lang, r.n)),
            h('td', { class: 'num', 'data-value': r.nps ?? '' }, formatNps(lang, r.nps)),
            h('td', { class: 'num' }, formatInterval(lang, r.ci_low, r.ci_high)),
          );
        }),
      ),
    ),
  );
}

async function toggleTrendTable(): Promise<void> {
  app.trendTable = !app.trendTable;
  byId('trend-table-wrap').hidden = !app.trendTable;
  byId('trend-chart').hidden = app.trendTable;
  const button = byId('trend-table-toggle');
  button.textContent = tr(app.trendTable ? 'trend.showChart' : 'trend.showTable');
  button.setAttribute('aria-expanded', String(app.trendTable));
  if (!app.trendTable && app.trendData) {
    const charts = await loadCharts();
    charts.renderTrend(byId('trend-chart'), app.trendData.months, app.trendData.rows, app.state.lang);
    charts.resizeCharts();
  }
}

// ---------------------------------------------------------------- child units: table and funnel

async function loadUnits(s: ViewState, signal: AbortSignal, gen: number): Promise<void> {
  const [funnel, charts] = await Promise.all([
    api.get<FunnelResult>('/api/v1/nps/funnel', apiQuery(s), signal),
    loadCharts(),
  ]);
  if (gen !== app.generation) return;
  app.funnel = funnel;
  renderUnitsTable();
  const chartEl = byId('funnel-chart');
  const plotted = funnel.units.some((u) => !u.suppressed && typeof u.nps === 'number');
  chartEl.closest('figure')!.hidden = !plotted;
  if (plotted) charts.renderFunnel(chartEl, funnel, s.lang, drillDown);
}

function drillDown(code: string): void {
  if (!app.options.some((o) => o.code === code)) return;
  navigate({ ...app.state, unit: code });
  byId('main').focus();
}

const POSITION_ORDER = new Map(POSITIONS.map((p, i) => [p as string, i]));

function sortedUnits(units: FunnelUnit[]): FunnelUnit[] {
  const { key, ascending } = app.sort;
  if (!key) return units;
  const collator = new Intl.Collator(app.state.lang);
  const value = (u: FunnelUnit): number | string | null =>
    key === 'name'
      ? u.name
      : u.suppressed
        ? null
        : key === 'n'
          ? (u.n ?? null)
          : key === 'nps'
            ? (u.nps ?? null)
            : (POSITION_ORDER.get(u.position ?? '') ?? null);
  return [...units].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? collator.compare(a.name, b.name) : va === null ? 1 : -1; // suppressed last
    const cmp = typeof va === 'string' ? collator.compare(va, vb as string) : (va as number) - (vb as number);
    return (ascending ? cmp : -cmp) || collator.compare(a.name, b.name);
  });
}

function renderUnitsTable(): void {
  const funnel = app.funnel;
  const wrap = byId('units-table-wrap');
  if (!funnel) return;
  const lang = app.state.lang;
  const parentLine = h(
    'p',
    { class: 'parent-line' },
    `${tr('units.parent')} (${unitLabel(funnel.parent.code)}): `,
    h('strong', { 'data-value': funnel.parent.nps ?? '' }, typeof funnel.parent.nps === 'number' ? formatNps(lang, funnel.parent.nps) : tr('suppressed')),
    typeof funnel.parent.n === 'number' ? `, n = ${formatCount(lang, funnel.parent.n)}` : '',
  );
  const header = (key: SortKey, label: string, numeric = false) => {
    const active = app.sort.key === key;
    return h(
      'th',
      {
        scope: 'col',
        class: numeric ? 'num sortable' : 'sortable',
        'data-sort': key,
        'aria-sort': active ? (app.sort.ascending ? 'ascending' : 'descending') : 'none',
      },
      h(
        'button',
        { type: 'button', class: 'sort-button', title: tr('units.sortBy') },
        label,
        h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, active ? (app.sort.ascending ? '▲' : '▼') : '↕'),
      ),
    );
  };
  const rows = sortedUnits(funnel.units).map((u) => {
    const canDrill = app.options.some((o) => o.code === u.code);
    const nameCell = h(
      'th',
      { scope: 'row' },
      canDrill
        ? h('a', { href: serialiseState({ ...app.state, unit: u.code }), 'data-unit-link': u.code, title: tr('units.drillDown') }, u.name)
        : u.name,
    );
    if (u.suppressed) {
      return h(
        'tr',
        { 'data-testid': 'units-row', 'data-unit': u.code, 'data-suppressed': 'true' },
        nameCell,
        h('td', { colspan: 4, class: 'suppressed' }, tr('suppressed')),
      );
    }
    const position = u.position ?? '';
    return h(
      'tr',
      { 'data-testid': 'units-row', 'data-unit': u.code, 'data-suppressed': 'false' },
      nameCell,
      h('td', { class: 'num', 'data-value': u.n ?? '' }, formatCount(lang, u.n)),
      h('td', { class: 'num', 'data-value': u.nps ?? '' }, formatNps(lang, u.nps)),
      h('td', { class: 'num' }, formatInterval(lang, u.ci_low, u.ci_high)),
      h(
        'td',
        { 'data-position': position },
        h('span', { class: `pos-swatch pos-${position.replace('.', '')}`, 'aria-hidden': 'true' }),
        POSITION_ORDER.has(position) ? tr(`position.${position}` as MessageKey) : '–',
      ),
    );
  });
  wrap.replaceChildren(
    parentLine,
    funnel.units.length === 0
      ? h('p', { class: 'muted' }, tr('units.none'))
      : h(
          'table',
          { class: 'data-table units-table', 'data-testid': 'units-table' },
          h('caption', { class: 'visually-hidden' }, `${tr('units.heading')}: ${funnel.units.length} ${tr('units.count')}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              header('name', tr('units.name')),
              header('n', tr('col.n'), true),
              header('nps', tr('col.nps'), true),
              h('th', { scope: 'col', class: 'num' }, tr('col.interval')),
              header('position', tr('units.position')),
            ),
          ),
          h('tbody', {}, rows),
        ),
  );
}

function onUnitsTableClick(event: MouseEvent): void {
  const target = event.target as HTMLElement;
  const link = target.closest<HTMLAnchorElement>('a[data-unit-link]');
  if (link) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return; // new tab etc.
    event.preventDefault();
    drillDown(link.dataset.unitLink!);
    return;
  }
  const th = target.closest<HTMLElement>('th[data-sort]');
  if (!th) return;
  const key = th.dataset.sort as SortKey;
  if (app.sort.key === key) app.sort.ascending = !app.sort.ascending;
  else app.sort = { key, ascending: key === 'name' || key === 'position' };
  renderUnitsTable();
  byId('units-table-wrap').querySelector<HTMLButtonElement>(`th[data-sort="${key}"] button`)?.focus();
}

// ---------------------------------------------------------------- splits

const SPLITS: { dimension: Dimension; id: string; title: MessageKey; order: readonly string[] }[] = [
  { dimension: 'channel', id: 'splits-channel', title: 'splits.channel', order: CHANNELS },
  { dimension: 'language', id: 'splits-language', title: 'splits.language', order: ANSWER_LANGUAGES },
  { dimension: 'visit_type', id: 'splits-visit-type', title: 'splits.visitType', order: VISIT_TYPES },
];

async function loadSplits(s: ViewState, signal: AbortSignal, gen: number): Promise<void> {
  const results = await Promise.all(
    SPLITS.map((split) => api.get<NpsRow[]>('/api/v1/nps', apiQuery(s, { extra: { by: split.dimension } }), signal)),
  );
  if (gen !== app.generation) return;
  const domain = barDomain(results.flat());
  SPLITS.forEach((split, i) => {
    const order = (r: NpsRow) => {
      const index = split.order.indexOf(String(r[split.dimension]));
      return index < 0 ? split.order.length : index;
    };
    renderSplit(split.id, split.title, split.dimension, [...results[i]].sort((a, b) => order(a) - order(b)), domain);
  });
}

type Domain = [number, number];

/** The interval bars' common axis: the API's intervals, widened to multiples of 5 (at least 10 wide). */
function barDomain(rows: NpsRow[]): Domain {
  const values = rows.flatMap((r) => [r.ci_low, r.ci_high, r.nps]).filter((v): v is number => typeof v === 'number');
  if (values.length === 0) return [-100, 100];
  let lo = Math.max(-100, Math.floor(Math.min(...values) / 5) * 5);
  let hi = Math.min(100, Math.ceil(Math.max(...values) / 5) * 5);
  if (hi - lo < 10) {
    lo = Math.max(-100, lo - 5);
    hi = Math.min(100, lo + 10);
  }
  return [lo, hi];
}

/** Places a value on the bar's axis, as a CSS percentage. */
function place(v: number, [lo, hi]: Domain): number {
  return Math.max(0, Math.min(100, ((v - lo) / (hi - lo)) * 100));
}

function intervalBar(r: NpsRow, domain: Domain): HTMLElement {
  const bar = h('span', { class: 'ci-bar', 'aria-hidden': 'true' });
  if (typeof r.ci_low === 'number' && typeof r.ci_high === 'number') {
    const range = h('span', { class: 'ci-range' });
    const left = place(r.ci_low, domain);
    range.style.left = `${left}%`;
    range.style.width = `${Math.max(0.5, place(r.ci_high, domain) - left)}%`;
    bar.append(range);
  }
  if (typeof r.nps === 'number') {
    const point = h('span', { class: 'ci-point' });
    point.style.left = `${place(r.nps, domain)}%`;
    bar.append(point);
  }
  return bar;
}

function renderSplit(id: string, title: MessageKey, dimension: Dimension, rows: NpsRow[], domain: Domain): void {
  const lang = app.state.lang;
  const body = rows.map((r) => {
    const value = String(r[dimension] ?? '');
    const head = h('th', { scope: 'row' }, dimensionLabel(lang, dimension, value));
    if (r.suppressed) {
      return h(
        'tr',
        { 'data-value': value, 'data-suppressed': 'true' },
        head,
        h('td', { colspan: 4, class: 'suppressed' }, tr('suppressed')),
      );
    }
    return h(
      'tr',
      { 'data-value': value, 'data-suppressed': 'false' },
      head,
      h('td', { class: 'num' }, formatCount(lang, r.n)),
      h('td', { class: 'num', 'data-value': r.nps ?? '' }, formatNps(lang, r.nps)),
      h('td', { class: 'num interval' }, formatInterval(lang, r.ci_low, r.ci_high)),
      h('td', { class: 'bar-cell' }, intervalBar(r, domain)),
    );
  });
  byId(id).replaceChildren(
    h(
      'table',
      { class: 'data-table split-table' },
      h('caption', {}, tr(title)),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, tr('splits.group')),
          h('th', { scope: 'col', class: 'num' }, tr('col.n')),
          h('th', { scope: 'col', class: 'num' }, tr('col.nps')),
          h(
            'th',
            { scope: 'col', class: 'num' },
            // The short form on paper, where three of these tables stand side by side.
            h('span', { class: 'label-long' }, tr('col.interval')),
            h('span', { class: 'label-short' }, tr('col.intervalShort')),
          ),
          h(
            'th',
            { scope: 'col', class: 'bar-head' },
            h('span', { class: 'visually-hidden' }, tr('splits.bar')),
            rows.length > 0 &&
              h(
                'span',
                { class: 'bar-scale', 'aria-hidden': 'true' },
                h('span', {}, formatNumber(lang, domain[0])),
                h('span', {}, formatNumber(lang, domain[1])),
              ),
          ),
        ),
      ),
      h('tbody', {}, rows.length ? body : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, tr('status.noData')))),
    ),
  );
}

// ---------------------------------------------------------------- what the comments say (themes × NPS)

async function loadThemes(s: ViewState, signal: AbortSignal, gen: number): Promise<void> {
  const [rows, charts] = await Promise.all([
    api.get<ThemeRow[]>('/api/v1/themes', apiQuery(s), signal),
    loadCharts(),
  ]);
  if (gen !== app.generation) return;
  app.themeRows = rows;
  app.themeView = themeView(rows);
  setThemesCsv(rows.length ? { csv: toCsv(rows), name: csvFileName(s) } : undefined);
  renderThemes(charts);
}

/** Points the CSV link at the rows (a blob URL, freed when replaced); none: the link is hidden. */
function setThemesCsv(file: { csv: string; name: string } | undefined): void {
  if (app.themesCsvUrl) URL.revokeObjectURL(app.themesCsvUrl);
  app.themesCsvUrl = file ? URL.createObjectURL(new Blob([file.csv], { type: 'text/csv;charset=utf-8' })) : undefined;
  const link = document.getElementById('themes-csv') as HTMLAnchorElement | null;
  if (!link) return;
  link.href = app.themesCsvUrl ?? '#';
  link.download = file?.name ?? 'themes.csv';
  link.hidden = !file;
}

/** Instead of figures: a message (no comments, too few, an error). */
function showThemesMessage(message: string | HTMLElement): void {
  const note = byId('themes-note');
  note.replaceChildren(message);
  note.hidden = false;
  byId('themes-baseline').hidden = true;
  byId('themes-charts').hidden = true;
  byId('themes-table-wrap').hidden = true;
  (byId('themes-table-toggle') as HTMLButtonElement).disabled = true;
}

function renderThemes(charts?: ChartsModule): void {
  const view = app.themeView;
  if (!view) return;
  if (view.status !== 'shown') {
    showThemesMessage(tr(view.status === 'none' ? 'themes.none' : 'themes.suppressed'));
    return;
  }
  const lang = app.state.lang;
  const b = view.baseline!;
  byId('themes-note').hidden = true;
  (byId('themes-table-toggle') as HTMLButtonElement).disabled = false;
  const baseline = byId('themes-baseline');
  baseline.hidden = false;
  baseline.replaceChildren(
    `${tr('themes.baseline')}: ${tr('col.nps')} `,
    h('strong', { 'data-value': b.nps ?? '' }, formatNps(lang, b.nps)),
    ` (${tr('col.interval')} ${formatInterval(lang, b.ci_low, b.ci_high)}), n = ${formatCount(lang, b.n)}`,
  );
  renderThemesTable(view);
  byId('themes-table-wrap').hidden = !app.themesTable;
  byId('themes-charts').hidden = app.themesTable;
  if (!app.themesTable && charts) drawThemeCharts(charts, view);
}

function drawThemeCharts(charts: ChartsModule, view: ThemeView): void {
  const lang = app.state.lang;
  const data = themeChartData(view, lang);
  const select = (theme: string) => void showThemeComments(theme);
  charts.renderThemeNps(byId('themes-nps-chart'), data, view.themes, lang, select);
  charts.renderThemeDrivers(byId('themes-drivers-chart'), data, view.themes, lang, select);
}

function renderThemesTable(view: ThemeView): void {
  const lang = app.state.lang;
  const row = (r: ThemeRow, isBaseline: boolean) => {
    const name = isBaseline ? tr('themes.baseline') : themeLabel(lang, r.theme);
    const attrs = {
      'data-testid': isBaseline ? 'themes-baseline-row' : 'themes-row',
      'data-theme': r.theme,
      'data-suppressed': String(r.suppressed),
      class: isBaseline ? 'baseline-row' : null,
    };
    const show = isBaseline
      ? h('td', {})
      : h(
          'td',
          {},
          h(
            'button',
            { type: 'button', class: 'small', 'data-show-theme': r.theme, 'aria-label': `${tr('themes.showCommentsOf')}: ${name}` },
            tr('themes.showComments'),
          ),
        );
    const head = h('th', { scope: 'row' }, name);
    if (r.suppressed) return h('tr', attrs, head, h('td', { colspan: 6, class: 'suppressed' }, tr('suppressed')), show);
    return h(
      'tr',
      attrs,
      head,
      h('td', { class: 'num', 'data-value': r.n ?? '' }, formatCount(lang, r.n)),
      h('td', { class: 'num', 'data-value': r.share ?? '' }, formatPercent(lang, r.share)),
      h('td', { class: 'num', 'data-value': r.nps ?? '' }, formatNps(lang, r.nps)),
      h('td', { class: 'num' }, formatInterval(lang, r.ci_low, r.ci_high)),
      h('td', { class: 'num', 'data-value': r.detractor_share ?? '' }, formatPercent(lang, r.detractor_share)),
      h('td', { class: 'num', 'data-value': r.promoter_share ?? '' }, formatPercent(lang, r.promoter_share)),
      show,
    );
  };
  byId('themes-table-wrap').replaceChildren(
    h(
      'table',
      { class: 'data-table themes-table', 'data-testid': 'themes-table' },
      h('caption', {}, tr('themes.heading')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, tr('themes.theme')),
          h('th', { scope: 'col', class: 'num' }, tr('col.n')),
          h('th', { scope: 'col', class: 'num' }, tr('themes.share')),
          h('th', { scope: 'col', class: 'num' }, tr('col.nps')),
          h('th', { scope: 'col', class: 'num' }, tr('col.interval')),
          h('th', { scope: 'col', class: 'num' }, tr('themes.detractorShare')),
          h('th', { scope: 'col', class: 'num' }, tr('themes.promoterShare')),
          h('th', { scope: 'col' }, tr('themes.comments')),
        ),
      ),
      h('tbody', {}, view.baseline ? row(view.baseline, true) : null, view.themes.map((r) => row(r, false))),
    ),
  );
}

async function toggleThemesTable(): Promise<void> {
  app.themesTable = !app.themesTable;
  const button = byId('themes-table-toggle');
  button.textContent = tr(app.themesTable ? 'trend.showChart' : 'trend.showTable');
  button.setAttribute('aria-expanded', String(app.themesTable));
  if (app.themeView?.status !== 'shown') return;
  byId('themes-table-wrap').hidden = !app.themesTable;
  byId('themes-charts').hidden = app.themesTable;
  if (!app.themesTable) {
    const charts = await loadCharts();
    if (app.themeView) drawThemeCharts(charts, app.themeView);
    charts.resizeCharts();
  }
}

/** The comments that mention a theme: the filter set to it, the comments opened and focused. */
async function showThemeComments(theme: string): Promise<void> {
  const next = { ...app.state, themes: [theme] };
  if (serialiseState(next) === serialiseState(app.state) && !app.comments.open) {
    setCommentsOpen(true);
  } else {
    await navigate(next);
  }
  byId('comments').scrollIntoView({ block: 'start' });
  focusCommentsTotal();
}

// ---------------------------------------------------------------- strategy scorecard

async function loadScorecard(s: ViewState, signal: AbortSignal, gen: number): Promise<void> {
  const result = await api.get<ScorecardResult>('/api/v1/scorecard', scorecardQuery(s), signal);
  if (gen !== app.generation) return;
  renderScorecard(result);
}

const STATUS_ICONS: Record<string, string> = {
  achieved: '\u2713',
  not_achieved: '\u2717',
  no_data: '?',
  on_track: '\u2197',
  off_track: '\u2198',
};

function renderScorecard(result: ScorecardResult): void {
  const lang = app.state.lang;
  byId('scorecard-title').textContent = `${result.title} \u00b7 ${result.year}`;
  const groups = groupScorecard(result.rows);
  if (groups.length === 0) {
    byId('scorecard-body').replaceChildren(h('p', { class: 'muted' }, tr('scorecard.none')));
    return;
  }
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('th', { scope: 'col' }, tr('scorecard.indicator')),
      h('th', { scope: 'col', class: 'num' }, tr('scorecard.target')),
      h('th', { scope: 'col', class: 'num' }, tr('scorecard.outcome')),
      h('th', { scope: 'col' }, tr('scorecard.status')),
      h('th', { scope: 'col' }, tr('scorecard.history')),
    ),
  );
  byId('scorecard-body').replaceChildren(
    ...groups.map((focal, i) =>
      h(
        'section',
        { class: 'sc-focal', 'data-testid': 'scorecard-focal-point', 'aria-labelledby': `sc-focal-${i}` },
        h('h3', { id: `sc-focal-${i}` }, focal.name),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data-table sc-table' },
            head.cloneNode(true),
            focal.goals.map((goal) =>
              h(
                'tbody',
                { 'data-testid': 'scorecard-goal' },
                h('tr', { class: 'sc-goal-row' }, h('th', { scope: 'rowgroup', colspan: 5 }, goal.name)),
                goal.rows.map((row) => scorecardRow(row, lang)),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function scorecardRow(row: ScorecardRow, lang: ViewState['lang']): HTMLElement {
  const target = formatTarget(lang, row.target, row.unit);
  const interval = formatOutcomeInterval(lang, row);
  const note = significanceNote(lang, row.significance);
  const status =
    row.status === null
      ? h('span', { class: 'muted', 'data-testid': 'scorecard-status', 'data-status': '' }, tr('scorecard.noTarget'))
      : h(
          'span',
          { class: `sc-badge sc-${row.status}`, 'data-testid': 'scorecard-status', 'data-status': row.status },
          h('span', { class: 'sc-badge-icon', 'aria-hidden': 'true' }, STATUS_ICONS[row.status] ?? '\u2022'),
          h('span', { class: 'sc-badge-text' }, statusLabel(lang, row.status)),
        );
  return h(
    'tr',
    { 'data-testid': 'scorecard-row', 'data-indicator': row.indicator_id, 'data-status': row.status ?? '' },
    h('th', { scope: 'row' }, row.indicator),
    h('td', { class: 'num', 'data-testid': 'scorecard-target' }, target || h('span', { class: 'muted' }, '–')),
    h(
      'td',
      { class: 'num', 'data-testid': 'scorecard-outcome', 'data-value': row.outcome ?? '' },
      formatOutcome(lang, row.outcome, row.unit),
      row.year_to_date ? h('span', { class: 'sc-ytd', 'data-testid': 'scorecard-ytd' }, ` (${tr('scorecard.yearToDate')})`) : null,
      interval ? h('span', { class: 'sc-ci' }, `${tr('scorecard.interval')} ${interval}`) : null,
    ),
    h(
      'td',
      { class: 'sc-status' },
      status,
      note ? h('span', { class: 'sc-note', 'data-testid': 'scorecard-significance' }, note) : null,
    ),
    h('td', { class: 'sc-spark' }, sparklineSvg(row, lang)),
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The indicator's five-year history as a small inline SVG line, with the values as its text alternative. */
function sparklineSvg(row: ScorecardRow, lang: ViewState['lang']): SVGElement {
  const line = sparkline(row.history);
  const label = `${tr('scorecard.sparkline')}: ${historyText(lang, row.history, row.unit)}`;
  const svg = svgEl('svg', {
    class: 'sparkline',
    'data-testid': 'scorecard-sparkline',
    role: 'img',
    'aria-label': label,
    width: line.width,
    height: line.height,
    viewBox: `0 0 ${line.width} ${line.height}`,
  });
  const title = svgEl('title', {});
  title.textContent = label;
  svg.append(title);
  if (line.path) svg.append(svgEl('path', { d: line.path, class: 'sparkline-line', fill: 'none' }));
  for (const p of line.points) {
    svg.append(svgEl('circle', { cx: p.x, cy: p.y, r: p === line.last ? 2.75 : 1.5, class: p === line.last ? 'sparkline-last' : 'sparkline-dot' }));
  }
  return svg;
}

// ---------------------------------------------------------------- regional finance

type EChartsInit = (typeof import('echarts/core'))['init'];
type RegionalChart = ReturnType<EChartsInit>;

let echartsInit: Promise<EChartsInit> | undefined;
let regionalChart: { chart: RegionalChart; observer: ResizeObserver } | undefined;

/**
 * ECharts with what the regional chart draws, loaded on first use. Named imports only, so that
 * the bundle keeps just these parts (the modules are shared with the other charts' chunk).
 */
function loadEcharts(): Promise<EChartsInit> {
  echartsInit ??= (async () => {
    // One destructured import each: what Rollup can tree-shake (a Promise.all of them it cannot).
    const { init, use } = await import('echarts/core');
    const { BarChart, LineChart } = await import('echarts/charts');
    const { GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent } = await import('echarts/components');
    const { SVGRenderer } = await import('echarts/renderers');
    use([BarChart, LineChart, GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);
    return init;
  })();
  return echartsInit;
}

function disposeRegionalChart(): void {
  if (!regionalChart) return;
  regionalChart.observer.disconnect();
  if (!regionalChart.chart.isDisposed()) regionalChart.chart.dispose();
  regionalChart = undefined;
}

/** Fits the regional chart to the printed page's width, or (no width) back to its box. */
function resizeRegionalChart(width?: number): void {
  const chart = regionalChart?.chart;
  if (!chart || chart.isDisposed()) return;
  const el = chart.getDom();
  if (width === undefined) chart.resize();
  else if (el.clientWidth > 0) chart.resize({ width, height: el.clientHeight });
}

async function drawRegionalChart(rows: CompareRow[], lang: ViewState['lang']): Promise<void> {
  const el = byId('regional-chart');
  const init = await loadEcharts();
  if (!dashboardMounted() || !el.isConnected) return;
  // As tall as the municipalities need (two bars each), so that every name stays readable.
  el.style.height = `${comparisonChartHeight(splitComparison(rows).municipalities.length)}px`;
  if (!regionalChart || regionalChart.chart.isDisposed() || regionalChart.chart.getDom() !== el) {
    disposeRegionalChart();
    // SVG: crisp in print, and its labels are text in the page.
    const chart = init(el, undefined, { renderer: 'svg' });
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0 && !chart.isDisposed()) chart.resize();
    });
    observer.observe(el);
    regionalChart = { chart, observer };
  }
  regionalChart.chart.setOption(comparisonChartOption(rows, lang), { notMerge: true });
  regionalChart.chart.resize();
}

/** A report's failure in its own section: no data for the choice is a note, anything else an error. */
function regionalErrorBox(e: unknown): HTMLElement {
  if (e instanceof ApiError && (e.status === 404 || e.status === 412)) {
    return h('p', { class: 'suppressed-msg', 'data-testid': 'regional-no-data' }, tr('regional.notFound'));
  }
  return errorBox(e);
}

const REGIONAL_REPORTS: RegionalReport[] = ['compare', 'invoice', 'capitation', 'bonus'];

/**
 * The regional page: the overview (years, payers) once per sign-in, then each report whose
 * query changed. The route's gaps (no year, payer or month in the URL) are filled in here and
 * the URL replaced, so that it always names what is shown.
 */
async function loadRegional(s: ViewState, asked: RegionalRoute, signal: AbortSignal, gen: number): Promise<void> {
  const data = app.regionalData;
  const note = byId('regional-none');
  if (!data.overview) {
    try {
      const overview = await api.get<RegionalOverview>('/api/v1/regional', '', signal);
      if (gen !== app.generation) return;
      data.overview = overview;
    } catch (e) {
      if (gen !== app.generation || isAbort(e) || !app.me) return;
      note.replaceChildren(errorBox(e));
      note.hidden = false;
      throw e;
    }
  }
  const overview = data.overview;
  const route = resolveRoute(overview, asked);
  if (!sameRoute(route, asked)) {
    app.regional = route;
    app.lastRegional = route;
    history.replaceState(null, '', currentUrl());
    syncViewTabs();
  }
  renderRegionalControls(overview, route, s.lang);
  const empty = route.year === undefined;
  note.textContent = empty ? tr('regional.none') : '';
  note.hidden = !empty;
  for (const report of REGIONAL_REPORTS) byId(`regional-${report}`).hidden = empty;
  if (empty) return;
  const year = route.year!;
  const lang = s.lang;
  const results = await Promise.allSettled([
    loadRegionalReport<CompareRow>('compare', route, lang, signal, gen, (rows) => renderComparison(rows, year, lang)),
    loadRegionalReport<InvoiceRow>('invoice', route, lang, signal, gen, (rows) => renderInvoice(rows, route, lang)),
    overview.capitation_years.includes(year)
      ? loadRegionalReport<CapitationRow>('capitation', route, lang, signal, gen, (rows) => renderCapitation(rows, year, lang))
      : regionalNotDefined('capitation', route, lang, 'regional.capitationNone'),
    overview.bonus_years.includes(year)
      ? loadRegionalReport<BonusRow>('bonus', route, lang, signal, gen, (rows) => renderBonus(rows, year, lang))
      : regionalNotDefined('bonus', route, lang, 'regional.bonusNone'),
  ]);
  if (gen !== app.generation) return;
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
}

/** A year without a capitation or a bonus in the definitions: said so, and nothing asked. */
async function regionalNotDefined(report: RegionalReport, route: RegionalRoute, lang: ViewState['lang'], message: MessageKey): Promise<void> {
  const key = `none:${reportQuery(report, route, lang)}`;
  if (app.regionalData.loaded.get(report) === key) return;
  byId(`regional-${report}-body`).replaceChildren(
    h('p', { class: 'muted', 'data-testid': `regional-${report}-none` }, tr(message).replace('{year}', String(route.year))),
  );
  renderDownloads(report, route, lang, false);
  app.regionalData.loaded.set(report, key);
}

async function loadRegionalReport<T>(
  report: RegionalReport,
  route: RegionalRoute,
  lang: ViewState['lang'],
  signal: AbortSignal,
  gen: number,
  render: (rows: T[]) => void | Promise<void>,
): Promise<void> {
  const query = reportQuery(report, route, lang);
  if (app.regionalData.loaded.get(report) === query) return;
  const section = byId(`regional-${report}`);
  section.setAttribute('aria-busy', 'true');
  try {
    const rows = await api.get<T[]>(reportPath(report), query, signal);
    if (gen !== app.generation) return;
    await render(rows);
    if (gen !== app.generation) return;
    renderDownloads(report, route, lang, true);
    app.regionalData.loaded.set(report, query);
  } catch (e) {
    if (gen !== app.generation || isAbort(e) || !app.me) return;
    app.regionalData.loaded.delete(report);
    byId(`regional-${report}-body`).replaceChildren(regionalErrorBox(e));
    if (report === 'compare') {
      byId('regional-summary').textContent = '';
      disposeRegionalChart();
      byId('regional-chart').hidden = true;
    }
    renderDownloads(report, route, lang, false);
    // No figures for the choice (a month without production) is not an error of the page.
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  } finally {
    if (gen === app.generation) section.setAttribute('aria-busy', 'false');
  }
}

/** The report's CSV and Excel links, for what the section shows; none when it shows nothing. */
function renderDownloads(report: RegionalReport, route: RegionalRoute, lang: ViewState['lang'], shown: boolean): void {
  const box = byId(`regional-${report}-downloads`);
  if (!shown) {
    box.replaceChildren();
    return;
  }
  const heading = byId(`regional-${report}-heading`).textContent ?? '';
  const link = (format: 'csv' | 'xlsx', label: MessageKey) =>
    h(
      'a',
      {
        class: 'button-link',
        href: `${reportPath(report)}?${reportQuery(report, route, lang, format)}`,
        download: '',
        'data-testid': `regional-${report}-${format}`,
        'aria-label': `${tr(label)}: ${heading}`,
      },
      tr(label),
    );
  box.replaceChildren(link('csv', 'trend.downloadCsv'), link('xlsx', 'trend.downloadXlsx'));
}

function fillSelect(select: HTMLSelectElement, options: { value: string; label: string }[], value: string): void {
  const same =
    select.options.length === options.length &&
    options.every((o, i) => select.options[i].value === o.value && select.options[i].textContent === o.label);
  if (!same) select.replaceChildren(...options.map((o) => h('option', { value: o.value }, o.label)));
  select.value = value;
}

function renderRegionalControls(overview: RegionalOverview, route: RegionalRoute, lang: ViewState['lang']): void {
  const years = [...overview.years].sort((a, b) => b - a);
  fillSelect(byId('regional-year') as HTMLSelectElement, years.map((y) => ({ value: String(y), label: String(y) })), String(route.year ?? ''));
  (byId('regional-year') as HTMLSelectElement).disabled = years.length === 0;
  fillSelect(
    byId('regional-payer') as HTMLSelectElement,
    overview.payers.map((p) => ({ value: p.code, label: p.name || p.code })),
    route.payer,
  );
  fillSelect(
    byId('regional-month') as HTMLSelectElement,
    route.year === undefined ? [] : monthsOf(route.year).map((m) => ({ value: m, label: formatMonth(lang, m) })),
    route.month,
  );
}

/** A table with a caption, column headers (the first labels the rows) and body and foot rows. */
function dataTable(
  testid: string,
  caption: string,
  columns: { label: string; numeric?: boolean }[],
  body: (HTMLElement | HTMLElement[])[],
  foot: HTMLElement[] = [],
  extraClass = '',
): HTMLElement {
  return h(
    'table',
    { class: `data-table regional-table ${extraClass}`.trim(), 'data-testid': testid },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
    body.length > 0 && Array.isArray(body[0]) ? (body as HTMLElement[][]).map((rows) => h('tbody', {}, rows)) : h('tbody', {}, body as HTMLElement[]),
    foot.length ? h('tfoot', {}, foot) : null,
  );
}

const num = (text: string, value?: number | null, attrs: Record<string, string> = {}) =>
  h('td', { class: 'num', 'data-value': value ?? '', ...attrs }, text);

async function renderComparison(rows: CompareRow[], year: number, lang: ViewState['lang']): Promise<void> {
  const { municipalities, district } = splitComparison(rows);
  const sorted = sortByStandardised(municipalities, lang);
  byId('regional-summary').textContent = comparisonSummary(lang, year, rows);
  const row = (r: CompareRow, isDistrict: boolean) => {
    const change = rankChange(r);
    const ranks = typeof r.rank === 'number' && typeof r.standardised_rank === 'number' ? ` (${r.rank} \u2192 ${r.standardised_rank})` : '';
    return h(
      'tr',
      {
        'data-testid': isDistrict ? 'regional-compare-district' : 'regional-compare-row',
        'data-municipality': r.municipality ?? '',
        class: isDistrict ? 'total-row' : null,
      },
      h('th', { scope: 'row' }, r.municipality_name),
      num(formatCount(lang, r.residents), r.residents),
      num(formatPercent(lang, r.share_75_plus), r.share_75_plus),
      num(formatMoney(lang, r.cost_per_resident, 0), r.cost_per_resident, { 'data-testid': 'regional-crude' }),
      num(formatMoney(lang, standardisedCost(r), 0), standardisedCost(r), { 'data-testid': 'regional-standardised' }),
      h(
        'td',
        { class: 'num rank-change', 'data-value': change ?? '', 'data-direction': change === null ? '' : change > 0 ? 'up' : change < 0 ? 'down' : 'same' },
        h('span', { 'aria-hidden': 'true' }, formatRankChange(lang, change)),
        change === null ? null : h('span', { class: 'visually-hidden' }, rankChangeText(lang, change)),
        ranks ? h('span', { class: 'rank-pair' }, ranks) : null,
      ),
    );
  };
  byId('regional-compare-body').replaceChildren(
    sorted.length === 0
      ? h('p', { class: 'muted' }, tr('regional.compareNone'))
      : dataTable(
          'regional-compare-table',
          `${tr('regional.compareHeading')} ${year}`,
          [
            { label: tr('regional.col.municipality') },
            { label: tr('regional.col.residents'), numeric: true },
            { label: tr('regional.col.share75'), numeric: true },
            { label: tr('regional.col.crude'), numeric: true },
            { label: tr('regional.col.standardised'), numeric: true },
            { label: tr('regional.col.rankChange'), numeric: true },
          ],
          sorted.map((r) => row(r, false)),
          district ? [row(district, true)] : [],
        ),
  );
  const chartEl = byId('regional-chart');
  chartEl.hidden = sorted.length === 0;
  if (sorted.length > 0) await drawRegionalChart(rows, lang);
}

function renderInvoice(rows: InvoiceRow[], route: RegionalRoute, lang: ViewState['lang']): void {
  const kinds = classifyInvoice(rows);
  const payer = app.regionalData.overview?.payers.find((p) => p.code === route.payer)?.name ?? route.payer;
  const body: HTMLElement[] = [];
  const foot: HTMLElement[] = [];
  rows.forEach((r, i) => {
    const kind = kinds[i];
    // A municipality's name once per its lines; repeated names are there for screen readers and copying.
    const repeat = kind === 'line' && i > 0 && kinds[i - 1] === 'line' && rows[i - 1].municipality === r.municipality;
    const line = h(
      'tr',
      { 'data-testid': 'invoice-row', 'data-kind': kind, 'data-product': r.product ?? '', class: `inv-${kind}` },
      h('th', { scope: 'row', class: repeat ? 'repeat' : null }, r.municipality_name ?? ''),
      h('td', {}, r.product_name ?? r.product ?? ''),
      num(kind === 'line' ? formatCompact(lang, r.volume) : '', r.volume),
      num(kind === 'line' ? formatMoney(lang, r.unit_price) : '', r.unit_price),
      num(formatMoney(lang, r.amount), r.amount, { 'data-testid': 'invoice-amount' }),
    );
    (kind === 'total' ? foot : body).push(line);
  });
  byId('regional-invoice-body').replaceChildren(
    dataTable(
      'regional-invoice-table',
      tr('regional.invoiceCaption').replace('{payer}', payer).replace('{month}', formatMonth(lang, route.month)),
      [
        { label: tr('regional.col.municipality') },
        { label: tr('regional.col.product') },
        { label: tr('regional.col.volume'), numeric: true },
        { label: tr('regional.col.unitPrice'), numeric: true },
        { label: tr('regional.col.amount'), numeric: true },
      ],
      body,
      foot,
      'invoice-table',
    ),
  );
}

function renderCapitation(rows: CapitationRow[], year: number, lang: ViewState['lang']): void {
  const body: HTMLElement[] = [];
  const foot: HTMLElement[] = [];
  rows.forEach((r, i) => {
    const kind = capitationRowKind(r, i, rows.length);
    const line = h(
      'tr',
      { 'data-testid': 'capitation-row', 'data-kind': kind, class: kind === 'total' ? 'total-row' : null },
      h('th', { scope: 'row' }, r.municipality_name ?? r.municipality ?? ''),
      num(formatCount(lang, r.residents), r.residents),
      num(formatNumber(lang, r.weighted_residents, 0), r.weighted_residents),
      num(formatNumber(lang, r.need_coefficient, 3), r.need_coefficient),
      num(formatMoney(lang, r.raw_claim), r.raw_claim),
      num(formatMoney(lang, r.budget), r.budget),
      num(formatMoney(lang, r.budget_per_resident), r.budget_per_resident),
    );
    (kind === 'total' ? foot : body).push(line);
  });
  byId('regional-capitation-body').replaceChildren(
    dataTable(
      'regional-capitation-table',
      `${tr('regional.capitationHeading')} ${year}`,
      [
        { label: tr('regional.col.municipality') },
        { label: tr('regional.col.residents'), numeric: true },
        { label: tr('regional.col.weightedResidents'), numeric: true },
        { label: tr('regional.col.needCoefficient'), numeric: true },
        { label: tr('regional.col.rawClaim'), numeric: true },
        { label: tr('regional.col.budget'), numeric: true },
        { label: tr('regional.col.budgetPerResident'), numeric: true },
      ],
      body,
      foot,
    ),
  );
}

function renderBonus(rows: BonusRow[], year: number, lang: ViewState['lang']): void {
  const { providers, total } = groupBonus(rows);
  const columns = 8;
  const row = (r: BonusRow) => {
    const kind = bonusRowKind(r);
    const name =
      kind === 'component' ? `${componentLabel(lang, r.component)}: ${r.measure_name ?? ''}` : (r.measure_name ?? r.provider_name ?? '');
    const value =
      kind === 'measure' && r.value === null ? h('td', { class: 'num muted', 'data-value': '' }, tr('regional.noValue')) : num(formatCompact(lang, r.value), r.value);
    return h(
      'tr',
      { 'data-testid': 'bonus-row', 'data-kind': kind, 'data-measure': r.measure ?? '', class: `bonus-${kind}` },
      h('th', { scope: 'row' }, name),
      value,
      num(formatCompact(lang, r.floor), r.floor),
      num(formatCompact(lang, r.target), r.target),
      num(formatCompact(lang, r.weight), r.weight),
      num(formatNumber(lang, r.score, 2), r.score),
      num(r.pool === null ? '' : formatMoney(lang, r.pool), r.pool),
      num(r.bonus === null ? '' : formatMoney(lang, r.bonus), r.bonus, { 'data-testid': 'bonus-amount' }),
    );
  };
  const groups = providers.map((g) => [
    h('tr', { class: 'group-row' }, h('th', { scope: 'rowgroup', colspan: columns }, g.name)),
    ...g.rows.map(row),
  ]);
  const foot = total
    ? [
        h(
          'tr',
          { 'data-testid': 'bonus-row', 'data-kind': 'total', class: 'total-row' },
          h('th', { scope: 'row', colspan: 6 }, total.provider_name ?? ''),
          num(formatMoney(lang, total.pool), total.pool),
          num(formatMoney(lang, total.bonus), total.bonus, { 'data-testid': 'bonus-amount' }),
        ),
      ]
    : [];
  byId('regional-bonus-body').replaceChildren(
    dataTable(
      'regional-bonus-table',
      `${tr('regional.bonusHeading')} ${year}`,
      [
        { label: tr('regional.col.measure') },
        { label: tr('regional.col.value'), numeric: true },
        { label: tr('regional.col.floor'), numeric: true },
        { label: tr('regional.col.target'), numeric: true },
        { label: tr('regional.col.weight'), numeric: true },
        { label: tr('regional.col.score'), numeric: true },
        { label: tr('regional.col.pool'), numeric: true },
        { label: tr('regional.col.bonus'), numeric: true },
      ],
      groups,
      foot,
      'bonus-table',
    ),
  );
}

// ---------------------------------------------------------------- comments

/** Opens or closes the comments panel, without loading anything. */
function showCommentsPanel(open: boolean): void {
  app.comments.open = open;
  const toggle = byId('comments-toggle');
  toggle.setAttribute('aria-expanded', String(open));
  toggle.textContent = tr(open ? 'comments.close' : 'comments.open');
  byId('comments-panel').hidden = !open;
  byId('comments').classList.toggle('is-open', open);
}

function setCommentsOpen(open: boolean): void {
  showCommentsPanel(open);
  if (open) {
    app.comments.page = 1;
    void loadComments();
  } else {
    app.comments.generation++;
    byId('comments-body').replaceChildren();
  }
}

/** After a comment filter changed: the comments again from page 1 (opened when filtered). */
function reloadComments(): Promise<void> {
  updatePrintSummary(app.state);
  if (!app.comments.open) {
    if (!hasCommentFilters(app.state)) return Promise.resolve();
    showCommentsPanel(true);
  }
  app.comments.page = 1;
  return loadComments();
}

function focusCommentsTotal(): void {
  byId('comments-body').querySelector<HTMLElement>('.comments-total')?.focus();
}

/** The theme chips and the sentiment choices of the comments panel, in the UI language. */
function renderCommentFilters(): void {
  const lang = app.state.lang;
  const group = byId('comments-theme-filter');
  const chip = (theme: string, label: string) =>
    h('button', { type: 'button', class: 'theme-chip', 'data-filter-theme': theme, 'aria-pressed': 'false' }, label);
  group.replaceChildren(
    byId('comments-theme-label'),
    chip('', tr('comments.themesAll')),
    ...THEMES.map((theme) => chip(theme, themeLabel(lang, theme))),
  );
  const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
  byId('comments-sentiment').replaceChildren(
    h('option', { value: '' }, tr('comments.sentimentAll')),
    ...SENTIMENTS.map((v) => h('option', { value: v }, capitalised(sentimentLabel(lang, v)))),
  );
  syncCommentFilters();
}

function syncCommentFilters(): void {
  const { themes, sentiment } = app.state;
  for (const b of byId('comments-theme-filter').querySelectorAll<HTMLButtonElement>('button[data-filter-theme]')) {
    const theme = b.dataset.filterTheme!;
    b.setAttribute('aria-pressed', String(theme === '' ? themes.length === 0 : themes.includes(theme)));
  }
  (byId('comments-sentiment') as HTMLSelectElement).value = sentiment;
}

async function loadComments(): Promise<void> {
  const gen = ++app.comments.generation;
  const viewGen = app.generation;
  const s = { ...app.state };
  const section = byId('comments');
  section.setAttribute('aria-busy', 'true');
  await track(async () => {
    try {
      const query = apiQuery(s, {
        where: false,
        lang: false,
        extra: {
          q: app.comments.q || undefined,
          ...commentFilters(s),
          page: app.comments.page,
          page_size: COMMENTS_PAGE_SIZE,
        },
      });
      const result = await api.get<CommentsResult>('/api/v1/comments', query);
      if (gen !== app.comments.generation || viewGen !== app.generation) return;
      renderComments(result);
    } catch (e) {
      if (gen !== app.comments.generation || !app.me) return;
      byId('comments-body').replaceChildren(errorBox(e));
    } finally {
      if (gen === app.comments.generation) section.setAttribute('aria-busy', 'false');
    }
  });
}

function renderComments(result: CommentsResult): void {
  const lang = app.state.lang;
  const body = byId('comments-body');
  if (result.suppressed) {
    body.replaceChildren(h('p', { class: 'suppressed-msg', 'data-testid': 'comments-suppressed' }, tr('comments.suppressed')));
    return;
  }
  if (result.total === 0 || result.comments.length === 0) {
    body.replaceChildren(h('p', { class: 'muted' }, tr('comments.none')));
    return;
  }
  const pages = Math.max(1, Math.ceil(result.total / COMMENTS_PAGE_SIZE));
  const page = result.page || app.comments.page;
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': tr('comments.page') },
    h('button', { type: 'button', 'data-page': page - 1, disabled: page <= 1 }, `‹ ${tr('comments.prev')}`),
    h('span', { class: 'page-info' }, `${tr('comments.page')} ${formatCount(lang, page)} ${tr('comments.of')} ${formatCount(lang, pages)}`),
    h('button', { type: 'button', 'data-page': page + 1, disabled: page >= pages }, `${tr('comments.next')} ›`),
  );
  body.replaceChildren(
    h('p', { class: 'comments-total', tabindex: -1 }, `${tr('comments.total')}: ${formatCount(lang, result.total)}`),
    h(
      'ol',
      { class: 'comment-list', start: (page - 1) * COMMENTS_PAGE_SIZE + 1 },
      result.comments.map((c) =>
        h(
          'li',
          { class: 'comment', 'data-testid': 'comment-item' },
          h(
            'p',
            { class: 'comment-meta' },
            h('time', { datetime: c.answered_at }, formatInstant(lang, c.answered_at)),
            ' · ',
            h('span', {}, unitLabel(c.unit)),
            ' · ',
            h(
              'span',
              { class: `score ${c.score >= 9 ? 'score-high' : c.score >= 7 ? 'score-mid' : 'score-low'}` },
              `${tr('comments.score')} ${c.score}/10`,
            ),
            ' · ',
            h('span', {}, `${tr('comments.language')}: ${dimensionLabel(lang, 'language', c.language)}`),
            typeof c.sentiment === 'string' && c.sentiment ? [' · ', sentimentMarker(c.sentiment)] : null,
          ),
          h('p', { class: 'comment-text', lang: isLang(c.language) ? c.language : null }, c.text),
          themeChips(c.themes ?? []),
        ),
      ),
    ),
    pager,
  );
}

const SENTIMENT_ICONS: Record<string, string> = { positive: '+', negative: '\u2212', neutral: '\u25cb', mixed: '\u00b1' };

/** The comment's sentiment: a sign and a word, coloured (the colour is never the only cue). */
function sentimentMarker(sentiment: string): HTMLElement {
  return h(
    'span',
    { class: `sentiment sentiment-${sentiment}`, 'data-testid': 'comment-sentiment', 'data-sentiment': sentiment },
    h('span', { class: 'sentiment-icon', 'aria-hidden': 'true' }, SENTIMENT_ICONS[sentiment] ?? '\u2022'),
    `${tr('comments.sentiment')}: ${sentimentLabel(app.state.lang, sentiment)}`,
  );
}

/** The comment's themes as chips: a chip filters the comments by its theme; the active one, pressed again, clears it. */
function themeChips(themes: string[]): HTMLElement | null {
  if (themes.length === 0) return null;
  const lang = app.state.lang;
  const only = app.state.themes.length === 1 ? app.state.themes[0] : undefined;
  return h(
    'ul',
    { class: 'theme-chips', 'aria-label': tr('comments.themeChips') },
    themes.map((theme) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'theme-chip',
            'data-testid': 'comment-theme',
            'data-theme': theme,
            'aria-pressed': String(theme === only),
            title: tr('comments.themeFilter'),
          },
          themeLabel(lang, theme),
        ),
      ),
    ),
  );
}

function onCommentsClick(event: MouseEvent): void {
  const chip = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-theme]');
  if (chip) {
    const theme = chip.dataset.theme!;
    const only = app.state.themes.length === 1 && app.state.themes[0] === theme;
    void navigate({ ...app.state, themes: only ? [] : [theme] }).then(focusCommentsTotal);
    return;
  }
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-page]');
  if (!button || button.disabled) return;
  app.comments.page = Number(button.dataset.page);
  void loadComments().then(focusCommentsTotal);
}

// ---------------------------------------------------------------- wiring

function wire(): void {
  byId('login-form').addEventListener('submit', (e) => void submitLogin(e as SubmitEvent));
  byId('logout').addEventListener('click', () => void doLogout());
  byId('print-button').addEventListener('click', () => window.print());
  byId('lang-switch').addEventListener('change', (e) => {
    const lang = (e.target as HTMLSelectElement).value;
    if (isLang(lang)) navigate({ ...app.state, lang });
  });
  window.addEventListener('popstate', onPopState);
  window.addEventListener('beforeprint', () => {
    chartsLoaded?.resizeCharts(PRINT_WIDTH_PX);
    resizeRegionalChart(PRINT_WIDTH_PX);
  });
  window.addEventListener('afterprint', () => {
    chartsLoaded?.resizeCharts();
    resizeRegionalChart();
  });
  api.setUnauthenticatedHandler(() => {
    if (app.me) showLogin('login.expired');
  });
}

/** The dashboard's own controls (its elements are new each time it is mounted). */
function wireDashboard(): void {
  byId('view-tabs').addEventListener('click', (e) => {
    const tab = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-view]');
    if (!tab || e.defaultPrevented || (e as MouseEvent).button !== 0 || (e as MouseEvent).ctrlKey || (e as MouseEvent).metaKey) return;
    e.preventDefault();
    if (tab.dataset.view === 'regional') {
      void navigate({ ...app.state }, { ...app.lastRegional });
      return;
    }
    const view = tab.dataset.view === 'scorecard' ? 'scorecard' : 'situation';
    void navigate({ ...app.state, view }, null);
  });
  byId('regional-year').addEventListener('change', (e) => {
    const year = Number((e.target as HTMLSelectElement).value);
    // Another year's invoice: its default month (the route resolves it).
    if (app.regional && Number.isInteger(year)) void navigate(app.state, { ...app.regional, year, month: '' });
  });
  byId('regional-payer').addEventListener('change', (e) => {
    if (app.regional) void navigate(app.state, { ...app.regional, payer: (e.target as HTMLSelectElement).value });
  });
  byId('regional-month').addEventListener('change', (e) => {
    if (app.regional) void navigate(app.state, { ...app.regional, month: (e.target as HTMLSelectElement).value });
  });
  byId('scorecard-year').addEventListener('change', (e) => {
    const year = Number((e.target as HTMLSelectElement).value);
    if (Number.isInteger(year)) void navigate({ ...app.state, year });
  });
  byId('filters').addEventListener('change', () => navigate(readFilters()));
  byId('filters').addEventListener('submit', (e) => e.preventDefault());
  byId('trend-table-toggle').setAttribute('aria-expanded', 'false');
  byId('trend-table-toggle').addEventListener('click', () => void toggleTrendTable());
  byId('units-table-wrap').addEventListener('click', onUnitsTableClick);
  byId('comments-toggle').addEventListener('click', () => setCommentsOpen(!app.comments.open));
  byId('comments-form').addEventListener('submit', (e) => {
    e.preventDefault();
    app.comments.q = (byId('comments-search') as HTMLInputElement).value.trim();
    app.comments.page = 1;
    void loadComments();
  });
  byId('comments-body').addEventListener('click', onCommentsClick);
  byId('comments-theme-filter').addEventListener('click', (e) => {
    const chip = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-filter-theme]');
    if (!chip) return;
    const theme = chip.dataset.filterTheme!;
    void navigate({ ...app.state, themes: theme === '' ? [] : toggleTheme(app.state.themes, theme) });
  });
  byId('comments-sentiment').addEventListener('change', (e) => {
    void navigate({ ...app.state, sentiment: (e.target as HTMLSelectElement).value });
  });
  byId('themes-table-toggle').setAttribute('aria-expanded', 'false');
  byId('themes-table-toggle').addEventListener('click', () => void toggleThemesTable());
  byId('themes-table-wrap').addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-show-theme]');
    if (button) void showThemeComments(button.dataset.showTheme!);
  });
}

async function init(): Promise<void> {
  wire();
  applyLanguage();
  void loadCharts(); // in parallel with /me: signed-in users need it at once
  await track(async () => {
    let me: Me;
    try {
      me = await api.fetchMe();
    } catch {
      showLogin();
      return;
    }
    await startDashboard(me);
  });
}

void init();

// For the language list in the switch (kept in index.html); referenced so a new language fails loudly.
if (LANGS.length !== (byId('lang-switch') as HTMLSelectElement).options.length) {
  console.warn('lang-switch options differ from LANGS');
}
