// Deterministic ECDSA P-256 with SHA-256 (RFC 6979 3.2), DER-encoded: node:crypto
// signs ECDSA with a random k, which would make every crafted capture differ.
// Plain affine BigInt arithmetic; one signature per crafted packet, so speed is moot.
// The caller checks each signature with node:crypto before using it.
import { createHash, createHmac, type KeyObject } from 'node:crypto';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: Point = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
];

type Point = [bigint, bigint] | null;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function inv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(p: Point, q: Point): Point {
  if (!p) return q;
  if (!q) return p;
  let l: bigint;
  if (p[0] === q[0]) {
    if (mod(p[1] + q[1], P) === 0n) return null;
    l = mod((3n * p[0] * p[0] + A) * inv(2n * p[1], P), P);
  } else {
    l = mod((q[1] - p[1]) * inv(q[0] - p[0], P), P);
  }
  const x = mod(l * l - p[0] - q[0], P);
  return [x, mod(l * (p[0] - x) - p[1], P)];
}

function mul(k: bigint, p: Point): Point {
  let r: Point = null;
  for (let b = BigInt(k.toString(2).length - 1); b >= 0n; b--) {
    r = add(r, r);
    if ((k >> b) & 1n) r = add(r, p);
  }
  return r;
}

const toInt = (b: Buffer) => BigInt('0x' + (b.toString('hex') || '0'));
const to32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

function derInt(n: bigint): Buffer {
  let b = Buffer.from(n.toString(16).padStart(2, '0').replace(/^(.(..)*)$/, '0$1'), 'hex');
  while (b.length > 1 && b[0] === 0 && !(b[1]! & 0x80)) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

/** RFC 6979 signature of `data` with a P-256 private key: DER SEQUENCE { r, s }. */
export function signP256Deterministic(key: KeyObject, data: Buffer): Buffer {
  const d = key.export({ format: 'jwk' }).d;
  if (!d) throw new Error('not a private key');
  const x = toInt(Buffer.from(d, 'base64url'));
  const h1 = createHash('sha256').update(data).digest();
  const e = toInt(h1);
  const xo = to32(x);
  const ho = to32(mod(e, N));
  const hmac = (k: Buffer, ...parts: Buffer[]) => {
    const h = createHmac('sha256', k);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  let V = Buffer.alloc(32, 1);
  let K = Buffer.alloc(32, 0);
  K = hmac(K, V, Buffer.from([0]), xo, ho);
  V = hmac(K, V);
  K = hmac(K, V, Buffer.from([1]), xo, ho);
  V = hmac(K, V);
  for (;;) {
    V = hmac(K, V);
    const k = toInt(V);
    if (k >= 1n && k < N) {
      const R = mul(k, G);
      const r = R ? mod(R[0], N) : 0n;
      const s = mod(inv(k, N) * (e + r * x), N);
      if (r !== 0n && s !== 0n) {
        const body = Buffer.concat([derInt(r), derInt(s)]);
        return Buffer.concat([Buffer.from([0x30, body.length]), body]);
      }
    }
    K = hmac(K, V, Buffer.from([0]));
    V = hmac(K, V);
  }
}
