const taps = [];
export function registerTap(t) {
    taps.push(t);
}
export function findTap(arg) {
    // longest prefix wins ("mip6,bindings" before "mip6")
    return [...taps].sort((a, b) => b.prefix.length - a.prefix.length).find((t) => arg === t.prefix || arg.startsWith(t.prefix + ','));
}
export function allTaps() {
    return [...taps];
}
