// Field registry: every named field (Wireshark "header field") lives here once,
// so the tree, JSON, `-T fields`, `-G fields` and display filters share one vocabulary.
const registry = new Map();
/** Register a field (idempotent for identical redefinitions; later wins otherwise). */
export function defineField(f) {
    const old = registry.get(f.abbrev);
    if (old) {
        // keep one object so layouts created earlier stay valid
        Object.assign(old, f);
        return old;
    }
    registry.set(f.abbrev, f);
    return f;
}
export function getField(abbrev) {
    return registry.get(abbrev);
}
export function allFields() {
    return [...registry.values()];
}
/** Convenience: define a protocol entry (tshark's "P" rows). */
export function defineProtocol(abbrev, name) {
    return defineField({ abbrev, name, type: 'protocol', proto: abbrev });
}
/** Shorthand factory bound to one protocol. */
export function fieldMaker(proto) {
    return (abbrev, name, type, extra = {}) => defineField({ abbrev, name, type, proto, ...extra });
}
export function valueString(vs, v) {
    if (!vs)
        return undefined;
    return typeof vs === 'function' ? vs(v) : vs[v];
}
