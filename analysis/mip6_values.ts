// Reading what the Mobility Header dissector left in `pinfo.data.mip6` (contract
// in dissectors/mip6/api.ts): values by display-filter name, options by type.
// Analysis never re-parses packets; option octets are read only through the
// offsets the dissector reported, and only when its values are absent.
import type { Mip6Info, Mip6Option } from '../dissectors/mip6/api.js';

export const MH = { HOTI: 1, COTI: 2, HOT: 3, COT: 4, BU: 5, BA: 6 } as const;
export const OPT = { ACOA: 3, NI: 4, BAD: 5 } as const;

/** First value present among alternative names (Wireshark's name first). */
export function val(mh: Mip6Info | Mip6Option, ...names: string[]): unknown {
  for (const n of names) {
    const x = mh.vals[n];
    if (x !== undefined) return x;
  }
  return undefined;
}

export function num(x: unknown): number | null {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'boolean') return x ? 1 : 0;
  return null;
}

/** An 8-octet value (cookie, token) whether the dissector kept it as bigint or bytes. */
export function oct8(x: unknown): Buffer | null {
  if (typeof x === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt.asUintN(64, x));
    return b;
  }
  if (x instanceof Uint8Array && x.length === 8) return Buffer.from(x.buffer, x.byteOffset, 8);
  return null;
}

export function option(mh: Mip6Info, type: number): Mip6Option | undefined {
  return mh.options.find((o) => o.type === type && !o.malformed);
}

function optBytes(mh: Mip6Info, o: Mip6Option, at: number, n: number): Buffer | null {
  const s = o.off + 2 + at;
  return o.len >= at + n && s + n <= mh.buf.length ? mh.buf.subarray(s, s + n) : null;
}

export function altCoa(mh: Mip6Info, o: Mip6Option): Buffer | null {
  const x = val(o, 'mip6.acoa.acoa');
  if (x instanceof Uint8Array && x.length === 16) return Buffer.from(x.buffer, x.byteOffset, 16);
  return o.len === 16 ? optBytes(mh, o, 0, 16) : null;
}

export function nonceIndices(mh: Mip6Info, o: Mip6Option): { hni: number; cni: number } | null {
  let hni = num(val(o, 'mip6.ni.hni'));
  let cni = num(val(o, 'mip6.ni.cni'));
  if ((hni === null || cni === null) && o.len === 4) {
    const b = optBytes(mh, o, 0, 4);
    if (b) {
      hni = b.readUInt16BE(0);
      cni = b.readUInt16BE(2);
    }
  }
  return hni === null || cni === null ? null : { hni, cni };
}

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
