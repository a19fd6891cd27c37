"""The acvptool module-wrapper protocol, server side, in plain Python (stdlib only).

Framing (backends/modulewrapper/PROTOCOL.md): a request and a response alike are
u32le N, N x u32le lengths, then the N byte strings. The first string of a
request is the command name. Exactly one response per request, except `flush`.
Errors use the harness convention: ["pqc-harness/error", kind, message] with
kind `rejected`, `unsupported` or `error`.

Only the frames may reach the parent on stdout. `serve()` keeps the real fd 1
for itself and points fd 1 (and sys.stdout) at stderr, so a print() in a bridge
or a native library writing to stdout cannot corrupt the stream.
"""
import os
import struct
import sys
import traceback

ERROR_MARKER = b"pqc-harness/error"
MAX_STRINGS = 64
MAX_TOTAL = 64 << 20


class Rejected(Exception):
    """The backend refused the input (RejectedError in the harness)."""


class Unsupported(Exception):
    """Cannot do this by design (UnsupportedError in the harness: a skip)."""


def _read_exact(inp, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = inp.read(n - len(buf))
        if not chunk:
            if buf:
                raise EOFError("stream ended inside a frame")
            return None
        buf += chunk
    return bytes(buf)


def read_request(inp):
    """One request as a list of bytes, or None at a clean end of input."""
    head = _read_exact(inp, 4)
    if head is None:
        return None
    (n,) = struct.unpack("<I", head)
    if n == 0 or n > MAX_STRINGS:
        raise ValueError("request declares %d strings" % n)
    lens = struct.unpack("<%dI" % n, _read_exact(inp, 4 * n) or b"")
    if sum(lens) > MAX_TOTAL:
        raise ValueError("request declares %d bytes" % sum(lens))
    return [(_read_exact(inp, l) if l else b"") for l in lens]


def encode_frame(parts):
    return b"".join(
        [struct.pack("<I", len(parts)), struct.pack("<%dI" % len(parts), *map(len, parts))] + list(parts)
    )


def _own_stdout():
    """(binary writer on the real fd 1); fd 1 and sys.stdout then go to stderr."""
    sys.stdout.flush()
    frames_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(frames_fd, "wb", buffering=0)


def _as_bytes(x):
    return x if isinstance(x, bytes) else str(x).encode()


def _markers():
    """(begin, end) around each served request, from the valgrind host's shim.

    PQC_VG_MARK names build/shim/libvgmark.so (native/shim/vgmark.c): its
    VALGRIND_PRINTF markers let the parent tie each memcheck error to the
    request in flight, exactly as harness/hosts/child-main.ts does for node.
    """
    path = os.environ.get("PQC_VG_MARK")
    if not path:
        return None, None
    import ctypes

    lib = ctypes.CDLL(path)
    lib.pqc_vg_begin.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    lib.pqc_vg_begin.restype = None
    lib.pqc_vg_end.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    lib.pqc_vg_end.restype = ctypes.c_uint32
    return lib.pqc_vg_begin, lib.pqc_vg_end


def serve(handlers, config, inp=None, out=None):
    """Answer requests until stdin ends.

    handlers: {command name: function(*args) -> tuple of bytes}
    config:   the getConfig JSON text (str or bytes)
    """
    inp = inp or sys.stdin.buffer
    out = out or _own_stdout()
    config = _as_bytes(config)

    def reply(parts):
        out.write(encode_frame([_as_bytes(p) for p in parts]))

    begin, end = _markers()
    seq = 0
    while True:
        req = read_request(inp)
        if req is None:
            return
        seq += 1
        if begin:
            begin(seq, req[0])
        try:
            resp = _answer(handlers, config, req)
        finally:
            if end:
                end(seq, req[0])
        if resp is not None:
            reply(resp)


def _answer(handlers, config, req):
    """The response strings for one request (None for `flush`)."""
    cmd = req[0].decode("utf-8", "replace")
    if cmd == "getConfig":
        return [config]
    if cmd == "flush":
        return None
    fn = handlers.get(cmd)
    if fn is None:
        return [ERROR_MARKER, b"unsupported", "unknown command %r" % cmd]
    try:
        return list(fn(*req[1:]))
    except Rejected as e:
        return [ERROR_MARKER, b"rejected", str(e)]
    except Unsupported as e:
        return [ERROR_MARKER, b"unsupported", str(e)]
    except Exception as e:  # a bug in the bridge: name it, keep serving
        traceback.print_exc(file=sys.stderr)
        return [ERROR_MARKER, b"error", "%s: %s" % (type(e).__name__, e)]
