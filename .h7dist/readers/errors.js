/** A capture that cannot be read (further): one clear line, exit 2. */
export class ReaderError extends Error {
    offset;
    constructor(message, offset) {
        super(message);
        this.offset = offset;
    }
}
/** Largest record we accept: bounds allocation against hostile length fields. */
export const MAX_RECORD = 16 * 1024 * 1024;
export const MAX_INTERFACES = 65536;
