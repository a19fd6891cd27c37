// Reading a file a user named or the harness found on disk. It must be a
// regular file: a directory fails with an EISDIR that names nothing, a FIFO
// or a device (a vector replaced by /dev/zero) would block or never end. The
// file is opened without blocking and checked through its descriptor, so
// nothing can be swapped in between; every error names the path.

import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** A file that cannot be read as one: the message names it and says why. */
export class FileReadError extends Error {
  override name = 'FileReadError';
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}

function what(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The bytes of the regular file at `path`. */
export function readRegularFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FileReadError(path, `cannot open (${err.code ?? err.message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(path, `is ${what(st)}, not a regular file`);
    return readFileSync(fd);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new FileReadError(path, `cannot read (${err.code ?? err.message})`);
  } finally {
    closeSync(fd);
  }
}
