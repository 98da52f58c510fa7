package org.omomi.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;
import org.omomi.explain.plot.Png;
import org.omomi.io.Json;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.tensor.Tensor;

/** POST /api/runs/{run}/predict and GET /api/runs/{run}: answers equal to the Predictor's, attributions, and every refusal. */
class PredictionApiTest {

    static Dashboard server;
    static Http http;

    @BeforeAll
    static void start() {
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRuns(TestRuns.all()).withMaxBodyBytes(64 * 1024));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final String ROW = "{\"age\": 31, \"interest\": 0.8, \"frequency\": 2, \"device\": \"mobile\"}";

    @Test
    void bindsLoopbackByDefault() {
        assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
        assertEquals("127.0.0.1", Dashboard.Options.defaults().host());
    }

    @Test
    @SuppressWarnings("unchecked")
    void describesTheInputs() {
        Map<String, Object> d = http.get("api/runs/clicks-mlp").json();
        Map<String, Object> in = (Map<String, Object>) d.get("inputs");
        assertEquals(List.of("age", "interest", "frequency", "device"), in.get("fields"));
        assertEquals("binary", ((Map<String, Object>) d.get("head")).get("kind"));
        assertEquals(true, d.get("has_weights"));
        Map<String, Object> img = http.get("api/runs/image-mlp").json();
        Map<String, Object> ii = (Map<String, Object>) img.get("inputs");
        assertEquals(784.0, ii.get("count"));
        assertEquals(Map.of("channels", 1.0, "height", 28.0, "width", 28.0), ii.get("image"));
        assertEquals(FashionMnist.CLASSES, ((Map<String, Object>) img.get("head")).get("classes"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void namedAndOrderedRowsGiveThePredictorsAnswers() throws Exception {
        Predictor p = SavedModel.open(TestRuns.csvRun()).predictor();
        List<Map<String, Object>> records = List.of(
                (Map<String, Object>) Json.parse(ROW),
                (Map<String, Object>) Json.parse("{\"age\": 64, \"interest\": 0.05, \"frequency\": 19, \"device\": \"desktop\"}"));
        float[] expected = p.predictRecords(records, "test").probabilities().toArray();
        Http.Answer named = http.post("api/runs/clicks-mlp/predict", "{\"rows\": [" + ROW + ", {\"age\": 64, \"interest\": 0.05, \"frequency\": 19, \"device\": \"desktop\"}]}");
        Http.Answer ordered = http.post("api/runs/clicks-mlp/predict", "{\"rows\": [[31, 0.8, 2, \"mobile\"], [64, 0.05, 19, \"desktop\"]]}");
        assertEquals(200, named.status(), named.body());
        assertEquals(named.body(), ordered.body());
        List<Object> preds = (List<Object>) named.json().get("predictions");
        for (int i = 0; i < 2; i++) {
            Map<String, Object> r = (Map<String, Object>) preds.get(i);
            assertEquals(expected[i], ((Double) r.get("probability")).floatValue(), 0f, "row " + i);
            assertEquals(expected[i] > 0.5 ? "1" : "0", r.get("label"));
        }
        assertTrue(expected[0] > expected[1], "a young, interested mobile user clicks more: " + expected[0] + " vs " + expected[1]);
    }

    @Test
    @SuppressWarnings("unchecked")
    void explainIgAddsAttributionsThatAddUp() {
        Http.Answer a = http.post("api/runs/clicks-mlp/predict?explain=ig", "{\"rows\": [" + ROW + "]}");
        assertEquals(200, a.status(), a.body());
        Map<String, Object> r = (Map<String, Object>) ((List<Object>) a.json().get("predictions")).get(0);
        Map<String, Object> at = (Map<String, Object>) r.get("attributions");
        List<Object> names = (List<Object>) at.get("names");
        List<Object> values = (List<Object>) at.get("values");
        assertEquals(List.of("age", "interest", "frequency", "device=desktop", "device=mobile", "device=tablet"), names);
        double sum = values.stream().mapToDouble(v -> (Double) v).sum();
        double gap = (Double) at.get("f_x") - (Double) at.get("f_baseline");
        assertEquals(gap, sum, 1e-3 + 0.01 * Math.abs(gap), "completeness: Σ attributions = F(x) − F(baseline)");
        assertEquals(0.0, (Double) values.get(3), 0.0, "a one-hot column that is 0 in the row and the baseline gets nothing");
        Http.Answer image = http.post("api/runs/image-mlp/predict?explain=ig&target=Trouser&steps=20", "{\"rows\": [" + pixelsJson(0) + "]}");
        assertEquals(200, image.status(), image.body());
        Map<String, Object> ia = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) image.json().get("predictions")).get(0)).get("attributions");
        assertEquals(1.0, ia.get("target"), "the class asked for by name");
        assertEquals(784, ((List<Object>) ia.get("values")).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void imagesAsPixelRowsOrPngsGiveTheSameAnswer() throws Exception {
        TensorDataset test = FashionMnist.test(TestRuns.imagesDir());
        Predictor p = SavedModel.open(TestRuns.imageMlpRun()).predictor();
        for (int i : new int[] {0, 7}) {
            float[] px = test.x().slice(0, i, i + 1).contiguous().toArray();
            float[] expected = p.predictImages(Tensor.wrap(px, 1, 784)).probabilities().toArray();
            Http.Answer rows = http.post("api/runs/image-mlp/predict", "{\"rows\": [" + pixelsJson(i) + "]}");
            Http.Answer png = http.post("api/runs/image-mlp/predict", "{\"image\": \"" + png(px) + "\"}");
            assertEquals(200, rows.status(), rows.body());
            assertEquals(rows.body(), png.body(), "8-bit pixels survive the PNG exactly");
            Map<String, Object> r = (Map<String, Object>) ((List<Object>) rows.json().get("predictions")).get(0);
            List<Object> probs = (List<Object>) r.get("probabilities");
            for (int k = 0; k < 10; k++) {
                assertEquals(expected[k], ((Double) probs.get(k)).floatValue(), 0f);
            }
            assertEquals(FashionMnist.CLASSES.get(i % 10), r.get("label"), "the band images are learnt");
        }
    }

    @Test
    void wrongFieldsAndTypesAre400sNamingTheField() {
        assertRefused(400, "'device'", http.post("api/runs/clicks-mlp/predict", "{\"rows\": [{\"age\": 31, \"interest\": 0.8, \"frequency\": 2}]}"));
        assertRefused(400, "'colour'", http.post("api/runs/clicks-mlp/predict", "{\"rows\": [{\"age\": 31, \"interest\": 0.8, \"frequency\": 2, \"device\": \"mobile\", \"colour\": 1}]}"));
        assertRefused(400, "'age'", http.post("api/runs/clicks-mlp/predict", "{\"rows\": [{\"age\": \"old\", \"interest\": 0.8, \"frequency\": 2, \"device\": \"mobile\"}]}"));
        assertRefused(400, "'interest'", http.post("api/runs/clicks-mlp/predict", "{\"rows\": [{\"age\": 3, \"interest\": [1], \"frequency\": 2, \"device\": \"mobile\"}]}"));
        assertRefused(400, "3 values, but the model reads 4 fields", http.post("api/runs/clicks-mlp/predict", "{\"rows\": [[31, 0.8, 2]]}"));
        assertRefused(400, "783 values, but the model reads 784 pixels", http.post("api/runs/image-mlp/predict", "{\"rows\": [[" + "0,".repeat(782) + "0]]}"));
        assertRefused(400, "field 'p5'", http.post("api/runs/image-mlp/predict", "{\"rows\": [[" + "0,".repeat(5) + "\"x\"," + "0,".repeat(777) + "0]]}"));
        assertRefused(400, "image 1: 27×28 pixels; the model needs 28×28", http.post("api/runs/image-mlp/predict",
                "{\"image\": \"" + Base64.getEncoder().encodeToString(Png.bytes(new BufferedImage(27, 28, BufferedImage.TYPE_BYTE_GRAY))) + "\"}"));
        assertRefused(400, "not a PNG", http.post("api/runs/image-mlp/predict", "{\"image\": \"aGVsbG8=\"}"));
        assertRefused(400, "reads table rows, not images", http.post("api/runs/clicks-mlp/predict", "{\"image\": \"aGVsbG8=\"}"));
        assertRefused(400, "not JSON", http.post("api/runs/clicks-mlp/predict", "{\"rows\": [" ));
        assertRefused(400, "\"rows\"", http.post("api/runs/clicks-mlp/predict", "{\"something\": 1}"));
        assertRefused(400, "explain=shap", http.post("api/runs/clicks-mlp/predict?explain=shap", "{\"rows\": [" + ROW + "]}"));
        assertRefused(400, "target=11", http.post("api/runs/image-mlp/predict?explain=ig&target=11", "{\"rows\": [" + pixelsJson(0) + "]}"));
    }

    @Test
    void aBodyOverTheCapIs413WithOrWithoutItsLength() {
        String big = "{\"rows\": [" + (ROW + ",").repeat(1200) + ROW + "]}"; // ≈ 84 KB, the cap is 64 KiB
        // Again and again: a server that answers before the body has arrived and closes resets the
        // connection under a client still sending, which then sees no answer at all (CI saw it once).
        for (int i = 0; i < 30; i++) {
            assertRefused(413, "65536", http.post("api/runs/clicks-mlp/predict", big));
        }
        StringBuilder chunked = new StringBuilder("POST /api/runs/clicks-mlp/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < big.length(); i += 4096) {
            String part = big.substring(i, Math.min(big.length(), i + 4096));
            chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertEquals(413, http.rawRequest(chunked.toString()).status(), "no Content-Length: counted as it is read");
        assertEquals(200, http.post("api/runs/clicks-mlp/predict", "{\"rows\": [" + (ROW + ",").repeat(100) + ROW + "]}").status(), "under the cap");
    }

    @Test
    void unknownRunsAre404AndWrongMethods405() {
        assertRefused(404, "no run named 'nope'", http.get("api/runs/nope"));
        assertRefused(404, "no run named 'nope'", http.post("api/runs/nope/predict", "{\"rows\": []}"));
        assertRefused(404, "nope", http.get("api/runs/nope/history"));
        assertEquals(404, http.get("runs/nope").status());
        assertEquals(404, http.raw("/api/runs/nope/events").status(), "the event stream too");
        assertRefused(405, "GET", http.get("api/runs/clicks-mlp/predict"));
        assertRefused(405, "DELETE", http.method("DELETE", "api/runs/clicks-mlp", null));
        assertRefused(405, "POST", http.post("api/runs", "{}"));
        assertRefused(405, "PUT", http.method("PUT", "api/runs/clicks-mlp/history", "{}"));
    }

    @Test
    void aRunWithoutWeightsYetIs409() throws Exception {
        Path dir = TestRuns.ROOT.resolve("no-weights");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.copy(TestRuns.csvRun().resolve("model.json"), dir.resolve("model.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.copy(TestRuns.csvRun().resolve("config.json"), dir.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRuns(List.of(dir)))) {
            assertRefused(409, "no weights yet", new Http(d).post("api/runs/no-weights/predict", "{\"rows\": [" + ROW + "]}"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void manyThreadsShareOneModel() throws Exception {
        String expected = http.post("api/runs/image-mlp/predict", "{\"rows\": [" + pixelsJson(3) + "]}").body();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int k = i % 2 == 0 ? 3 : 4;
                answers.add(pool.submit(() -> http.post("api/runs/image-mlp/predict", "{\"rows\": [" + pixelsJson(k) + "]}")));
            }
            String other = http.post("api/runs/image-mlp/predict", "{\"rows\": [" + pixelsJson(4) + "]}").body();
            assertFalse(other.equals(expected));
            for (int i = 0; i < answers.size(); i++) {
                Http.Answer a = answers.get(i).get();
                assertEquals(200, a.status(), a.body());
                assertEquals(i % 2 == 0 ? expected : other, a.body(), "request " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    static void assertRefused(int status, String says, Http.Answer a) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        assertTrue(a.error().contains(says), "the error says " + says + ": " + a.error());
    }

    static String pixelsJson(int i) {
        try {
            float[] px = FashionMnist.test(TestRuns.imagesDir()).x().slice(0, i, i + 1).contiguous().toArray();
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < px.length; k++) {
                sb.append(k == 0 ? "" : ",").append(px[k]);
            }
            return sb.append(']').toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String png(float[] px) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
            img.getRaster().setSample(p % 28, p / 28, 0, Math.round(px[p] * 255));
        }
        return Base64.getEncoder().encodeToString(Png.bytes(img));
    }
}
