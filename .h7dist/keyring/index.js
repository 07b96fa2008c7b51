// Keyring loading (spec §6): `-k FILE`, read and validated whole before any packet;
// a bad file stops the run with one line naming the entry, nothing half-applied.
import * as fs from 'node:fs';
import { validateKeyring, KeyringError } from './validate.js';
export { KeyringError } from './validate.js';
export { emptyKeyring, keyringOf, findStatic, findRr, findEsp } from './types.js';
/** Parse keyring JSON text; errors carry `keyring "<name>": ` in front. */
export function parseKeyring(text, name) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (e) {
        throw new KeyringError(`keyring "${name}" is not valid JSON: ${e.message}`, 'keyring.invalid');
    }
    try {
        return validateKeyring(doc, name);
    }
    catch (e) {
        if (e instanceof KeyringError)
            throw new KeyringError(`keyring "${name}": ${e.message}`, e.id);
        throw e;
    }
}
export function loadKeyring(path) {
    let text;
    try {
        text = fs.readFileSync(path, 'utf8');
    }
    catch (e) {
        const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
        throw new KeyringError(`cannot read keyring "${path}": ${why}`, 'keyring.unreadable');
    }
    return parseKeyring(text, path);
}
