// Preferences (`-o name:value`), Wireshark style. Modules register theirs with a
// default; hooks run when the user changes one (e.g. the mip6 profile swaps
// dissector-table entries), so no module edits another.
const prefs = new Map();
const values = new Map();
const hooks = [];
export function registerPref(p) {
    prefs.set(p.name, p);
}
export function onPrefsApplied(fn) {
    hooks.push(fn);
}
export function pref(name) {
    return values.get(name) ?? prefs.get(name)?.def ?? '';
}
export function prefNumber(name) {
    return Number(pref(name));
}
export function allPrefs() {
    return [...prefs.values()];
}
/** Set `name:value`; returns an error message or null. */
export function setPref(spec) {
    const i = spec.indexOf(':');
    if (i <= 0)
        return `invalid -o "${spec}": expected name:value`;
    const name = spec.slice(0, i).trim();
    const value = spec.slice(i + 1).trim();
    const p = prefs.get(name);
    if (!p)
        return `unknown preference "${name}" (see: mip6scope -G prefs)`;
    if (p.choices && !p.choices.includes(value))
        return `invalid value "${value}" for ${name}: one of ${p.choices.join(', ')}`;
    values.set(name, value);
    return null;
}
export function resetPrefs() {
    values.clear();
}
export function applyPrefs() {
    for (const h of hooks)
        h();
}
