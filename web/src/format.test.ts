import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDate,
  formatDifference,
  formatInstant,
  formatInterval,
  formatMonth,
  formatNps,
  formatNumber,
  formatPercent,
  formatPeriod,
  formatPValue,
  isIsoDate,
} from './format';

const MINUS = '\u2212';
const NBSP = '\u00a0';

describe('numbers', () => {
  it('uses a decimal comma in Finnish and Swedish and a point in English', () => {
    expect(formatNps('fi', 80.24)).toBe('80,2');
    expect(formatNps('sv', 80.24)).toBe('80,2');
    expect(formatNps('en', 80.24)).toBe('80.2');
  });

  it('gives NPS exactly one decimal', () => {
    expect(formatNps('fi', 62)).toBe('62,0');
    expect(formatNps('en', 79.73425699846686)).toBe('79.7');
    expect(formatNps('en', 79.75)).toBe('79.8');
    expect(formatNps('fi', 100)).toBe('100,0');
  });

  it('writes negative numbers with a proper minus sign in every language', () => {
    expect(formatNps('fi', -5.25)).toBe(`${MINUS}5,3`);
    expect(formatNps('sv', -12.04)).toBe(`${MINUS}12,0`);
    expect(formatNps('en', -100)).toBe(`${MINUS}100.0`);
    for (const lang of ['fi', 'sv', 'en'] as const) expect(formatNps(lang, -3)).not.toContain('-');
  });

  it('never shows a negative zero', () => {
    expect(formatNps('fi', -0.04)).toBe('0,0');
    expect(formatNps('en', -0)).toBe('0.0');
    expect(formatDifference('fi', -0.026)).toBe('0,0');
  });

  it('signs differences', () => {
    expect(formatDifference('fi', 5.3)).toBe('+5,3');
    expect(formatDifference('sv', -2.14)).toBe(`${MINUS}2,1`);
    expect(formatDifference('en', 0.96)).toBe('+1.0');
  });

  it('groups thousands per language', () => {
    expect(formatCount('fi', 17611)).toBe(`17${NBSP}611`);
    expect(formatCount('sv', 1234567)).toBe(`1${NBSP}234${NBSP}567`);
    expect(formatCount('en', 17611)).toBe('17,611');
    expect(formatCount('fi', 12)).toBe('12');
  });

  it('shows missing values as a dash', () => {
    expect(formatNps('fi', null)).toBe('–');
    expect(formatCount('en', undefined)).toBe('–');
    expect(formatNumber('en', Number.NaN)).toBe('–');
    expect(formatInterval('fi', null, 3)).toBe('–');
  });

  it('formats shares given in percent per language', () => {
    expect(formatPercent('fi', 18.182)).toBe(`18,2${NBSP}%`);
    expect(formatPercent('sv', 58.333)).toBe(`58,3${NBSP}%`);
    expect(formatPercent('en', 18.182)).toBe('18.2%');
    expect(formatPercent('fi', 100)).toBe(`100,0${NBSP}%`);
    expect(formatPercent('en', 40, 0)).toBe('40%');
    expect(formatPercent('fi', 0)).toBe(`0,0${NBSP}%`);
    expect(formatPercent('fi', -0.01)).toBe(`0,0${NBSP}%`);
    expect(formatPercent('en', null)).toBe('–');
  });

  it('formats intervals and p-values', () => {
    expect(formatInterval('fi', 61, 64.56)).toBe('61,0 … 64,6');
    expect(formatInterval('en', -4.2, 3.1)).toBe(`${MINUS}4.2 … 3.1`);
    expect(formatPValue('fi', 0.0375)).toBe('0,038');
    expect(formatPValue('en', 0.00001)).toBe('< 0.001');
  });
});

describe('dates', () => {
  it('recognises real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('formats calendar dates per language without time-zone shifts', () => {
    expect(formatDate('fi', '2024-03-01')).toBe('1.3.2024');
    expect(formatDate('sv', '2024-12-31')).toBe('31.12.2024');
    expect(formatDate('en', '2024-03-01')).toBe('1 Mar 2024');
    expect(formatDate('fi', 'not a date')).toBe('not a date');
  });

  it('formats periods and months', () => {
    expect(formatPeriod('fi', '2024-01-01', '2024-12-31')).toBe('1.1.2024\u201331.12.2024');
    expect(formatMonth('fi', '2024-03')).toBe('maalis 2024');
    expect(formatMonth('sv', '2024-03')).toBe('mars 2024');
    expect(formatMonth('en', '2024-03')).toBe('Mar 2024');
    expect(formatMonth('en', '2024-Q1')).toBe('2024-Q1');
  });

  it('shows UTC instants in Helsinki time', () => {
    // 21:30 UTC on 31 March 2024 is 00:30 on 1 April in Helsinki (summer time, UTC+3).
    expect(formatInstant('fi', '2024-03-31T21:30:00Z')).toMatch(/^1\.4\.2024\D+00[.:]30$/);
    expect(formatInstant('en', '2025-12-31T17:51:39Z')).toMatch(/31 Dec 2025.*19:51/);
  });
});
