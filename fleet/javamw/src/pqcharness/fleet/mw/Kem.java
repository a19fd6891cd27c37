package pqcharness.fleet.mw;

/**
 * What a library can do for one ML-KEM parameter set. A null field is an
 * operation the library cannot express: it is left out of getConfig, and the
 * harness skips the cases that need it with a reason. Pairs are {ek, dk} and {c, k}.
 */
public final class Kem {
    /** KeyGen_internal(d, z) → {ek, dk}. */
    public Fn.F2<byte[][]> keygen;
    /** Encaps_internal(ek, m) → {c, k}, with the §7.2 check on ek. */
    public Fn.F2<byte[][]> encaps;
    /** Decaps(dk, c) → k. */
    public Fn.F2<byte[]> decaps;
    /** FIPS 203 §7.2 encapsulation-key check. */
    public Fn.F1<Boolean> checkEncapsKey;
    /** FIPS 203 §7.3 decapsulation-key check. */
    public Fn.F1<Boolean> checkDecapsKey;
    public Fn.F0<byte[][]> keygenRandom;
    /** ek → {c, k} with the library's own randomness. */
    public Fn.F1<byte[][]> encapsRandom;
}
