package pqcharness.fleet.mw;

import java.util.List;

/**
 * What a library can do for one ML-DSA parameter set (null = absent). rnd is
 * always 32 bytes; deterministic signing is rnd = 32 zero bytes.
 */
public final class Dsa {
    /** KeyGen_internal(ξ) → {pk, sk}. */
    public Fn.F1<byte[][]> keygen;
    public Fn.F0<byte[][]> keygenRandom;
    /** Pure signing (sk, M, ctx, rnd): M′ = 0 ‖ |ctx| ‖ ctx ‖ M. */
    public Fn.F4<byte[]> sign;
    /** Sign_internal(sk, M′, rnd). */
    public Fn.F3<byte[]> signInternal;
    /** Sign_internal from an external μ: (sk, μ, rnd). */
    public Fn.F3<byte[]> signMu;
    public Fn.PreHashSign signPreHash;
    /** (pk, M, sig, ctx). */
    public Fn.F4<Boolean> verify;
    /** (pk, M′, sig). */
    public Fn.F3<Boolean> verifyInternal;
    /** (pk, μ, sig). */
    public Fn.F3<Boolean> verifyMu;
    public Fn.PreHashVerify verifyPreHash;
    /** Pre-hash functions the library supports (ACVP names); null = all twelve. */
    public List<String> preHashAlgs;
}
