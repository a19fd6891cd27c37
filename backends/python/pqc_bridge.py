#!/usr/bin/env python3
"""A ctypes bridge over libpqc_native's JSON ABI, served as a module wrapper.

The `python` backend of pqc-harness: TypeScript -> (module-wrapper protocol on
stdin/stdout) -> this Python process -> (ctypes) -> the Rust cdylib. Stdlib only.

The JSON ABI (native/include/pqc_native.h) returns heap strings the caller owns
and must give back to pqc_free_string, exactly once, as THE SAME POINTER. The
binding that gets this right:

    f.restype = ctypes.c_void_p        # keep the pointer the library returned
    text = ctypes.string_at(p)         # copy the text out
    lib.pqc_free_string(p)             # give the pointer back, once

`restype = ctypes.c_char_p` is the seed's bug: ctypes copies the text into a
`bytes` object and drops the pointer (a leak), and passing that `bytes` to
pqc_free_string frees memory inside a CPython object (glibc aborts with
`munmap_chunk(): invalid pointer`). pqc_bridge_seedbug.py keeps that bug, as a
fixture, by overriding two members of JsonAbi below.

What the JSON ABI covers, and so all this bridge declares in getConfig:
  ML-KEM-768 encap / decap (std commands) and random keygen (extension)
  ML-DSA-65 keyGen from a seed (std), random keygen (extension),
  sigGen / sigVer, pure ML-DSA, external interface with a context (std).

Library: $PQC_RUST_LIB, else <repo>/target/release/libpqc_native.so.
"""
import ctypes
import faulthandler
import hashlib
import json
import os
import sys

from modulewrapper import Rejected, Unsupported, serve

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_LIB = os.path.join(REPO, "target", "release", "libpqc_native.so")

KEM = "ML-KEM-768"
DSA = "ML-DSA-65"

# The JSON functions of the ABI: name -> takes a JSON argument.
JSON_FUNCS = {
    "pqc_ml_kem_768_keygen": False,
    "pqc_ml_kem_768_encaps": True,
    "pqc_ml_kem_768_decaps": True,
    "pqc_ml_dsa_65_keygen": True,
    "pqc_ml_dsa_65_sign": True,
    "pqc_ml_dsa_65_verify": True,
}


class JsonAbi:
    """libpqc_native's JSON ABI, bound with correct ownership."""

    ID = "python"
    NAME = "Python ctypes bridge over libpqc_native's JSON ABI"
    NOTES = []
    # Owned heap string: keep the pointer as a plain address.
    RESTYPE = ctypes.c_void_p

    def __init__(self, path):
        self.path = os.path.realpath(path)
        self.lib = lib = ctypes.CDLL(self.path)
        lib.pqc_free_string.argtypes = [ctypes.c_void_p]
        lib.pqc_free_string.restype = None
        # A borrowed static string: here c_char_p (copy, never free) IS right.
        lib.pqc_native_version.argtypes = []
        lib.pqc_native_version.restype = ctypes.c_char_p
        self.funcs = {}
        for name, takes_json in JSON_FUNCS.items():
            f = getattr(lib, name)
            f.argtypes = [ctypes.c_char_p] if takes_json else []
            f.restype = self.RESTYPE
            self.funcs[name] = f

    def take(self, p):
        """The returned text; releases the library's string exactly once."""
        if not p:
            raise MemoryError("the library returned NULL (allocation failed)")
        try:
            return ctypes.string_at(p)
        finally:
            self.lib.pqc_free_string(p)

    def call(self, name, request=None):
        f = self.funcs[name]
        result = f(json.dumps(request).encode()) if JSON_FUNCS[name] else f()
        out = json.loads(self.take(result))
        if not isinstance(out, dict):
            raise ValueError("%s returned %r, not a JSON object" % (name, out))
        if "error" in out:
            raise Rejected("%s: %s" % (name, out["error"]))
        return out

    def version(self):
        return self.lib.pqc_native_version().decode()


def _hex(out, name, field):
    v = out.get(field)
    if not isinstance(v, str):
        raise ValueError("result has no hex field %r: %s" % (field, json.dumps(out)[:120]))
    return bytes.fromhex(v)


def handlers(abi):
    def kem_encap(ek, m):
        o = abi.call("pqc_ml_kem_768_encaps", {"ek": ek.hex(), "m": m.hex()})
        return _hex(o, "encaps", "c"), _hex(o, "encaps", "k")

    def kem_decap(dk, c):
        o = abi.call("pqc_ml_kem_768_decaps", {"dk": dk.hex(), "c": c.hex()})
        return (_hex(o, "decaps", "k"),)

    def kem_keygen_random():
        o = abi.call("pqc_ml_kem_768_keygen")
        return _hex(o, "keygen", "ek"), _hex(o, "keygen", "dk")

    def dsa_keygen(seed):
        o = abi.call("pqc_ml_dsa_65_keygen", {"seed": seed.hex()})
        return _hex(o, "keygen", "pk"), _hex(o, "keygen", "sk")

    def dsa_keygen_random():
        o = abi.call("pqc_ml_dsa_65_keygen", {})
        return _hex(o, "keygen", "pk"), _hex(o, "keygen", "sk")

    def dsa_sig_gen(sk, message, rnd, context, mu):
        if mu:
            raise Unsupported("the JSON ABI has no external-mu signing")
        o = abi.call("pqc_ml_dsa_65_sign", {"sk": sk.hex(), "message": message.hex(), "context": context.hex(), "rnd": rnd.hex()})
        return (_hex(o, "sign", "signature"),)

    def dsa_sig_ver(pk, message, sig, context, mu):
        if mu:
            raise Unsupported("the JSON ABI has no external-mu verification")
        o = abi.call("pqc_ml_dsa_65_verify", {"pk": pk.hex(), "message": message.hex(), "signature": sig.hex(), "context": context.hex()})
        if not isinstance(o.get("valid"), bool):
            raise ValueError("verify result has no boolean 'valid': %s" % json.dumps(o)[:120])
        return (b"\x01" if o["valid"] else b"\x00",)

    def describe():
        with open(abi.path, "rb") as f:
            sha256 = hashlib.sha256(f.read()).hexdigest()
        return (json.dumps({
            "id": abi.ID,
            "name": abi.NAME,
            "version": "%s via Python %s ctypes" % (abi.version(), sys.version.split()[0]),
            "kind": "python",
            "library": {"path": abi.path, "sha256": sha256},
            "notes": [
                "ML-KEM-768 and ML-DSA-65 only (the JSON ABI): no key checks, no internal, external-mu or pre-hash interfaces.",
                "Owned strings: restype c_void_p, ctypes.string_at(p), then pqc_free_string(p) exactly once.",
            ] + abi.NOTES,
        }).encode(),)

    return {
        KEM + "/encap": kem_encap,
        KEM + "/decap": kem_decap,
        KEM + "/keyGen/random": kem_keygen_random,
        DSA + "/keyGen": dsa_keygen,
        DSA + "/keyGen/random": dsa_keygen_random,
        DSA + "/sigGen": dsa_sig_gen,
        DSA + "/sigVer": dsa_sig_ver,
        "pqc-harness/describe": describe,
    }


def config():
    dsa_caps = {
        "revision": "FIPS204",
        "capabilities": [{"parameterSets": [DSA]}],
        "signatureInterfaces": ["external"],
        "externalMu": [False],
        "preHash": ["pure"],
    }
    return json.dumps([
        {"algorithm": "ML-KEM", "mode": "encapDecap", "revision": "FIPS203", "parameterSets": [KEM],
         "functions": ["encapsulation", "decapsulation"]},
        {"algorithm": "ML-DSA", "mode": "keyGen", "revision": "FIPS204", "parameterSets": [DSA]},
        dict(dsa_caps, algorithm="ML-DSA", mode="sigGen", deterministic=[True, False]),
        dict(dsa_caps, algorithm="ML-DSA", mode="sigVer"),
        {"algorithm": "pqc-harness", "revision": "1",
         "features": [KEM + "/keyGen/random", DSA + "/keyGen/random", "pqc-harness/describe"]},
    ])


def main(abi_class=JsonAbi):
    # A fatal signal (glibc's abort on a bad free) prints the Python stack to stderr:
    # the harness reads it to name the call that crashed.
    faulthandler.enable()
    path = os.environ.get("PQC_RUST_LIB") or DEFAULT_LIB
    try:
        abi = abi_class(path)
    except (OSError, AttributeError) as e:
        sys.stderr.write("pqc_bridge: cannot load the JSON ABI from %s: %s (build it with `npm run setup`)\n" % (path, e))
        sys.exit(2)
    serve(handlers(abi), config())


if __name__ == "__main__":
    main()
