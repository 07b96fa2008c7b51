// Shared by the extension tests (lke, cookie, cbu): the generator's expected
// values (fixtures/ext/expected.json) and small conversions to tshark's text forms.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './cli.js';

export const EXT = join(FIXTURES, 'ext');
export const expected = JSON.parse(readFileSync(join(EXT, 'expected.json'), 'utf8'));

export interface ExpFrame {
  frame: number;
  msg: string;
  [k: string]: any;
}

export function frames(capture: string): ExpFrame[] {
  return expected.captures[capture].frames;
}

export function capFile(capture: string): string {
  return join(EXT, `${capture}.pcap`);
}

/** hex "a1b2" -> tshark's bytes text "a1:b2" */
export function colonHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(':');
}

export function hexOf(b: unknown): string {
  return Buffer.from(b as Uint8Array).toString('hex');
}

/** 16-octet hex -> compressed IPv6 text via node's URL parser (independent of core/addr) */
export function v6(hex: string): string {
  const groups = hex.match(/..../g)!.map((g) => g.replace(/^0+(?=.)/, ''));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
