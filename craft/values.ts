// Scenario value readers shared by the message modules: each error names its place.
import { parseIPv6 } from '../core/addr.js';
import { ScenarioError } from './scenario.js';

export function hex(v: unknown, where: string, len?: number): Buffer {
  if (typeof v !== 'string' || !/^(0x)?([0-9a-f]{2})*$/i.test(v)) throw new ScenarioError(`${where}: hex octets required`);
  const b = Buffer.from(v.replace(/^0x/i, ''), 'hex');
  if (len !== undefined && b.length !== len) throw new ScenarioError(`${where}: ${len} octets required, ${b.length} given`);
  return b;
}

export function num(v: unknown, where: string, max: number, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  const n = typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) throw new ScenarioError(`${where}: a whole number from 0 to ${max}`);
  return n;
}

export function flags(v: unknown, table: Record<string, number>, where: string, max: number): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return num(v, where, max);
  if (typeof v !== 'string') throw new ScenarioError(`${where}: letters (${Object.keys(table).join('')}) or a number`);
  let f = 0;
  for (const ch of v.toUpperCase()) {
    if (!(ch in table)) throw new ScenarioError(`${where}: unknown flag "${ch}" (${Object.keys(table).join('')})`);
    f |= table[ch]!;
  }
  return f;
}

export function ipv6(v: unknown, where: string): Buffer {
  const a = typeof v === 'string' ? parseIPv6(v) : null;
  if (!a) throw new ScenarioError(`${where}: an IPv6 address is required`);
  return a;
}

/** The keyring address `s` equals `a`. */
export const sameAddr = (a: Buffer, s: unknown) => typeof s === 'string' && !!parseIPv6(s)?.equals(a);
