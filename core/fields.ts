// Field registry: every named field (Wireshark "header field") lives here once,
// so the tree, JSON, `-T fields`, `-G fields` and display filters share one vocabulary.

export type FT =
  | 'protocol' | 'none' | 'bool'
  | 'uint8' | 'uint16' | 'uint24' | 'uint32' | 'uint64' | 'int32'
  | 'ipv6' | 'ipv4' | 'ether' | 'bytes' | 'string'
  | 'abs_time' | 'rel_time' | 'framenum' | 'double';

export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'none';

export type ValueStrings = Record<number, string> | ((v: number) => string | undefined);

export interface Field {
  abbrev: string;
  name: string;
  type: FT;
  base?: Base;
  /** bit mask within the container (uints and bools); 0/undefined = whole value */
  mask?: number;
  /** container width in bits for masked fields (bool display "1... ....") */
  bits?: number;
  vals?: ValueStrings;
  /** true/false strings for booleans, as Wireshark's tfs */
  tfs?: [string, string];
  unit?: string;
  desc?: string;
  proto: string;
}

const registry = new Map<string, Field>();

/** Register a field (idempotent for identical redefinitions; later wins otherwise). */
export function defineField(f: Field): Field {
  const old = registry.get(f.abbrev);
  if (old) {
    // keep one object so layouts created earlier stay valid
    Object.assign(old, f);
    return old;
  }
  registry.set(f.abbrev, f);
  return f;
}

export function getField(abbrev: string): Field | undefined {
  return registry.get(abbrev);
}

export function allFields(): Field[] {
  return [...registry.values()];
}

/** Convenience: define a protocol entry (tshark's "P" rows). */
export function defineProtocol(abbrev: string, name: string): Field {
  return defineField({ abbrev, name, type: 'protocol', proto: abbrev });
}

/** Shorthand factory bound to one protocol. */
export function fieldMaker(proto: string) {
  return (abbrev: string, name: string, type: FT, extra: Partial<Field> = {}): Field =>
    defineField({ abbrev, name, type, proto, ...extra });
}

export function valueString(vs: ValueStrings | undefined, v: number): string | undefined {
  if (!vs) return undefined;
  return typeof vs === 'function' ? vs(v) : vs[v];
}
