// CBU key schedule from the DH exchange (spec §5): a keyring `cbu.dhPrivate` entry
// whose owner (address or prefix) is the HoA or the CN, whose group is the
// exchange's and whose public value is the one that side sent, gives k_DH; then
// k_master and k_BU / k_BA / k_EN, compared with keyring `sessionKeys` if listed.
import type { CbuKeyring } from '../keyring/types.js';
import { dhShared, sessionKeys, type Prf, type SessionKeys } from '../crypto/cbu.js';
import type { Verdict } from './api.js';

/** One CBU exchange (HoA <-> CN) and what it yields. */
export interface Exch {
  hoa: Buffer;
  /** CN address as in EXCH0 (CN_HoA for a mobile CN) */
  cn: Buffer;
  /** the mobile CN's care-of address, once seen (KEYS, BA) */
  cnCoa?: Buffer;
  frame: number;
  n1?: Buffer;
  n2?: Buffer;
  n1p?: Buffer;
  n2p?: Buffer;
  /** DH field values (group | value) */
  gx?: Buffer;
  gy?: Buffer;
  /** the EXCH0 MH with its checksum zeroed (SIG_CN input) */
  ex0z?: Buffer;
  keys?: SessionKeys;
  /** where the keys came from (keyring entry name, 'REP', 'KEYS') */
  keysFrom?: string;
  fromDh: boolean;
}

function owns(ownerAddr: Buffer, plen: number, a: Buffer): boolean {
  const whole = plen >> 3;
  if (!a.subarray(0, whole).equals(ownerAddr.subarray(0, whole))) return false;
  const rem = plen & 7;
  if (!rem) return true;
  const m = (0xff << (8 - rem)) & 0xff;
  return (a[whole]! & m) === (ownerAddr[whole]! & m);
}

/** Derive the session keys of `e` (sets e.keys); null when there is nothing to say. */
export function deriveFromDh(cb: CbuKeyring | null, alg: Prf, e: Exch): { verdict: Verdict; msg?: string } | null {
  const listed = cb?.sessionKeys.find((s) => s.hoa.equals(e.hoa) && s.cn.equals(e.cn));
  if (!e.gx || !e.gy || !e.n1 || !e.n2 || e.gx.length < 2 || e.gy.length < 2) return null;
  const group = e.gx.readUInt16BE(0);
  const gx = e.gx.subarray(2), gy = e.gy.subarray(2);
  let derived: SessionKeys | null = null;
  let tried = 0;
  for (const p of cb?.dhPrivate ?? []) {
    if (p.group !== group) continue;
    const mnSide = owns(p.ownerAddr, p.prefixLen, e.hoa);
    const cnSide = owns(p.ownerAddr, p.prefixLen, e.cn);
    for (const [mine, peer] of [...(mnSide ? [[gx, gy]] : []), ...(cnSide ? [[gy, gx]] : [])] as Array<[Buffer, Buffer]>) {
      tried++;
      try {
        const r = dhShared(group, p.value, peer);
        // the private value must be the one behind the public value that side sent
        if (!r.ownPublic.equals(mine)) continue;
        derived = sessionKeys(alg, r.kdh, e.n1, e.n2);
      } catch {
        continue;
      }
      if (derived) break;
    }
    if (derived) break;
  }
  if (!derived) {
    if (listed) { e.keys = { kMaster: Buffer.alloc(0), kBU: listed.kBU, kBA: listed.kBA, kEN: listed.kEN }; e.keysFrom = listed.where; }
    return { verdict: 'unverifiable', msg: tried ? 'no configured DH private value matches the public values sent' : undefined };
  }
  e.keys = derived;
  e.keysFrom = 'DH';
  e.fromDh = true;
  if (!listed) return { verdict: 'ok' };
  const bad = (['kBU', 'kBA', 'kEN'] as const).filter((n) => !listed[n].equals(derived![n]));
  return bad.length
    ? { verdict: 'fail', msg: `${bad.map((n) => n.replace('k', 'k_')).join(', ')} derived from the DH exchange differ from ${listed.where}` }
    : { verdict: 'ok' };
}
