import { describe, expect, it } from 'vitest';
import type { ThemeRow } from './api';
import { csvFileName, npsDomain, shareMax, themeChartData, themeView, toCsv } from './themes';

function row(theme: string, figures: Partial<ThemeRow> = {}): ThemeRow {
  return {
    theme,
    n: 100,
    share: 10,
    detractor_share: 20,
    promoter_share: 5,
    promoters: 50,
    passives: 20,
    detractors: 30,
    nps: 20,
    ci_low: 5,
    ci_high: 35,
    suppressed: false,
    ...figures,
  };
}

function suppressed(theme: string, labels: Record<string, string> = {}): ThemeRow {
  return {
    ...labels,
    theme,
    n: null,
    share: null,
    detractor_share: null,
    promoter_share: null,
    promoters: null,
    passives: null,
    detractors: null,
    nps: null,
    ci_low: null,
    ci_high: null,
    suppressed: true,
  };
}

// As GET /api/v1/themes?unit=A12 answered for the demo district (2024), one theme suppressed.
const API_ROWS: ThemeRow[] = [
  row('(all comments)', { n: 223, share: 100, detractor_share: 100, promoter_share: 100, nps: 81.166, ci_low: 73.285, ci_high: 86.892 }),
  row('facilities', { n: 21, share: 9.417, detractor_share: 16.667, promoter_share: 5.699, nps: 42.857, ci_low: 10.261, ci_high: 64.739 }),
  row('staff_attitude', { n: 99, share: 44.395, detractor_share: 25, promoter_share: 47.15, nps: 88.889, ci_low: 77.772, ci_high: 94.777 }),
  row('professional_skill', { n: 41, nps: 85.366, ci_low: 63.697, ci_high: 95.394 }),
  row('care', { n: 75, nps: 82.667, ci_low: 67.643, ci_high: 91.331 }),
  row('information', { n: 45, detractor_share: 50, promoter_share: 18.135, nps: 64.444, ci_low: 40.009, ci_high: 80.824 }),
  suppressed('digital'),
  row('waiting', { n: 56, detractor_share: 58.333, promoter_share: 21.244, nps: 60.714, ci_low: 39.46, ci_high: 75.794 }),
];

describe('themeView', () => {
  it('splits the baseline from the themes and keeps the themes in the API order', () => {
    const shuffled = [API_ROWS[7], API_ROWS[3], API_ROWS[0], ...API_ROWS.slice(1, 3), ...API_ROWS.slice(4, 7)];
    const view = themeView(shuffled);
    expect(view.status).toBe('shown');
    expect(view.baseline?.nps).toBe(81.166);
    expect(view.themes.map((r) => r.theme)).toEqual([
      'facilities',
      'staff_attitude',
      'professional_skill',
      'care',
      'information',
      'digital',
      'waiting',
    ]);
  });

  it('puts themes it does not know last, under their own names', () => {
    const view = themeView([row('parking'), ...API_ROWS]);
    expect(view.themes.map((r) => r.theme).at(-1)).toBe('parking');
    expect(themeChartData(view, 'fi').labels.at(-1)).toBe('parking');
  });

  it('says when there are no comments, or too few', () => {
    expect(themeView([]).status).toBe('none');
    expect(themeView([suppressed('(all comments)'), suppressed('facilities')]).status).toBe('suppressed');
    expect(themeView([row('(all comments)', { nps: null })]).status).toBe('suppressed');
  });

  it('takes one group of a report made with `by`', () => {
    const rows = [
      { ...row('(all comments)', { nps: 70 }), channel: 'sms' },
      { ...row('waiting', { nps: 50 }), channel: 'sms' },
      { ...row('(all comments)', { nps: 10 }), channel: 'web' },
      { ...row('waiting', { nps: -10 }), channel: 'web' },
    ];
    const view = themeView(rows);
    expect(view.baseline?.nps).toBe(70);
    expect(view.themes.map((r) => r.nps)).toEqual([50]);
  });
});

describe('themeChartData', () => {
  const data = themeChartData(themeView(API_ROWS), 'fi');

  it('labels the rows with the localised theme names, top first', () => {
    expect(data.labels).toEqual(['Tilat', 'Kohtelu', 'Ammattitaito', 'Hoito', 'Tiedonkulku', 'Digipalvelut', 'Odottaminen']);
    expect(themeChartData(themeView(API_ROWS), 'sv').labels[6]).toBe('Väntan');
    expect(themeChartData(themeView(API_ROWS), 'en').labels[5]).toBe('Digital services');
  });

  it('draws bars and error bars only for shown themes, at their rows', () => {
    expect(data.themes[5]).toBe('digital');
    expect(data.suppressed).toEqual([false, false, false, false, false, true, false]);
    expect(data.nps).toEqual([42.857, 88.889, 85.366, 82.667, 64.444, null, 60.714]);
    expect(data.intervals).toHaveLength(6);
    expect(data.intervals[0]).toEqual([10.261, 64.739, 0]);
    expect(data.intervals.map(([, , i]) => i)).toEqual([0, 1, 2, 3, 4, 6]);
  });

  it('has the baseline NPS as the reference line and the shares of both groups', () => {
    expect(data.baseline).toBe(81.166);
    expect(data.detractorShares[0]).toBe(16.667);
    expect(data.promoterShares[1]).toBe(47.15);
    expect(data.detractorShares[5]).toBeNull();
    expect(data.promoterShares[5]).toBeNull();
    expect(data.shareMax).toBe(60);
  });

  it('fits the NPS axis around 0, the baseline and every interval', () => {
    expect(data.npsDomain).toEqual([0, 100]);
    const negative = themeChartData(
      themeView([row('(all comments)', { nps: -12 }), row('waiting', { nps: -40, ci_low: -61.2, ci_high: -18 })]),
      'en',
    );
    expect(negative.npsDomain).toEqual([-70, 0]);
  });

  it('draws no reference line when the baseline is suppressed', () => {
    const view = themeView([suppressed('(all comments)'), suppressed('waiting')]);
    const none = themeChartData(view, 'fi');
    expect(none.baseline).toBeNull();
    expect(none.nps).toEqual([null]);
    expect(none.intervals).toEqual([]);
    expect(none.npsDomain).toEqual([0, 20]);
  });
});

describe('axes', () => {
  it('rounds the NPS axis outward to whole tens, within ±100, at least 20 wide', () => {
    expect(npsDomain([12, 47.5])).toEqual([0, 50]);
    expect(npsDomain([-3, 8])).toEqual([-10, 10]);
    expect(npsDomain([-100, 100])).toEqual([-100, 100]);
    expect(npsDomain([2])).toEqual([0, 20]);
    expect(npsDomain([-2])).toEqual([-10, 10]);
    expect(npsDomain([])).toEqual([0, 20]);
    expect(Object.is(npsDomain([-0])[0], -0)).toBe(false);
  });

  it('ends the share axis at the next ten', () => {
    expect(shareMax([58.3, 16.7])).toBe(60);
    expect(shareMax([60])).toBe(60);
    expect(shareMax([0.4])).toBe(10);
    expect(shareMax([])).toBe(10);
    expect(shareMax([100])).toBe(100);
  });
});

describe('CSV', () => {
  it('writes the API columns and values as they are, nulls empty', () => {
    const csv = toCsv([API_ROWS[1], API_ROWS[6]]);
    expect(csv).toBe(
      'theme,n,share,detractor_share,promoter_share,promoters,passives,detractors,nps,ci_low,ci_high,suppressed\n' +
        'facilities,21,9.417,16.667,5.699,50,20,30,42.857,10.261,64.739,false\n' +
        'digital,,,,,,,,,,,true\n',
    );
  });

  it('keeps the by columns first and quotes what needs quoting', () => {
    const csv = toCsv([suppressed('(all comments)', { unit: 'Kirurgia, "vanha"' })]);
    expect(csv.split('\n')[0]).toBe(
      'unit,theme,n,share,detractor_share,promoter_share,promoters,passives,detractors,nps,ci_low,ci_high,suppressed',
    );
    expect(csv.split('\n')[1]).toBe('"Kirurgia, ""vanha""",(all comments),,,,,,,,,,,true');
    expect(toCsv([])).toBe('');
  });

  it('names the file after the view', () => {
    expect(csvFileName({ unit: 'A12', from: '2025-01-01', to: '2025-12-31' })).toBe('themes_A12_2025-01-01_2025-12-31.csv');
    expect(csvFileName({ unit: '', from: '2025-01-01', to: '2025-12-31' })).toBe('themes_all_2025-01-01_2025-12-31.csv');
  });
});
