package org.omomi.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid input, for fuzzing readers: case {@code i} of a seed is a function of
 * (seed, i) alone, so a failure reproduces from its two numbers. Each case applies one to four of:
 *
 * <ul>
 *   <li>bit flips and bytes set to edge values (0x00, 0xff, 0x7f, 0x80);</li>
 *   <li>truncation at any point, and a deleted or duplicated range (so: missing and duplicated
 *       fields, rows, keys);</li>
 *   <li>huge declared sizes: 2, 4 or 8 bytes overwritten with 2³¹−1, 2³¹, 2³²−1, −1, 2⁶³−1, big- or
 *       little-endian, at a position biased towards the header at the start;</li>
 *   <li>a token replaced by or a dictionary word inserted: NaN and infinity text, numbers too big
 *       for an int or a double, negative and fractional sizes, wrong types (a string where a number
 *       is, {@code null}, {@code []}), quotes, separators and line breaks, and the reader's own words
 *       (dtypes, keys, layer types);</li>
 *   <li>invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong form, a
 *       surrogate, 0xff;</li>
 *   <li>deep nesting: up to 100,000 opening brackets or {@code {"a":} prefixes.</li>
 * </ul>
 */
public final class Mutator {

    /** Words every text format is tried with; a reader's own words are added with {@link #Mutator(long, List)}. */
    public static final List<String> WORDS = List.of(
            "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "-inf", "1e309", "-1e309", "1e-400", "4.9e-324",
            "2147483647", "2147483648", "-2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "-1", "0", "-0", "0.5", "1.5", "1e9", "99999999999999999999", "0x10", "1_000", "", " ", "\"", "\"\"", ",", ",,",
            ";", ":", "\n", "\r\n", "\r", "\t", "{", "}", "[", "]", "[]", "{}", "null", "true", "false", "\"x\"", "\\",
            "\\u", "\\ud800", "\\u0000", "\u0000", "\u00e9", "\ud83d\ude00", "\ufeff", "NA", "?", "a,b", "\"a\"\"b\"",
            "\"unclosed", "%s%n", "../../etc/passwd");

    private static final byte[][] BAD_UTF8 = {
        {(byte) 0x80}, {(byte) 0xbf}, {(byte) 0xc3}, {(byte) 0xc3, 0x28}, {(byte) 0xe2, (byte) 0x82},
        {(byte) 0xf0, (byte) 0x9f, (byte) 0x98}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xff}, {(byte) 0xfe}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    };

    private static final long[] HUGE = {
        0x7fffffffL, 0x80000000L, 0xffffffffL, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 0x7fffffffffL, 1L << 24, 1L << 16,
    };

    private final long seed;
    private final List<byte[]> words;

    /** A mutator whose cases are drawn from {@code seed}, with the common {@link #WORDS}. */
    public Mutator(long seed) {
        this(seed, List.of());
    }

    /** A mutator with the reader's own words (keys, dtypes, type names) added to {@link #WORDS}. */
    public Mutator(long seed, List<String> extraWords) {
        this.seed = seed;
        List<byte[]> w = new ArrayList<>();
        for (String s : WORDS) {
            w.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (String s : extraWords) {
            w.add(s.getBytes(StandardCharsets.UTF_8));
        }
        this.words = w;
    }

    /** Case {@code index}: a mutation of one of the valid inputs, chosen by the case. */
    public byte[] mutate(List<byte[]> valid, long index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        byte[] out = valid.get(r.nextInt(valid.size()));
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            out = once(out, r);
        }
        return out;
    }

    private byte[] once(byte[] in, SplittableRandom r) {
        int n = in.length;
        switch (r.nextInt(12)) {
            case 0: { // bit flip
                if (n == 0) {
                    return in;
                }
                byte[] out = in.clone();
                int p = position(n, r);
                out[p] ^= (byte) (1 << r.nextInt(8));
                return out;
            }
            case 1: { // edge byte
                if (n == 0) {
                    return in;
                }
                byte[] out = in.clone();
                out[position(n, r)] = (byte) new int[] {0, 0xff, 0x7f, 0x80, '0', '9', '-', '.'}[r.nextInt(8)];
                return out;
            }
            case 2: // truncation
                return Arrays.copyOf(in, n == 0 ? 0 : r.nextInt(n));
            case 3: { // delete a range
                if (n == 0) {
                    return in;
                }
                int a = r.nextInt(n);
                int b = Math.min(n, a + 1 + r.nextInt(Math.min(n - a, 64)));
                return splice(in, a, b, new byte[0]);
            }
            case 4: { // duplicate a range
                if (n == 0) {
                    return in;
                }
                int a = r.nextInt(n);
                int b = Math.min(n, a + 1 + r.nextInt(Math.min(n - a, 256)));
                return splice(in, b, b, Arrays.copyOfRange(in, a, b));
            }
            case 5: { // a huge declared size
                int width = new int[] {2, 4, 8}[r.nextInt(3)];
                if (n < width) {
                    return in;
                }
                long v = HUGE[r.nextInt(HUGE.length)];
                int p = r.nextInt(4) == 0 ? r.nextInt(n - width + 1) : Math.min(n - width, r.nextInt(Math.min(n, 40) / width + 1) * width);
                byte[] out = in.clone();
                boolean little = r.nextBoolean();
                for (int k = 0; k < width; k++) {
                    int shift = 8 * (little ? k : width - 1 - k);
                    out[p + k] = (byte) (v >>> shift);
                }
                return out;
            }
            case 6: case 7: { // replace a token with a word
                if (n == 0) {
                    return words.get(r.nextInt(words.size()));
                }
                int p = r.nextInt(n);
                int a = p;
                int b = p;
                while (a > 0 && tokenByte(in[a - 1])) {
                    a--;
                }
                while (b < n && tokenByte(in[b])) {
                    b++;
                }
                return splice(in, a, b, words.get(r.nextInt(words.size())));
            }
            case 8: { // insert a word
                int p = n == 0 ? 0 : r.nextInt(n + 1);
                return splice(in, p, p, words.get(r.nextInt(words.size())));
            }
            case 9: { // invalid UTF-8
                int p = n == 0 ? 0 : r.nextInt(n + 1);
                int cut = r.nextBoolean() && p < n ? p + 1 : p;
                return splice(in, p, cut, BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
            }
            case 10: { // deep nesting
                if (r.nextInt(4) != 0) {
                    return in;
                }
                int depth = r.nextBoolean() ? 100_000 : 1 + r.nextInt(2000);
                String unit = new String[] {"[", "{\"a\":", "[{\"layers\":", "{\"type\":\"sequential\",\"layers\":["}[r.nextInt(4)];
                byte[] u = unit.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream nest = new ByteArrayOutputStream(depth * u.length);
                for (int k = 0; k < depth; k++) {
                    nest.write(u, 0, u.length);
                }
                int p = n == 0 ? 0 : firstBracket(in, r);
                return splice(in, p, p, nest.toByteArray());
            }
            default: { // copy a range over another place (splice within the input)
                if (n < 2) {
                    return in;
                }
                int a = r.nextInt(n);
                int b = Math.min(n, a + 1 + r.nextInt(Math.min(n - a, 64)));
                int p = r.nextInt(n);
                int q = Math.min(n, p + r.nextInt(16));
                return splice(in, p, q, Arrays.copyOfRange(in, a, b));
            }
        }
    }

    /** Positions anywhere, but half of the time in the first 64 bytes, where headers are. */
    private static int position(int n, SplittableRandom r) {
        return r.nextBoolean() ? r.nextInt(Math.min(n, 64)) : r.nextInt(n);
    }

    private static int firstBracket(byte[] in, SplittableRandom r) {
        for (int i = r.nextInt(in.length); i < in.length; i++) {
            if (in[i] == '[' || in[i] == '{' || in[i] == ':') {
                return i + 1;
            }
        }
        return 0;
    }

    private static boolean tokenByte(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '.' || b == '-' || b == '+' || b == '_';
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] with) {
        byte[] out = new byte[in.length - (to - from) + with.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(in, to, out, from + with.length, in.length - to);
        return out;
    }
}
