import { escapeText } from '../core/escape.js';

/** A usage or input error: one clear line on stderr, exit status 2. */
export class UsageError extends Error {
  constructor(message: string, public exitCode = 2) {
    super(message);
  }
}

export function die(msg: string): never {
  throw new UsageError(msg);
}

/** The line for a capture that ends in error after some frames (they were shown). */
export function readErrorLine(message: string, frames: number): string {
  return `mip6scope: ${escapeText(message)} (after ${frames} frame${frames === 1 ? '' : 's'})\n`;
}
