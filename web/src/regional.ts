// The regional finance page (admin and finance roles): the API's comparison, invoice, capitation
// and bonus rows turned into what the chart and the tables show, and the page's own part of the
// URL. Presentation only: every cost, rank, amount and score is the API's.

import type { BonusRow, CapitationRow, CompareRow, InvoiceRow, RegionalOverview, Role } from './api';
import { escapeHtml } from './dom';
import { formatNumber } from './format';
import { isLang, t, type Lang, type MessageKey } from './i18n';

const MINUS = '\u2212';
const NBSP = '\u00a0';

// ---------------------------------------------------------------- who sees what

/** The roles the server lets read regional finance (GET /api/v1/regional… answers 403 to others). */
export const REGIONAL_ROLES: readonly Role[] = ['admin', 'finance'];

export function canSeeRegional(role: Role | undefined): boolean {
  return role !== undefined && REGIONAL_ROLES.includes(role);
}

/**
 * Whether the role may see the situation picture (answers, comments, units). The server refuses
 * those calls to finance users, so the dashboard must not make them.
 */
export function canSeeSituation(role: Role | undefined): boolean {
  return role !== undefined && role !== 'finance' && role !== 'integration';
}

// ---------------------------------------------------------------- the page's URL

/** The regional page's choices; empty = not chosen yet (the page picks a default). */
export interface RegionalRoute {
  year: number | undefined;
  payer: string;
  month: string;
}

export const EMPTY_ROUTE: RegionalRoute = { year: undefined, payer: '', month: '' };

const YEAR_RE = /^(19|20|21)\d{2}$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const PAYER_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** The regional page's route from a query string, or undefined when the URL shows another page. */
export function parseRegionalRoute(search: string): RegionalRoute | undefined {
  const q = new URLSearchParams(search);
  if (q.get('view') !== 'regional') return undefined;
  const year = q.get('year');
  const payer = q.get('payer');
  const month = q.get('month');
  return {
    year: year !== null && YEAR_RE.test(year) ? Number(year) : undefined,
    payer: payer !== null && PAYER_RE.test(payer) ? payer : '',
    month: month !== null && MONTH_RE.test(month) ? month : '',
  };
}

/** The regional page's query string: "?view=regional&year=2025&payer=…&month=2025-12&lang=fi". */
export function regionalUrl(lang: Lang, route: RegionalRoute): string {
  const q = new URLSearchParams({ view: 'regional' });
  if (route.year !== undefined) q.set('year', String(route.year));
  if (route.payer) q.set('payer', route.payer);
  if (route.month) q.set('month', route.month);
  q.set('lang', isLang(lang) ? lang : 'fi');
  return `?${q.toString()}`;
}

export function sameRoute(a: RegionalRoute | undefined, b: RegionalRoute | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.year === b.year && a.payer === b.payer && a.month === b.month;
}

/**
 * The route with its gaps filled from what there is: the asked year when it has production,
 * else the latest; the asked payer when known, else the first; the asked month when it is in
 * the year, else the year's last month that can be complete by `today`.
 */
export function resolveRoute(overview: RegionalOverview, route: RegionalRoute, today: Date = new Date()): RegionalRoute {
  const years = [...overview.years].sort((a, b) => b - a);
  const year = route.year !== undefined && years.includes(route.year) ? route.year : years[0];
  const payer = overview.payers.some((p) => p.code === route.payer) ? route.payer : (overview.payers[0]?.code ?? '');
  let month = '';
  if (year !== undefined) {
    month = route.month.startsWith(`${year}-`) ? route.month : defaultInvoiceMonth(year, today);
  }
  return { year, payer, month };
}

/** The twelve months of a year, "2025-01" … "2025-12". */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/**
 * The invoice shown first: December of a past year (pooling is settled on it), or the last full
 * month of the current year.
 */
export function defaultInvoiceMonth(year: number, today: Date = new Date()): string {
  const current = today.getFullYear();
  if (year < current) return `${year}-12`;
  const month = year === current ? Math.max(1, today.getMonth()) : 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- API paths

export type RegionalReport = 'compare' | 'invoice' | 'capitation' | 'bonus';
export type DownloadFormat = 'csv' | 'xlsx';

/**
 * The query of a regional report for a route: the comparison always age-standardised; the
 * invoice by payer and month; the others by year. `format` asks for a download instead of JSON.
 */
export function reportQuery(report: RegionalReport, route: RegionalRoute, lang: Lang, format?: DownloadFormat): string {
  const q = new URLSearchParams();
  if (report === 'invoice') {
    q.set('payer', route.payer);
    q.set('month', route.month);
  } else {
    q.set('year', String(route.year ?? ''));
    if (report === 'compare') q.set('standardised', 'true');
  }
  q.set('lang', lang);
  if (format) q.set('format', format);
  return q.toString();
}

export function reportPath(report: RegionalReport): string {
  return `/api/v1/regional/${report}`;
}

// ---------------------------------------------------------------- numbers

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Euros: "1 234,56 €" (fi, sv, with no-break spaces), "€1,234.56" (en); negative amounts with a
 * minus sign before all of it ("−1 234,56 €", "−€1,234.56"). No value: "–".
 */
export function formatMoney(lang: Lang, value: number | null | undefined, digits = 2): string {
  if (!isNumber(value)) return '–';
  const text = formatNumber(lang, Math.abs(value), digits);
  const sign = value < 0 && text !== formatNumber(lang, 0, digits) ? MINUS : '';
  return lang === 'en' ? `${sign}€${text}` : `${sign}${text}${NBSP}€`;
}

/** The fewest decimals (at most `max`) that show a value as given: 60, 3,5, 0,25. */
export function formatCompact(lang: Lang, value: number | null | undefined, max = 2): string {
  if (!isNumber(value)) return '–';
  let digits = 0;
  while (digits < max && Math.abs(Math.round(value * 10 ** digits) - value * 10 ** digits) > 1e-9) digits++;
  return formatNumber(lang, value, digits);
}

// ---------------------------------------------------------------- the comparison

export interface Comparison {
  municipalities: CompareRow[];
  /** The whole district (the API's last row, the one without a municipality). */
  district: CompareRow | undefined;
}

/** Splits the comparison rows into the municipalities and the district row. */
export function splitComparison(rows: readonly CompareRow[]): Comparison {
  const last = rows[rows.length - 1];
  const district = last && last.municipality === null ? last : undefined;
  return { municipalities: rows.filter((r) => r !== district), district };
}

/** The age-standardised cost per resident; null when the API gave none. */
export function standardisedCost(row: CompareRow): number | null {
  return isNumber(row.standardised_cost_per_resident) ? row.standardised_cost_per_resident : null;
}

/** Most expensive first by the age-standardised cost per resident; rows without it last, by name. */
export function sortByStandardised(rows: readonly CompareRow[], lang: Lang = 'fi'): CompareRow[] {
  const collator = new Intl.Collator(lang);
  return [...rows].sort((a, b) => {
    const va = standardisedCost(a);
    const vb = standardisedCost(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return vb - va;
    }
    return collator.compare(a.municipality_name, b.municipality_name);
  });
}

/**
 * How many places up the list (towards rank 1, the most expensive) a municipality moves when its
 * costs are age-standardised: crude rank − standardised rank. Negative: it moves down. Null when
 * either rank is missing (the district row).
 */
export function rankChange(row: Pick<CompareRow, 'rank' | 'standardised_rank'>): number | null {
  const { rank, standardised_rank: adjusted } = row;
  if (!isNumber(rank) || !isNumber(adjusted)) return null;
  return rank - adjusted;
}

/** The rank change as shown: "▲ 3", "▼ 2", "0"; none: "–". */
export function formatRankChange(lang: Lang, change: number | null): string {
  if (change === null) return '–';
  if (change === 0) return formatNumber(lang, 0);
  return `${change > 0 ? '\u25b2' : '\u25bc'}${NBSP}${formatNumber(lang, Math.abs(change))}`;
}

/** The rank change in words, for screen readers and the tooltip: "nousee 3 sijaa". */
export function rankChangeText(lang: Lang, change: number | null): string {
  if (change === null) return '';
  if (change === 0) return t(lang, 'regional.rankSame');
  return t(lang, change > 0 ? 'regional.rankUp' : 'regional.rankDown').replace('{n}', formatNumber(lang, Math.abs(change)));
}

/** The chart's height for n municipalities: two bars a row, room for the legend and the axis. */
export function comparisonChartHeight(n: number): number {
  return 100 + Math.max(1, n) * 30;
}

const INK = '#1f2933';
const MUTED = '#52606d';
const GRID = '#d9e2ec';
export const CRUDE_COLOUR = '#9fb3c8';
export const STANDARDISED_COLOUR = '#0b5cad';

/**
 * The ECharts option of the comparison: the municipalities as horizontal bars, the most expensive
 * (age-standardised) on top, the crude cost per resident and the age-standardised one side by
 * side, and the district's cost per resident as a dashed vertical line. A third, empty series
 * gives that line its legend entry.
 */
export function comparisonChartOption(rows: readonly CompareRow[], lang: Lang): Record<string, unknown> {
  const { municipalities, district } = splitComparison(rows);
  const sorted = sortByStandardised(municipalities, lang);
  const names = {
    crude: t(lang, 'regional.crude'),
    standardised: t(lang, 'regional.standardised'),
    average: t(lang, 'regional.districtAverage'),
  };
  const average = district ? (standardisedCost(district) ?? (isNumber(district.cost_per_resident) ? district.cost_per_resident : null)) : null;
  const money = (v: number | null | undefined) => formatMoney(lang, v, 0);
  const bar = { type: 'bar', barGap: '10%', barCategoryGap: '28%' };
  return {
    animation: false,
    textStyle: { color: INK, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    // The legend below the axis and the district's label above the plot: on a phone's width the
    // label would otherwise sit on the axis labels, and a wrapped legend on the first bars.
    grid: { left: 8, right: 56, top: 28, bottom: 56, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: {
      bottom: 0,
      selectedMode: false,
      itemWidth: 16,
      itemHeight: 10,
      textStyle: { color: INK, fontSize: 12 },
      data: average === null ? [names.crude, names.standardised] : [names.crude, names.standardised, names.average],
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? 0;
        const r = sorted[i];
        if (!r) return '';
        const change = rankChange(r);
        const lines = [
          `<strong>${escapeHtml(r.municipality_name)}</strong>`,
          `${escapeHtml(names.crude)}: ${escapeHtml(money(r.cost_per_resident))}`,
          `${escapeHtml(names.standardised)}: ${escapeHtml(money(standardisedCost(r)))}`,
        ];
        if (change !== null) lines.push(escapeHtml(`${t(lang, 'regional.col.rankChange')}: ${rankChangeText(lang, change)}`));
        return lines.join('<br>');
      },
    },
    xAxis: {
      type: 'value',
      axisLabel: { color: MUTED, formatter: (v: number) => money(v), hideOverlap: true },
      splitLine: { lineStyle: { color: GRID } },
    },
    yAxis: {
      type: 'category',
      inverse: true, // the most expensive on top
      data: sorted.map((r) => r.municipality_name),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: MUTED } },
      axisLabel: { interval: 0, color: INK },
    },
    series: [
      { ...bar, name: names.crude, data: sorted.map((r) => (isNumber(r.cost_per_resident) ? r.cost_per_resident : null)), itemStyle: { color: CRUDE_COLOUR } },
      {
        ...bar,
        name: names.standardised,
        data: sorted.map((r) => standardisedCost(r)),
        itemStyle: { color: STANDARDISED_COLOUR },
        markLine:
          average === null
            ? undefined
            : {
                silent: true,
                symbol: 'none',
                animation: false,
                lineStyle: { color: INK, type: 'dashed', width: 1.5 },
                // The axis is inverted (the most expensive on top): the line starts at the top.
                label: { show: true, position: 'start', color: INK, formatter: () => money(average) },
                data: [{ xAxis: average, name: names.average }],
              },
      },
      { name: names.average, type: 'line', data: [], symbol: 'none', silent: true, lineStyle: { color: INK, type: 'dashed', width: 1.5 }, itemStyle: { color: INK } },
    ],
  };
}

/**
 * The chart in words, for its text alternative: the district's cost per resident and the
 * municipalities with the highest and lowest age-standardised cost.
 */
export function comparisonSummary(lang: Lang, year: number | undefined, rows: readonly CompareRow[]): string {
  const { municipalities, district } = splitComparison(rows);
  const sorted = sortByStandardised(municipalities, lang).filter((r) => standardisedCost(r) !== null);
  if (sorted.length === 0) return t(lang, 'regional.compareNone');
  const highest = sorted[0];
  const lowest = sorted[sorted.length - 1];
  return t(lang, 'regional.summary')
    .replace('{year}', year === undefined ? '' : String(year))
    .replace('{district}', formatMoney(lang, district ? (standardisedCost(district) ?? district.cost_per_resident) : null, 0))
    .replace('{highest}', highest.municipality_name)
    .replace('{highestValue}', formatMoney(lang, standardisedCost(highest), 0))
    .replace('{lowest}', lowest.municipality_name)
    .replace('{lowestValue}', formatMoney(lang, standardisedCost(lowest), 0));
}

// ---------------------------------------------------------------- the invoice

export type InvoiceRowKind = 'line' | 'subtotal' | 'pool' | 'total';

export const POOL_PRODUCTS: readonly string[] = ['POOL-OUT', 'POOL-IN'];

/** What a row of the invoice is: the last is the total; pooling by its product; no product: a subtotal. */
export function invoiceRowKind(row: InvoiceRow, index: number, count: number): InvoiceRowKind {
  if (index === count - 1 && row.product === null) return 'total';
  if (row.product !== null && POOL_PRODUCTS.includes(row.product)) return 'pool';
  if (row.product === null) return 'subtotal';
  return 'line';
}

export function classifyInvoice(rows: readonly InvoiceRow[]): InvoiceRowKind[] {
  return rows.map((row, i) => invoiceRowKind(row, i, rows.length));
}

/**
 * The sum of the lines and the pooling rows, in cents, to check the invoice's total against: the
 * subtotals only repeat the lines.
 */
export function invoiceSumCents(rows: readonly InvoiceRow[]): number {
  const kinds = classifyInvoice(rows);
  return rows.reduce((sum, r, i) => (kinds[i] === 'line' || kinds[i] === 'pool' ? sum + Math.round((r.amount ?? 0) * 100) : sum), 0);
}

// ---------------------------------------------------------------- capitation and bonus

export type CapitationRowKind = 'municipality' | 'total';

export function capitationRowKind(row: CapitationRow, index: number, count: number): CapitationRowKind {
  return index === count - 1 && row.municipality === null ? 'total' : 'municipality';
}

export type BonusRowKind = 'measure' | 'component' | 'provider' | 'total';

/** What a row of the bonus is: a measure, a component's total, a provider's total, all providers. */
export function bonusRowKind(row: BonusRow): BonusRowKind {
  if (row.provider === null) return 'total';
  if (row.measure !== null) return 'measure';
  if (row.component !== null) return 'component';
  return 'provider';
}

export interface BonusGroup {
  provider: string;
  name: string;
  rows: BonusRow[];
}

/** The bonus rows by provider, in the API's order, and the all-providers row. */
export function groupBonus(rows: readonly BonusRow[]): { providers: BonusGroup[]; total: BonusRow | undefined } {
  const providers: BonusGroup[] = [];
  let total: BonusRow | undefined;
  for (const row of rows) {
    if (bonusRowKind(row) === 'total') {
      total = row;
      continue;
    }
    let group = providers.find((g) => g.provider === row.provider);
    if (!group) {
      group = { provider: row.provider!, name: row.provider_name ?? row.provider!, rows: [] };
      providers.push(group);
    }
    group.rows.push(row);
  }
  return { providers, total };
}

const COMPONENTS = ['quality', 'effectiveness', 'cost_efficiency'] as const;

/** The name of a bonus component (`quality` → "Laatu"); unknown ones as they are. */
export function componentLabel(lang: Lang, component: string | null): string {
  if (component === null) return '';
  return (COMPONENTS as readonly string[]).includes(component) ? t(lang, `regional.component.${component}` as MessageKey) : component;
}
