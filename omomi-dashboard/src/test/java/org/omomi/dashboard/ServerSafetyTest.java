package org.omomi.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No request reaches a file it should not: traversal through run names, static files and run
 * pictures, plain and percent-encoded; no folder is listed; static files come from the jar.
 */
class ServerSafetyTest {

    static Dashboard server;
    static Http http;
    static Path runs;

    @BeforeAll
    static void start() throws Exception {
        // A runs folder with a secret beside it and inside a run: neither may be served.
        runs = TestRuns.ROOT.resolve("safety").resolve("runs");
        Path run = runs.resolve("clicks-mlp");
        Files.createDirectories(run);
        for (String f : List.of("config.json", "model.json", "model.safetensors", "preprocessing.json", "metrics.json", "history.jsonl")) {
            Files.copy(TestRuns.csvRun().resolve(f), run.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(runs.getParent().resolve("secret.png"), "SECRET-OUTSIDE");
        Files.writeString(runs.getParent().resolve("secret.txt"), "SECRET-OUTSIDE");
        Files.createDirectories(run.resolve("report"));
        Files.write(run.resolve("report").resolve("loss.png"), org.omomi.explain.plot.Png.bytes(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB)));
        Files.writeString(run.resolve("notes.txt"), "SECRET-INSIDE");
        Path link = run.resolve("linked");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, runs.getParent()); // a folder link out of the run, to the secret
        }
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(runs));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/runs/..%2f..%2fsecret.txt", "/api/runs/..%2F..%2Fsecret.txt/history", "/api/runs/%2e%2e/history", "/api/runs/%2e%2e%2fsafety/history",
        "/api/runs/../secret.txt", "/api/runs/..", "/runs/..%2f..%2fsecret.txt", "/runs/%2e%2e",
        "/static/..%2f..%2f..%2fpom.xml", "/static/%2e%2e%2fDashboard.class", "/static/../../secret.txt", "/static/..%5c..%5csecret.txt",
        "/static/Dashboard.class", "/static/org/omomi/dashboard/Dashboard.class", "/static/%2fetc%2fpasswd",
        "/api/runs/clicks-mlp/files/..%2f..%2fsecret.png", "/api/runs/clicks-mlp/files/../../secret.png", "/api/runs/clicks-mlp/files/%2e%2e/secret.png",
        "/api/runs/clicks-mlp/files/%2e%2e%2f%2e%2e%2fsecret.png", "/api/runs/clicks-mlp/files/report/..%2f..%2f..%2fsecret.png",
        "/api/runs/clicks-mlp/files/notes.txt", "/api/runs/clicks-mlp/files/linked/secret.png", "/api/runs/clicks-mlp/files/config.json", "/api/runs/clicks-mlp/files/%2fetc%2fpasswd",
        "/api/runs/clicks-mlp%00/history", "/api/runs/clicks-mlp%2f..%2f..%2fsecret.txt"})
    void traversalIsRefused(String target) {
        Http.Answer a = http.raw(target);
        assertTrue(a.status() == 400 || a.status() == 404, target + " → " + a.status() + " " + a.body());
        assertFalse(a.body().contains("SECRET"), target + " leaked a file: " + a.body());
        assertFalse(a.body().contains("<project") || a.body().contains("root:") || a.body().contains("omomi.train/1"), target + ": " + a.body());
    }

    @Test
    void anEncodedRunNameIsTheSameRun() {
        Http.Answer plain = http.raw("/api/runs/clicks-mlp/history");
        Http.Answer encoded = http.raw("/api/runs/%63licks%2Dmlp/history");
        assertEquals(200, plain.status());
        assertEquals(200, encoded.status(), encoded.body());
        assertEquals(plain.body(), encoded.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/", "/static", "/api/runs/clicks-mlp/files/", "/api/runs/clicks-mlp/files", "/api/runs/clicks-mlp/files/report",
        "/api/runs/clicks-mlp/files/report/", "/runs/", "/api/"})
    void noFolderIsListed(String target) {
        Http.Answer a = http.raw(target);
        assertTrue(a.status() == 404 || a.status() == 400, target + " → " + a.status());
        assertFalse(a.body().contains("loss.png") || a.body().contains("index.js") || a.body().contains("config.json"), target + ": " + a.body());
    }

    @Test
    void staticFilesComeFromTheJar() {
        Http.Answer uplot = http.get("static/uPlot.iife.min.js");
        assertEquals(200, uplot.status());
        assertTrue(uplot.contentType().startsWith("text/javascript"), uplot.contentType());
        assertTrue(uplot.body().contains("uPlot"), "the WebJar's uPlot");
        Http.Answer page = http.get("");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("/static/uPlot.iife.min.js") && !page.body().contains("http://") && !page.body().contains("https://"),
                "the page loads nothing from another host");
        assertEquals(200, http.get("static/uPlot.min.css").status());
    }

    @Test
    void aRunsPicturesAreServedByRelativeName() throws Exception {
        Http.Answer a = http.get("api/runs/clicks-mlp/files/report/loss.png");
        assertEquals(200, a.status());
        assertEquals("image/png", a.contentType());
        Map<String, Object> view = http.get("api/runs/clicks-mlp/views/pictures").json();
        assertTrue(String.valueOf(view.get("blocks")).contains("report/loss.png"), String.valueOf(view));
    }

    @Test
    void runsThatAppearInTheRunsFolderAreListed() throws Exception {
        Path late = runs.resolve("late run!");
        Files.createDirectories(late);
        Files.copy(TestRuns.csvRun().resolve("config.json"), late.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(1100); // the folder is looked at again at most once a second
        assertTrue(http.get("api/runs").body().contains("\"late-run-\""), "listed under a safe name");
        assertEquals(200, http.get("api/runs/late-run-").status());
    }

    @Test
    void theTourReportIsReachableWhenThere() throws Exception {
        assertEquals(404, http.get("tour").status(), "no report: ./tour-report/index.html is absent here");
        Path report = TestRuns.ROOT.resolve("safety").resolve("tour-report").resolve("index.html");
        Files.createDirectories(report.getParent());
        Files.writeString(report, "<!doctype html><title>tour</title><p>the tour's report</p>");
        try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(runs).withReport(report.getParent()))) {
            Http h = new Http(d);
            assertTrue(h.get("tour").body().contains("the tour's report"));
            assertEquals(Boolean.TRUE, h.get("api/runs").json().get("tour"));
        }
        // `omomi tour --out runs/tour`: a folder with index.html and tour.json in the runs folder is the report, not a run.
        Path withTour = TestRuns.ROOT.resolve("safety").resolve("runs-with-tour");
        Path tour = withTour.resolve("tour");
        Files.createDirectories(tour);
        Files.deleteIfExists(tour.resolve("tour.json")); // from an earlier run in this target/
        Files.writeString(tour.resolve("index.html"), "<!doctype html><title>tour</title><p>the tour in the runs folder</p>");
        try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(withTour))) {
            Http h = new Http(d);
            assertEquals(404, h.get("tour").status(), "index.html alone is not a tour folder");
            Files.writeString(tour.resolve("tour.json"), "{\"format\": \"omomi.tour/1\"}\n");
            Thread.sleep(1100); // the runs folder is looked at again at most once a second
            assertTrue(h.get("tour").body().contains("the tour in the runs folder"));
            Map<String, Object> list = h.get("api/runs").json();
            assertEquals(Boolean.TRUE, list.get("tour"));
            assertEquals(List.of(), list.get("runs"), "the tour folder is not listed as a run");
        }
    }
}
