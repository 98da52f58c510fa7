package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.dashboard.Browser;
import org.omomi.dashboard.Dashboard;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The applications' views on the run page, in a real browser (headless Chromium through the
 * dashboard's {@link Browser}): a click run, a recommender run and a segmentation folder made by
 * the commands themselves, served from one runs folder with the command's class path (every
 * application's RunView found by ServiceLoader), each page's view drawn — painted canvases, table
 * rows — with no console error; choosing another user redraws the recommendations. Screenshots go
 * to target/screenshots/.
 */
class AppViewsBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;

    static Browser browser;
    static Dashboard server;

    private static void run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, String.join(" ", args) + ": " + err);
    }

    @BeforeAll
    static void makeRunsAndServe() {
        browser = Browser.open(dir.resolve("chromium-profile"));
        Path runs = dir.resolve("runs");
        String clicks = dir.resolve("clicks.csv").toString();
        run("ctr", "generate", "--rows", "4000", "--seed", "3", "--out", clicks);
        run("ctr", "train", "--data", clicks, "--model", "lr", "--epochs", "2", "--holdout", "0.3", "--out", runs.resolve("clicks").toString());
        run("ctr", "explain", runs.resolve("clicks").toString(), "--rows", "200");
        String gen = dir.resolve("gen.csv").toString();
        run("--threads", "1", "recommend", "generate", "--users", "120", "--items", "80", "--per-user", "15", "--seed", "3", "--out", gen);
        run("--threads", "1", "recommend", "train", "--data", gen, "--model", "bpr", "--epochs", "2", "--dim", "8", "--out",
                runs.resolve("bpr").toString());
        String customers = dir.resolve("customers.csv").toString();
        run("segment", "generate", "--seed", "3", "--customers", "600", "--out", customers);
        run("segment", "--data", customers, "--k", "4", "--out", runs.resolve("shoppers").toString());
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(runs));
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
        assertEquals(List.of(), browser.consoleErrors(), "the browser's console had errors");
        assertEquals(0L, browser.js("return (window.omomi && window.omomi.errors || []).length"), "uncaught errors in the page");
    }

    /** Pixels painted on a chart's canvas (uPlot's or the page's own), -1 when there is no such chart. */
    private static long painted(String chart) {
        return ((Number) browser.js("const c = omomi.charts[arguments[0]]; if (!c) return -1;"
                + "const canvas = c.ctx ? c.ctx.canvas : c.canvas; const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
                + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", chart)).longValue();
    }

    private static List<WebElement> rows(String view, int table) {
        return browser.driver.findElements(By.cssSelector("#view-" + view + " table.data")).get(table).findElements(By.cssSelector("tbody tr"));
    }

    private static String table(String view, int table) {
        return browser.driver.findElements(By.cssSelector("#view-" + view + " table.data")).get(table).getText();
    }

    @Test
    void aClickRunShowsItsCalibrationAndImportance() {
        browser.go(server.url() + "runs/clicks");
        // blocks: metrics table, calibration lines, buckets table, importance bars
        browser.waitFor("the click view", 60, "return !!omomi.charts['view-click-model-1'] && !!omomi.charts['view-click-model-3']");
        assertTrue(painted("view-click-model-1") > 200, "the calibration plot drew");
        assertTrue(painted("view-click-model-3") > 200, "the importance bars drew");
        assertEquals(3L, browser.js("return omomi.charts['view-click-model-1'].series.length"), "x, observed and the ideal diagonal");
        assertTrue(rows("click-model", 0).size() >= 4, "held-out metrics");
        assertEquals(10, rows("click-model", 1).size(), "ten calibration buckets");
        String text = browser.driver.findElement(By.id("view-click-model")).getText();
        assertTrue(text.contains("ROC-AUC") && text.contains("Calibration buckets"), text);
        browser.screenshot(SHOTS.resolve("view-click-model.png"));
    }

    @Test
    void aRecommenderRunShowsAUsersRecommendationsAndAnotherUsersOnChoosing() {
        browser.go(server.url() + "runs/bpr");
        browser.waitFor("the recommendations", 60, "return document.querySelectorAll('#view-recommendations table.data').length === 3");
        assertEquals(10, rows("recommendations", 0).size(), "the top ten");
        assertEquals(30, rows("recommendations", 1).size(), "three past items behind each");
        String first = table("recommendations", 0);
        Select user = new Select(browser.driver.findElement(By.cssSelector("#view-recommendations select")));
        assertEquals(120, user.getOptions().size(), "every user in the menu");
        String other = user.getOptions().get(7).getAttribute("value");
        user.selectByValue(other);
        browser.waitFor("the other user's recommendations", 30,
                "return document.getElementById('view-recommendations').textContent.includes('User ' + arguments[0] + ':')", other);
        assertEquals(10, rows("recommendations", 0).size());
        assertNotEquals(first, table("recommendations", 0), "another user, other scores");
        browser.screenshot(SHOTS.resolve("view-recommendations.png"));
    }

    @Test
    void aSegmentationShowsItsProfilesWeightsAndProjection() {
        browser.go(server.url() + "runs/shoppers");
        // blocks: text, segments table, features table, weights bars, projection points
        browser.waitFor("the segmentation view", 60, "return !!omomi.charts['view-segments-3'] && !!omomi.charts['view-segments-4']");
        assertTrue(painted("view-segments-3") > 200, "the feature weights drew");
        assertTrue(painted("view-segments-4") > 2000, "the 600 customers drew");
        assertEquals(600L, browser.js("return omomi.charts['view-segments-4'].values.length"));
        assertEquals(4, rows("segments", 0).size(), "four segments");
        assertTrue(rows("segments", 1).size() > 5, "a row per feature");
        browser.screenshot(SHOTS.resolve("view-segments.png"));
    }
}
