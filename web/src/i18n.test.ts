import { describe, expect, it } from 'vitest';
import { ANSWER_LANGUAGES, CHANNELS, LANGS, MESSAGES, POSITIONS, VISIT_TYPES, dimensionLabel, isLang, t } from './i18n';

describe('translation tables', () => {
  const reference = Object.keys(MESSAGES.fi).sort();

  it.each(LANGS)('%s has exactly the keys of the Finnish table, none empty', (lang) => {
    const table = MESSAGES[lang] as Record<string, string>;
    expect(Object.keys(table).sort()).toEqual(reference);
    for (const key of reference) {
      expect(typeof table[key], `${lang} ${key}`).toBe('string');
      expect(table[key].trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('has the significance texts of the brief', () => {
    expect(t('fi', 'headline.significant')).toBe('Muutos on tilastollisesti merkitsevä');
    expect(t('sv', 'headline.significant')).toBe('Förändringen är statistiskt signifikant');
    expect(t('en', 'headline.significant')).toBe('The change is statistically significant');
  });

  it('labels every dimension value and funnel position in every language', () => {
    for (const lang of LANGS) {
      for (const v of CHANNELS) expect(dimensionLabel(lang, 'channel', v)).not.toBe(v);
      for (const v of ANSWER_LANGUAGES) expect(dimensionLabel(lang, 'language', v)).not.toBe(v);
      for (const v of VISIT_TYPES) expect(dimensionLabel(lang, 'visit_type', v)).not.toBe(v);
      for (const p of POSITIONS) expect(Object.keys(MESSAGES[lang])).toContain(`position.${p}`);
    }
    expect(dimensionLabel('fi', 'channel', 'pigeon')).toBe('pigeon');
  });

  it('recognises the UI languages', () => {
    expect(LANGS).toEqual(['fi', 'sv', 'en']);
    expect(isLang('sv')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(isLang(undefined)).toBe(false);
  });
});
