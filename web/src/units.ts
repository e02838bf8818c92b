// The organisation tree for the unit selector.

import type { Me, Unit } from './api';
import type { Lang } from './i18n';

export interface UnitOption {
  code: string;
  name: string;
  /** Depth below the first offered root (0 = a root), for indentation. */
  level: number;
  closed: boolean;
}

export function unitName(unit: Unit, lang: Lang): string {
  const name = lang === 'sv' ? unit.name_sv : lang === 'en' ? unit.name_en : unit.name_fi;
  return name || unit.name_fi || unit.code;
}

/**
 * The units a user may choose, in tree order: the whole tree for admins and analysts, the
 * subtrees of their own units for managers. Closed units whose answers are carried by a
 * successor are left out (reports show them under the successor).
 */
export function unitOptions(units: Unit[], me: Pick<Me, 'role' | 'units'>, lang: Lang, today: string): UnitOption[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const children = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const u of units) {
    if (u.parent && byCode.has(u.parent)) {
      const list = children.get(u.parent) ?? [];
      list.push(u);
      children.set(u.parent, list);
    } else {
      roots.push(u);
    }
  }
  const start =
    me.role === 'manager' ? me.units.map((c) => byCode.get(c)).filter((u): u is Unit => u !== undefined) : roots;
  const out: UnitOption[] = [];
  const seen = new Set<string>();
  const visit = (u: Unit, level: number): void => {
    if (seen.has(u.code)) return;
    seen.add(u.code);
    const closed = !!u.valid_to && u.valid_to < today;
    if (closed && u.successor) return;
    out.push({ code: u.code, name: unitName(u, lang), level, closed });
    for (const c of children.get(u.code) ?? []) visit(c, level + 1);
  };
  for (const r of start) visit(r, 0);
  return out;
}

/** The unit to show when the URL names none or one the user may not see. */
export function defaultUnit(options: UnitOption[], me: Pick<Me, 'role' | 'units'>): string {
  if (me.role === 'manager' && me.units.length > 0 && options.some((o) => o.code === me.units[0])) return me.units[0];
  return options[0]?.code ?? '';
}
