package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.dashboard.Dashboard;
import org.omomi.dashboard.Http;
import org.omomi.io.Json;

/**
 * The dashboard's view of a click run, over HTTP: a run trained by {@link CtrRun} on a generated
 * log and explained by {@link CtrExplain}, served from a runs folder; the view's blocks carry the
 * run's own held-out metrics, its calibration buckets (with the diagonal) and its mean |IG| per
 * feature, in the order importance.json ranks them.
 */
class ClickRunViewTest {

    @TempDir
    static Path dir;

    static Dashboard server;
    static Http http;
    static CtrRun.Result run;

    @BeforeAll
    static void trainExplainAndServe() throws Exception {
        Path log = dir.resolve("clicks.csv");
        ClickGenerator.write(log, new ClickGenerator.Options(4000, 7, LogFormat.CSV, 0), Progress.NONE);
        Path runs = dir.resolve("runs");
        run = CtrRun.train(Runs.withEpochs(Runs.config(log, ModelKind.LR, 0.3), 2), runs.resolve("lr"), Progress.NONE);
        CtrExplain.explain(runs.resolve("lr"), null, 300, 0, "mean");
        Files.createDirectories(runs.resolve("training"));
        Files.copy(runs.resolve("lr").resolve(CtrRun.CONFIG), runs.resolve("training").resolve(CtrRun.CONFIG));
        Files.copy(runs.resolve("lr").resolve("model.json"), runs.resolve("training").resolve("model.json"));
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(runs));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRunIsListedAsAClickRunWithTheView() {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) http.get("api/runs").json().get("runs");
        Map<String, Object> lr = runs.stream().filter(r -> "lr".equals(r.get("name"))).findFirst().orElseThrow();
        assertEquals("ctr", lr.get("kind"));
        assertEquals("finished", lr.get("status"));
        List<Map<String, Object>> views = (List<Map<String, Object>>) http.get("api/runs/lr").json().get("views");
        assertTrue(views.stream().anyMatch(v -> "click-model".equals(v.get("id"))), String.valueOf(views));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBlocksAreTheRunsMetricsCalibrationAndImportance() throws Exception {
        Http.Answer a = http.get("api/runs/lr/views/click-model");
        assertEquals(200, a.status(), a.body());
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) a.json().get("blocks");
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(run.runDir().resolve("metrics.json")));

        Map<String, Object> table = block(blocks, "table", 0);
        Map<String, Object> byName = new java.util.LinkedHashMap<>();
        ((List<List<Object>>) table.get("rows")).forEach(r -> byName.put((String) r.get(0), r.get(1)));
        assertEquals(run.metric("auc"), (Double) byName.get("ROC-AUC"), 0);
        assertEquals(run.metric("logloss"), (Double) byName.get("log-loss"), 0);
        assertEquals(run.metric("ece"), (Double) byName.get("expected calibration error (ECE)"), 0);
        assertEquals(run.metric("true_auc"), (Double) byName.get("ROC-AUC of the generating model"), 0);

        Map<String, Object> lines = block(blocks, "lines", 0);
        List<Map<String, Object>> buckets = (List<Map<String, Object>>) ((Map<String, Object>) metrics.get("calibration")).get("table");
        List<Object> predicted = new ArrayList<>();
        List<Object> observed = new ArrayList<>();
        buckets.forEach(b -> {
            predicted.add(b.get("mean_predicted"));
            observed.add(b.get("observed"));
        });
        assertEquals(10, predicted.size());
        assertEquals(predicted, lines.get("x"), "x: each bucket's mean predicted probability");
        Map<String, Object> series = (Map<String, Object>) lines.get("series");
        assertEquals(observed, series.get("observed"));
        assertEquals(predicted, series.get("ideal"), "the diagonal");
        assertTrue(((String) lines.get("title")).contains(String.format(java.util.Locale.ROOT, "ECE %.4f", run.metric("ece"))));
        assertEquals(10, ((List<?>) block(blocks, "table", 1).get("rows")).size(), "one row per bucket");

        Map<String, Object> bars = block(blocks, "bars", 0);
        Map<String, Object> imp = (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(run.runDir().resolve("importance.json"))))
                .get("features");
        List<Object> igs = new ArrayList<>();
        List<Object> names = new ArrayList<>();
        imp.forEach((name, f) -> {
            igs.add(((Map<String, Object>) f).get("mean_abs_ig"));
            names.add(name + ("field".equals(((Map<String, Object>) f).get("kind")) ? " (field)" : ""));
        });
        assertEquals(igs, bars.get("values"));
        assertEquals(names, bars.get("labels"));
        assertTrue(names.contains("device (field)") && names.contains("interest_match"), String.valueOf(names));
        for (int i = 1; i < igs.size(); i++) {
            assertTrue((Double) igs.get(i) <= (Double) igs.get(i - 1), "largest first: " + igs);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunStillTrainingSaysSo() {
        Http.Answer a = http.get("api/runs/training/views/click-model");
        assertEquals(200, a.status(), a.body());
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) a.json().get("blocks");
        assertEquals("text", blocks.get(0).get("type"));
        assertTrue(String.valueOf(blocks.get(0).get("text")).contains("not finished"), String.valueOf(blocks));
        assertEquals(2, blocks.size(), "no metrics and no importance yet: " + blocks);
    }

    /** The n-th block of a type. */
    static Map<String, Object> block(List<Map<String, Object>> blocks, String type, int n) {
        List<Map<String, Object>> of = blocks.stream().filter(b -> type.equals(b.get("type"))).toList();
        assertTrue(of.size() > n, "no " + type + " block " + n + " in " + blocks);
        return of.get(n);
    }
}
