// State that outlives a packet must not hold views into it: a view keeps the
// reader's whole 1 MiB chunk alive, and a small Buffer.from() copy is cut from
// Node's shared 8 KiB pool, which it then pins. A detached copy owns exactly
// its octets.

export function detach(b: Uint8Array): Buffer {
  const o = Buffer.allocUnsafeSlow(b.length);
  o.set(b);
  return o;
}
