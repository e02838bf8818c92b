import { describe, expect, it } from 'vitest';
import type { BonusRow, CompareRow, InvoiceRow, RegionalOverview } from './api';
import {
  EMPTY_ROUTE,
  bonusRowKind,
  canSeeRegional,
  canSeeSituation,
  classifyInvoice,
  comparisonChartOption,
  comparisonSummary,
  componentLabel,
  defaultInvoiceMonth,
  formatCompact,
  formatMoney,
  formatRankChange,
  groupBonus,
  invoiceSumCents,
  monthsOf,
  parseRegionalRoute,
  rankChange,
  rankChangeText,
  regionalUrl,
  reportQuery,
  resolveRoute,
  sortByStandardised,
  splitComparison,
} from './regional';

const NBSP = '\u00a0';
const MINUS = '\u2212';

function municipality(code: string, name: string, crude: number, standardised: number, rank: number, standardisedRank: number): CompareRow {
  return {
    municipality: code,
    municipality_name: name,
    payer: 'PIRKANMAA',
    residents: 10000,
    share_75_plus: 10.5,
    patients: 3000,
    cost: crude * 10000,
    cost_per_resident: crude,
    cost_per_patient: (crude * 10000) / 3000,
    index: 100,
    rank,
    standardised_cost_per_resident: standardised,
    standardised_index: 100,
    standardised_rank: standardisedRank,
  };
}

const district: CompareRow = {
  municipality: null,
  municipality_name: 'Koko alue',
  payer: null,
  residents: 30000,
  share_75_plus: 11,
  patients: 9000,
  cost: 60_000_000,
  cost_per_resident: 2000,
  cost_per_patient: 6666.67,
  index: 100,
  rank: null,
  standardised_cost_per_resident: 2000,
  standardised_index: 100,
  standardised_rank: null,
};

// Kihniö is old: dear per resident, but cheap once age is standardised; Pirkkala the opposite.
const compareRows: CompareRow[] = [
  municipality('177', 'Kihniö', 2600, 1800, 1, 3),
  municipality('837', 'Tampere', 2000, 2050, 2, 2),
  municipality('604', 'Pirkkala', 1500, 2300, 3, 1),
  district,
];

interface Series {
  name: string;
  type: string;
  data: (number | null)[];
  markLine?: { data: { xAxis: number }[]; label: { formatter: () => string } };
}

describe('who sees the regional page', () => {
  it('is for admins and finance users only; finance users do not see the situation picture', () => {
    expect(canSeeRegional('admin')).toBe(true);
    expect(canSeeRegional('finance')).toBe(true);
    for (const role of ['analyst', 'manager', 'integration'] as const) expect(canSeeRegional(role)).toBe(false);
    expect(canSeeRegional(undefined)).toBe(false);
    expect(canSeeSituation('finance')).toBe(false);
    expect(canSeeSituation('integration')).toBe(false);
    for (const role of ['admin', 'analyst', 'manager'] as const) expect(canSeeSituation(role)).toBe(true);
  });
});

describe('the regional route in the URL', () => {
  it('is read only on the regional page, with invalid values dropped', () => {
    expect(parseRegionalRoute('?view=scorecard&year=2025')).toBeUndefined();
    expect(parseRegionalRoute('?year=2025')).toBeUndefined();
    expect(parseRegionalRoute('?view=regional')).toEqual(EMPTY_ROUTE);
    expect(parseRegionalRoute('?view=regional&year=2025&payer=PIRKANMAA&month=2025-12&lang=sv')).toEqual({
      year: 2025,
      payer: 'PIRKANMAA',
      month: '2025-12',
    });
    expect(parseRegionalRoute('?view=regional&year=25&payer=%3Cx%3E&month=2025-13')).toEqual(EMPTY_ROUTE);
  });

  it('round-trips through regionalUrl', () => {
    const route = { year: 2025, payer: 'KANTA-HAME', month: '2025-06' };
    const url = regionalUrl('sv', route);
    expect(url).toBe('?view=regional&year=2025&payer=KANTA-HAME&month=2025-06&lang=sv');
    expect(parseRegionalRoute(url)).toEqual(route);
    expect(regionalUrl('fi', EMPTY_ROUTE)).toBe('?view=regional&lang=fi');
  });

  it('fills the gaps from the overview: the latest year, the first payer, December of a past year', () => {
    const overview: RegionalOverview = {
      years: [2024, 2025],
      payers: [
        { code: 'KANTA-HAME', name: 'Kanta-Hämeen hyvinvointialue' },
        { code: 'PIRKANMAA', name: 'Pirkanmaan hyvinvointialue' },
      ],
      capitation_years: [2025],
      bonus_years: [2025],
    };
    const today = new Date(2026, 2, 15);
    expect(resolveRoute(overview, EMPTY_ROUTE, today)).toEqual({ year: 2025, payer: 'KANTA-HAME', month: '2025-12' });
    expect(resolveRoute(overview, { year: 2024, payer: 'PIRKANMAA', month: '2024-03' }, today)).toEqual({
      year: 2024,
      payer: 'PIRKANMAA',
      month: '2024-03',
    });
    // A year without production, an unknown payer, a month of another year: replaced.
    expect(resolveRoute(overview, { year: 2019, payer: 'NOPE', month: '2024-03' }, today)).toEqual({
      year: 2025,
      payer: 'KANTA-HAME',
      month: '2025-12',
    });
    expect(resolveRoute({ years: [], payers: [], capitation_years: [], bonus_years: [] }, EMPTY_ROUTE, today)).toEqual({
      year: undefined,
      payer: '',
      month: '',
    });
  });

  it('offers the year’s months and defaults to the last full month of the current year', () => {
    expect(monthsOf(2025)).toHaveLength(12);
    expect(monthsOf(2025)[0]).toBe('2025-01');
    expect(monthsOf(2025)[11]).toBe('2025-12');
    expect(defaultInvoiceMonth(2025, new Date(2026, 0, 10))).toBe('2025-12');
    expect(defaultInvoiceMonth(2026, new Date(2026, 4, 10))).toBe('2026-04');
    expect(defaultInvoiceMonth(2026, new Date(2026, 0, 10))).toBe('2026-01');
  });

  it('builds the reports’ queries, with format for the downloads', () => {
    const route = { year: 2025, payer: 'PIRKANMAA', month: '2025-12' };
    expect(reportQuery('compare', route, 'fi')).toBe('year=2025&standardised=true&lang=fi');
    expect(reportQuery('invoice', route, 'sv', 'csv')).toBe('payer=PIRKANMAA&month=2025-12&lang=sv&format=csv');
    expect(reportQuery('capitation', route, 'en', 'xlsx')).toBe('year=2025&lang=en&format=xlsx');
    expect(reportQuery('bonus', route, 'fi')).toBe('year=2025&lang=fi');
  });
});

describe('money', () => {
  it('has two decimals and the euro sign where each language puts it', () => {
    expect(formatMoney('fi', 1234567.5)).toBe(`1${NBSP}234${NBSP}567,50${NBSP}€`);
    expect(formatMoney('sv', 1234.567)).toBe(`1${NBSP}234,57${NBSP}€`);
    expect(formatMoney('en', 1234567.5)).toBe('€1,234,567.50');
    expect(formatMoney('fi', 0)).toBe(`0,00${NBSP}€`);
  });

  it('puts a proper minus sign before the whole amount', () => {
    expect(formatMoney('fi', -82000.4)).toBe(`${MINUS}82${NBSP}000,40${NBSP}€`);
    expect(formatMoney('sv', -5)).toBe(`${MINUS}5,00${NBSP}€`);
    expect(formatMoney('en', -82000.4)).toBe(`${MINUS}€82,000.40`);
    // Rounds to zero: no sign.
    expect(formatMoney('en', -0.001)).toBe('€0.00');
  });

  it('may have fewer decimals, and shows a dash for no value', () => {
    expect(formatMoney('fi', 2013.49, 0)).toBe(`2${NBSP}013${NBSP}€`);
    expect(formatMoney('en', 2013.5, 0)).toBe('€2,014');
    for (const lang of ['fi', 'sv', 'en'] as const) {
      expect(formatMoney(lang, null)).toBe('–');
      expect(formatMoney(lang, Number.NaN)).toBe('–');
    }
  });

  it('shows other figures with only the decimals they have', () => {
    expect(formatCompact('fi', 60)).toBe('60');
    expect(formatCompact('fi', 3.5)).toBe('3,5');
    expect(formatCompact('en', 0.25)).toBe('0.25');
    expect(formatCompact('en', 1.23456, 3)).toBe('1.235');
    expect(formatCompact('sv', null)).toBe('–');
  });
});

describe('the comparison', () => {
  it('splits off the district row (the last, without a municipality)', () => {
    const { municipalities, district: d } = splitComparison(compareRows);
    expect(municipalities.map((r) => r.municipality)).toEqual(['177', '837', '604']);
    expect(d?.municipality_name).toBe('Koko alue');
    expect(splitComparison(compareRows.slice(0, 3)).district).toBeUndefined();
    expect(splitComparison([])).toEqual({ municipalities: [], district: undefined });
  });

  it('sorts by the age-standardised cost, highest first, rows without it last', () => {
    expect(sortByStandardised(compareRows.slice(0, 3)).map((r) => r.municipality_name)).toEqual(['Pirkkala', 'Tampere', 'Kihniö']);
    const missing = { ...municipality('999', 'Aaa', 3000, 0, 4, 4), standardised_cost_per_resident: null };
    expect(sortByStandardised([missing, ...compareRows.slice(0, 3)]).map((r) => r.municipality)).toEqual(['604', '837', '177', '999']);
  });

  it('counts the places a municipality moves up when age-standardised', () => {
    expect(rankChange({ rank: 3, standardised_rank: 1 })).toBe(2);
    expect(rankChange({ rank: 1, standardised_rank: 3 })).toBe(-2);
    expect(rankChange({ rank: 2, standardised_rank: 2 })).toBe(0);
    expect(rankChange({ rank: null, standardised_rank: null })).toBeNull();
    expect(rankChange({ rank: 4 })).toBeNull();
    expect(formatRankChange('fi', 2)).toBe(`\u25b2${NBSP}2`);
    expect(formatRankChange('fi', -12)).toBe(`\u25bc${NBSP}12`);
    expect(formatRankChange('en', 0)).toBe('0');
    expect(formatRankChange('en', null)).toBe('–');
    expect(rankChangeText('fi', 2)).toBe('nousee 2 sijaa');
    expect(rankChangeText('sv', -1)).toBe('sjunker 1 placeringar');
    expect(rankChangeText('en', 0)).toBe('no change');
  });

  it('draws crude then standardised bars, sorted by standardised, the district as the mark line only', () => {
    const option = comparisonChartOption(compareRows, 'fi') as {
      yAxis: { type: string; inverse: boolean; data: string[] };
      xAxis: { type: string };
      legend: { data: string[] };
      series: Series[];
    };
    expect(option.yAxis.type).toBe('category');
    expect(option.xAxis.type).toBe('value');
    expect(option.yAxis.inverse).toBe(true); // the first (most expensive) on top
    expect(option.yAxis.data).toEqual(['Pirkkala', 'Tampere', 'Kihniö']);
    expect(option.yAxis.data).not.toContain('Koko alue');
    const bars = option.series.filter((s) => s.type === 'bar');
    expect(bars.map((s) => s.name)).toEqual(['Ikävakioimaton', 'Ikävakioitu']);
    expect(bars[0].data).toEqual([1500, 2000, 2600]);
    expect(bars[1].data).toEqual([2300, 2050, 1800]);
    expect(bars[1].markLine?.data).toEqual([{ xAxis: 2000, name: 'Koko alue' }]);
    expect(bars[1].markLine?.label.formatter()).toBe(`2${NBSP}000${NBSP}€`);
    // Nothing else draws data: the third series is the mark line's legend entry.
    expect(option.series.filter((s) => s.type !== 'bar').every((s) => s.data.length === 0)).toBe(true);
    expect(option.legend.data).toEqual(['Ikävakioimaton', 'Ikävakioitu', 'Koko alue']);
  });

  it('speaks the chart’s language and leaves the mark line out without a district row', () => {
    const sv = comparisonChartOption(compareRows, 'sv') as { series: Series[]; legend: { data: string[] } };
    expect(sv.series.slice(0, 2).map((s) => s.name)).toEqual(['Ej åldersstandardiserad', 'Åldersstandardiserad']);
    expect(sv.legend.data[2]).toBe('Hela området');
    const en = comparisonChartOption(compareRows.slice(0, 3), 'en') as { series: Series[]; legend: { data: string[] } };
    expect(en.series[1].markLine).toBeUndefined();
    expect(en.legend.data).toEqual(['Crude', 'Age-standardised']);
  });

  it('says the chart in words', () => {
    const text = comparisonSummary('fi', 2025, compareRows);
    expect(text).toContain('2025');
    expect(text).toContain(`2${NBSP}000${NBSP}€`);
    expect(text).toContain(`Pirkkala (2${NBSP}300${NBSP}€)`);
    expect(text).toContain(`Kihniö (1${NBSP}800${NBSP}€)`);
    expect(comparisonSummary('en', 2025, [district])).toBe('The comparison has no municipalities.');
  });
});

describe('the invoice', () => {
  const line = (municipality: string, product: string, volume: number, price: number): InvoiceRow => ({
    municipality,
    municipality_name: municipality,
    product,
    product_name: product,
    volume,
    unit_price: price,
    amount: Math.round(volume * price * 100) / 100,
  });
  const subtotal = (municipality: string, amount: number): InvoiceRow => ({
    municipality,
    municipality_name: municipality,
    product: null,
    product_name: 'Yhteensä',
    volume: null,
    unit_price: null,
    amount,
  });
  const pool = (municipality: string, product: 'POOL-OUT' | 'POOL-IN', amount: number): InvoiceRow => ({
    municipality,
    municipality_name: municipality,
    product,
    product_name: 'Tasaus',
    volume: null,
    unit_price: null,
    amount,
  });
  const rows: InvoiceRow[] = [
    line('A', 'ER', 10, 300.5),
    line('A', 'DAY', 2, 1000),
    subtotal('A', 5005),
    line('B', 'ER', 1, 300.5),
    subtotal('B', 300.5),
    pool('A', 'POOL-OUT', -1200.25),
    pool('A', 'POOL-IN', 400.1),
    pool('B', 'POOL-IN', 800.15),
    {
      municipality: 'PIRKANMAA',
      municipality_name: 'Pirkanmaan hyvinvointialue',
      product: null,
      product_name: 'Laskun loppusumma',
      volume: null,
      unit_price: null,
      amount: 5305.5,
    },
  ];

  it('tells lines, subtotals, pooling and the total apart', () => {
    expect(classifyInvoice(rows)).toEqual(['line', 'line', 'subtotal', 'line', 'subtotal', 'pool', 'pool', 'pool', 'total']);
    expect(classifyInvoice([])).toEqual([]);
  });

  it('sums the lines and the pooling, not the subtotals, to the total', () => {
    expect(invoiceSumCents(rows)).toBe(Math.round(rows[rows.length - 1].amount! * 100));
  });
});

describe('capitation and bonus rows', () => {
  const bonus = (over: Partial<BonusRow>): BonusRow => ({
    provider: 'P1',
    provider_name: 'Tampereen alue',
    component: 'quality',
    measure: 'nps_outpatient',
    measure_name: 'NPS poliklinikoilla',
    value: 80,
    floor: 60,
    target: 85,
    weight: 0.5,
    score: 0.8,
    pool: null,
    bonus: null,
    ...over,
  });
  const rows = [
    bonus({}),
    bonus({ measure: null, measure_name: 'Osa-alue yhteensä', value: null, floor: null, target: null }),
    bonus({ component: null, measure: null, measure_name: 'Bonus yhteensä', pool: 100000, bonus: 73000 }),
    bonus({ provider: 'P2', provider_name: 'Hämeen alue' }),
    bonus({ provider: null, provider_name: 'Kaikki tuottajat', component: null, measure: null, measure_name: null, pool: 200000, bonus: 150000 }),
  ];

  it('classifies bonus rows and groups them by provider', () => {
    expect(rows.map(bonusRowKind)).toEqual(['measure', 'component', 'provider', 'measure', 'total']);
    const { providers, total } = groupBonus(rows);
    expect(providers.map((p) => [p.provider, p.name, p.rows.length])).toEqual([
      ['P1', 'Tampereen alue', 3],
      ['P2', 'Hämeen alue', 1],
    ]);
    expect(total?.bonus).toBe(150000);
  });

  it('names the components in each language', () => {
    expect(componentLabel('fi', 'quality')).toBe('Laatu');
    expect(componentLabel('sv', 'cost_efficiency')).toBe('Kostnadseffektivitet');
    expect(componentLabel('en', 'effectiveness')).toBe('Effectiveness');
    expect(componentLabel('en', 'other')).toBe('other');
    expect(componentLabel('en', null)).toBe('');
  });
});
