package pqcharness.fleet.jdk;

import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

import javax.crypto.KEM;

import pqcharness.fleet.mw.Dsa;
import pqcharness.fleet.mw.Kem;
import pqcharness.fleet.mw.Module;
import pqcharness.fleet.mw.Refusal;

/**
 * Module wrapper over the JDK's own ML-KEM (SunJCE) and ML-DSA (SUN), through
 * the public JCA only: KeyPairGenerator, KEM, Signature, KeyFactory.
 *
 * The JCA has no seeded key generation, no derandomized encapsulation and no
 * rnd parameter; every one of them draws its randomness from a SecureRandom
 * the caller may pass. This wrapper passes one that yields exactly the seed,
 * m or rnd, and fails the call unless the JDK drew exactly those bytes (the
 * draws are d then z, m, ξ, rnd: 32 bytes each). The harness's vectors then
 * say whether that is FIPS 203/204's KeyGen_internal, Encaps_internal and
 * Sign_internal.
 *
 * What it cannot express, and so is left out: an ML-DSA context string (the
 * SUN Signature takes no parameters: only the empty context runs),
 * Sign_internal / M′, external μ, HashML-DSA.
 */
public final class Main {
    private Main() {}

    /** A SecureRandom that must hand out exactly its bytes, in order, and nothing more. */
    private static final class Given extends SecureRandom {
        private final byte[] bytes;
        private int used;

        Given(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (used + out.length > bytes.length) {
                throw new IllegalStateException("the JDK drew " + (used + out.length) + " random bytes, " + bytes.length + " were given");
            }
            System.arraycopy(bytes, used, out, 0, out.length);
            used += out.length;
        }

        /** After the call: every given byte must have been drawn. */
        void drained() {
            if (used != bytes.length) throw new IllegalStateException("the JDK drew " + used + " of the " + bytes.length + " given random bytes");
        }
    }

    /** One parameter set: its JCA name, OID and raw key sizes. */
    private record Set(String name, byte[] oid, int publicLength, int privateLength) {
        PublicKey publicKey(KeyFactory kf, byte[] raw) throws Refusal {
            if (raw.length != publicLength) throw Refusal.rejected("public key must be " + publicLength + " bytes, got " + raw.length);
            return Refusal.ifRefused("public key", () -> kf.generatePublic(new X509EncodedKeySpec(Der.spki(oid, raw))));
        }

        PrivateKey privateKey(KeyFactory kf, byte[] raw) throws Refusal {
            if (raw.length != privateLength) throw Refusal.rejected("private key must be " + privateLength + " bytes, got " + raw.length);
            return Refusal.ifRefused("private key", () -> kf.generatePrivate(new PKCS8EncodedKeySpec(Der.pkcs8Expanded(oid, raw))));
        }

        /** {public, private} raw bytes of a JDK key pair. */
        byte[][] raw(KeyPair kp) {
            return new byte[][] {
                Der.unwrap(kp.getPublic().getEncoded(), publicLength, k -> Der.spki(oid, k)),
                Der.unwrap(kp.getPrivate().getEncoded(), privateLength, k -> Der.pkcs8Expanded(oid, k)),
            };
        }

        /** A key pair drawn from `random` (the JDK's own when null). */
        byte[][] generate(String algorithm, SecureRandom random) throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (random == null) g.initialize(new NamedParameterSpec(name));
            else g.initialize(new NamedParameterSpec(name), random);
            return raw(g.generateKeyPair());
        }
    }

    static Kem kem(Set set) throws Exception {
        KeyFactory kf = KeyFactory.getInstance("ML-KEM");
        KEM kem = KEM.getInstance("ML-KEM");
        Kem k = new Kem();
        k.keygen = (d, z) -> {
            Given seed = new Given(concat(d, z));
            byte[][] pair = set.generate("ML-KEM", seed);
            seed.drained();
            return pair;
        };
        // newEncapsulator runs the §7.2 modulus check (InvalidKeyException).
        k.encaps = (ek, m) -> {
            Given given = new Given(m);
            PublicKey pk = set.publicKey(kf, ek);
            KEM.Encapsulator e = Refusal.ifRefused("encapsulation key", () -> kem.newEncapsulator(pk, null, given));
            KEM.Encapsulated r = e.encapsulate();
            given.drained();
            return new byte[][] {r.encapsulation(), r.key().getEncoded()};
        };
        // newDecapsulator runs the §7.3 hash check (InvalidKeyException).
        k.decaps = (dk, c) -> {
            PrivateKey sk = set.privateKey(kf, dk);
            KEM.Decapsulator d = Refusal.ifRefused("decapsulation key", () -> kem.newDecapsulator(sk));
            return Refusal.ifRefused("ciphertext", () -> d.decapsulate(c).getEncoded());
        };
        k.checkEncapsKey = ek -> {
            PublicKey pk = set.publicKey(kf, ek);
            try {
                kem.newEncapsulator(pk);
                return true;
            } catch (InvalidKeyException e) {
                return false;
            }
        };
        k.checkDecapsKey = dk -> {
            PrivateKey sk = set.privateKey(kf, dk);
            try {
                kem.newDecapsulator(sk);
                return true;
            } catch (InvalidKeyException e) {
                return false;
            }
        };
        k.keygenRandom = () -> set.generate("ML-KEM", null);
        k.encapsRandom = ek -> {
            PublicKey pk = set.publicKey(kf, ek);
            KEM.Encapsulated r = Refusal.ifRefused("encapsulation key", () -> kem.newEncapsulator(pk)).encapsulate();
            return new byte[][] {r.encapsulation(), r.key().getEncoded()};
        };
        return k;
    }

    static Dsa dsa(Set set) throws Exception {
        KeyFactory kf = KeyFactory.getInstance("ML-DSA");
        Dsa d = new Dsa();
        d.keygen = xi -> {
            Given seed = new Given(Refusal.wantLength("seed", xi, 32));
            byte[][] pair = set.generate("ML-DSA", seed);
            seed.drained();
            return pair;
        };
        d.keygenRandom = () -> set.generate("ML-DSA", null);
        d.sign = (sk, msg, ctx, rnd) -> {
            if (ctx.length > 0) throw Refusal.unsupported("the JDK's ML-DSA Signature takes no context string");
            PrivateKey key = set.privateKey(kf, sk);
            Given given = new Given(rnd);
            Signature s = Signature.getInstance("ML-DSA");
            Refusal.ifRefusedDo("private key", () -> s.initSign(key, given));
            s.update(msg);
            byte[] sig = s.sign();
            given.drained();
            return sig;
        };
        d.verify = (pk, msg, sig, ctx) -> {
            if (ctx.length > 0) throw Refusal.unsupported("the JDK's ML-DSA Signature takes no context string");
            PublicKey key = set.publicKey(kf, pk);
            Signature s = Signature.getInstance("ML-DSA");
            Refusal.ifRefusedDo("public key", () -> s.initVerify(key));
            s.update(msg);
            try {
                return s.verify(sig);
            } catch (java.security.SignatureException e) {
                return false; // a signature that cannot even be decoded is not valid
            }
        };
        return d;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] o = new byte[a.length + b.length];
        System.arraycopy(a, 0, o, 0, a.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    public static void main(String[] args) throws Exception {
        Module m = new Module("java-jdk", "JDK (SunJCE ML-KEM, SUN ML-DSA)", System.getProperty("java.vendor") + " " + Runtime.version(),
            List.of("deterministic inputs (d, z, m, xi, rnd) reach the JDK through the SecureRandom its public API accepts; a call fails unless the JDK drew exactly those bytes",
                "ML-DSA without a context string only (the JCA Signature takes no parameters); no Sign_internal, external mu or HashML-DSA"));
        m.kem.put("ML-KEM-512", kem(new Set("ML-KEM-512", Der.nistOid(4, 1), 800, 1632)));
        m.kem.put("ML-KEM-768", kem(new Set("ML-KEM-768", Der.nistOid(4, 2), 1184, 2400)));
        m.kem.put("ML-KEM-1024", kem(new Set("ML-KEM-1024", Der.nistOid(4, 3), 1568, 3168)));
        m.dsa.put("ML-DSA-44", dsa(new Set("ML-DSA-44", Der.nistOid(3, 17), 1312, 2560)));
        m.dsa.put("ML-DSA-65", dsa(new Set("ML-DSA-65", Der.nistOid(3, 18), 1952, 4032)));
        m.dsa.put("ML-DSA-87", dsa(new Set("ML-DSA-87", Der.nistOid(3, 19), 2592, 4896)));
        m.serve();
    }
}
