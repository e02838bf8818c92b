import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  commentFilters,
  defaultPeriod,
  defaultState,
  hasCommentFilters,
  monthsBetween,
  parseState,
  parseThemes,
  sameReport,
  scorecardQuery,
  serialiseState,
  toggleTheme,
  whereFilters,
} from './state';

const TODAY = new Date(2025, 5, 15); // 15 June 2025, local time

describe('defaults', () => {
  it('is the previous calendar year', () => {
    expect(defaultPeriod(TODAY)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(defaultPeriod(new Date(2026, 0, 1))).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('gives every filter its default for an empty query', () => {
    expect(parseState('', TODAY)).toEqual({
      unit: '',
      from: '2024-01-01',
      to: '2024-12-31',
      channel: '',
      language: '',
      visit_type: '',
      lang: 'fi',
      themes: [],
      sentiment: '',
      view: 'situation',
      year: 2024,
    });
  });
});

describe('parseState', () => {
  it('reads every filter', () => {
    const s = parseState(
      '?unit=A03-C01&from=2023-04-01&to=2023-06-30&channel=sms&language=sv&visit_type=emergency&lang=en',
      TODAY,
    );
    expect(s).toEqual({
      unit: 'A03-C01',
      from: '2023-04-01',
      to: '2023-06-30',
      channel: 'sms',
      language: 'sv',
      visit_type: 'emergency',
      lang: 'en',
      themes: [],
      sentiment: '',
      view: 'situation',
      year: 2024,
    });
  });

  it('ignores unknown parameters and invalid values', () => {
    const s = parseState(
      '?foo=bar&unit=%3Cscript%3E&from=2023-02-30&to=yesterday&channel=fax&language=de&visit_type=&lang=de&where=x',
      TODAY,
    );
    expect(s).toEqual(defaultState(TODAY));
  });

  it('takes the default UI language from the caller', () => {
    expect(parseState('', TODAY, 'sv').lang).toBe('sv');
    expect(parseState('?lang=en', TODAY, 'sv').lang).toBe('en');
  });
});

describe('serialiseState', () => {
  it('round-trips every state', () => {
    const states = [
      defaultState(TODAY),
      { ...defaultState(TODAY), unit: 'HD', lang: 'sv' as const },
      {
        unit: 'A01-C01-U01',
        from: '2020-01-01',
        to: '2025-12-31',
        channel: 'kiosk',
        language: 'other',
        visit_type: 'remote',
        lang: 'en' as const,
        themes: ['care', 'waiting'],
        sentiment: 'negative',
        view: 'scorecard' as const,
        year: 2023,
      },
      { ...defaultState(TODAY), themes: ['facilities'] },
      { ...defaultState(TODAY), sentiment: 'mixed' },
    ];
    for (const s of states) expect(parseState(serialiseState(s), TODAY)).toEqual(s);
  });

  it('writes a fixed order and leaves empty filters out', () => {
    expect(serialiseState({ ...defaultState(TODAY), unit: 'A03', channel: 'web' })).toBe(
      '?unit=A03&from=2024-01-01&to=2024-12-31&channel=web&lang=fi',
    );
  });

  it('normalises a messy query', () => {
    expect(serialiseState(parseState('?lang=sv&zzz=1&to=2024-05-31&unit=A01', TODAY))).toBe(
      '?unit=A01&from=2024-01-01&to=2024-05-31&lang=sv',
    );
  });
});

describe('API queries', () => {
  const s = { ...defaultState(TODAY), unit: 'A03', channel: 'sms', language: 'sv', visit_type: 'outpatient' };

  it('builds where filters from the selects', () => {
    expect(whereFilters(s)).toEqual(['channel=sms', 'language=sv', 'visit_type=outpatient']);
    expect(whereFilters(defaultState(TODAY))).toEqual([]);
  });

  it('repeats where and URL-encodes it', () => {
    const q = apiQuery(s, { extra: { by: 'month' } });
    expect(q).toBe(
      'unit=A03&from=2024-01-01&to=2024-12-31&where=channel%3Dsms&where=language%3Dsv&where=visit_type%3Doutpatient&lang=fi&by=month',
    );
    const parsed = new URLSearchParams(q);
    expect(parsed.getAll('where')).toEqual(['channel=sms', 'language=sv', 'visit_type=outpatient']);
  });

  it('leaves out where, lang and empty extras on request', () => {
    expect(apiQuery(s, { where: false, lang: false, extra: { q: undefined, page: 2, page_size: 20 } })).toBe(
      'unit=A03&from=2024-01-01&to=2024-12-31&page=2&page_size=20',
    );
  });

  it('encodes search words', () => {
    expect(apiQuery(s, { where: false, lang: false, extra: { q: 'odotus & jono' } })).toContain('q=odotus+%26+jono');
  });

  it('sends no unit when none is chosen', () => {
    expect(apiQuery(defaultState(TODAY))).toBe('from=2024-01-01&to=2024-12-31&lang=fi');
  });
});

describe('monthsBetween', () => {
  it('lists the months of a period across years', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2024-01', '2024-12')).toHaveLength(12);
    expect(monthsBetween('2025-03', '2025-01')).toEqual([]);
  });
});

describe('comment filters in the URL', () => {
  it('reads a theme list, comma-separated or repeated, in the API order without repeats', () => {
    expect(parseState('?theme=waiting,care', TODAY).themes).toEqual(['care', 'waiting']);
    expect(parseState('?theme=waiting&theme=facilities&theme=waiting', TODAY).themes).toEqual(['facilities', 'waiting']);
    expect(parseState('?theme=waiting%2Cdigital', TODAY).themes).toEqual(['digital', 'waiting']);
    expect(parseThemes(['staff_attitude, professional_skill', ''])).toEqual(['staff_attitude', 'professional_skill']);
  });

  it('drops unknown themes and sentiments', () => {
    expect(parseState('?theme=parking,,WAITING,care&sentiment=angry', TODAY)).toMatchObject({ themes: ['care'], sentiment: '' });
    expect(parseState('?theme=', TODAY).themes).toEqual([]);
    for (const sentiment of ['positive', 'negative', 'neutral', 'mixed']) {
      expect(parseState(`?sentiment=${sentiment}`, TODAY).sentiment).toBe(sentiment);
    }
  });

  it('writes them after the report filters, the list with plain commas', () => {
    const s = { ...defaultState(TODAY), unit: 'A12', channel: 'sms', themes: ['information', 'waiting'], sentiment: 'negative' };
    expect(serialiseState(s)).toBe(
      '?unit=A12&from=2024-01-01&to=2024-12-31&channel=sms&theme=information,waiting&sentiment=negative&lang=fi',
    );
    expect(serialiseState({ ...s, themes: [], sentiment: '' })).toBe('?unit=A12&from=2024-01-01&to=2024-12-31&channel=sms&lang=fi');
  });

  it('toggles a theme in and out of the list, keeping the order', () => {
    expect(toggleTheme([], 'waiting')).toEqual(['waiting']);
    expect(toggleTheme(['waiting'], 'facilities')).toEqual(['facilities', 'waiting']);
    expect(toggleTheme(['facilities', 'waiting'], 'facilities')).toEqual(['waiting']);
    expect(toggleTheme(['waiting'], 'parking')).toEqual(['waiting']);
  });

  it('tells a change of the comment filters from a change of the report', () => {
    const s = { ...defaultState(TODAY), unit: 'A12' };
    expect(hasCommentFilters(s)).toBe(false);
    expect(hasCommentFilters({ ...s, themes: ['care'] })).toBe(true);
    expect(hasCommentFilters({ ...s, sentiment: 'positive' })).toBe(true);
    expect(sameReport(s, { ...s, themes: ['care'], sentiment: 'mixed' })).toBe(true);
    expect(sameReport(s, { ...s, unit: 'A01', themes: ['care'] })).toBe(false);
    expect(sameReport(s, { ...s, lang: 'sv' })).toBe(false);
  });

  it('sends them to the comments call only', () => {
    const s = { ...defaultState(TODAY), unit: 'A12', themes: ['information', 'waiting'], sentiment: 'negative' };
    expect(apiQuery(s)).toBe('unit=A12&from=2024-01-01&to=2024-12-31&lang=fi');
    const q = apiQuery(s, { where: false, lang: false, extra: { ...commentFilters(s), page: 1 } });
    expect(q).toBe('unit=A12&from=2024-01-01&to=2024-12-31&theme=information%2Cwaiting&sentiment=negative&page=1');
    expect(new URLSearchParams(q).get('theme')).toBe('information,waiting');
    expect(commentFilters(defaultState(TODAY))).toEqual({ theme: undefined, sentiment: undefined });
  });
});

describe('the scorecard view in the URL', () => {
  it('defaults to the situation picture and the last full year', () => {
    const s = parseState('', TODAY);
    expect(s.view).toBe('situation');
    expect(s.year).toBe(2024);
    expect(parseState('', new Date(2026, 10, 24)).year).toBe(2025);
  });

  it('reads view=scorecard and the year; ignores bad values', () => {
    const s = parseState('?view=scorecard&year=2025&lang=sv', TODAY);
    expect(s).toMatchObject({ view: 'scorecard', year: 2025, lang: 'sv' });
    expect(parseState('?view=admin&year=25', TODAY)).toMatchObject({ view: 'situation', year: 2024 });
    expect(parseState('?year=2025x', TODAY).year).toBe(2024);
  });

  it('writes view and year only on the scorecard, before lang', () => {
    const s = parseState('?view=scorecard&year=2025&lang=sv', TODAY);
    expect(serialiseState(s)).toBe('?from=2024-01-01&to=2024-12-31&view=scorecard&year=2025&lang=sv');
    expect(serialiseState({ ...s, view: 'situation' })).toBe('?from=2024-01-01&to=2024-12-31&lang=sv');
  });

  it('reloads when the view or the year changes', () => {
    const s = parseState('?view=scorecard&year=2025', TODAY);
    expect(sameReport(s, { ...s, year: 2024 })).toBe(false);
    expect(sameReport(s, { ...s, view: 'situation' })).toBe(false);
  });

  it('asks the API for the year in the UI language', () => {
    expect(scorecardQuery(parseState('?view=scorecard&year=2025&lang=sv', TODAY))).toBe('year=2025&lang=sv');
  });
});
