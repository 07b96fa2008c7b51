// The care-of address test with cookies (spec §4, §7): the Cookie option
// (mobility option 18, length 30: Timestamp | tested CoA | MAC). In a BA (status
// 250) it is issued: Timestamp = the BA's time in seconds mod 2^16, CoA = the BA's
// destination (the tested CoA), MAC = First(96, HMAC_H(secret, Timestamp | CoA
// [| HoA] | CN)) with the keyring `cookie` entry of that correspondent. A BU echoes
// it with {"echo": true}: the last cookie issued to that home address, unchanged
// unless the scenario alters a part on purpose.
import { createHmac } from 'node:crypto';
import { ipv6ToString } from '../../core/addr.js';
import { ScenarioError } from '../scenario.js';
import { registerCraftOption, moduleState, type OptionContext } from '../registry.js';
import { hex, num, ipv6, sameAddr } from '../values.js';

const COOKIE_LEN = 30;

interface CookieKey {
  method: 1 | 2;
  hash: 'sha1' | 'sha256';
  secret: Buffer;
  where: string;
}

const issued = (octx: OptionContext) => moduleState(octx.ctx, 'cookie.issued', () => new Map<string, Buffer>());
const pair = (hoa: Buffer, cn: Buffer) => `${hoa.toString('hex')}/${cn.toString('hex')}`;

/** A secret given in the option itself ("secret", "method", "hash"), e.g. to forge a cookie. */
function optionCookieKey(o: Record<string, unknown>, ow: string): CookieKey | null {
  if (o.secret === undefined) return null;
  const method = o.method ?? 2;
  if (method !== 1 && method !== 2) throw new ScenarioError(`${ow}.method: 1 or 2`);
  return { where: 'the scenario', secret: hex(o.secret, `${ow}.secret`), method, hash: hashName(o.hash, `${ow}.hash`) };
}

function hashName(v: unknown, where: string): 'sha1' | 'sha256' {
  if (v === undefined || v === 'sha1') return 'sha1';
  if (v === 'sha256') return 'sha256';
  throw new ScenarioError(`${where}: "sha1" or "sha256"`);
}

function keyringCookieKey(octx: OptionContext, hoa: Buffer, cn: Buffer): CookieKey | null {
  const list = octx.ctx.sc.keyring?.cookie;
  if (!Array.isArray(list)) return null;
  const entries = list.map((e: any, i: number) => ({ e, i })).filter(({ e }) => sameAddr(cn, e?.cn));
  const hit = entries.find(({ e }) => e.hoa !== undefined && sameAddr(hoa, e.hoa)) ?? entries.find(({ e }) => e.hoa === undefined);
  if (!hit) return null;
  const w = `keyring cookie[${hit.i}]`;
  const method = hit.e.method;
  if (method !== 1 && method !== 2) throw new ScenarioError(`${w}.method: 1 or 2`);
  return { where: w, method, hash: hashName(hit.e.hash, `${w}.hash`), secret: hex(hit.e.secret, `${w}.secret`) };
}

export function cookieMac(k: CookieKey, ts: Buffer, coa: Buffer, hoa: Buffer, cn: Buffer): Buffer {
  const h = createHmac(k.hash, k.secret).update(ts).update(coa);
  if (k.method === 2) h.update(hoa);
  return h.update(cn).digest().subarray(0, 12);
}

/** The care-of address a BU states: its Alternate CoA option, else its source. */
function buCareOf(octx: OptionContext): Buffer {
  const ac = octx.ctx.p.options.find((x) => String(x.type).toLowerCase() === 'acoa');
  return ac ? ipv6(ac.addr, `${octx.ctx.w}: acoa addr`) : octx.src;
}

registerCraftOption({
  names: ['cookie'],
  build(o, ow, octx) {
    const { ctx } = octx;
    // BA: CN -> MN (HoA in the RH2); BU: MN -> CN (HoA in the Home Address option)
    const hoa = octx.hoa;
    const cn = octx.cn;
    const code = num(o.code, `${ow}.code`, 255, 18);
    let value: Buffer;
    if (o.echo !== undefined && typeof o.echo !== 'boolean') throw new ScenarioError(`${ow}.echo: true or false`);
    if (o.echo === true) {
      const last = issued(octx).get(pair(hoa, cn));
      if (!last) throw new ScenarioError(`${ow}.echo: no cookie was issued to home address ${ipv6ToString(hoa)} by ${ipv6ToString(cn)} earlier in the scenario`);
      value = Buffer.from(last);
    } else {
      value = Buffer.alloc(COOKIE_LEN);
      const ts = num(o.timestamp, `${ow}.timestamp`, 0xffff, Math.floor(ctx.sc.start + ctx.p.t) % 65536);
      value.writeUInt16BE(ts, 0);
      (o.coa !== undefined ? ipv6(o.coa, `${ow}.coa`) : octx.mhType === 5 ? buCareOf(octx) : octx.dst).copy(value, 2);
      if (o.mac === undefined) {
        const k = optionCookieKey(o, ow) ?? keyringCookieKey(octx, hoa, cn);
        if (!k) throw new ScenarioError(`${ow}: no cookie secret for correspondent ${ipv6ToString(cn)}: give "secret" (and "method", "hash") or a keyring "cookie" entry`);
        cookieMac(k, value.subarray(0, 2), value.subarray(2, 18), hoa, cn).copy(value, 18);
        ctx.notes.push(`cookie MAC from ${k.where}`);
      }
    }
    // parts given explicitly win, also over an echo: a cookie altered on purpose
    if (o.echo === true && o.timestamp !== undefined) value.writeUInt16BE(num(o.timestamp, `${ow}.timestamp`, 0xffff), 0);
    if (o.echo === true && o.coa !== undefined) ipv6(o.coa, `${ow}.coa`).copy(value, 2);
    if (o.mac !== undefined) hex(o.mac, `${ow}.mac`, 12).copy(value, 18);
    // a BA issues it: the one a later BU from that home address echoes
    if (octx.mhType === 6) issued(octx).set(pair(hoa, cn), Buffer.from(value));
    return { type: code, body: value };
  },
});
