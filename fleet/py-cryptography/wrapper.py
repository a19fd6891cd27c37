"""Module wrapper over the PyPI package `cryptography` (pyca), whose wheels
carry OpenSSL: ML-KEM and ML-DSA as OpenSSL implements them.

What its API expresses: importing an ML-KEM encapsulation key (which runs the
FIPS 203 §7.2 modulus check), random encapsulation to a given key, ML-DSA
verification with a context string, and verification from an external μ.
What it cannot: anything from a seed that returns the expanded key (private
keys are imported and exported as seeds only: no expanded dk or sk in or out),
so no keygen, decapsulation or signing vectors; no encapsulation with a given
m, no signing with a given rnd; no ML-KEM-512; no Sign_internal/Verify_internal
on M'; no HashML-DSA.
"""
import cryptography
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.backends.openssl.backend import backend
from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem

from framing import Rejected, fixed, harness_entry, serve

KEM = {"ML-KEM-768": (mlkem.MLKEM768PublicKey, 1184), "ML-KEM-1024": (mlkem.MLKEM1024PublicKey, 1568)}
DSA = {"ML-DSA-44": (mldsa.MLDSA44PublicKey, 1312), "ML-DSA-65": (mldsa.MLDSA65PublicKey, 1952), "ML-DSA-87": (mldsa.MLDSA87PublicKey, 2592)}


def kem_handlers(name, cls, ek_len):
    def key(ek):
        try:
            return cls.from_public_bytes(fixed(ek, ek_len, "ek"))
        except ValueError as e:  # right length, so the modulus check failed
            raise Rejected("ek refused: %s" % e)

    def encap_key_check(ek):
        try:
            key(ek)
            return [b"\x01"]
        except Rejected:
            if len(ek) != ek_len:
                raise
            return [b"\x00"]

    def encap_random(ek):
        ss, c = key(ek).encapsulate()
        return [c, ss]

    return {name + "/encapKeyCheck": encap_key_check, name + "/encap/random": encap_random}


def dsa_handlers(name, cls, pk_len):
    def key(pk):
        return cls.from_public_bytes(fixed(pk, pk_len, "pk"))

    def verdict(check):
        try:
            check()
            return [b"\x01"]
        except InvalidSignature:
            return [b"\x00"]

    def verify(pk, msg, sig, ctx):
        if len(ctx) > 255:  # FIPS 204 Algorithm 3 step 1: an error, and so not a valid signature
            return [b"\x00"]
        k = key(pk)
        return verdict(lambda: k.verify(sig, msg, ctx))

    def verify_mu(pk, mu, sig):
        k = key(pk)
        return verdict(lambda: k.verify_mu(sig, fixed(mu, 64, "mu")))

    return {name + "/sigVer/external": verify, name + "/sigVer/mu": verify_mu}


def main():
    handlers = {}
    for name, (cls, n) in KEM.items():
        handlers.update(kem_handlers(name, cls, n))
    for name, (cls, n) in DSA.items():
        handlers.update(dsa_handlers(name, cls, n))
    config = [
        {"algorithm": "ML-KEM", "mode": "encapDecap", "revision": "FIPS203", "parameterSets": list(KEM), "functions": ["encapsulationKeyCheck"]},
        harness_entry(handlers),
    ]
    describe = {
        "id": "py-cryptography",
        "name": "cryptography (pyca) with its bundled OpenSSL",
        "version": "cryptography %s, %s" % (cryptography.__version__, backend.openssl_version_text()),
        "kind": "process",
        "notes": ["private keys cross the API as seeds only: keygen, decapsulation and signing vectors cannot be expressed"],
    }
    serve(config, describe, handlers)


if __name__ == "__main__":
    main()
