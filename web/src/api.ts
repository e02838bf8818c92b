// The Mittari HTTP API (same origin, session cookie + X-CSRF-Token). Types follow
// src/http/openapi.json.

export type Role = 'admin' | 'analyst' | 'manager' | 'integration' | 'finance';

export interface Me {
  user: string;
  role: Role;
  units: string[];
  /** Returned by login (and by /me when the server provides it). */
  csrf?: string;
}

export interface Unit {
  code: string;
  parent: string;
  kind: 'organisation' | 'area' | 'centre' | 'unit';
  depth: number;
  name_fi: string;
  name_sv?: string | null;
  name_en?: string | null;
  valid_from?: string | null;
  valid_to?: string | null;
  successor?: string | null;
}

export interface NpsFigures {
  n: number | null;
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
  nps: number | null;
  ci_low: number | null;
  ci_high: number | null;
  suppressed: boolean;
}

export type NpsRow = NpsFigures & Record<string, string | number | boolean | null>;

export interface PeriodNps {
  from: string;
  to: string;
  n?: number | null;
  nps?: number | null;
  se?: number | null;
  ci_low?: number | null;
  ci_high?: number | null;
}

export interface CompareResult {
  first: PeriodNps;
  second: PeriodNps;
  difference?: number | null;
  z?: number | null;
  p_value?: number | null;
  significant?: boolean | null;
  suppressed: boolean;
}

export interface Limits {
  low95: number;
  high95: number;
  low998: number;
  high998: number;
}

export interface FunnelUnit {
  code: string;
  name: string;
  n?: number | null;
  nps?: number | null;
  ci_low?: number | null;
  ci_high?: number | null;
  limits?: Limits | null;
  position?: string | null;
  suppressed: boolean;
}

export interface CurvePoint extends Limits {
  n: number;
}

export interface FunnelResult {
  parent: { code: string; n?: number | null; nps?: number | null };
  units: FunnelUnit[];
  curve?: CurvePoint[];
}

export interface Comment {
  answered_at: string;
  unit: string;
  language: string;
  score: number;
  text: string;
  /** Theme names found in the comment at ingest (facilities, waiting, …); may be empty. */
  themes?: string[];
  /** positive | negative | neutral | mixed, or null when not analysed. */
  sentiment?: string | null;
}

/** The name of the baseline row of each group in GET /api/v1/themes. */
export const ALL_COMMENTS = '(all comments)';

export type ScorecardUnit = '%' | 'points' | '€' | 'count' | 'rank' | 'yes/no';
export type TargetOp = '>' | '>=' | '<' | '<=' | '=' | 'between' | 'yes';
export type ScorecardStatus = 'achieved' | 'not_achieved' | 'no_data' | 'on_track' | 'off_track';
export type ScorecardSignificance = 'not_applicable' | 'clear' | 'within_interval';

export interface ScorecardTarget {
  op: TargetOp;
  value: number | null;
  value_high?: number | null;
}

/** One indicator of `GET /api/v1/scorecard`: names in the asked language, the year's target and outcome. */
export interface ScorecardRow {
  focal_point: string;
  goal: string;
  indicator: string;
  indicator_id: string;
  unit: ScorecardUnit | string;
  target: ScorecardTarget | null;
  outcome: number | null;
  /** Sampled measures only (NPS, eNPS, shares); else null. */
  ci_low: number | null;
  ci_high: number | null;
  year_to_date: boolean;
  /** null: no target that year. */
  status: ScorecardStatus | null;
  significance: ScorecardSignificance | null;
  /** Five years up to the asked one. */
  history: { year: number; value: number | null }[];
}

export interface ScorecardResult {
  title: string;
  year: number;
  rows: ScorecardRow[];
}

/**
 * A row of GET /api/v1/themes: one theme (or the baseline "(all comments)") of one group, with
 * the group's `by` columns first. Shares are percentages; suppressed rows have null numbers.
 */
export interface ThemeRow {
  theme: string;
  n: number | null;
  share: number | null;
  detractor_share: number | null;
  promoter_share: number | null;
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
  nps: number | null;
  ci_low: number | null;
  ci_high: number | null;
  suppressed: boolean;
  [by: string]: string | number | boolean | null;
}

/** `GET /api/v1/regional`: what regional finance data there is. */
export interface RegionalOverview {
  /** Years with production (the comparison's and the invoices' years). */
  years: number[];
  payers: { code: string; name: string }[];
  /** Years the regional definition has a capitation budget or a bonus for. */
  capitation_years: number[];
  bonus_years: number[];
}

/**
 * A row of `GET /api/v1/regional/compare`: one municipality, or (the last row) the whole
 * district with `municipality` null. The standardised columns come with `standardised=true`.
 */
export interface CompareRow {
  municipality: string | null;
  municipality_name: string;
  payer: string | null;
  residents: number | null;
  share_75_plus: number | null;
  patients: number | null;
  cost: number | null;
  cost_per_resident: number | null;
  cost_per_patient: number | null;
  index: number | null;
  rank: number | null;
  standardised_cost_per_resident?: number | null;
  standardised_index?: number | null;
  standardised_rank?: number | null;
}

/**
 * A row of `GET /api/v1/regional/invoice`: a product line, a municipality's subtotal (product and
 * volume null), a pooling line (product POOL-OUT / POOL-IN) or, last, the invoice total.
 */
export interface InvoiceRow {
  municipality: string | null;
  municipality_name: string | null;
  product: string | null;
  product_name: string | null;
  volume: number | null;
  unit_price: number | null;
  amount: number | null;
}

/** A row of `GET /api/v1/regional/capitation`; the last row is the total. */
export interface CapitationRow {
  municipality: string | null;
  municipality_name: string | null;
  residents: number | null;
  weighted_residents: number | null;
  need_coefficient: number | null;
  raw_claim: number | null;
  budget: number | null;
  budget_per_resident: number | null;
}

/**
 * A row of `GET /api/v1/regional/bonus`: a measure, a component's total (measure null), a
 * provider's total (component null, bonus set) or, last, all providers (provider null).
 */
export interface BonusRow {
  provider: string | null;
  provider_name: string | null;
  component: string | null;
  measure: string | null;
  measure_name: string | null;
  value: number | null;
  floor: number | null;
  target: number | null;
  weight: number | null;
  score: number | null;
  pool: number | null;
  bonus: number | null;
}

export interface CommentsResult {
  total: number;
  suppressed: boolean;
  page: number;
  comments: Comment[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// The CSRF token of the session. Kept in memory; also in this tab's sessionStorage so that a
// reload can still sign out (GET /api/v1/me returns no csrf; when it does, that one wins).
const CSRF_KEY = 'mittari.csrf';
let csrfToken: string | undefined = readStoredCsrf();
let onUnauthenticated: (() => void) | undefined;

function readStoredCsrf(): string | undefined {
  try {
    return sessionStorage.getItem(CSRF_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: memory only
  }
}

function setCsrf(token: string | undefined): void {
  csrfToken = token;
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // storage disabled: memory only
  }
}

/** Called whenever the API answers 401 (no or expired session). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = 'Error';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(res.status, code, message);
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  if (!res.ok) {
    const error = await errorFrom(res);
    // A failed login is 403, never 401; 401 means the session is gone.
    if (res.status === 401 && path !== '/api/v1/login') onUnauthenticated?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function get<T>(path: string, query = '', signal?: AbortSignal): Promise<T> {
  return request<T>('GET', query ? `${path}?${query}` : path, undefined, signal);
}

export async function login(user: string, password: string): Promise<Me> {
  const me = await request<Me>('POST', '/api/v1/login', { user, password });
  setCsrf(me.csrf);
  return me;
}

export async function fetchMe(): Promise<Me> {
  const me = await request<Me>('GET', '/api/v1/me');
  if (me.csrf) setCsrf(me.csrf);
  return me;
}

export async function logout(): Promise<void> {
  try {
    await request<void>('POST', '/api/v1/logout');
  } finally {
    setCsrf(undefined);
  }
}

export function clearSession(): void {
  setCsrf(undefined);
}
