/** A usage or input error: one clear line on stderr, exit status 2. */
export class UsageError extends Error {
    exitCode;
    constructor(message, exitCode = 2) {
        super(message);
        this.exitCode = exitCode;
    }
}
export function die(msg) {
    throw new UsageError(msg);
}
