package org.omomi.dashboard;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.omomi.data.Csv;
import org.omomi.explain.plot.Png;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;

/**
 * The prediction server's request bodies under seeded mutation ({@link Fuzz}), parsed by the classes
 * that read them (no sockets: {@link Predictions#predict} and {@link NumberRows}): JSON rows of
 * fields or values, rows of pixels (the fast path and the general one), base64 PNGs. Each mutated
 * body is answered, or refused with a 400 {@link HttpError} of one line — never another exception,
 * an OutOfMemoryError from a PNG header's claim, a stack overflow from deep nesting, or a hang.
 */
class RequestBodiesFuzzTest {

    static final long CASES = Fuzz.cases(1000);

    static final Predicate<Throwable> BAD_REQUEST = t -> t instanceof HttpError h && h.status == 400;

    static final List<String> WORDS = List.of("rows", "image", "images", "data:image/png;base64,", "0.5", "1e38", "1e39", "-0", "==");

    private static Fuzz.Result run(String name, List<byte[]> valid, Models.Loaded model) {
        return Fuzz.run(name, valid, new Mutator(Fuzz.seed(21), WORDS), CASES, null, Fuzz.TIME_BOUND_S * 1000, BAD_REQUEST,
                in -> Predictions.predict(model, in, in.length, null, null, null));
    }

    @Test
    void mutatedTableRowsAreAnsweredOrRefusedWith400() throws Exception {
        Models.Loaded model = new Models.Loaded(SavedModel.open(TestRuns.csvRun()), "fuzz");
        List<String> fields = model.predictor.preprocessing().fields();
        Csv.Table table = Csv.read(TestRuns.clicksCsv());
        List<Object> objects = new ArrayList<>();
        List<Object> lists = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            List<Object> values = new ArrayList<>();
            for (String f : fields) {
                String v = table.rows().get(r)[table.column(f)];
                Object value = Csv.isMissing(v) ? null : v.matches("-?[0-9.]+") ? (Object) Double.valueOf(v) : v;
                row.put(f, value);
                values.add(value);
            }
            objects.add(row);
            lists.add(values);
        }
        List<byte[]> valid = List.of(Json.write(Map.of("rows", objects)).getBytes(StandardCharsets.UTF_8),
                Json.write(Map.of("rows", lists)).getBytes(StandardCharsets.UTF_8), Json.write(objects).getBytes(StandardCharsets.UTF_8));
        run("dashboard/rows", valid, model).assertClean().assertReachesBoth();
    }

    @Test
    void mutatedPixelRowsAreAnsweredOrRefusedWith400() throws Exception {
        Models.Loaded model = new Models.Loaded(SavedModel.open(TestRuns.imageMlpRun()), "fuzz");
        StringBuilder sb = new StringBuilder("{\"rows\": [");
        for (int r = 0; r < 2; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int j = 0; j < 784; j++) {
                sb.append(j == 0 ? "" : ",").append(j % 7 == 0 ? "0" : Float.toString((j % 255) / 255f));
            }
            sb.append(']');
        }
        sb.append("]}");
        run("dashboard/pixel-rows", List.of(sb.toString().getBytes(StandardCharsets.UTF_8)), model).assertClean().assertReachesBoth();
    }

    @Test
    void mutatedPngsAreAnsweredOrRefusedWith400() throws Exception {
        Models.Loaded model = new Models.Loaded(SavedModel.open(TestRuns.imageMlpRun()), "fuzz");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, (x * y) % 256);
            }
        }
        List<byte[]> valid = List.of(Png.bytes(img));
        // The PNG's bytes are mutated, then sent as the server receives them: base64 in a JSON body.
        Fuzz.run("dashboard/base64-png", valid, new Mutator(Fuzz.seed(21), List.of("IHDR", "IDAT", "IEND")), CASES, null,
                Fuzz.TIME_BOUND_S * 1000, BAD_REQUEST, in -> {
                    byte[] body = ("{\"images\": [\"data:image/png;base64," + Base64.getEncoder().encodeToString(in) + "\"]}")
                            .getBytes(StandardCharsets.UTF_8);
                    Predictions.predict(model, body, body.length, null, null, null);
                }).assertClean().assertReachesBoth();
    }

    @Test
    void numberRowsNeverThrowsAndAgreesWithTheGeneralReader() {
        byte[] seed = "{\"rows\": [[0.5, -1, 2e3], [1e-3, 0, 7]]}".getBytes(StandardCharsets.UTF_8);
        Fuzz.run("dashboard/number-rows", List.of(seed), new Mutator(Fuzz.seed(21), WORDS), CASES, null, in -> {
            float[] quick = NumberRows.parse(in, in.length, 3);
            if (quick == null) {
                throw new IllegalArgumentException("the general reader takes it"); // counted as refused
            }
            // Whatever the quick path reads, the general reader reads the same numbers.
            Object general = Json.parse(new String(in, StandardCharsets.UTF_8));
            List<?> rows = (List<?>) ((Map<?, ?>) general).get("rows");
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < 3; j++) {
                    float g = ((Number) ((List<?>) rows.get(i)).get(j)).floatValue();
                    if (Float.compare(g, quick[i * 3 + j]) != 0) {
                        throw new AssertionError("row " + i + " value " + j + ": quick " + quick[i * 3 + j] + ", general " + g);
                    }
                }
            }
        }).assertClean().assertReachesBoth();
    }
}
