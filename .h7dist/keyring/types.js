export function emptyKeyring() {
    return { path: '', staticKbm: [], rr: [], lke: [], cookie: [], cbu: null, esp: [] };
}
/** The keyring of a run, or null when the engine was given none. */
export function keyringOf(engine) {
    const k = engine.opts.keyring;
    return k && Array.isArray(k.staticKbm) ? k : null;
}
export function findStatic(k, hoa, cn) {
    return k?.staticKbm.find((e) => e.hoa.equals(hoa) && e.cn.equals(cn));
}
export function findRr(k, cn) {
    return k?.rr.find((e) => e.cn.equals(cn));
}
export function findEsp(k, spi) {
    return k?.esp.find((e) => e.spi === spi);
}
