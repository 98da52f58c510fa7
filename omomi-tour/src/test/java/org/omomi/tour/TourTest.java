package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.FashionMnist;
import org.omomi.io.Json;

/** The whole tour in quick mode: every claim holds, tour.json has every part, and a browser renders every picture. */
class TourTest {

    @TempDir
    static Path dir;
    static Tour.Result result;
    static Map<String, Object> json;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void runQuickTour() throws IOException {
        Images images = Images.load(FashionMnist.DEBIAN_DIR, 1);
        result = Tour.run(new Setting(1, true, images, Map.of()), Experiments.all(), dir.resolve("en"), Text.Lang.EN, line -> System.out.println(line));
        json = (Map<String, Object>) Json.parse(Files.readString(result.json()));
    }

    @Test
    void everyClaimHoldsAndEveryPartIsInTourJson() {
        for (Part p : result.parts()) {
            for (Part.Block b : p.blocks()) {
                if (b instanceof Part.Claim c) {
                    assertTrue(c.holds(), p.name() + ": " + c.text().en() + " — " + c.evidence());
                }
            }
        }
        assertEquals("omomi.tour/1", json.get("format"));
        @SuppressWarnings("unchecked")
        Map<String, Object> parts = (Map<String, Object>) json.get("parts");
        assertEquals(Experiments.all().stream().map(Experiment::name).toList(), new ArrayList<>(parts.keySet()));
        double seconds = result.seconds().values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.println("quick tour: " + seconds + " s");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePartsNumbersSayWhatTheClaimsSay() {
        Map<String, Object> parts = (Map<String, Object>) json.get("parts");
        Map<String, Object> neuron = (Map<String, Object>) parts.get("neuron");
        assertEquals(0.1 * 0.3 + 0.9 * 0.8 + 0.4 * 0.5 - 0.5, (Double) neuron.get("z"), 1e-6);
        assertEquals(1 / (1 + Math.exp(-0.45)), (Double) neuron.get("sigmoid"), 1e-6);
        List<Object> learned = (List<Object>) ((Map<String, Object>) parts.get("ad-click")).get("learned_weights");
        double age = Math.abs((Double) learned.get(0));
        double interest = Math.abs((Double) learned.get(1));
        double frequency = Math.abs((Double) learned.get(2));
        assertTrue(interest > age && interest > frequency, "interest match weighs most: " + learned);
        assertEquals(2.0, interest, 0.25);
        Map<String, Object> losses = (Map<String, Object>) parts.get("losses");
        assertEquals(0.15, (Double) losses.get("mse"), 1e-6);
        assertEquals(-Math.log(0.1), (Double) ((List<Object>) losses.get("bce")).get(2), 1e-5);
        assertTrue((Double) ((Map<String, Object>) parts.get("gradient-check")).get("max_scaled_difference") < 1e-2);
        Map<String, Object> filters = (Map<String, Object>) parts.get("filters");
        assertTrue((Double) filters.get("test_accuracy_after") > 0.6, filters.toString());
        assertTrue((Double) filters.get("relative_change") > 0.05, filters.toString());
        Map<String, Object> explain = (Map<String, Object>) parts.get("explain");
        assertTrue((Double) explain.get("worst_relative_delta") <= 0.05, explain.toString());
    }

    @Test
    void theJapanesePageSpeaksJapanese() throws IOException {
        Images images = Images.synthetic(200, 50, 1);
        Tour.Result ja = Tour.run(new Setting(1, true, images, Map.of()), List.of(new NeuronExperiment(), new LossesExperiment()),
                dir.resolve("ja"), Text.Lang.JA, line -> { });
        String html = Files.readString(ja.index());
        assertTrue(html.contains("<html lang=\"ja\">"));
        assertTrue(html.contains("1つのニューロン") && html.contains("損失関数") && html.contains("内蔵の合成画像"), "Japanese text and the data source");
        assertTrue(!html.contains("A neuron weighs each input"), "no English paragraphs on the Japanese page");
    }

    @Test
    void sameSeedSameNumbers() throws IOException {
        Images images = Images.synthetic(200, 50, 3);
        Setting s = new Setting(5, true, images, Map.of());
        Part a = new AdClickExperiment().run(s);
        Part b = new AdClickExperiment().run(s);
        assertEquals(a.numbers(), b.numbers());
    }

    /** Headless Chromium (Debian's chromium, installed by .ci/run) loads the page from disk and decodes every picture. */
    @Test
    void aBrowserRendersEveryPicture() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "chromium is not installed (apt-get install chromium)");
        String html = Files.readString(result.index());
        int images = html.split("<img ").length - 1;
        assertTrue(images >= 10, "pictures in the page: " + images);
        String probe = "<script>window.addEventListener('load',()=>{document.body.setAttribute('data-rendered',"
                + "[...document.images].filter(i=>i.complete&&i.naturalWidth>0).length+'/'+document.images.length)})</script></body>";
        Path check = result.index().resolveSibling("check.html");
        Files.writeString(check, html.replace("</body>", probe));
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--dump-dom", check.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(dom.contains("data-rendered=\"" + images + "/" + images + "\""),
                "every picture decoded: " + dom.replaceAll("(?s).*(data-rendered=\"[^\"]*\").*", "$1"));
    }
}
