// Shared by the IPsec and cookie verification tests: fixtures/ipsec/ (made by
// fixtures/gen/ipsec.py) and `verify --json` restricted to this area's names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, run } from './cli.js';

export const IPSEC = join(FIXTURES, 'ipsec');
export const KEYRING = join(IPSEC, 'keyring.json');
export const exp = JSON.parse(readFileSync(join(IPSEC, 'expected.json'), 'utf8'));
export const keyringJson = JSON.parse(readFileSync(KEYRING, 'utf8'));

export interface ExpFrame {
  frame: number;
  msg: string;
  case?: string;
  verify: Record<string, string>;
  expert: string[];
  [k: string]: any;
}

export const capFrames = (name: string): ExpFrame[] => exp.captures[name].frames;
export const capPath = (name: string): string => join(IPSEC, exp.captures[name].file);

/** Expert ids of this area (issue 7). */
export const MINE = /^(verify\.(esp_icv|cookie_mac|cookie_echo|cookie_coa)|ipsec\.|hao\.|cookie\.)/;

export interface VerifyFrame {
  frame: number;
  summary: string;
  verify?: Record<string, string>;
  expert?: Array<{ severity: string; id: string; message: string }>;
}

export function verifyJson(file: string, keyring = KEYRING, extra: string[] = []): { code: number; doc: { frames: VerifyFrame[]; totals: Record<string, number> } } {
  const r = run(['verify', '-r', file, '-k', keyring, '--json', ...extra]);
  if (r.code === 2) throw new Error(r.stderr);
  return { code: r.code, doc: JSON.parse(r.stdout) };
}

export const mineIds = (f: VerifyFrame): string[] => (f.expert ?? []).map((e) => e.id).filter((id) => MINE.test(id)).sort();
