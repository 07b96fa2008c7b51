// Keyring loading (spec §6). Placeholder until the keyring module lands: any -k is
// read as JSON and kept whole.
import * as fs from 'node:fs';
import type { Expert } from '../core/expert.js';

export interface LoadedKeyring {
  keyring: unknown;
  warnings: Expert[];
}

export class KeyringError extends Error {}

export function loadKeyring(path: string): LoadedKeyring {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e: any) {
    throw new KeyringError(`cannot read keyring "${path}": ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    return { keyring: JSON.parse(text), warnings: [] };
  } catch (e: any) {
    throw new KeyringError(`keyring "${path}" is not valid JSON: ${e.message}`);
  }
}
