package org.omomi.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omomi.io.AtomicFile;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The pages in a real browser (headless Chromium through Selenium and Debian's ChromeDriver): the
 * run list and run pages load with no console error, every chart draws, the step slider changes
 * the histogram, a training in progress adds points to the live curve, and the explanation viewer
 * shows overlays for a chosen image. Screenshots go to target/screenshots/.
 */
class BrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");

    static Dashboard server;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.open(TestRuns.ROOT.resolve("chromium-profile-" + System.nanoTime()));
        List<Path> runs = new ArrayList<>(TestRuns.all());
        // An application's files, for the generic views: importance.json as bars, its PNGs as pictures.
        AtomicFile.writeString(TestRuns.csvRun().resolve("importance.json"), "{\"format\": \"omomi.importance/1\", \"method\": \"mean |IG|\","
                + " \"rows\": 400, \"importance\": {\"interest\": 0.61, \"age\": 0.32, \"frequency\": 0.27, \"device\": 0.12}}\n");
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRuns(runs));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        List<String> errors = browser.consoleErrors();
        assertEquals(List.of(), errors, "the browser's console had errors");
        assertEquals(0L, browser.js("return (window.omomi && window.omomi.errors || []).length"), "uncaught errors in the page");
    }

    @Test
    void theRunListShowsEveryRunAndSorts() {
        browser.go(server.url());
        browser.waitFor("the run table", 30, "return document.querySelectorAll('#run-table tbody tr').length === 3");
        String text = browser.driver.findElement(By.id("run-table")).getText();
        assertTrue(text.contains("clicks-mlp") && text.contains("tiny-cnn") && text.contains("image-mlp"), text);
        assertTrue(text.contains("finished"), text);
        browser.driver.findElement(By.cssSelector("th[data-sort='epochs']")).click();
        List<String> first = names();
        browser.driver.findElement(By.cssSelector("th[data-sort='epochs']")).click();
        List<String> second = names();
        assertEquals(List.of("clicks-mlp", "tiny-cnn", "image-mlp"), first, "numbers sort largest first: 6, 3 and 2 epochs");
        assertEquals(reversed(first), second, "clicking again reverses the order");
        browser.driver.findElement(By.cssSelector("th[data-sort='name']")).click();
        assertEquals(List.of("clicks-mlp", "image-mlp", "tiny-cnn"), names());
        browser.screenshot(SHOTS.resolve("run-list.png"));
        browser.driver.findElements(By.cssSelector("#run-table input[type=checkbox]")).stream().limit(2).forEach(WebElement::click);
        browser.driver.findElement(By.id("compare")).click();
        browser.waitFor("the comparison", 30, "return !!(window.omomi.charts['compare-loss'])");
        assertPainted(List.of("compare-loss", "compare-metric"));
        assertEquals(4L, browser.js("return omomi.charts['compare-loss'].series.length - 1"), "two runs' train and validation loss on one chart");
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        browser.driver.findElements(By.cssSelector("#run-table tbody tr")).forEach(r -> out.add(r.getAttribute("data-run")));
        return out;
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    void aTableRunsPageDrawsEveryChartTheNetworkAndTheViews() {
        browser.go(server.url() + "runs/clicks-mlp");
        browser.waitFor("the charts", 60, "return ['loss','metric','histogram','percentiles','grad','ratio','dead','network','attributions','probabilities','view-importance-1']"
                + ".every(n => !!omomi.charts[n])");
        assertPainted(List.of("loss", "metric", "histogram", "percentiles", "grad", "ratio", "dead", "network", "attributions", "probabilities",
                "view-importance-1"));
        // The network: an edge per nonzero weight of the 6-8-4-1 network; pointing at one tells its w.
        long edges = (Long) browser.js("return document.querySelectorAll('svg[data-chart=network] line.edge').length");
        assertTrue(edges > 0.9 * (6 * 8 + 8 * 4 + 4), "edges: " + edges);
        WebElement edge = browser.driver.findElements(By.cssSelector("svg[data-chart=network] line.edge")).get((int) edges - 1);
        new Actions(browser.driver).moveToElement(edge).perform();
        String info = browser.driver.findElement(By.id("network-info")).getText();
        assertTrue(info.startsWith("w = ") && info.contains(" to "), info);
        browser.screenshot(SHOTS.resolve("run-page-table.png"));
    }

    @Test
    void theStepSliderChangesTheHistogram() {
        browser.go(server.url() + "runs/tiny-cnn");
        browser.waitFor("the histogram", 60, "return !!omomi.charts.histogram && document.getElementById('epoch-slider').max === '3'");
        String last = histogram();
        Object lastEpoch = browser.js("return document.getElementById('histogram-chart').getAttribute('data-epoch')");
        browser.js("const s = document.getElementById('epoch-slider'); s.value = 1; s.dispatchEvent(new Event('input'));");
        String first = histogram();
        assertEquals("3", lastEpoch);
        assertEquals("1", browser.js("return document.getElementById('histogram-chart').getAttribute('data-epoch')"));
        assertNotEquals(last, first, "another epoch's weights: another histogram");
        assertTrue(((String) browser.js("return document.getElementById('epoch-label').textContent")).startsWith("1 of 3"));
        assertPainted(List.of("histogram"));
    }

    /** The histogram's counts and its picture. */
    private static String histogram() {
        return browser.js("return JSON.stringify(omomi.charts.histogram.data) + omomi.charts.histogram.ctx.canvas.toDataURL()").toString();
    }

    @Test
    void theExplanationViewerShowsOverlaysForAChosenImage() {
        browser.go(server.url() + "runs/tiny-cnn");
        browser.waitFor("the thumbnails", 60, "return document.querySelectorAll('img.thumb').length >= 10");
        assertPainted(List.of("loss", "metric", "histogram", "percentiles", "grad", "ratio", "dead"));
        browser.waitFor("the filters", 30, "const i = document.querySelector('img[data-picture=filters]'); return !!i && i.complete && i.naturalWidth > 0");
        browser.driver.findElement(By.cssSelector("img.thumb[data-input='test:7']")).click();
        browser.waitFor("the explanation of test:7", 60,
                "const e = document.getElementById('explanation'); return e.dataset.state === 'shown' && e.dataset.input === 'test:7'");
        for (String method : List.of("input", "gradcam", "integrated_gradients")) {
            Object colours = browser.js("const i = document.querySelector('#explanation img[data-method=\"' + arguments[0] + '\"]');"
                    + "if (!i || !i.complete || !i.naturalWidth) return -1;"
                    + "const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;"
                    + "const g = c.getContext('2d'); g.drawImage(i, 0, 0); const d = g.getImageData(0, 0, c.width, c.height).data;"
                    + "const s = new Set(); for (let k = 0; k < d.length; k += 4) s.add(d[k] + ',' + d[k+1] + ',' + d[k+2]); return s.size;", method);
            assertTrue(((Number) colours).intValue() > 8, method + " overlay drawn with " + colours + " colours");
        }
        String said = browser.driver.findElement(By.cssSelector("#explanation .prediction")).getText();
        assertTrue(said.startsWith("test:7: predicted Sneaker") && said.contains("true label Sneaker"), said);
        browser.screenshot(SHOTS.resolve("run-page-cnn.png"));
        browser.js("document.getElementById('explain').scrollIntoView()");
        try {
            Files.write(SHOTS.resolve("explanation-viewer.png"), browser.driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Another target class: the attributions change.
        String before = (String) browser.js("return document.querySelector('#explanation img[data-method=integrated_gradients]').src");
        browser.js("const t = document.getElementById('target'); t.value = '2'; t.dispatchEvent(new Event('change'));");
        browser.waitFor("the explanation for Pullover", 60, "return document.querySelector('#explanation .prediction').textContent.includes('Explaining Pullover')");
        assertNotEquals(before, browser.js("return document.querySelector('#explanation img[data-method=integrated_gradients]').src"));
        assertPainted(List.of("probabilities"));
    }

    @Test
    void aTrainingInProgressAddsPointsToTheLiveCurve() throws Exception {
        Path dir = TestRuns.ROOT.resolve("live-browser").resolve("training-now");
        LiveFeed feed = server.feed(dir);
        CompletableFuture<Path> training = CompletableFuture.supplyAsync(() ->
                TestRuns.train(dir, TestRuns.csvConfig(4, List.of(8)), List.of(feed, LiveTest.slow(25))));
        try {
            browser.go(server.url() + "runs/training-now");
            browser.waitFor("the first live points", 60, "return !!omomi.charts.loss && omomi.charts.loss.data[0].length >= 2");
            browser.waitFor("the status", 30, "return document.getElementById('status').textContent === 'training'");
            long before = (Long) browser.js("return omomi.charts.loss.data[0].length");
            browser.waitFor("more points", 60, "return omomi.charts.loss.data[0].length > arguments[0] + 3", before);
            assertPainted(List.of("loss"));
            browser.screenshot(SHOTS.resolve("run-page-live.png"));
        } finally {
            training.get();
        }
        browser.waitFor("the finished run", 30, "return document.getElementById('status').textContent === 'finished'");
    }

    /** Every named chart exists, has data, and drew: its canvas has painted pixels (the network: its SVG has edges, counted 1,000 each). */
    @SuppressWarnings("unchecked")
    static void assertPainted(List<String> charts) {
        List<Object> got = (List<Object>) browser.js("return arguments[0].map(n => { const c = omomi.charts[n]; if (!c) return [n, -1, -1];"
                + "const canvas = c.ctx ? c.ctx.canvas : c.canvas; let painted = 0;"
                + "if (canvas) { const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
                + "  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++; }"
                + "else if (c.svg) painted = 1000 * c.svg.querySelectorAll('line').length;"
                + "const points = c.data ? c.data.slice(1).reduce((k, s) => k + s.filter(v => v !== null && v !== undefined).length, 0) : c.values.length;"
                + "return [n, painted, points]; })", charts);
        for (Object o : got) {
            List<Object> r = (List<Object>) o;
            assertTrue(((Number) r.get(1)).longValue() > 200, "chart " + r.get(0) + " painted " + r.get(1) + " pixels");
            assertTrue(((Number) r.get(2)).longValue() > 0, "chart " + r.get(0) + " has " + r.get(2) + " points");
        }
        assertEquals(charts.size(), got.size());
    }
}
