// Byte sources for the readers: a file, or standard input (`-r -`). Reads are
// synchronous and large; the reader slices packets out of the chunks it gets.
import * as fs from 'node:fs';
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function fdSource(fd, name, size) {
    return {
        name,
        size,
        read(buf, off, len) {
            for (;;) {
                try {
                    return fs.readSync(fd, buf, off, len, null);
                }
                catch (e) {
                    // a non-blocking pipe on stdin: wait briefly and try again
                    if (e.code === 'EAGAIN') {
                        Atomics.wait(sleeper, 0, 0, 5);
                        continue;
                    }
                    if (e.code === 'EOF')
                        return 0;
                    throw e;
                }
            }
        },
        close() {
            if (fd > 2)
                fs.closeSync(fd);
        },
    };
}
export function openSource(path) {
    if (path === '-')
        return fdSource(0, 'standard input');
    const fd = fs.openSync(path, 'r');
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
        fs.closeSync(fd);
        const err = new Error(`"${path}" is a directory`);
        err.code = 'EISDIR';
        throw err;
    }
    return fdSource(fd, path, st.isFile() ? st.size : undefined);
}
/** An in-memory source (tests, craft). */
export function bufferSource(b, name = 'buffer') {
    let pos = 0;
    return {
        name,
        size: b.length,
        read(buf, off, len) {
            const n = Math.min(len, b.length - pos);
            b.copy(buf, off, pos, pos + n);
            pos += n;
            return n;
        },
        close() { },
    };
}
