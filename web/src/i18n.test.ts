import { describe, expect, it } from 'vitest';
import {
  ANSWER_LANGUAGES,
  CHANNELS,
  LANGS,
  MESSAGES,
  POSITIONS,
  SENTIMENTS,
  THEMES,
  VISIT_TYPES,
  dimensionLabel,
  isLang,
  sentimentLabel,
  t,
  themeLabel,
} from './i18n';

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

  it('names the comment themes as the brief says, in every language', () => {
    expect(THEMES).toEqual(['facilities', 'staff_attitude', 'professional_skill', 'care', 'information', 'digital', 'waiting']);
    expect(THEMES.map((theme) => themeLabel('fi', theme))).toEqual([
      'Tilat',
      'Kohtelu',
      'Ammattitaito',
      'Hoito',
      'Tiedonkulku',
      'Digipalvelut',
      'Odottaminen',
    ]);
    expect(THEMES.map((theme) => themeLabel('sv', theme))).toEqual([
      'Lokaler',
      'Bemötande',
      'Yrkeskunskap',
      'Vård',
      'Information',
      'Digitala tjänster',
      'Väntan',
    ]);
    expect(THEMES.map((theme) => themeLabel('en', theme))).toEqual([
      'Facilities',
      'Staff attitude',
      'Professional skill',
      'Care',
      'Information',
      'Digital services',
      'Waiting',
    ]);
    expect(themeLabel('fi', 'parking')).toBe('parking');
    expect(themeLabel('en', '(all comments)')).toBe('(all comments)');
  });

  it('names every sentiment in every language', () => {
    for (const lang of LANGS) {
      const names = SENTIMENTS.map((s) => sentimentLabel(lang, s));
      for (const s of SENTIMENTS) expect(Object.keys(MESSAGES[lang])).toContain(`sentiment.${s}`);
      expect(new Set(names).size).toBe(SENTIMENTS.length);
    }
    expect(sentimentLabel('fi', 'negative')).toBe('kielteinen');
    expect(sentimentLabel('sv', 'mixed')).toBe('blandad');
    expect(sentimentLabel('en', 'bored')).toBe('bored');
  });

  it('recognises the UI languages', () => {
    expect(LANGS).toEqual(['fi', 'sv', 'en']);
    expect(isLang('sv')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(isLang(undefined)).toBe(false);
  });
});
