// Byte sources for the readers: a file, or standard input (`-r -`). Reads are
// synchronous and large; the reader slices packets out of the chunks it gets.
import * as fs from 'node:fs';

export interface ByteSource {
  name: string;
  /** read up to len octets into buf at off; 0 = end of data */
  read(buf: Buffer, off: number, len: number): number;
  close(): void;
  /** size when known (files), for progress */
  size?: number;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function fdSource(fd: number, name: string, size?: number): ByteSource {
  return {
    name,
    size,
    read(buf, off, len) {
      for (;;) {
        try {
          return fs.readSync(fd, buf, off, len, null);
        } catch (e: any) {
          // a non-blocking pipe on stdin: wait briefly and try again
          if (e.code === 'EAGAIN') {
            Atomics.wait(sleeper, 0, 0, 5);
            continue;
          }
          if (e.code === 'EOF') return 0;
          throw e;
        }
      }
    },
    close() {
      if (fd > 2) fs.closeSync(fd);
    },
  };
}

/**
 * Standard input. An anonymous pipe is opened afresh through /proc/self/fd/0:
 * that description blocks, where fd 0 itself is made non-blocking as soon as any
 * ES module imports `node:process` (its facade reads process.stdin; chalk does):
 * reading fd 0 then meets EAGAIN whenever the writer is behind and waits in 5 ms
 * naps, which made `cat FILE | mip6scope -r -` ~25 % slower than the file (1M
 * packets: 2.45 vs 1.94 s). Only an anonymous pipe ("pipe:[N]"): opening a named
 * FIFO again would wait for a writer that may have finished already.
 */
function stdinSource(): ByteSource {
  try {
    if (fs.readlinkSync('/proc/self/fd/0').startsWith('pipe:')) {
      return fdSource(fs.openSync('/proc/self/fd/0', 'r'), 'standard input');
    }
  } catch {
    // no /proc (or not reopenable): fd 0 as it is
  }
  return fdSource(0, 'standard input');
}

export function openSource(path: string): ByteSource {
  if (path === '-') return stdinSource();
  const fd = fs.openSync(path, 'r');
  const st = fs.fstatSync(fd);
  if (st.isDirectory()) {
    fs.closeSync(fd);
    const err: any = new Error(`"${path}" is a directory`);
    err.code = 'EISDIR';
    throw err;
  }
  return fdSource(fd, path, st.isFile() ? st.size : undefined);
}

/** An in-memory source (tests, craft). */
export function bufferSource(b: Buffer, name = 'buffer'): ByteSource {
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
    close() {},
  };
}

/**
 * Read up to `n` octets of `src` ahead (to learn a pipe's size when it is small);
 * the returned source gives them back first, then the rest of `src`.
 */
export function peekSource(src: ByteSource, n: number): { source: ByteSource; head: Buffer; length: number; ended: boolean } {
  const head = Buffer.allocUnsafe(n);
  let len = 0;
  let ended = false;
  while (len < n) {
    const r = src.read(head, len, n - len);
    if (r === 0) {
      ended = true;
      break;
    }
    len += r;
  }
  let pos = 0;
  return {
    head: head.subarray(0, len),
    length: len,
    ended,
    source: {
      name: src.name,
      size: src.size,
      read(buf, off, want) {
        if (pos < len) {
          const k = Math.min(want, len - pos);
          head.copy(buf, off, pos, pos + k);
          pos += k;
          return k;
        }
        return ended ? 0 : src.read(buf, off, want);
      },
      close() {
        src.close();
      },
    },
  };
}
