import { describe, expect, it } from 'vitest';
import type { ScorecardRow } from './api';
import { LANGS } from './i18n';
import {
  SCORECARD_STATUSES,
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

const NBSP = '\u00a0';

function row(over: Partial<ScorecardRow>): ScorecardRow {
  return {
    focal_point: 'F1',
    goal: 'G1',
    indicator: 'NPS',
    indicator_id: 'nps',
    unit: 'points',
    target: { op: '>', value: 80, value_high: null },
    outcome: 79.727,
    ci_low: 77.956,
    ci_high: 81.363,
    year_to_date: false,
    status: 'not_achieved',
    significance: 'within_interval',
    history: [
      { year: 2021, value: 68.6 },
      { year: 2022, value: 76 },
      { year: 2023, value: 79.8 },
      { year: 2024, value: 79.8 },
      { year: 2025, value: 79.7 },
    ],
    ...over,
  };
}

describe('groupScorecard', () => {
  it('groups by focal point, then goal, in the order of the API', () => {
    const rows = [
      row({ focal_point: 'B', goal: 'b1', indicator_id: '1' }),
      row({ focal_point: 'A', goal: 'a1', indicator_id: '2' }),
      row({ focal_point: 'B', goal: 'b2', indicator_id: '3' }),
      row({ focal_point: 'B', goal: 'b1', indicator_id: '4' }),
    ];
    const groups = groupScorecard(rows);
    expect(groups.map((f) => f.name)).toEqual(['B', 'A']);
    expect(groups[0].goals.map((g) => [g.name, g.rows.map((r) => r.indicator_id)])).toEqual([
      ['b1', ['1', '4']],
      ['b2', ['3']],
    ]);
    expect(groups[1].goals[0].rows[0].indicator_id).toBe('2');
    expect(groupScorecard([])).toEqual([]);
  });
});

describe('formatTarget', () => {
  it('writes the operator and the number, with a decimal comma in fi and sv', () => {
    expect(formatTarget('fi', { op: '>', value: 70 }, 'points')).toBe('> 70');
    expect(formatTarget('en', { op: '>', value: 70 }, 'points')).toBe('> 70');
    expect(formatTarget('fi', { op: '>', value: 72.5 }, 'points')).toBe('> 72,5');
    expect(formatTarget('sv', { op: '>=', value: 72.5 }, 'points')).toBe('\u2265 72,5');
    expect(formatTarget('en', { op: '>=', value: 72.5 }, 'points')).toBe('\u2265 72.5');
    expect(formatTarget('en', { op: '<', value: 3 }, 'rank')).toBe('< 3');
    expect(formatTarget('en', { op: '=', value: 3 }, 'count')).toBe('= 3');
    expect(formatTarget('en', { op: '>=', value: -5 }, 'points')).toBe('\u2265 \u22125');
  });

  it('adds the unit of shares and money', () => {
    expect(formatTarget('fi', { op: '>=', value: 75 }, '%')).toBe(`\u2265 75${NBSP}%`);
    expect(formatTarget('en', { op: '>=', value: 75 }, '%')).toBe('\u2265 75%');
    expect(formatTarget('fi', { op: '<=', value: 1580 }, '€')).toBe(`\u2264 1${NBSP}580${NBSP}€`);
    expect(formatTarget('en', { op: '<=', value: 1580 }, '€')).toBe('\u2264 €1,580');
  });

  it('writes "between" as a range and "yes" in the language', () => {
    expect(formatTarget('fi', { op: 'between', value: 70, value_high: 75 }, 'points')).toBe('70\u201375');
    expect(formatTarget('sv', { op: 'between', value: 70.5, value_high: 75 }, '%')).toBe(`70,5\u201375${NBSP}%`);
    expect(formatTarget('fi', { op: 'yes', value: 1 }, 'yes/no')).toBe('Kyllä');
    expect(formatTarget('sv', { op: 'yes', value: 1 }, 'yes/no')).toBe('Ja');
    expect(formatTarget('en', { op: 'yes', value: null }, 'yes/no')).toBe('Yes');
  });

  it('gives nothing without a target', () => {
    expect(formatTarget('fi', null, 'points')).toBe('');
    expect(formatTarget('fi', { op: '>', value: null }, 'points')).toBe('');
  });
});

describe('formatOutcome', () => {
  it('formats by unit and language', () => {
    expect(formatOutcome('fi', 79.727, 'points')).toBe('79,7');
    expect(formatOutcome('en', 79.727, 'points')).toBe('79.7');
    expect(formatOutcome('sv', 72.5006, '%')).toBe(`72,5${NBSP}%`);
    expect(formatOutcome('en', 72.5006, '%')).toBe('72.5%');
    expect(formatOutcome('fi', 1658.49, '€')).toBe(`1${NBSP}658${NBSP}€`);
    expect(formatOutcome('en', 1658.49, '€')).toBe('€1,658');
    expect(formatOutcome('en', 2038000, 'count')).toBe('2,038,000');
    expect(formatOutcome('fi', 4, 'rank')).toBe('4');
    expect(formatOutcome('fi', -3.04, 'points')).toBe('\u22123,0');
  });

  it('writes yes/no in the language, and a dash without a value', () => {
    expect(formatOutcome('fi', 1, 'yes/no')).toBe('Kyllä');
    expect(formatOutcome('sv', 0, 'yes/no')).toBe('Nej');
    expect(formatOutcome('en', 1, 'yes/no')).toBe('Yes');
    expect(formatOutcome('fi', null, 'points')).toBe('–');
  });

  it('gives the interval of sampled measures only', () => {
    expect(formatOutcomeInterval('fi', row({}))).toBe('78,0 \u2026 81,4');
    expect(formatOutcomeInterval('en', row({}))).toBe('78.0 \u2026 81.4');
    expect(formatOutcomeInterval('fi', row({ ci_low: null, ci_high: null }))).toBeUndefined();
  });
});

describe('status and significance', () => {
  it('names every status in every language, as the brief says', () => {
    expect(SCORECARD_STATUSES.map((s) => statusLabel('fi', s))).toEqual([
      'Saavutettiin',
      'Ei saavutettu',
      'Ei tietoa',
      'Tavoitteessa',
      'Jäljessä',
    ]);
    expect(SCORECARD_STATUSES.map((s) => statusLabel('sv', s))).toEqual([
      'Uppnåddes',
      'Uppnåddes inte',
      'Uppgift saknas',
      'På rätt väg',
      'Efter målet',
    ]);
    expect(SCORECARD_STATUSES.map((s) => statusLabel('en', s))).toEqual([
      'Achieved',
      'Not achieved',
      'No data',
      'On track',
      'Off track',
    ]);
    expect(statusLabel('en', null)).toBe('No target');
    expect(statusLabel('en', 'exploded')).toBe('exploded');
  });

  it('notes only a target within the interval', () => {
    for (const lang of LANGS) {
      expect(significanceNote(lang, 'within_interval')).toMatch(/95/);
      expect(significanceNote(lang, 'clear')).toBeUndefined();
      expect(significanceNote(lang, 'not_applicable')).toBeUndefined();
      expect(significanceNote(lang, null)).toBeUndefined();
    }
    expect(significanceNote('en', 'within_interval')).toContain('within the 95% interval');
  });
});

describe('sparkline', () => {
  it('spreads the years across the width, highest value at the top', () => {
    const line = sparkline(
      [
        { year: 2021, value: 0 },
        { year: 2022, value: 10 },
        { year: 2023, value: 5 },
      ],
      100,
      20,
      0,
    );
    expect(line.points.map((p) => [p.x, p.y])).toEqual([
      [0, 20],
      [50, 0],
      [100, 10],
    ]);
    expect(line.path).toBe('M0 20 L50 0 L100 10');
    expect(line.last).toEqual({ x: 100, y: 10, year: 2023, value: 5 });
  });

  it('breaks the line at years without a value', () => {
    const line = sparkline(
      [
        { year: 2021, value: null },
        { year: 2022, value: 1 },
        { year: 2023, value: null },
        { year: 2024, value: 2 },
        { year: 2025, value: 3 },
      ],
      40,
      10,
      0,
    );
    expect(line.path).toBe('M10 10 M30 5 L40 0');
    expect(line.points).toHaveLength(3);
  });

  it('draws a flat history in the middle, and nothing without values', () => {
    const flat = sparkline([{ year: 2024, value: 7 }, { year: 2025, value: 7 }], 20, 10, 0);
    expect(flat.points.map((p) => p.y)).toEqual([5, 5]);
    const empty = sparkline([{ year: 2024, value: null }, { year: 2025, value: null }]);
    expect(empty.path).toBe('');
    expect(empty.points).toEqual([]);
    expect(empty.last).toBeUndefined();
    expect(sparkline([{ year: 2024, value: 1 }, { year: 2025, value: null }]).last).toBeUndefined();
  });

  it('tells the history in words', () => {
    expect(historyText('sv', [{ year: 2024, value: 72.5 }, { year: 2025, value: null }], '%')).toBe(
      `2024: 72,5${NBSP}%; 2025: –`,
    );
  });
});

describe('yearOptions', () => {
  it('offers this year back six years, and the chosen year', () => {
    const today = new Date(2026, 10, 24);
    expect(yearOptions(today, 2025)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020]);
    expect(yearOptions(today, 2015)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2015]);
  });
});
