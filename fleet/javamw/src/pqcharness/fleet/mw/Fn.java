package pqcharness.fleet.mw;

/** Operation shapes, by argument count (all arguments are byte strings except a hash name). */
public final class Fn {
    private Fn() {}

    @FunctionalInterface public interface F0<R> { R call() throws Exception; }
    @FunctionalInterface public interface F1<R> { R call(byte[] a) throws Exception; }
    @FunctionalInterface public interface F2<R> { R call(byte[] a, byte[] b) throws Exception; }
    @FunctionalInterface public interface F3<R> { R call(byte[] a, byte[] b, byte[] c) throws Exception; }
    @FunctionalInterface public interface F4<R> { R call(byte[] a, byte[] b, byte[] c, byte[] d) throws Exception; }
    /** HashML-DSA signing: (sk, M, hash name in ACVP spelling, ctx, rnd). */
    @FunctionalInterface public interface PreHashSign { byte[] call(byte[] sk, byte[] msg, String hash, byte[] ctx, byte[] rnd) throws Exception; }
    /** HashML-DSA verification: (pk, M, sig, hash name, ctx). */
    @FunctionalInterface public interface PreHashVerify { boolean call(byte[] pk, byte[] msg, byte[] sig, String hash, byte[] ctx) throws Exception; }
}
