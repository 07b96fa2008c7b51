const store = new WeakMap();
function metaMap(t, p, create) {
    let m = store.get(t);
    if (!m) {
        if (!create)
            return undefined;
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
export function installReflectMetadata() {
    const R = Reflect;
    if (typeof R.getMetadata === 'function')
        return;
    R.defineMetadata = (k, v, t, p) => void metaMap(t, p, true).set(k, v);
    R.getOwnMetadata = (k, t, p) => metaMap(t, p, false)?.get(k);
    R.hasOwnMetadata = (k, t, p) => metaMap(t, p, false)?.has(k) ?? false;
    R.getMetadata = (k, t, p) => {
        for (let o = t; o; o = Object.getPrototypeOf(o)) {
            const m = metaMap(o, p, false);
            if (m?.has(k))
                return m.get(k);
        }
        return undefined;
    };
    R.hasMetadata = (k, t, p) => R.getMetadata(k, t, p) !== undefined;
    R.metadata = (k, v) => (t, p) => R.defineMetadata(k, v, t, p);
}
