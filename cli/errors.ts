/** A usage or input error: one clear line on stderr, exit status 2. */
export class UsageError extends Error {
  constructor(message: string, public exitCode = 2) {
    super(message);
  }
}

export function die(msg: string): never {
  throw new UsageError(msg);
}
