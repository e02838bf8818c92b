import { describe, expect, it } from 'vitest';
import type { Unit } from './api';
import { defaultUnit, unitOptions } from './units';

const u = (code: string, parent: string, depth: number, extra: Partial<Unit> = {}): Unit => ({
  code,
  parent,
  kind: depth === 0 ? 'organisation' : depth === 1 ? 'area' : depth === 2 ? 'centre' : 'unit',
  depth,
  name_fi: `${code} fi`,
  name_sv: `${code} sv`,
  name_en: '',
  ...extra,
});

const UNITS: Unit[] = [
  u('HD', '', 0),
  u('A01', 'HD', 1),
  u('A01-C01', 'A01', 2),
  u('A01-C01-U01', 'A01-C01', 3),
  u('A01-C01-U02', 'A01-C01', 3, { valid_to: '2022-12-31', successor: 'A01-C01-U01' }),
  u('A01-C01-U03', 'A01-C01', 3, { valid_to: '2022-12-31' }),
  u('A02', 'HD', 1),
  u('A02-C01', 'A02', 2),
];

describe('unitOptions', () => {
  it('lists the whole tree in order for admins, indented by depth, names in the language', () => {
    const options = unitOptions(UNITS, { role: 'admin', units: [] }, 'sv', '2025-01-01');
    expect(options.map((o) => `${o.level}:${o.code}`)).toEqual([
      '0:HD',
      '1:A01',
      '2:A01-C01',
      '3:A01-C01-U01',
      '3:A01-C01-U03',
      '1:A02',
      '2:A02-C01',
    ]);
    expect(options[0].name).toBe('HD sv');
    expect(options.find((o) => o.code === 'A01-C01-U03')?.closed).toBe(true);
  });

  it('falls back to the Finnish name', () => {
    expect(unitOptions(UNITS, { role: 'analyst', units: [] }, 'en', '2025-01-01')[0].name).toBe('HD fi');
  });

  it('offers a manager only their subtrees and defaults to their first unit', () => {
    const me = { role: 'manager' as const, units: ['A02', 'A01-C01'] };
    const options = unitOptions(UNITS, me, 'fi', '2025-01-01');
    expect(options.map((o) => o.code)).toEqual(['A02', 'A02-C01', 'A01-C01', 'A01-C01-U01', 'A01-C01-U03']);
    expect(options[0].level).toBe(0);
    expect(defaultUnit(options, me)).toBe('A02');
  });

  it('defaults to the organisation for everyone else', () => {
    const me = { role: 'admin' as const, units: [] };
    expect(defaultUnit(unitOptions(UNITS, me, 'fi', '2025-01-01'), me)).toBe('HD');
  });
});
