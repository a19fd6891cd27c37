package pqcharness.fleet.mw;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One module wrapper: who it is, and what its library offers per parameter set
 * (kem.put("ML-KEM-768", ...), dsa.put("ML-DSA-65", ...)). serve() builds
 * getConfig from that and answers BoringSSL acvptool's module-wrapper protocol
 * as pqc-harness speaks it (backends/modulewrapper/PROTOCOL.md) on stdin/stdout.
 */
public final class Module {
    private static final String ERROR_MARKER = "pqc-harness/error";
    private static final String DESCRIBE = "pqc-harness/describe";
    private static final List<String> KEM_SETS = List.of("ML-KEM-512", "ML-KEM-768", "ML-KEM-1024");
    private static final List<String> DSA_SETS = List.of("ML-DSA-44", "ML-DSA-65", "ML-DSA-87");

    public final String id;
    public final String name;
    public final String version;
    public final List<String> notes;
    public final Map<String, Kem> kem = new HashMap<>();
    public final Map<String, Dsa> dsa = new HashMap<>();

    public Module(String id, String name, String version, List<String> notes) {
        this.id = id;
        this.name = name;
        this.version = version;
        this.notes = notes;
    }

    /** A command: its argument count and what it does (arguments exclude the name). */
    private record Handler(int arity, Body body) {}

    @FunctionalInterface
    private interface Body { byte[][] run(byte[][] a) throws Exception; }

    private final Map<String, Handler> commands = new HashMap<>();
    private final List<Object> config = new ArrayList<>();
    private final List<Object> features = new ArrayList<>();

    private static byte[][] flag(boolean ok) {
        return new byte[][] {{(byte) (ok ? 1 : 0)}};
    }

    private static byte[][] one(byte[] x) {
        return new byte[][] {x};
    }

    private static Map<String, Object> entry(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private void ext(String command, int arity, Body body) {
        commands.put(command, new Handler(arity, body));
        features.add(command);
    }

    private void addKem(String ps, Kem k) {
        if (k.keygen != null) {
            commands.put(ps + "/keyGen", new Handler(1, a -> {
                byte[] seed = Refusal.wantLength("ML-KEM keyGen seed d‖z", a[0], 64);
                return k.keygen.call(Arrays.copyOfRange(seed, 0, 32), Arrays.copyOfRange(seed, 32, 64));
            }));
            config.add(entry("algorithm", "ML-KEM", "mode", "keyGen", "revision", "FIPS203", "parameterSets", List.of(ps)));
        }
        List<String> fns = new ArrayList<>();
        if (k.encaps != null) {
            fns.add("encapsulation");
            commands.put(ps + "/encap", new Handler(2, a -> k.encaps.call(a[0], a[1])));
        }
        if (k.decaps != null) {
            fns.add("decapsulation");
            commands.put(ps + "/decap", new Handler(2, a -> one(k.decaps.call(a[0], a[1]))));
        }
        if (k.checkEncapsKey != null) {
            fns.add("encapsulationKeyCheck");
            commands.put(ps + "/encapKeyCheck", new Handler(1, a -> flag(k.checkEncapsKey.call(a[0]))));
        }
        if (k.checkDecapsKey != null) {
            fns.add("decapsulationKeyCheck");
            commands.put(ps + "/decapKeyCheck", new Handler(1, a -> flag(k.checkDecapsKey.call(a[0]))));
        }
        if (!fns.isEmpty()) {
            config.add(entry("algorithm", "ML-KEM", "mode", "encapDecap", "revision", "FIPS203", "parameterSets", List.of(ps), "functions", fns));
        }
        if (k.keygenRandom != null) ext(ps + "/keyGen/random", 0, a -> k.keygenRandom.call());
        if (k.encapsRandom != null) ext(ps + "/encap/random", 1, a -> k.encapsRandom.call(a[0]));
    }

    /** acvptool's randomizer: 32 bytes, or empty for deterministic. */
    private static byte[] rnd32(byte[] rnd) throws Refusal {
        return rnd.length == 0 ? new byte[32] : Refusal.wantLength("rnd", rnd, 32);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void addDsa(String ps, Dsa d) {
        if (d.keygen != null) {
            commands.put(ps + "/keyGen", new Handler(1, a -> d.keygen.call(a[0])));
            config.add(entry("algorithm", "ML-DSA", "mode", "keyGen", "revision", "FIPS204", "parameterSets", List.of(ps)));
        }
        if (d.keygenRandom != null) ext(ps + "/keyGen/random", 0, a -> d.keygenRandom.call());
        if (d.sign != null) ext(ps + "/sigGen/external", 4, a -> one(d.sign.call(a[0], a[1], a[2], rnd32(a[3]))));
        if (d.signInternal != null) ext(ps + "/sigGen/internal", 3, a -> one(d.signInternal.call(a[0], a[1], rnd32(a[2]))));
        if (d.signMu != null) ext(ps + "/sigGen/mu", 3, a -> one(d.signMu.call(a[0], a[1], rnd32(a[2]))));
        if (d.signPreHash != null) ext(ps + "/sigGen/preHash", 5, a -> one(d.signPreHash.call(a[0], a[1], text(a[2]), a[3], rnd32(a[4]))));
        if (d.verify != null) ext(ps + "/sigVer/external", 4, a -> flag(d.verify.call(a[0], a[1], a[2], a[3])));
        if (d.verifyInternal != null) ext(ps + "/sigVer/internal", 3, a -> flag(d.verifyInternal.call(a[0], a[1], a[2])));
        if (d.verifyMu != null) ext(ps + "/sigVer/mu", 3, a -> flag(d.verifyMu.call(a[0], a[1], a[2])));
        if (d.verifyPreHash != null) ext(ps + "/sigVer/preHash", 5, a -> flag(d.verifyPreHash.call(a[0], a[1], a[2], text(a[3]), a[4])));
        addStandardDsa(ps, d);
    }

    /**
     * acvptool's own sigGen (sk, message, rnd, context, mu) and sigVer (pk,
     * message, signature, context, mu), declaring one interface as the
     * harness's child does: `external` when the library signs pure messages,
     * else `internal`; a non-empty mu means external mu.
     */
    private void addStandardDsa(String ps, Dsa d) {
        if (d.sign != null || d.signInternal != null || d.signMu != null) {
            config.add(entry("algorithm", "ML-DSA", "mode", "sigGen", "revision", "FIPS204",
                "capabilities", List.of(entry("parameterSets", List.of(ps))),
                "signatureInterfaces", List.of(d.sign != null ? "external" : "internal"),
                "externalMu", d.signMu != null ? List.of(true, false) : List.of(false),
                "preHash", List.of("pure"), "deterministic", List.of(true, false)));
            commands.put(ps + "/sigGen", new Handler(5, a -> {
                byte[] sk = a[0], msg = a[1], rnd = rnd32(a[2]), ctx = a[3], mu = a[4];
                if (mu.length > 0) {
                    if (d.signMu == null) throw Refusal.unsupported("this library cannot sign an external mu");
                    return one(d.signMu.call(sk, mu, rnd));
                }
                if (d.sign != null) return one(d.sign.call(sk, msg, ctx, rnd));
                if (d.signInternal == null) throw Refusal.unsupported("this library signs external mu only");
                if (ctx.length > 0) throw Refusal.rejected("a context string was sent to an internal-interface sigGen");
                return one(d.signInternal.call(sk, msg, rnd));
            }));
        }
        if (d.verify != null || d.verifyInternal != null || d.verifyMu != null) {
            config.add(entry("algorithm", "ML-DSA", "mode", "sigVer", "revision", "FIPS204",
                "capabilities", List.of(entry("parameterSets", List.of(ps))),
                "signatureInterfaces", List.of(d.verify != null ? "external" : "internal"),
                "externalMu", d.verifyMu != null ? List.of(true, false) : List.of(false),
                "preHash", List.of("pure")));
            commands.put(ps + "/sigVer", new Handler(5, a -> {
                byte[] pk = a[0], msg = a[1], sig = a[2], ctx = a[3], mu = a[4];
                if (mu.length > 0) {
                    if (d.verifyMu == null) throw Refusal.unsupported("this library cannot verify against an external mu");
                    return flag(d.verifyMu.call(pk, mu, sig));
                }
                if (d.verify != null) return flag(d.verify.call(pk, msg, sig, ctx));
                if (d.verifyInternal == null) throw Refusal.unsupported("this library verifies external mu only");
                if (ctx.length > 0) throw Refusal.rejected("a context string was sent to an internal-interface sigVer");
                return flag(d.verifyInternal.call(pk, msg, sig));
            }));
        }
    }

    private byte[] configJson() {
        Map<String, Object> preHash = new LinkedHashMap<>();
        for (String ps : DSA_SETS) {
            Dsa d = dsa.get(ps);
            if (d != null && d.preHashAlgs != null) preHash.put(ps, d.preHashAlgs);
        }
        List<Object> all = new ArrayList<>(config);
        List<Object> feats = new ArrayList<>(features);
        feats.add(DESCRIBE);
        Map<String, Object> extension = entry("algorithm", "pqc-harness", "revision", "1", "features", feats);
        if (!preHash.isEmpty()) extension.put("preHash", preHash);
        all.add(extension);
        return Json.of(all).getBytes(StandardCharsets.UTF_8);
    }

    /** Answers requests until stdin ends; bad input never ends the process. */
    public void serve() throws IOException {
        // Only frames may reach fd 1: everything else printed goes to stderr.
        OutputStream frames = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        for (String ps : KEM_SETS) if (kem.containsKey(ps)) addKem(ps, kem.get(ps));
        for (String ps : DSA_SETS) if (dsa.containsKey(ps)) addDsa(ps, dsa.get(ps));
        byte[] configJson = configJson();
        byte[] describeJson = Json.of(entry("id", id, "name", name, "version", version, "kind", "process", "notes", notes))
            .getBytes(StandardCharsets.UTF_8);
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        for (;;) {
            byte[][] req = Frames.read(in);
            if (req == null) break;
            String command = text(req[0]);
            byte[][] resp = switch (command) {
                case "flush" -> null;
                case "getConfig" -> one(configJson);
                case DESCRIBE -> one(describeJson);
                default -> answer(command, Arrays.copyOfRange(req, 1, req.length));
            };
            if (resp != null) Frames.write(frames, resp);
            // Requests may be pipelined: answer in bulk while more are waiting.
            if (resp == null || in.available() == 0) frames.flush();
        }
        frames.flush();
    }

    private byte[][] answer(String command, byte[][] args) {
        Handler h = commands.get(command);
        if (h == null) return error("unsupported", "unknown command \"" + command + "\"");
        if (args.length != h.arity()) return error("error", command + ": expected " + h.arity() + " arguments, got " + args.length);
        try {
            return h.body().run(args);
        } catch (Refusal r) {
            return error(r.kind, r.getMessage());
        } catch (Exception | Error e) {
            // The library's bug (or the wrapper's), reported against this request; keep serving.
            System.err.println(id + ": " + command + " failed:");
            e.printStackTrace();
            return error("error", command + ": " + e);
        }
    }

    private static byte[][] error(String kind, String message) {
        return new byte[][] {ERROR_MARKER.getBytes(StandardCharsets.UTF_8), kind.getBytes(StandardCharsets.UTF_8),
            (message == null ? "" : message).getBytes(StandardCharsets.UTF_8)};
    }
}
