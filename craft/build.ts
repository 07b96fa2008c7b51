// Turn a scenario into packets: addressing by message and role (RFC 6275 §6, §9–§11),
// lengths, alignment padding, checksums and, where the keyring allows, the
// keygen tokens (HoT/CoT) and Binding Authorization Data (BU/BA). `override`
// breaks a packet on purpose after everything is filled in.
import { parseIPv6 } from '../core/addr.js';
import type { Host, PacketSpec, Scenario } from './scenario.js';
import { ScenarioError } from './scenario.js';
import { ALIGN, OPT_TYPE, layoutOptions, mobilityHeader, setMhChecksum, destOptsHao, routingType2, ipv6Header, ethernet, type BuiltOption } from './encode.js';
import { keygenToken, kbmFromTokens as kbmFrom, authenticator } from '../crypto/rr.js';

const MH_TYPES: Record<string, number> = { BRR: 0, HOTI: 1, COTI: 2, HOT: 3, COT: 4, BU: 5, BA: 6, BE: 7 };
const BU_FLAGS: Record<string, number> = { A: 0x8000, H: 0x4000, L: 0x2000, K: 0x1000, M: 0x0800, R: 0x0400, P: 0x0200, F: 0x0100, T: 0x0080, B: 0x0040 };
const BA_FLAGS: Record<string, number> = { K: 0x80, R: 0x40, P: 0x20, T: 0x10, B: 0x08 };

export interface CraftedPacket {
  t: number;
  data: Buffer;
  /** what was filled in (for --show-keys style explanations in tests) */
  notes: string[];
}

function hex(v: unknown, where: string, len?: number): Buffer {
  if (typeof v !== 'string' || !/^(0x)?([0-9a-f]{2})*$/i.test(v)) throw new ScenarioError(`${where}: hex octets required`);
  const b = Buffer.from(v.replace(/^0x/i, ''), 'hex');
  if (len !== undefined && b.length !== len) throw new ScenarioError(`${where}: ${len} octets required, ${b.length} given`);
  return b;
}

function num(v: unknown, where: string, max: number, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  const n = typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) throw new ScenarioError(`${where}: a whole number from 0 to ${max}`);
  return n;
}

function flags(v: unknown, table: Record<string, number>, where: string, max: number): number {
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

const same = (a: Buffer, s: unknown) => typeof s === 'string' && !!parseIPv6(s)?.equals(a);

interface BindingState {
  kbm: Buffer;
  coa: Buffer;
}

export function craft(sc: Scenario): CraftedPacket[] {
  const bindings = new Map<string, BindingState>();
  const out: CraftedPacket[] = [];
  sc.packets.forEach((p, i) => {
    out.push(buildOne(sc, p, `packets[${i}]`, bindings));
  });
  return out;
}

function hostAddr(h: Host, role: 'home' | 'careof'): Buffer {
  return h.addr ?? (role === 'home' ? h.hoa! : h.coa!);
}

function buildOne(sc: Scenario, p: PacketSpec, w: string, bindings: Map<string, BindingState>): CraftedPacket {
  const type = MH_TYPES[p.msg.toUpperCase()];
  if (type === undefined) throw new ScenarioError(`${w}.msg: "${p.msg}" is not one of ${Object.keys(MH_TYPES).join(', ')}`);
  const from = sc.hosts.get(p.from)!;
  const to = sc.hosts.get(p.to)!;
  const notes: string[] = [];
  const f = p.fields;
  const home = f.home === true;
  // Addressing by message (RFC 6275): the MN speaks from its CoA with a Home Address
  // option; answers reach it at its CoA with a type 2 routing header.
  let src: Buffer, dst: Buffer, hao: Buffer | null = null, rh2: Buffer | null = null;
  const mnFrom = !from.addr;
  const mnTo = !to.addr;
  switch (type) {
    case 1: src = from.hoa ?? from.addr!; dst = hostAddr(to, 'home'); break; // HoTI: from the HoA (tunnelled)
    case 3: src = from.addr ?? from.coa!; dst = to.hoa ?? to.addr!; break; // HoT: to the HoA (tunnelled)
    case 2: src = from.coa ?? from.addr!; dst = hostAddr(to, 'careof'); break; // CoTI
    case 4: src = from.addr ?? from.hoa!; dst = to.coa ?? to.addr!; break; // CoT
    default:
      if (mnFrom) {
        src = home ? from.hoa! : from.coa!;
        dst = hostAddr(to, 'home');
        if (!home) hao = from.hoa!;
      } else {
        src = from.addr!;
        dst = mnTo ? (home ? to.hoa! : to.coa!) : to.addr!;
        if (mnTo && !home && type !== 7) rh2 = to.hoa!;
      }
  }
  if (p.src) src = p.src;
  if (p.dst) dst = p.dst;
  if (p.hao !== undefined) hao = p.hao;
  if (p.rh2 !== undefined) rh2 = p.rh2;
  const mn = mnFrom ? from : mnTo ? to : null;
  const cn = mnFrom ? dst : src;
  const hoa = hao ?? rh2 ?? mn?.hoa ?? (mnFrom ? src : dst);

  // message body (fixed part)
  let fixed: Buffer;
  const fw = `${w}.fields`;
  switch (type) {
    case 0: fixed = Buffer.alloc(2); break;
    case 1: case 2: fixed = Buffer.concat([Buffer.alloc(2), hex(f.cookie ?? '0000000000000000', `${fw}.cookie`, 8)]); break;
    case 3: case 4: {
      const idx = num(f.nonceIndex, `${fw}.nonceIndex`, 0xffff, 0);
      let token: Buffer;
      if (f.token !== undefined) token = hex(f.token, `${fw}.token`, 8);
      else {
        const rr = (sc.keyring.rr ?? []).find((e: any) => same(src, e.cn));
        const nonceHex = rr?.nonces?.[String(idx)];
        if (!rr || !nonceHex) throw new ScenarioError(`${fw}.token: give it, or a keyring "rr" entry for ${p.from} with nonce ${idx}`);
        const addrForToken = type === 3 ? dst : dst;
        token = keygenToken(hex(rr.kcn, 'keyring rr.kcn'), addrForToken, hex(nonceHex, `keyring rr.nonces.${idx}`), type !== 3);
        notes.push(`${type === 3 ? 'home' : 'care-of'} keygen token from keyring`);
      }
      const b = Buffer.alloc(18);
      b.writeUInt16BE(idx, 0);
      hex(f.cookie ?? '0000000000000000', `${fw}.cookie`, 8).copy(b, 2);
      token.copy(b, 10);
      fixed = b;
      break;
    }
    case 5: {
      const b = Buffer.alloc(6);
      b.writeUInt16BE(num(f.seq, `${fw}.seq`, 0xffff, 0), 0);
      b.writeUInt16BE(flags(f.flags, BU_FLAGS, `${fw}.flags`, 0xffff), 2);
      b.writeUInt16BE(num(f.lifetime, `${fw}.lifetime`, 0xffff, 0), 4);
      fixed = b;
      break;
    }
    case 6: {
      const b = Buffer.alloc(6);
      b[0] = num(f.status, `${fw}.status`, 255, 0);
      b[1] = flags(f.flags, BA_FLAGS, `${fw}.flags`, 255);
      b.writeUInt16BE(num(f.seq, `${fw}.seq`, 0xffff, 0), 2);
      b.writeUInt16BE(num(f.lifetime, `${fw}.lifetime`, 0xffff, 0), 4);
      fixed = b;
      break;
    }
    default: { // BE
      const b = Buffer.alloc(18);
      b[0] = num(f.status, `${fw}.status`, 255, 1);
      (f.hoa !== undefined ? parseIPv6(String(f.hoa)) ?? hoa : hoa).copy(b, 2);
      fixed = b;
    }
  }

  // options
  let acoa: Buffer | null = null;
  let ni: [number, number] | null = null;
  let badIndex = -1;
  const opts: BuiltOption[] = p.options.map((o, k) => {
    const ow = `${w}.options[${k}]`;
    const t = String(o.type).toLowerCase();
    switch (t) {
      case 'pad1': return { type: 0, body: Buffer.alloc(0) };
      case 'padn': return { type: 1, body: Buffer.alloc(num(o.len, `${ow}.len`, 255, 0)) };
      case 'bra': { const b = Buffer.alloc(2); b.writeUInt16BE(num(o.interval, `${ow}.interval`, 0xffff, 0)); return { type: 2, body: b, align: ALIGN.bra }; }
      case 'acoa': { const a = parseIPv6(String(o.addr)); if (!a) throw new ScenarioError(`${ow}.addr: an IPv6 address`); acoa = a; return { type: 3, body: a, align: ALIGN.acoa }; }
      case 'ni': {
        ni = [num(o.hni, `${ow}.hni`, 0xffff), num(o.cni, `${ow}.cni`, 0xffff)];
        const b = Buffer.alloc(4);
        b.writeUInt16BE(ni[0], 0);
        b.writeUInt16BE(ni[1], 2);
        return { type: 4, body: b, align: ALIGN.ni };
      }
      case 'bad': badIndex = k; return { type: 5, body: o.authenticator !== undefined ? hex(o.authenticator, `${ow}.authenticator`) : Buffer.alloc(12), align: ALIGN.bad };
      case 'raw': return { type: num(o.code, `${ow}.code`, 255), body: hex(o.data ?? '', `${ow}.data`) };
      default: throw new ScenarioError(`${ow}.type: "${o.type}" is not one of pad1, padn, bra, acoa, ni, bad, raw`);
    }
  });
  const laid = layoutOptions(6 + fixed.length, opts);
  const mh = mobilityHeader(type, Buffer.concat([fixed, laid.bytes]), {
    proto: p.override.proto === undefined ? undefined : num(p.override.proto, `${w}.override.proto`, 255),
    hlen: p.override.hlen === undefined ? undefined : num(p.override.hlen, `${w}.override.hlen`, 255),
  });

  // Binding Authorization Data: Kbm from the keyring (static or RR), §1/§2 and §7
  if (badIndex >= 0 && p.options[badIndex]!.authenticator === undefined) {
    const authOff = laid.offsets[badIndex]! + 2;
    const key = `${hoa.toString('hex')}/${cn.toString('hex')}`;
    let kbm: Buffer | null = null;
    let coa = acoa ?? src;
    if (type === 5) {
      const lifetime = fixed.readUInt16BE(4);
      const st = (sc.keyring.staticKbm ?? []).find((e: any) => same(hoa, e.hoa) && same(cn, e.cn));
      const rr = (sc.keyring.rr ?? []).find((e: any) => same(cn, e.cn));
      const dereg = lifetime === 0 && coa.equals(hoa);
      if (st) {
        const kcn = hex(st.kcn, 'keyring staticKbm.kcn');
        const ht = keygenToken(kcn, hoa, hex(st.homeNonce, 'keyring staticKbm.homeNonce'), false);
        kbm = kbmFrom(ht, dereg ? null : keygenToken(kcn, coa, hex(st.careofNonce, 'keyring staticKbm.careofNonce'), true));
        notes.push('Kbm from static Kcn');
      } else if (rr && ni) {
        const kcn = hex(rr.kcn, 'keyring rr.kcn');
        const hn = rr.nonces?.[String(ni[0])];
        const cnn = rr.nonces?.[String(ni[1])];
        if (!hn || (!dereg && !cnn)) throw new ScenarioError(`${w}: keyring rr has no nonce ${!hn ? ni[0] : ni[1]}`);
        const ht = keygenToken(kcn, hoa, hex(hn, 'keyring rr nonce'), false);
        kbm = kbmFrom(ht, dereg ? null : keygenToken(kcn, coa, hex(cnn, 'keyring rr nonce'), true));
        notes.push('Kbm from RR Kcn and nonces');
      } else throw new ScenarioError(`${w}: the authenticator needs a keyring "staticKbm" entry for this HoA and CN, or an "rr" entry with a Nonce Indices option (or give options[].authenticator)`);
      bindings.set(key, { kbm, coa });
    } else if (type === 6) {
      const b = bindings.get(key);
      if (!b) throw new ScenarioError(`${w}: no earlier BU from ${hoa ? 'this HoA' : '?'} to this correspondent to take Kbm from`);
      kbm = b.kbm;
      coa = b.coa;
    } else throw new ScenarioError(`${w}: Binding Authorization Data is computed only for BU and BA`);
    // MH Data: checksum zero, the 12 authenticator octets left out
    const data = Buffer.concat([mh.subarray(0, authOff), mh.subarray(authOff + 12)]);
    data.writeUInt16BE(0, 4);
    authenticator(kbm!, coa, cn, data).copy(mh, authOff);
  }

  // a wrong authenticator on purpose still gets a right checksum: one fault at a time
  if (p.override.authenticator !== undefined && badIndex >= 0) hex(p.override.authenticator, `${w}.override.authenticator`, 12).copy(mh, laid.offsets[badIndex]! + 2);
  // checksum: pseudo-header uses the HoA (HAO) and the final destination (RH2)
  setMhChecksum(mh, hao ?? src, rh2 ?? dst);
  if (p.override.checksum !== undefined) mh.writeUInt16BE(num(p.override.checksum, `${w}.override.checksum`, 0xffff), 4);

  // IPv6 header chain
  let payload: Buffer = mh;
  let nxt = 135;
  if (hao) { payload = Buffer.concat([destOptsHao(nxt, hao), payload]); nxt = 60; }
  if (rh2) { payload = Buffer.concat([routingType2(nxt, rh2), payload]); nxt = 43; }
  let ip = Buffer.concat([ipv6Header(nxt, payload.length, src, dst, p.hlim), payload]);
  let l2src = from.mac, l2dst = to.mac;
  if (p.via) {
    const via = sc.hosts.get(p.via)!;
    const tunnelSrc = type === 1 ? from.coa ?? from.addr! : via.addr ?? via.hoa!;
    const tunnelDst = type === 1 ? via.addr ?? via.hoa! : to.coa ?? to.addr!;
    ip = Buffer.concat([ipv6Header(41, ip.length, tunnelSrc, tunnelDst), ip]);
    if (type === 1) l2dst = via.mac; else l2src = via.mac;
  }
  if (p.override.truncate !== undefined) ip = ip.subarray(0, num(p.override.truncate, `${w}.override.truncate`, ip.length));
  const data = sc.linktype === 1 ? ethernet(l2dst, l2src, ip) : ip;
  return { t: sc.start + p.t, data, notes };
}
