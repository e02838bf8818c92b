// Number and date formatting per UI language. Only presentation: every figure comes from the API.

import { LOCALES, type Lang } from './i18n';

const MINUS = '\u2212';
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(lang: Lang, digits: number, signed: boolean): Intl.NumberFormat {
  const key = `n:${lang}:${digits}:${signed}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      // "exceptZero" adds + to rises; zero-ish values are snapped to 0 below so that −0,04
      // never shows as "−0,0".
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    cache.set(key, f);
  }
  return f;
}

/** Values that round to zero at `digits` decimals become a plain 0 (no "−0,0"). */
function snapZero(value: number, digits: number): number {
  return Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value;
}

/** A typographic minus sign (U+2212) in every language; Intl gives one for fi/sv but not en. */
function properMinus(text: string): string {
  return text.replace(/-/g, MINUS);
}

/** A number with a fixed number of decimals: 80.24 → "80,2" (fi, sv) / "80.2" (en). */
export function formatNumber(lang: Lang, value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return properMinus(numberFormat(lang, digits, false).format(snapZero(value, digits)));
}

/** An NPS value with one decimal. */
export function formatNps(lang: Lang, value: number | null | undefined): string {
  return formatNumber(lang, value, 1);
}

/** A change in NPS points with an explicit sign: +5,3 / −2,1 / 0,0. */
export function formatDifference(lang: Lang, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return properMinus(numberFormat(lang, 1, true).format(snapZero(value, 1)));
}

/** A count: 17611 → "17 611" (fi, sv, with a no-break space) / "17,611" (en). */
export function formatCount(lang: Lang, value: number | null | undefined): string {
  return formatNumber(lang, value, 0);
}

/**
 * A percentage given in percent (18.18 → "18,2 %" in fi and sv, with a no-break space; "18.2%"
 * in en), as the API gives shares.
 */
export function formatPercent(lang: Lang, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const key = `p:${lang}:${digits}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    cache.set(key, f);
  }
  return properMinus(f.format(snapZero(value, digits) / 100));
}

/** An interval "61,0 … 64,6" (an en dash would be ambiguous next to negative numbers). */
export function formatInterval(lang: Lang, low: number | null | undefined, high: number | null | undefined): string {
  if (low === null || low === undefined || high === null || high === undefined) return '–';
  return `${formatNps(lang, low)} … ${formatNps(lang, high)}`;
}

/** A p-value: three decimals, or "< 0,001". */
export function formatPValue(lang: Lang, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value < 0.001) return `< ${formatNumber(lang, 0.001, 3)}`;
  return formatNumber(lang, value, 3);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function dateTimeFormat(lang: Lang, kind: 'date' | 'month' | 'instant'): Intl.DateTimeFormat {
  const key = `d:${lang}:${kind}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? lang === 'en'
          ? { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }
          : { timeZone: 'UTC', day: 'numeric', month: 'numeric', year: 'numeric' }
        : kind === 'month'
          ? { timeZone: 'UTC', month: 'short', year: 'numeric' }
          : {
              timeZone: 'Europe/Helsinki',
              day: 'numeric',
              month: lang === 'en' ? 'short' : 'numeric',
              year: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
            };
    f = new Intl.DateTimeFormat(LOCALES[lang], options);
    cache.set(key, f);
  }
  return f;
}

/** A calendar date "2024-03-01" → "1.3.2024" (fi, sv) / "1 Mar 2024" (en). Others as they are. */
export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '–';
  if (!isIsoDate(iso)) return iso;
  const [y, m, d] = iso.split('-').map(Number);
  return dateTimeFormat(lang, 'date').format(new Date(Date.UTC(y, m - 1, d)));
}

/** A period "2024-01-01".."2024-12-31" → "1.1.2024–31.12.2024". */
export function formatPeriod(lang: Lang, from: string | null | undefined, to: string | null | undefined): string {
  return `${formatDate(lang, from)}\u2013${formatDate(lang, to)}`;
}

/** A month "2024-03" → "maalis 2024" / "mars 2024" / "Mar 2024". */
export function formatMonth(lang: Lang, month: string): string {
  const m = MONTH_RE.exec(month);
  if (!m) return month;
  return dateTimeFormat(lang, 'month').format(new Date(Date.UTC(+m[1], +m[2] - 1, 1)));
}

/** A UTC instant shown in Helsinki time: "2025-12-31T17:51:39Z" → "31.12.2025 klo 19.51" (fi). */
export function formatInstant(lang: Lang, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateTimeFormat(lang, 'instant').format(d);
}
