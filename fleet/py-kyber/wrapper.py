"""Module wrapper over the PyPI package `kyber-py` (GiacomoPope), ML-KEM in
pure Python.

What its API expresses: keygen from d‖z (`key_derive(d‖z)`), decapsulation
(which runs the FIPS 203 §7.3 hash check), random keygen and encapsulation, and
`_encaps_internal(ek, m)`, FIPS 203 Algorithm 17 (underscore-named, but the
library's own internal algorithm), which runs the §7.2 modulus check.
The two key checks are answered by those same checks inside encapsulation and
decapsulation: the library has no separate check API.
What it cannot: ML-DSA (that is the separate dilithium-py, fleet/py-dilithium).
"""
from importlib.metadata import version

from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024

from framing import Rejected, fixed, harness_entry, serve

SETS = {
    "ML-KEM-512": (ML_KEM_512, 800, 1632, 768),
    "ML-KEM-768": (ML_KEM_768, 1184, 2400, 1088),
    "ML-KEM-1024": (ML_KEM_1024, 1568, 3168, 1568),
}


def refused(call):
    """The library signals a refused key with ValueError."""
    try:
        return call()
    except ValueError as e:
        raise Rejected(str(e))


def handlers_for(name, kem, ek_len, dk_len, c_len):
    def encap(ek, m):
        k, c = refused(lambda: kem._encaps_internal(fixed(ek, ek_len, "ek"), fixed(m, 32, "m")))
        return [c, k]

    def encap_random(ek):
        k, c = refused(lambda: kem.encaps(fixed(ek, ek_len, "ek")))
        return [c, k]

    def check(call, arg, n, what):
        fixed(arg, n, what)
        try:
            call()
            return [b"\x01"]
        except ValueError:
            return [b"\x00"]

    return {
        name + "/keyGen": lambda seed: list(kem.key_derive(fixed(seed, 64, "seed d‖z"))),
        name + "/keyGen/random": lambda: list(kem.keygen()),
        name + "/encap": encap,
        name + "/encap/random": encap_random,
        name + "/decap": lambda dk, c: [refused(lambda: kem.decaps(fixed(dk, dk_len, "dk"), fixed(c, c_len, "c")))],
        name + "/encapKeyCheck": lambda ek: check(lambda: kem._encaps_internal(ek, bytes(32)), ek, ek_len, "ek"),
        name + "/decapKeyCheck": lambda dk: check(lambda: kem.decaps(dk, bytes(c_len)), dk, dk_len, "dk"),
    }


def main():
    handlers = {}
    for name, params in SETS.items():
        handlers.update(handlers_for(name, *params))
    names = list(SETS)
    config = [
        {"algorithm": "ML-KEM", "mode": "keyGen", "revision": "FIPS203", "parameterSets": names},
        {"algorithm": "ML-KEM", "mode": "encapDecap", "revision": "FIPS203", "parameterSets": names,
         "functions": ["encapsulation", "decapsulation", "encapsulationKeyCheck", "decapsulationKeyCheck"]},
        harness_entry(handlers),
    ]
    describe = {
        "id": "py-kyber",
        "name": "kyber-py (pure Python ML-KEM)",
        "version": "kyber-py %s" % version("kyber-py"),
        "kind": "process",
        "notes": ["key checks answered by the checks inside encapsulation (§7.2) and decapsulation (§7.3)"],
    }
    serve(config, describe, handlers)


if __name__ == "__main__":
    main()
