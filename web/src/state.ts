// The view's filters live in the URL query string, so a view can be shared and back/forward
// work. This module turns a query string into a ViewState and back, and builds API queries.

import { ANSWER_LANGUAGES, CHANNELS, SENTIMENTS, THEMES, VISIT_TYPES, isLang, type Lang } from './i18n';
import { isIsoDate } from './format';

export interface ViewState {
  /** Unit code; "" = not chosen (the app fills in the default once it knows the user). */
  unit: string;
  from: string;
  to: string;
  /** "" = all */
  channel: string;
  language: string;
  visit_type: string;
  /** UI language, also sent to the API as `lang` for unit names. */
  lang: Lang;
  /** Comment filter: comments mentioning any of these themes, in THEMES order; [] = all. */
  themes: string[];
  /** Comment filter: one sentiment; "" = all. */
  sentiment: string;
  /** The page shown: the situation picture or the strategy scorecard (`view=scorecard`). */
  view: View;
  /** The scorecard's year (in the URL only on the scorecard). */
  year: number;
}

export const VIEWS = ['situation', 'scorecard'] as const;
export type View = (typeof VIEWS)[number];

/** The scorecard's default year: the last full calendar year. */
export function defaultYear(today: Date = new Date()): number {
  return today.getFullYear() - 1;
}

const UNIT_RE = /^[A-Za-z0-9._-]{1,64}$/;
const YEAR_RE = /^(19|20|21)\d{2}$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** The default period: the previous calendar year (1 Jan – 31 Dec of the current year − 1). */
export function defaultPeriod(today: Date = new Date()): { from: string; to: string } {
  const year = today.getFullYear() - 1;
  return { from: isoDate(year, 1, 1), to: isoDate(year, 12, 31) };
}

export function defaultState(today: Date = new Date(), lang: Lang = 'fi'): ViewState {
  return {
    unit: '',
    ...defaultPeriod(today),
    channel: '',
    language: '',
    visit_type: '',
    lang,
    themes: [],
    sentiment: '',
    view: 'situation',
    year: defaultYear(today),
  };
}

function oneOf(value: string | null, allowed: readonly string[]): string {
  return value !== null && allowed.includes(value) ? value : '';
}

/**
 * The theme filter from the URL's `theme` values: comma-separated and/or repeated
 * ("theme=waiting,care" or "theme=waiting&theme=care"). Unknown names are dropped; the rest are
 * returned once each, in THEMES order.
 */
export function parseThemes(values: readonly string[]): string[] {
  const asked = new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()));
  return THEMES.filter((theme) => asked.has(theme));
}

/** `themes` with `theme` added, or removed if it is there (the filter's toggle chips). */
export function toggleTheme(themes: readonly string[], theme: string): string[] {
  return themes.includes(theme) ? themes.filter((t) => t !== theme) : parseThemes([...themes, theme]);
}

/**
 * Reads the filters from a query string ("?unit=A03&from=…"). Missing or invalid values take
 * their defaults; unknown parameters are ignored.
 */
export function parseState(search: string, today: Date = new Date(), defaultLang: Lang = 'fi'): ViewState {
  const q = new URLSearchParams(search);
  const s = defaultState(today, defaultLang);
  const unit = q.get('unit');
  if (unit !== null && UNIT_RE.test(unit)) s.unit = unit;
  const from = q.get('from');
  if (from !== null && isIsoDate(from)) s.from = from;
  const to = q.get('to');
  if (to !== null && isIsoDate(to)) s.to = to;
  s.channel = oneOf(q.get('channel'), CHANNELS);
  s.language = oneOf(q.get('language'), ANSWER_LANGUAGES);
  s.visit_type = oneOf(q.get('visit_type'), VISIT_TYPES);
  const lang = q.get('lang');
  if (isLang(lang)) s.lang = lang;
  s.themes = parseThemes(q.getAll('theme'));
  s.sentiment = oneOf(q.get('sentiment'), SENTIMENTS);
  s.view = (oneOf(q.get('view'), VIEWS) || 'situation') as View;
  const year = q.get('year');
  if (year !== null && YEAR_RE.test(year)) s.year = Number(year);
  return s;
}

/** The query string of a view ("?unit=A03&from=…&lang=fi"), in a fixed order; empty filters left out. */
export function serialiseState(s: ViewState): string {
  const q = new URLSearchParams();
  if (s.unit) q.set('unit', s.unit);
  q.set('from', s.from);
  q.set('to', s.to);
  if (s.channel) q.set('channel', s.channel);
  if (s.language) q.set('language', s.language);
  if (s.visit_type) q.set('visit_type', s.visit_type);
  if (s.themes.length) q.set('theme', s.themes.join(','));
  if (s.sentiment) q.set('sentiment', s.sentiment);
  if (s.view === 'scorecard') {
    q.set('view', s.view);
    q.set('year', String(s.year));
  }
  q.set('lang', s.lang);
  // Commas may stand unencoded in a query; only the theme list has them (the rest are validated).
  return `?${q.toString().replace(/%2C/g, ',')}`;
}

/** True when the view has a comment filter (theme or sentiment). */
export function hasCommentFilters(s: ViewState): boolean {
  return s.themes.length > 0 || s.sentiment !== '';
}

/** True when two views differ at most in their comment filters (the reports stay the same). */
export function sameReport(a: ViewState, b: ViewState): boolean {
  const report = (s: ViewState) => serialiseState({ ...s, themes: [], sentiment: '' });
  return report(a) === report(b);
}

/** The comments call's own parameters: `theme` (comma-separated, any of them) and `sentiment`. */
export function commentFilters(s: ViewState): Record<string, string | undefined> {
  return { theme: s.themes.length ? s.themes.join(',') : undefined, sentiment: s.sentiment || undefined };
}

/** The API's `where` filters of a view: ["channel=sms", "language=sv"]. */
export function whereFilters(s: ViewState): string[] {
  const where: string[] = [];
  if (s.channel) where.push(`channel=${s.channel}`);
  if (s.language) where.push(`language=${s.language}`);
  if (s.visit_type) where.push(`visit_type=${s.visit_type}`);
  return where;
}

export interface QueryOptions {
  /** Send the `where` filters (not for comments, which have none). */
  where?: boolean;
  /** Send `lang` (unit names in that language). */
  lang?: boolean;
  /** Further parameters, appended in order. */
  extra?: Record<string, string | number | undefined>;
}

/** The scorecard call's query: `year=2025&lang=sv`. */
export function scorecardQuery(s: ViewState): string {
  return new URLSearchParams({ year: String(s.year), lang: s.lang }).toString();
}

/**
 * The URL-encoded query of an API call for a view: unit, from, to, then repeated
 * `where=channel%3Dsms` parameters, then `lang` and the extras.
 */
export function apiQuery(s: ViewState, options: QueryOptions = {}): string {
  const q = new URLSearchParams();
  if (s.unit) q.append('unit', s.unit);
  q.append('from', s.from);
  q.append('to', s.to);
  if (options.where !== false) for (const w of whereFilters(s)) q.append('where', w);
  if (options.lang !== false) q.append('lang', s.lang);
  for (const [k, v] of Object.entries(options.extra ?? {})) if (v !== undefined && v !== '') q.append(k, String(v));
  return q.toString();
}

export function sameState(a: ViewState, b: ViewState): boolean {
  return serialiseState(a) === serialiseState(b);
}

/** The months of from..to inclusive ("2024-01", …; at most 600), for an axis with gaps where there are no rows. */
export function monthsBetween(from: string, to: string): string[] {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const out: string[] = [];
  let index = fy * 12 + (fm - 1);
  const last = ty * 12 + (tm - 1);
  while (index <= last && out.length < 600) {
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
    index++;
  }
  return out;
}
