package pqcharness.fleet.bc;

import java.security.SecureRandom;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLDSAKeyPairGenerator;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.HashMLDSASigner;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.Arrays;

import pqcharness.fleet.mw.Dsa;
import pqcharness.fleet.mw.Kem;
import pqcharness.fleet.mw.Module;
import pqcharness.fleet.mw.Refusal;

/**
 * Module wrapper over Bouncy Castle's lightweight ML-KEM and ML-DSA API
 * (org.bouncycastle.crypto.*), which takes every deterministic input the
 * harness needs: seeds, m, rnd, contexts, M′ and μ. Expanded private keys are
 * decoded by Bouncy Castle itself, from a PKCS#8 PrivateKeyInfo holding the
 * expandedKey form (RFC 9881 / RFC 9935).
 *
 * What it cannot express, and so is left out: HashML-DSA with any pre-hash but
 * SHA2-512 (HashMLDSASigner's only digest).
 */
public final class Main {
    private Main() {}

    /** A SecureRandom that yields exactly the given bytes: how a given rnd or m reaches Bouncy Castle. */
    private static final class Given extends SecureRandom {
        private final byte[] bytes;

        Given(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) throw new IllegalStateException("asked for " + out.length + " bytes, have " + bytes.length);
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    /** MLDSASigner's Sign_internal / Verify_internal are protected: a subclass is the API for them. */
    private static final class InternalSigner extends MLDSASigner {
        byte[] sign(byte[] mPrime, byte[] rnd) {
            return internalGenerateSignature(mPrime, rnd);
        }

        boolean verify(byte[] mPrime, byte[] sig) {
            return internalVerifySignature(mPrime, sig);
        }
    }

    /** An expanded private key, decoded by Bouncy Castle from PKCS#8 (expandedKey choice). */
    private static CipherParameters expandedKey(ASN1ObjectIdentifier oid, byte[] key) throws Refusal {
        return Refusal.ifRefused("private key", () -> PrivateKeyFactory.createKey(new PrivateKeyInfo(new AlgorithmIdentifier(oid), new DEROctetString(key))));
    }

    static Kem kem(MLKEMParameters p, ASN1ObjectIdentifier oid) {
        Kem k = new Kem();
        k.keygen = (d, z) -> {
            MLKEMPrivateKeyParameters sk = new MLKEMPrivateKeyParameters(p, Arrays.concatenate(d, z));
            return new byte[][] {sk.getPublicKey(), sk.getParametersWithFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY).getEncoded()};
        };
        k.encaps = (ek, m) -> {
            MLKEMPublicKeyParameters pk = Refusal.ifRefused("encapsulation key", () -> new MLKEMPublicKeyParameters(p, ek));
            SecretWithEncapsulation s = Refusal.ifRefused("m", () -> MLKEMGenerator.internalGenerateEncapsulated(pk, m));
            return new byte[][] {s.getEncapsulation(), s.getSecret()};
        };
        k.decaps = (dk, c) -> {
            CipherParameters sk = expandedKey(oid, dk);
            return Refusal.ifRefused("ciphertext", () -> new MLKEMExtractor((MLKEMPrivateKeyParameters) sk).extractSecret(c));
        };
        k.checkEncapsKey = ek -> {
            try {
                new MLKEMPublicKeyParameters(p, ek);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        };
        k.checkDecapsKey = dk -> {
            try {
                expandedKey(oid, dk);
                return true;
            } catch (Refusal e) {
                return false;
            }
        };
        k.keygenRandom = () -> {
            MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
            g.init(new MLKEMKeyGenerationParameters(new SecureRandom(), p));
            var pair = g.generateKeyPair();
            MLKEMPrivateKeyParameters sk = (MLKEMPrivateKeyParameters) pair.getPrivate();
            return new byte[][] {((MLKEMPublicKeyParameters) pair.getPublic()).getEncoded(),
                sk.getParametersWithFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY).getEncoded()};
        };
        k.encapsRandom = ek -> {
            MLKEMPublicKeyParameters pk = Refusal.ifRefused("encapsulation key", () -> new MLKEMPublicKeyParameters(p, ek));
            SecretWithEncapsulation s = new MLKEMGenerator(new SecureRandom()).generateEncapsulated(pk);
            return new byte[][] {s.getEncapsulation(), s.getSecret()};
        };
        return k;
    }

    static Dsa dsa(MLDSAParameters p, ASN1ObjectIdentifier oid) {
        Dsa d = new Dsa();
        d.keygen = xi -> {
            MLDSAPrivateKeyParameters sk = Refusal.ifRefused("seed", () -> new MLDSAPrivateKeyParameters(p, xi));
            return new byte[][] {sk.getPublicKey(), sk.getParametersWithFormat(MLDSAPrivateKeyParameters.EXPANDED_KEY).getEncoded()};
        };
        d.keygenRandom = () -> {
            MLDSAKeyPairGenerator g = new MLDSAKeyPairGenerator();
            g.init(new MLDSAKeyGenerationParameters(new SecureRandom(), p));
            var pair = g.generateKeyPair();
            MLDSAPrivateKeyParameters sk = (MLDSAPrivateKeyParameters) pair.getPrivate();
            return new byte[][] {((MLDSAPublicKeyParameters) pair.getPublic()).getEncoded(),
                sk.getParametersWithFormat(MLDSAPrivateKeyParameters.EXPANDED_KEY).getEncoded()};
        };
        d.sign = (sk, msg, ctx, rnd) -> {
            CipherParameters key = expandedKey(oid, sk);
            MLDSASigner s = new MLDSASigner();
            Refusal.ifRefusedDo("context", () -> s.init(true, new ParametersWithContext(new ParametersWithRandom(key, new Given(rnd)), ctx)));
            s.update(msg, 0, msg.length);
            return s.generateSignature();
        };
        d.signInternal = (sk, mPrime, rnd) -> {
            InternalSigner s = new InternalSigner();
            s.init(true, expandedKey(oid, sk));
            return s.sign(mPrime, rnd);
        };
        d.signMu = (sk, mu, rnd) -> {
            CipherParameters key = expandedKey(oid, sk);
            MLDSASigner s = new MLDSASigner();
            s.init(true, new ParametersWithRandom(key, new Given(rnd)));
            return Refusal.ifRefused("mu", () -> s.generateMuSignature(mu));
        };
        d.signPreHash = (sk, msg, hash, ctx, rnd) -> {
            if (!hash.equals("SHA2-512")) throw Refusal.unsupported("HashMLDSASigner pre-hashes with SHA2-512 only, not " + hash);
            CipherParameters key = expandedKey(oid, sk);
            HashMLDSASigner s = new HashMLDSASigner();
            Refusal.ifRefusedDo("context", () -> s.init(true, new ParametersWithContext(new ParametersWithRandom(key, new Given(rnd)), ctx)));
            s.update(msg, 0, msg.length);
            return s.generateSignature();
        };
        d.verify = (pk, msg, sig, ctx) -> {
            MLDSAPublicKeyParameters key = publicKey(p, pk);
            MLDSASigner s = new MLDSASigner();
            if (ctx.length > 255) return false;
            s.init(false, new ParametersWithContext(key, ctx));
            s.update(msg, 0, msg.length);
            return s.verifySignature(sig);
        };
        d.verifyInternal = (pk, mPrime, sig) -> {
            InternalSigner s = new InternalSigner();
            s.init(false, publicKey(p, pk));
            return s.verify(mPrime, sig);
        };
        d.verifyMu = (pk, mu, sig) -> {
            MLDSASigner s = new MLDSASigner();
            s.init(false, publicKey(p, pk));
            return s.verifyMuSignature(mu, sig);
        };
        d.verifyPreHash = (pk, msg, sig, hash, ctx) -> {
            if (!hash.equals("SHA2-512")) throw Refusal.unsupported("HashMLDSASigner pre-hashes with SHA2-512 only, not " + hash);
            if (ctx.length > 255) return false;
            HashMLDSASigner s = new HashMLDSASigner();
            s.init(false, new ParametersWithContext(publicKey(p, pk), ctx));
            s.update(msg, 0, msg.length);
            return s.verifySignature(sig);
        };
        d.preHashAlgs = List.of("SHA2-512");
        return d;
    }

    private static MLDSAPublicKeyParameters publicKey(MLDSAParameters p, byte[] pk) throws Refusal {
        return Refusal.ifRefused("public key", () -> new MLDSAPublicKeyParameters(p, pk));
    }

    public static void main(String[] args) throws Exception {
        Module m = new Module("java-bouncycastle", "Bouncy Castle (Java, lightweight API)", new BouncyCastleProvider().getVersionStr(),
            List.of("HashML-DSA with SHA2-512 only (HashMLDSASigner's one digest)", "expanded private keys are decoded by Bouncy Castle from PKCS#8 (expandedKey form)"));
        m.kem.put("ML-KEM-512", kem(MLKEMParameters.ml_kem_512, NISTObjectIdentifiers.id_alg_ml_kem_512));
        m.kem.put("ML-KEM-768", kem(MLKEMParameters.ml_kem_768, NISTObjectIdentifiers.id_alg_ml_kem_768));
        m.kem.put("ML-KEM-1024", kem(MLKEMParameters.ml_kem_1024, NISTObjectIdentifiers.id_alg_ml_kem_1024));
        m.dsa.put("ML-DSA-44", dsa(MLDSAParameters.ml_dsa_44, NISTObjectIdentifiers.id_ml_dsa_44));
        m.dsa.put("ML-DSA-65", dsa(MLDSAParameters.ml_dsa_65, NISTObjectIdentifiers.id_ml_dsa_65));
        m.dsa.put("ML-DSA-87", dsa(MLDSAParameters.ml_dsa_87, NISTObjectIdentifiers.id_ml_dsa_87));
        m.serve();
    }
}
