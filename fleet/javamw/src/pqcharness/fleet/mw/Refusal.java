package pqcharness.fleet.mw;

/**
 * A request the library turned down: answered with the three-string error
 * response ["pqc-harness/error", kind, message] instead of a result.
 */
public class Refusal extends Exception {
    final String kind;

    private Refusal(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** The library refused the input (wrong length, invalid key, context too long). */
    public static Refusal rejected(String message) {
        return new Refusal("rejected", message);
    }

    /** The library cannot do this by design (the harness records a skip). */
    public static Refusal unsupported(String message) {
        return new Refusal("unsupported", message);
    }

    /** Rejects b unless it is n bytes long: for APIs that misbehave on a wrong length. */
    public static byte[] wantLength(String what, byte[] b, int n) throws Refusal {
        if (b.length != n) throw rejected(what + " must be " + n + " bytes, got " + b.length);
        return b;
    }

    /** Something the library computes from input it may refuse. */
    @FunctionalInterface
    public interface Parse<T> { T call() throws Exception; }

    /**
     * Runs a library call that decodes or checks input; whatever the library
     * throws there (IllegalArgumentException, IOException, ...) is a rejection
     * of that input, named `what`.
     */
    public static <T> T ifRefused(String what, Parse<T> call) throws Refusal {
        try {
            return call.call();
        } catch (Refusal r) {
            throw r;
        } catch (Exception e) {
            throw rejected(what + ": " + e);
        }
    }

    /** A library call without a result that may refuse its input. */
    @FunctionalInterface
    public interface Act { void call() throws Exception; }

    /** ifRefused for a call without a result (init with a context, ...). */
    public static void ifRefusedDo(String what, Act call) throws Refusal {
        ifRefused(what, () -> {
            call.call();
            return null;
        });
    }
}
