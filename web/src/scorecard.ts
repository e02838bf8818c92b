// The strategy scorecard view: `GET /api/v1/scorecard` rows grouped by focal point and goal, and
// the texts of a row (target, outcome, status, significance) and its history sparkline. Only
// presentation: outcomes, statuses and significance come from the API.

import type { ScorecardRow, ScorecardSignificance, ScorecardStatus, ScorecardTarget } from './api';
import { formatNumber } from './format';
import { t, type Lang, type MessageKey } from './i18n';

export const SCORECARD_STATUSES = ['achieved', 'not_achieved', 'no_data', 'on_track', 'off_track'] as const;

export interface GoalGroup {
  name: string;
  rows: ScorecardRow[];
}

export interface FocalPointGroup {
  name: string;
  goals: GoalGroup[];
}

/** The rows grouped by focal point, then goal, both in the order the API first names them. */
export function groupScorecard(rows: readonly ScorecardRow[]): FocalPointGroup[] {
  const focalPoints: FocalPointGroup[] = [];
  for (const row of rows) {
    let focal = focalPoints.find((f) => f.name === row.focal_point);
    if (!focal) {
      focal = { name: row.focal_point, goals: [] };
      focalPoints.push(focal);
    }
    let goal = focal.goals.find((g) => g.name === row.goal);
    if (!goal) {
      goal = { name: row.goal, rows: [] };
      focal.goals.push(goal);
    }
    goal.rows.push(row);
  }
  return focalPoints;
}

/** Decimals of an outcome by unit: NPS points and shares to one decimal, money and counts whole. */
export function outcomeDigits(unit: string): number {
  return unit === 'points' || unit === '%' ? 1 : unit === '€' || unit === 'count' || unit === 'rank' ? 0 : 1;
}

/** The fewest decimals (at most two) that show a target as it was set: 70, 72,5, 0,25. */
function compactDigits(value: number): number {
  if (Number.isInteger(value)) return 0;
  return Math.abs(Math.round(value * 10) - value * 10) < 1e-9 ? 1 : 2;
}

function yesNo(lang: Lang, value: number): string {
  return t(lang, value >= 0.5 ? 'scorecard.yes' : 'scorecard.no');
}

/** A number text with its unit: "72,5 %" / "72.5%", "1 658 €" / "€1,658"; points, counts and ranks bare. */
export function withUnit(lang: Lang, text: string, unit: string): string {
  if (unit === '%') return lang === 'en' ? `${text}%` : `${text}\u00a0%`;
  if (unit === '€') return lang === 'en' ? `€${text}` : `${text}\u00a0€`;
  return text;
}

/** An outcome: "79,7" (points), "72,5 %", "1 658 €", "Kyllä"/"Ja"/"Yes"; no value: "–". */
export function formatOutcome(lang: Lang, value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'yes/no') return yesNo(lang, value);
  return withUnit(lang, formatNumber(lang, value, outcomeDigits(unit)), unit);
}

const OPERATORS: Record<string, string> = { '>': '>', '>=': '\u2265', '<': '<', '<=': '\u2264', '=': '=' };

/**
 * A target as a reader writes it: "> 80", "≥ 75 %", "≤ 1 580 €", "70–75" (between), "Kyllä"
 * (yes). No target: "".
 */
export function formatTarget(lang: Lang, target: ScorecardTarget | null | undefined, unit: string): string {
  if (!target) return '';
  if (target.op === 'yes') return yesNo(lang, 1);
  const value = target.value;
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const number = (v: number) => formatNumber(lang, v, compactDigits(v));
  if (target.op === 'between') {
    const high = target.value_high;
    if (high === null || high === undefined || !Number.isFinite(high)) return withUnit(lang, `\u2265 ${number(value)}`, unit);
    return withUnit(lang, `${number(value)}\u2013${number(high)}`, unit);
  }
  if (unit === 'yes/no') return yesNo(lang, value);
  const op = OPERATORS[target.op] ?? target.op;
  return `${op} ${withUnit(lang, number(value), unit)}`;
}

export function isScorecardStatus(value: unknown): value is ScorecardStatus {
  return typeof value === 'string' && (SCORECARD_STATUSES as readonly string[]).includes(value);
}

/** The status as words ("Uppnåddes"); unknown statuses as they are, no target: "Ei tavoitetta". */
export function statusLabel(lang: Lang, status: string | null | undefined): string {
  if (status === null || status === undefined) return t(lang, 'scorecard.noTarget');
  return isScorecardStatus(status) ? t(lang, `scorecardStatus.${status}` as MessageKey) : status;
}

/** A short note on the significance: only when the target is within the outcome's 95% interval. */
export function significanceNote(lang: Lang, significance: ScorecardSignificance | string | null | undefined): string | undefined {
  return significance === 'within_interval' ? t(lang, 'significance.within_interval') : undefined;
}

/** The outcome's interval "78,0 … 81,4", or undefined when the measure is not sampled. */
export function formatOutcomeInterval(lang: Lang, row: Pick<ScorecardRow, 'ci_low' | 'ci_high' | 'unit'>): string | undefined {
  const { ci_low: low, ci_high: high } = row;
  if (low === null || low === undefined || high === null || high === undefined) return undefined;
  const digits = outcomeDigits(row.unit);
  return `${formatNumber(lang, low, digits)} \u2026 ${formatNumber(lang, high, digits)}`;
}

export interface SparkPoint {
  x: number;
  y: number;
  year: number;
  value: number;
}

export interface Sparkline {
  width: number;
  height: number;
  /** SVG path data, one "M…L…" run per stretch of years with values (gaps break the line). */
  path: string;
  points: SparkPoint[];
  /** The last year's point when it has a value (drawn as a dot). */
  last?: SparkPoint;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * The history as a small line: the years spread evenly across the width, the values between
 * their minimum (bottom) and maximum (top) within `pad` of the edges; a flat history in the middle.
 */
export function sparkline(
  history: readonly { year: number; value: number | null }[],
  width = 96,
  height = 28,
  pad = 3,
): Sparkline {
  const values = history.map((h) => h.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = history.length > 1 ? (width - 2 * pad) / (history.length - 1) : 0;
  const y = (v: number) => (max === min ? height / 2 : pad + ((max - v) / (max - min)) * (height - 2 * pad));
  const points: SparkPoint[] = [];
  const parts: string[] = [];
  let drawing = false;
  history.forEach((h, i) => {
    if (h.value === null || !Number.isFinite(h.value)) {
      drawing = false;
      return;
    }
    const p = { x: round2(history.length > 1 ? pad + i * step : width / 2), y: round2(y(h.value)), year: h.year, value: h.value };
    points.push(p);
    parts.push(`${drawing ? 'L' : 'M'}${p.x} ${p.y}`);
    drawing = true;
  });
  const lastEntry = history[history.length - 1];
  const last = lastEntry && lastEntry.value !== null ? points[points.length - 1] : undefined;
  return { width, height, path: parts.join(' '), points, last };
}

/** The history in words, for the sparkline's text alternative: "2021: 68,6; …; 2025: –". */
export function historyText(lang: Lang, history: readonly { year: number; value: number | null }[], unit: string): string {
  return history.map((h) => `${h.year}: ${formatOutcome(lang, h.value, unit)}`).join('; ');
}

/** The years offered by the year selector: the current year back six years, and the chosen one. */
export function yearOptions(today: Date, selected: number): number[] {
  const current = today.getFullYear();
  const years = new Set<number>();
  for (let y = current; y >= current - 6; y--) years.add(y);
  years.add(selected);
  return [...years].sort((a, b) => b - a);
}
