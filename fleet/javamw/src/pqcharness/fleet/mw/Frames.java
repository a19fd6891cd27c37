package pqcharness.fleet.mw;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The protocol's framing: u32le count, u32le lengths, then the byte strings. */
final class Frames {
    // The decoder's limits, as in the harness's own codec: larger is a broken stream.
    private static final int MAX_STRINGS = 64;
    private static final long MAX_TOTAL = 64L << 20;

    private Frames() {}

    /** One request (command name first), or null at a clean end of input. */
    static byte[][] read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) return null;
        long n = (first | (long) readU32(in, 3) << 8) & 0xffffffffL;
        if (n == 0 || n > MAX_STRINGS) throw new IOException("request declares " + n + " strings");
        long[] lens = new long[(int) n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            lens[i] = readU32(in, 4) & 0xffffffffL;
            total += lens[i];
        }
        if (total > MAX_TOTAL) throw new IOException("request declares " + total + " bytes");
        byte[][] parts = new byte[(int) n][];
        for (int i = 0; i < n; i++) {
            parts[i] = new byte[(int) lens[i]];
            in.readFully(parts[i]);
        }
        return parts;
    }

    /** Little-endian integer of `bytes` bytes; a stream ending inside it is an error. */
    private static long readU32(InputStream in, int bytes) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            int b = in.read();
            if (b < 0) throw new EOFException("stream ended inside a frame header");
            v |= (long) b << (8 * i);
        }
        return v;
    }

    static void write(OutputStream out, byte[][] parts) throws IOException {
        writeU32(out, parts.length);
        for (byte[] p : parts) writeU32(out, p.length);
        for (byte[] p : parts) out.write(p);
    }

    private static void writeU32(OutputStream out, int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
