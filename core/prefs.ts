// Preferences (`-o name:value`), Wireshark style. Modules register theirs with a
// default; hooks run when the user changes one (e.g. the mip6 profile swaps
// dissector-table entries), so no module edits another.
import { allFields } from './fields.js';
import { invalidateBlocks } from './block.js';

export interface Pref {
  name: string;
  def: string;
  desc: string;
  /** allowed values; absent = free text */
  choices?: string[];
}

const prefs = new Map<string, Pref>();
const values = new Map<string, string>();
const hooks: Array<() => void> = [];

export function registerPref(p: Pref): void {
  prefs.set(p.name, p);
}

export function onPrefsApplied(fn: () => void): void {
  hooks.push(fn);
}

export function pref(name: string): string {
  return values.get(name) ?? prefs.get(name)?.def ?? '';
}

export function prefNumber(name: string): number {
  return Number(pref(name));
}

export function allPrefs(): Pref[] {
  return [...prefs.values()];
}

/** Set `name:value`; returns an error message or null. */
export function setPref(spec: string): string | null {
  const i = spec.indexOf(':');
  if (i <= 0) return `invalid -o "${spec}": expected name:value`;
  const name = spec.slice(0, i).trim();
  const value = spec.slice(i + 1).trim();
  const p = prefs.get(name);
  if (!p) return `unknown preference "${name}" (see: mip6scope -G prefs)`;
  if (p.choices && !p.choices.includes(value)) return `invalid value "${value}" for ${name}: one of ${p.choices.join(', ')}`;
  values.set(name, value);
  return null;
}

export function resetPrefs(): void {
  values.clear();
}

export function applyPrefs(): void {
  for (const h of hooks) h();
  // value names may have changed (the MH type names follow mip6.profile): no
  // printed line or shared subtree made before may be reused
  for (const f of allFields()) f.cache = undefined;
  invalidateBlocks();
}
