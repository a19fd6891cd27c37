package pqcharness.fleet.jdk;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The two key encodings the JDK's KeyFactory speaks, built around raw key
 * bytes: X.509 SubjectPublicKeyInfo and PKCS#8 with the expandedKey form
 * (RFC 9935 for ML-KEM, RFC 9881 for ML-DSA). The JDK has no raw-key spec in
 * its public API, so raw bytes cross it wrapped in these.
 */
final class Der {
    private Der() {}

    /** DER of the object identifier 2.16.840.1.101.3.4.{arc}.{last}, the NIST arc for ML-KEM (4) and ML-DSA (3). */
    static byte[] nistOid(int arc, int last) {
        return tlv(0x06, new byte[] {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, (byte) arc, (byte) last});
    }

    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) body.writeBytes(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.size();
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** SubjectPublicKeyInfo { AlgorithmIdentifier { oid }, BIT STRING key }. */
    static byte[] spki(byte[] oid, byte[] key) {
        byte[] bits = new byte[key.length + 1];
        System.arraycopy(key, 0, bits, 1, key.length);
        return tlv(0x30, tlv(0x30, oid), tlv(0x03, bits));
    }

    /** OneAsymmetricKey { version 0, AlgorithmIdentifier { oid }, OCTET STRING { expandedKey OCTET STRING } }. */
    static byte[] pkcs8Expanded(byte[] oid, byte[] key) {
        return tlv(0x30, tlv(0x02, new byte[] {0}), tlv(0x30, oid), tlv(0x04, tlv(0x04, key)));
    }

    /**
     * The raw key at the end of an encoding the JDK produced, after checking
     * that everything before it is what `wrap` would write for a key of that
     * length (so another layout, e.g. a seed-only PKCS#8, is an error, not garbage).
     */
    static byte[] unwrap(byte[] encoded, int keyLength, java.util.function.Function<byte[], byte[]> wrap) {
        byte[] expected = wrap.apply(new byte[keyLength]);
        int head = expected.length - keyLength;
        if (encoded.length != expected.length || !Arrays.equals(encoded, 0, head, expected, 0, head)) {
            throw new IllegalStateException("the JDK encoded a " + keyLength + "-byte key in an unexpected layout (" + encoded.length + " bytes)");
        }
        return Arrays.copyOfRange(encoded, head, encoded.length);
    }
}
