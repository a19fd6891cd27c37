"""Module wrapper over the PyPI package `dilithium-py` (GiacomoPope), ML-DSA in
pure Python.

What its API expresses: keygen from ξ (`key_derive`), pure signing with a
context, deterministic (rnd = 0) or random (`sign`), verification (`verify`),
HashML-DSA with SHA2-256, SHA2-512 or SHAKE-128 (deterministic or random), and
FIPS 204 Algorithms 7 and 8 themselves, `_sign_internal(sk, M', rnd)` (also
from an external μ) and `_verify_internal(pk, M', sig)`: underscore-named, but
the library's own internal algorithms, and the only way to give it an rnd.
What it cannot: signing with a given non-zero rnd through the pure or pre-hash
API, verification from an external μ, HashML-DSA with any other hash.
"""
from importlib.metadata import version

from dilithium_py.ml_dsa import ML_DSA_44, ML_DSA_65, ML_DSA_87
from dilithium_py.ml_dsa import HASH_ML_DSA_44_WITH_SHA512, HASH_ML_DSA_65_WITH_SHA512, HASH_ML_DSA_87_WITH_SHA512

from framing import Rejected, Unsupported, fixed, harness_entry, serve

SETS = {
    "ML-DSA-44": (ML_DSA_44, HASH_ML_DSA_44_WITH_SHA512, 1312, 2560),
    "ML-DSA-65": (ML_DSA_65, HASH_ML_DSA_65_WITH_SHA512, 1952, 4032),
    "ML-DSA-87": (ML_DSA_87, HASH_ML_DSA_87_WITH_SHA512, 2592, 4896),
}
# ACVP hash names → the library's names (its _hash_with_oid knows these three).
PRE_HASHES = {"SHA2-256": "SHA256", "SHA2-512": "SHA512", "SHAKE-128": "SHAKE128"}
ZERO = bytes(32)


def refused(call):
    """The library signals a refused input (context too long, malformed key) with ValueError."""
    try:
        return call()
    except ValueError as e:
        raise Rejected(str(e))


def deterministic_only(rnd, api):
    if fixed(rnd, 32, "rnd") != ZERO:
        raise Unsupported("dilithium-py's %s signs deterministically or with its own randomness; it takes no rnd" % api)
    return True


def verdict(call):
    """A signature the library cannot even parse is not valid."""
    try:
        return [b"\x01" if call() else b"\x00"]
    except ValueError:
        return [b"\x00"]


def handlers_for(name, dsa, hash_dsa, pk_len, sk_len):
    def pre_hash(h):
        h = h.decode()
        if h not in PRE_HASHES:
            raise Unsupported("dilithium-py's HashML-DSA offers SHA2-256, SHA2-512 and SHAKE-128, not %s" % h)
        return PRE_HASHES[h]

    def sign(sk, msg, ctx, rnd):
        det = deterministic_only(rnd, "sign")
        return [refused(lambda: dsa.sign(fixed(sk, sk_len, "sk"), msg, ctx, deterministic=det))]

    def sign_pre_hash(sk, msg, h, ctx, rnd):
        det = deterministic_only(rnd, "HashML-DSA sign")
        return [refused(lambda: hash_dsa._sign_with_pre_hash(fixed(sk, sk_len, "sk"), msg, pre_hash(h), ctx, deterministic=det))]

    def verify(pk, msg, sig, ctx):
        if len(ctx) > 255:  # FIPS 204 Algorithm 3 step 1: an error, and so not a valid signature
            return [b"\x00"]
        return verdict(lambda: dsa.verify(fixed(pk, pk_len, "pk"), msg, sig, ctx))

    def verify_pre_hash(pk, msg, sig, h, ctx):
        if len(ctx) > 255:
            return [b"\x00"]
        return verdict(lambda: hash_dsa._verify_with_pre_hash(fixed(pk, pk_len, "pk"), msg, sig, pre_hash(h), ctx))

    return {
        name + "/keyGen": lambda xi: list(dsa.key_derive(fixed(xi, 32, "seed ξ"))),
        name + "/keyGen/random": lambda: list(dsa.keygen()),
        name + "/sigGen/external": sign,
        name + "/sigGen/internal": lambda sk, mp, rnd: [refused(lambda: dsa._sign_internal(fixed(sk, sk_len, "sk"), mp, fixed(rnd, 32, "rnd")))],
        name + "/sigGen/mu": lambda sk, mu, rnd: [refused(lambda: dsa._sign_internal(fixed(sk, sk_len, "sk"), fixed(mu, 64, "mu"), fixed(rnd, 32, "rnd"), external_mu=True))],
        name + "/sigGen/preHash": sign_pre_hash,
        name + "/sigVer/external": verify,
        name + "/sigVer/internal": lambda pk, mp, sig: verdict(lambda: dsa._verify_internal(fixed(pk, pk_len, "pk"), mp, sig)),
        name + "/sigVer/preHash": verify_pre_hash,
    }


def main():
    handlers = {}
    for name, params in SETS.items():
        handlers.update(handlers_for(name, *params))
    config = [
        {"algorithm": "ML-DSA", "mode": "keyGen", "revision": "FIPS204", "parameterSets": list(SETS)},
        harness_entry(handlers, preHash={name: list(PRE_HASHES) for name in SETS}),
    ]
    describe = {
        "id": "py-dilithium",
        "name": "dilithium-py (pure Python ML-DSA)",
        "version": "dilithium-py %s" % version("dilithium-py"),
        "kind": "process",
        "notes": ["pure and pre-hash signing deterministic only (rnd = 0); internal and external-mu signing through _sign_internal"],
    }
    serve(config, describe, handlers)


if __name__ == "__main__":
    main()
