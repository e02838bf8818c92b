// The "What the comments say" view: the API's theme rows (GET /api/v1/themes) turned into what
// the charts and the table show. Presentation only: every NPS, interval and share is the API's.

import { ALL_COMMENTS, type ThemeRow } from './api';
import { THEMES, themeLabel, type Lang } from './i18n';

/** The columns of a theme row that are figures, not the group's `by` labels. */
const FIGURE_COLUMNS = new Set([
  'theme',
  'n',
  'share',
  'detractor_share',
  'promoter_share',
  'promoters',
  'passives',
  'detractors',
  'nps',
  'ci_low',
  'ci_high',
  'suppressed',
]);

export interface ThemeView {
  /** The group's "(all comments)" row: every answer with a comment. */
  baseline: ThemeRow | undefined;
  /** One row per theme: the known themes in THEMES order, then any the dashboard does not know. */
  themes: ThemeRow[];
  /** 'none': no comments at all; 'suppressed': too few (the baseline is suppressed); else 'shown'. */
  status: 'none' | 'suppressed' | 'shown';
}

/** The `by` labels of a row ("" when the report has no `by`), to tell the groups apart. */
function groupKey(row: ThemeRow): string {
  return JSON.stringify(Object.keys(row).filter((k) => !FIGURE_COLUMNS.has(k)).map((k) => [k, row[k]]));
}

/**
 * Splits the API's rows into the baseline and the themes. The dashboard asks without `by`, so
 * there is one group; should there be more, the first group's rows are used.
 */
export function themeView(rows: readonly ThemeRow[]): ThemeView {
  if (rows.length === 0) return { baseline: undefined, themes: [], status: 'none' };
  const key = groupKey(rows[0]);
  const group = rows.filter((r) => groupKey(r) === key);
  const baseline = group.find((r) => r.theme === ALL_COMMENTS);
  const order = (theme: string) => {
    const i = (THEMES as readonly string[]).indexOf(theme);
    return i < 0 ? THEMES.length : i;
  };
  const themes = group.filter((r) => r.theme !== ALL_COMMENTS).sort((a, b) => order(a.theme) - order(b.theme));
  const status = !baseline ? (themes.length ? 'suppressed' : 'none') : baseline.suppressed || typeof baseline.nps !== 'number' ? 'suppressed' : 'shown';
  return { baseline, themes, status };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What the two theme charts draw, index by index (index = row of the category axis, top first). */
export interface ThemeChartData {
  themes: string[];
  labels: string[];
  suppressed: boolean[];
  /** The bars of the NPS chart (null: suppressed, no bar). */
  nps: (number | null)[];
  /** Error bars: [ci_low, ci_high, index] of the rows that have both. */
  intervals: [number, number, number][];
  /** The reference line: the NPS of all answers with a comment (null when suppressed). */
  baseline: number | null;
  /** The NPS axis: whole tens, always including 0, the baseline and every interval. */
  npsDomain: [number, number];
  /** The shares (in %) of the detractors' and the promoters' comments mentioning each theme. */
  detractorShares: (number | null)[];
  promoterShares: (number | null)[];
  /** The share axis' upper end: a whole ten, at least 10, at most 100. */
  shareMax: number;
}

/** The NPS axis for these values: outward to whole tens, including 0, at least 20 wide, within ±100. */
export function npsDomain(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = Math.max(-100, Math.floor(Math.min(0, ...finite) / 10) * 10);
  let hi = Math.min(100, Math.ceil(Math.max(0, ...finite) / 10) * 10);
  if (hi - lo < 20) {
    if (hi + 20 - (hi - lo) <= 100) hi = lo + 20;
    else lo = hi - 20;
  }
  return [lo === 0 ? 0 : lo, hi === 0 ? 0 : hi]; // no −0
}

/** The share axis' upper end for these percentages: the next whole ten, between 10 and 100. */
export function shareMax(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return Math.min(100, Math.max(10, Math.ceil(Math.max(0, ...finite) / 10) * 10));
}

export function themeChartData(view: ThemeView, lang: Lang): ThemeChartData {
  const rows = view.themes;
  const shown = (r: ThemeRow) => !r.suppressed && num(r.nps) !== null;
  const baseline = view.baseline && !view.baseline.suppressed ? num(view.baseline.nps) : null;
  const intervals: [number, number, number][] = [];
  rows.forEach((r, i) => {
    const low = num(r.ci_low);
    const high = num(r.ci_high);
    if (shown(r) && low !== null && high !== null) intervals.push([low, high, i]);
  });
  const nps = rows.map((r) => (shown(r) ? num(r.nps) : null));
  const detractorShares = rows.map((r) => (r.suppressed ? null : num(r.detractor_share)));
  const promoterShares = rows.map((r) => (r.suppressed ? null : num(r.promoter_share)));
  const onAxis = [
    ...nps.filter((v): v is number => v !== null),
    ...intervals.flatMap(([low, high]) => [low, high]),
    ...(baseline !== null ? [baseline] : []),
  ];
  return {
    themes: rows.map((r) => r.theme),
    labels: rows.map((r) => themeLabel(lang, r.theme)),
    suppressed: rows.map((r) => !shown(r)),
    nps,
    intervals,
    baseline,
    npsDomain: npsDomain(onAxis),
    detractorShares,
    promoterShares,
    shareMax: shareMax([...detractorShares, ...promoterShares].filter((v): v is number => v !== null)),
  };
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The rows as CSV in the API's own columns and values, as the server's CSV exports write them:
 * a header line, commas, points as decimal separators, nulls empty, booleans true/false.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  const lines = [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** The CSV's file name: themes_<unit>_<from>_<to>.csv (unit "all" for the whole organisation). */
export function csvFileName(s: { unit: string; from: string; to: string }): string {
  return `themes_${s.unit || 'all'}_${s.from}_${s.to}.csv`;
}
