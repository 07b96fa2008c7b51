// CBU key material for craft (spec §5, §6, §7): the keyring's cbu section (checked
// by the keyring validator, so craft and verify read it alike), prf and First(96),
// DH private values (keyring, scenario or a deterministic default) and Sealed.
import { createCipheriv, createHash, createECDH } from 'node:crypto';
import { validateKeyring, KeyringError } from '../../keyring/validate.js';
import type { CbuKeyring } from '../../keyring/types.js';
import { prf as prfRaw, dhPublic, type Prf } from '../../crypto/cbu.js';
import { ScenarioError } from '../scenario.js';
import { moduleState, type CraftContext } from '../registry.js';

/** The keyring's cbu section, typed; an empty one when there is none. */
export function cbuKeyring(ctx: CraftContext): CbuKeyring {
  return moduleState(ctx, 'cbu.keyring', () => {
    const raw = ctx.sc.keyring?.cbu;
    const empty: CbuKeyring = { trustAnchorsPem: [], trustAnchors: [], prf: 'hmac-sha256', dhPrivate: [], sessionKeys: [], kHA: [], kCN: [] };
    if (raw === undefined) return empty;
    try {
      return validateKeyring({ cbu: raw }).keyring.cbu ?? empty;
    } catch (e) {
      if (e instanceof KeyringError) throw new ScenarioError(`keyring ${e.message}`);
      throw e;
    }
  });
}

export const prfAlg = (ctx: CraftContext): Prf => cbuKeyring(ctx).prf;

export function prf(ctx: CraftContext, key: Buffer, ...parts: Buffer[]): Buffer {
  return prfRaw(prfAlg(ctx), key, ...parts);
}

/** MAC field value: First(96, prf(key, parts)). */
export const mac96 = (ctx: CraftContext, key: Buffer, ...parts: Buffer[]) => prf(ctx, key, ...parts).subarray(0, 12);

/** A deterministic stand-in for a random value: same scenario, same packets. */
export function det(n: number, ...label: Array<string | number | Buffer>): Buffer {
  const h = createHash('sha256').update('mip6scope craft cbu');
  for (const l of label) h.update('|').update(typeof l === 'number' ? String(l) : l);
  let out = h.digest();
  while (out.length < n) out = Buffer.concat([out, createHash('sha256').update(out).digest()]);
  return out.subarray(0, n);
}

function covers(owner: Buffer, plen: number, a: Buffer): boolean {
  const whole = plen >> 3;
  if (!a.subarray(0, whole).equals(owner.subarray(0, whole))) return false;
  const rem = plen & 7;
  if (!rem) return true;
  const m = (0xff << (8 - rem)) & 0xff;
  return (a[whole]! & m) === (owner[whole]! & m);
}

export const DH_GROUPS = [14, 19, 31] as const;

/** A keyring dhPrivate entry for this address (its owner address or prefix covers it), of `group` if given. */
export function keyringDh(ctx: CraftContext, addr: Buffer, group?: number) {
  return cbuKeyring(ctx).dhPrivate.find((e) => covers(e.ownerAddr, e.prefixLen, addr) && (group === undefined || e.group === group));
}

/** A private value no keyring gave: derived from labels (a P-256 scalar must be below the order). */
export function defaultDhPrivate(group: number, ...label: Array<string | number | Buffer>): Buffer {
  for (let i = 0; ; i++) {
    const v = det(32, 'dh', group, ...label, i);
    if (group !== 19) return v;
    try {
      createECDH('prime256v1').setPrivateKey(v);
      return v;
    } catch {
      // above the group order: next candidate
    }
  }
}

/** The DH field's value octets (after the group) for a private value: MODP padded to 256 (§7). */
export function dhPublicValue(group: number, priv: Buffer, where: string): Buffer {
  try {
    return dhPublic(group, priv);
  } catch (e) {
    throw new ScenarioError(`${where}: no public value for this private value in group ${group} (${(e as Error).message})`);
  }
}

/** Sealed value (§5): AES-128-GCM under the first 16 octets of `key`, no AAD: IV | ciphertext | tag. */
export function seal(key: Buffer, iv: Buffer, plain: Buffer): Buffer {
  const c = createCipheriv('aes-128-gcm', key.subarray(0, 16), iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]);
}
