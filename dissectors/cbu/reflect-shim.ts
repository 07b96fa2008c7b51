// @peculiar/x509 loads tsyringe, which refuses to start without the Reflect
// metadata API ("reflect-metadata" is not installed). This is the small subset
// tsyringe calls, installed only when nothing else provides it.
type Meta = Map<unknown, unknown>;
const store = new WeakMap<object, Map<PropertyKey | undefined, Meta>>();

function metaMap(t: object, p: PropertyKey | undefined, create: boolean): Meta | undefined {
  let m = store.get(t);
  if (!m) {
    if (!create) return undefined;
    m = new Map();
    store.set(t, m);
  }
  let pm = m.get(p);
  if (!pm && create) {
    pm = new Map();
    m.set(p, pm);
  }
  return pm;
}

export function installReflectMetadata(): void {
  const R = Reflect as any;
  if (typeof R.getMetadata === 'function') return;
  R.defineMetadata = (k: unknown, v: unknown, t: object, p?: PropertyKey) => void metaMap(t, p, true)!.set(k, v);
  R.getOwnMetadata = (k: unknown, t: object, p?: PropertyKey) => metaMap(t, p, false)?.get(k);
  R.hasOwnMetadata = (k: unknown, t: object, p?: PropertyKey) => metaMap(t, p, false)?.has(k) ?? false;
  R.getMetadata = (k: unknown, t: object, p?: PropertyKey) => {
    for (let o: object | null = t; o; o = Object.getPrototypeOf(o)) {
      const m = metaMap(o, p, false);
      if (m?.has(k)) return m.get(k);
    }
    return undefined;
  };
  R.hasMetadata = (k: unknown, t: object, p?: PropertyKey) => R.getMetadata(k, t, p) !== undefined;
  R.metadata = (k: unknown, v: unknown) => (t: object, p?: PropertyKey) => R.defineMetadata(k, v, t, p);
}
