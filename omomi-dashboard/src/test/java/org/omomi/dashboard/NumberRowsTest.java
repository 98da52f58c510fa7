package org.omomi.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.io.Json;

/** The quick reader of numeric rows gives the general JSON reader's floats, bit for bit, or declines. */
class NumberRowsTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyNumberReadsAsTheGeneralReaderReadsIt(long seed) {
        Random r = new Random(seed);
        int width = 50;
        StringBuilder sb = new StringBuilder("{ \"rows\" : [");
        for (int i = 0; i < 20; i++) {
            sb.append(i == 0 ? "" : ", ").append('[');
            for (int j = 0; j < width; j++) {
                sb.append(j == 0 ? "" : ",").append(r.nextInt(3) == 0 ? " " : "").append(number(r));
            }
            sb.append("]\n");
        }
        sb.append("] }");
        String text = sb.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        float[] quick = NumberRows.parse(bytes, bytes.length, width);
        @SuppressWarnings("unchecked")
        List<List<Object>> rows = (List<List<Object>>) ((java.util.Map<String, Object>) Json.parse(text)).get("rows");
        float[] general = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < width; j++) {
                general[i * width + j] = ((Number) rows.get(i).get(j)).floatValue();
            }
        }
        assertArrayEquals(general, quick, "the same floats");
        for (int k = 0; k < general.length; k++) {
            assertEquals(Float.floatToRawIntBits(general[k]), Float.floatToRawIntBits(quick[k]), "bits of number " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void longDecimalsAndNumbersAtTheFloatsRoundingMidpointsReadAsTheGeneralReaderReadsThem(long seed) {
        Random r = new Random(seed);
        int width = 200;
        StringBuilder sb = new StringBuilder("{\"rows\": [[");
        for (int j = 0; j < width; j++) {
            String text;
            switch (j % 4) {
                case 0 -> text = Double.toString(r.nextInt(256) / 255.0); // up to 17 digits
                case 1 -> { // 16 to 18 significant digits with a point somewhere
                    long m = (long) (r.nextDouble() * 8.9e17) + 100_000_000_000_000_000L; // 18 digits
                    String d = Long.toString(m).substring(0, 16 + r.nextInt(3));
                    int point = 1 + r.nextInt(d.length() - 1);
                    text = (r.nextBoolean() ? "-" : "") + d.substring(0, point) + "." + d.substring(point);
                }
                default -> { // a midpoint between two adjacent floats, or a double or two beside it
                    float f = (float) (r.nextDouble() * Math.pow(10, r.nextInt(12) - 6));
                    double mid = ((double) f + (double) Math.nextUp(f)) / 2;
                    double near = switch (r.nextInt(5)) {
                        case 0 -> mid;
                        case 1 -> Math.nextUp(mid);
                        case 2 -> Math.nextDown(mid);
                        case 3 -> Math.nextUp(Math.nextUp(mid));
                        default -> Math.nextDown(Math.nextDown(Math.nextDown(mid)));
                    };
                    text = new java.math.BigDecimal(near).round(new java.math.MathContext(17 + r.nextInt(2))).toString();
                }
            }
            sb.append(j == 0 ? "" : ", ").append(text);
        }
        String body = sb.append("]]}").toString();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        float[] quick = NumberRows.parse(bytes, bytes.length, width);
        String[] texts = body.substring("{\"rows\": [[".length(), body.length() - 3).split(", ");
        for (int j = 0; j < width; j++) {
            float want = (float) Double.parseDouble(texts[j]);
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(quick[j]), "number " + j + ": " + texts[j]);
        }
    }

    /** Numbers as clients write them: k/255 in full (Python's repr), short decimals, integers, exponents, signs, tiny and huge. */
    private static String number(Random r) {
        switch (r.nextInt(9)) {
            case 0: return Double.toString(r.nextInt(256) / 255.0);
            case 1: return String.valueOf(r.nextInt(256) / 255f);
            case 2: return String.format(Locale.ROOT, "%.4f", r.nextDouble());
            case 3: return Integer.toString(r.nextInt(2001) - 1000);
            case 4: return String.format(Locale.ROOT, "%.6e", (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(80) - 40));
            case 5: return (r.nextBoolean() ? "-" : "") + "0." + "0".repeat(r.nextInt(30)) + (1 + r.nextInt(999_999));
            case 6: return Long.toString(r.nextLong());
            case 7: return r.nextBoolean() ? "-0" : "0.0";
            default: return Double.toString(Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (r.nextBoolean() ? 1 : -1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"rows\": [[1, 2]]}", "{\"rows\": [[1, 2, 3, 4]]}", "{\"rows\": [[1, \"2\", 3]]}", "{\"rows\": [{\"p0\": 1}]}",
        "{\"rows\": [[1, 2, 3]], \"x\": 1}", "{\"image\": \"aGk=\"}", "[[1, 2, 3]]", "{\"rows\": [[1, 2, NaN]]}", "{\"rows\": [[1, 2, 1e400]]}",
        "{\"rows\": [[1, 2, 01]]}", "{\"rows\": [[1, 2, .5]]}", "{\"rows\": [[1, 2, 3]]", "{\"rows\": []}", "{\"rows\": [[1, 2, 3]]} x",
        "{\"rows\": [[1, 2, 3.]]}", "{\"rows\": [[1, 2, 3e]]}", "{\"rows\": [[1, 2, +3]]}", ""})
    void anythingElseIsLeftToTheGeneralReader(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        assertNull(NumberRows.parse(b, b.length, 3), body);
    }
}
