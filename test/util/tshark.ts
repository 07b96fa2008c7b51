// tshark as the independent reference: its -T json output flattened into
// (layer path, field, value) rows that keep duplicate keys, so our output and
// tshark's can be compared field by field.
import { spawnSync } from 'node:child_process';

export function haveTshark(): boolean {
  const r = spawnSync('tshark', ['--version'], { stdio: 'pipe' });
  return r.status === 0;
}

export function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { stdio: 'pipe', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

export interface Row {
  /** packet index from 0 */
  pkt: number;
  /** enclosing keys, '/'-joined (layers only) */
  path: string;
  key: string;
  value: string;
}

/** Tokenise JSON keeping duplicate keys: every string leaf becomes a row. */
export function flattenJson(text: string): Row[] {
  const rows: Row[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  let pkt = -1;
  const value = (path: string[], key: string, depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] === '}') { i++; break; }
        const k = str();
        ws(); i++; // :
        value(key === '' ? path : [...path, key], k, depth + 1);
        ws();
        if (text[i] === ',') i++;
      }
    } else if (c === '[') {
      i++;
      for (;;) {
        ws();
        if (text[i] === ']') { i++; break; }
        if (depth === 0) pkt++;
        value(path, key, depth + 1);
        ws();
        if (text[i] === ',') i++;
      }
    } else if (c === '"') {
      rows.push({ pkt, path: path.filter((p) => p !== '_source' && p !== 'layers').join('/'), key, value: str() });
    } else {
      const m = /^(null|true|false|-?\d+(\.\d+)?)/.exec(text.slice(i));
      i += m ? m[0].length : 1;
    }
  };
  value([], '', 0);
  return rows;
}

/** Rows of one packet whose key starts with `prefix` (e.g. "mip6."), as "key=value" strings in order. */
export function fieldRows(rows: Row[], pkt: number, prefix: string): string[] {
  return rows.filter((r) => r.pkt === pkt && r.key.startsWith(prefix)).map((r) => `${r.key}=${r.value}`);
}
