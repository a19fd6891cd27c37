"""The module-wrapper protocol (BoringSSL acvptool), server side, stdlib only.

Copy this file into your own wrapper. A request and a response alike are u32le
N, N x u32le lengths, then the N byte strings; the first string of a request is
the command name. Exactly one response per request, in order, except `flush`.
A failed request is answered with three strings: b"pqc-harness/error", kind
(b"rejected" | b"unsupported" | b"error"), message.
"""
import json
import os
import struct
import sys
import traceback


class Rejected(Exception):
    """The library refused the input (wrong length, invalid key)."""


class Unsupported(Exception):
    """The library cannot do this at all: the harness skips the case with this message."""


def _read(inp, n):
    """Exactly n bytes; None at a clean end of input before the first byte."""
    buf = b""
    while len(buf) < n:
        chunk = inp.read(n - len(buf))
        if not chunk:
            if buf:
                raise EOFError("stream ended inside a frame")
            return None
        buf += chunk
    return buf


def _request(inp):
    head = _read(inp, 4)
    if head is None:
        return None
    (n,) = struct.unpack("<I", head)
    if not 0 < n <= 64:
        raise ValueError("request declares %d strings" % n)
    lens = struct.unpack("<%dI" % n, _read(inp, 4 * n))
    return [_read(inp, l) if l else b"" for l in lens]


def _frame(parts):
    return struct.pack("<%dI" % (len(parts) + 1), len(parts), *map(len, parts)) + b"".join(parts)


# The standard ACVP command suffixes; every other handler is a pqc-harness extension command.
_STANDARD = ("/keyGen", "/encap", "/decap", "/encapKeyCheck", "/decapKeyCheck", "/sigGen", "/sigVer")


def harness_entry(handlers, **extra):
    """getConfig's pqc-harness entry: the extension commands among the handlers, and describe."""
    features = [c for c in handlers if not c.endswith(_STANDARD)] + ["pqc-harness/describe"]
    return dict({"algorithm": "pqc-harness", "revision": "1", "features": features}, **extra)


def fixed(arg, n, what):
    """An argument of exactly n bytes, or a rejection naming it."""
    if len(arg) != n:
        raise Rejected("%s must be %d bytes, got %d" % (what, n, len(arg)))
    return arg


def serve(config, describe, handlers):
    """Answer requests until stdin ends. handlers: {command: f(*args) -> list of bytes}.

    Only frames reach stdout: fd 1 is kept for them and pointed at stderr, so a
    print() anywhere cannot corrupt the stream.
    """
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    fixed_answers = {
        b"getConfig": [json.dumps(config).encode()],
        b"pqc-harness/describe": [json.dumps(describe).encode()],
    }
    while True:
        req = _request(inp)
        if req is None:
            return
        cmd, args = req[0], req[1:]
        if cmd == b"flush":
            continue
        if cmd in fixed_answers:
            resp = fixed_answers[cmd]
        elif cmd.decode(errors="replace") not in handlers:
            resp = [b"pqc-harness/error", b"unsupported", b"unknown command " + cmd]
        else:
            try:
                resp = list(handlers[cmd.decode()](*args))
            except Rejected as e:
                resp = [b"pqc-harness/error", b"rejected", str(e).encode()]
            except Unsupported as e:
                resp = [b"pqc-harness/error", b"unsupported", str(e).encode()]
            except Exception as e:  # a bug in the wrapper or the library: name it, keep serving
                traceback.print_exc(file=sys.stderr)
                resp = [b"pqc-harness/error", b"error", ("%s: %s" % (type(e).__name__, e)).encode()]
        out.write(_frame(resp))
