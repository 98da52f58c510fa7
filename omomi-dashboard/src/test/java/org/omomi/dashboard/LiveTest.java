package org.omomi.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.train.Callback;
import org.omomi.train.StepResult;
import org.omomi.train.TrainContext;

/**
 * The live side: events from a training in this process (a LiveFeed) and from a run log written
 * by another (the watcher), each entry once; and a model that changes on disk is reloaded whole.
 */
class LiveTest {

    /** An event stream read in the background: (event, data) pairs. */
    static final class Events implements AutoCloseable {
        final BlockingQueue<String[]> queue = new LinkedBlockingQueue<>();
        final java.util.concurrent.CompletableFuture<HttpResponse<Stream<String>>> response;

        Events(Dashboard d, String run) throws InterruptedException {
            HttpRequest r = HttpRequest.newBuilder(URI.create(d.url() + "api/runs/" + run + "/events")).header("Accept", "text/event-stream").build();
            response = HttpClient.newHttpClient().sendAsync(r, HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(resp -> {
                String[] event = {null};
                resp.body().forEach(line -> {
                    if (line.startsWith("event:")) {
                        event[0] = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        queue.add(new String[] {event[0], line.substring(5).strip()});
                    }
                });
            });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (d.events().clients().getOrDefault(run, 0) == 0 && System.nanoTime() < end) {
                Thread.sleep(20); // subscribed: from here on, every change is sent
            }
        }

        /** The events that arrive within the time, until one satisfies {@code last}. */
        List<String[]> until(long seconds, java.util.function.Predicate<String[]> last) throws InterruptedException {
            List<String[]> out = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                String[] e = queue.poll(100, TimeUnit.MILLISECONDS);
                if (e != null) {
                    out.add(e);
                    if (last.test(e)) {
                        return out;
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {
            response.cancel(true);
        }
    }

    /** Slows training so that a page (or this test) sees it happen. */
    static Callback slow(long millisPerStep) {
        return new Callback() {
            @Override
            public void onStepEnd(TrainContext c, StepResult s) {
                try {
                    Thread.sleep(millisPerStep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTrainingInThisProcessSendsLivePointsAndEachEpochOnce() throws Exception {
        Path dir = TestRuns.ROOT.resolve("live").resolve("clicks-live");
        try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withPort(0))) {
            LiveFeed feed = d.feed(dir);
            assertTrue(d.runUrl(dir).endsWith("/runs/clicks-live"), d.runUrl(dir));
            try (Events events = new Events(d, "clicks-live")) {
                TestRuns.train(dir, TestRuns.csvConfig(3, List.of(8)), List.of(feed, slow(5)));
                List<String[]> got = events.until(20, e -> "status".equals(e[0]) && e[1].contains("finished"));
                List<Map<String, Object>> entries = new ArrayList<>();
                got.stream().filter(e -> "entry".equals(e[0])).forEach(e -> entries.add((Map<String, Object>) Json.parse(e[1])));
                long live = entries.stream().filter(e -> Boolean.TRUE.equals(e.get("live")) && "step".equals(e.get("kind"))).count();
                List<Object> epochs = entries.stream().filter(e -> "epoch".equals(e.get("kind"))).map(e -> e.get("epoch")).toList();
                assertEquals(List.of(1.0, 2.0, 3.0), epochs, "each epoch once, though the feed and the file both had it");
                assertTrue(live >= 3, "live loss points between the run log's writes: " + live);
                double lastStep = -1;
                for (Map<String, Object> e : entries) {
                    double s = (Double) e.get("step");
                    assertTrue(s > lastStep || "epoch".equals(e.get("kind")), "steps only go forward: " + e);
                    lastStep = Math.max(lastStep, s);
                }
                assertTrue(got.stream().anyMatch(e -> "status".equals(e[0]) && e[1].contains("training")), "said it trains");
            }
            Map<String, Object> h = new Http(d).get("api/runs/clicks-live/history").json();
            assertEquals("finished", h.get("status"));
        }
    }

    @Test
    void livePointsKeptForLatePagesAreBoundedAndKeepTheNewest() {
        RunEvents events = new RunEvents(new RunInfo());
        try {
            RunFiles run = new RunFiles("bounded", TestRuns.ROOT.resolve("live").resolve("bounded"));
            for (long step = 1; step <= 10_000; step++) {
                events.publish(run, new java.util.LinkedHashMap<>(Map.of("kind", "step", "step", step, "loss", 1.0 / step, "live", true)), true);
            }
            events.publish(run, new java.util.LinkedHashMap<>(Map.of("kind", "step", "step", 5L, "loss", 1.0, "live", true)), true);
            List<Map<String, Object>> kept = events.liveSteps("bounded", -1);
            assertTrue(kept.size() < RunEvents.LIVE_POINTS && kept.size() > RunEvents.LIVE_POINTS / 4, "kept " + kept.size());
            assertEquals(10_000L, kept.get(kept.size() - 1).get("step"), "the newest point stays; an old step sent again is not kept");
            for (int i = 1; i < kept.size(); i++) {
                assertTrue((Long) kept.get(i).get("step") > (Long) kept.get(i - 1).get("step"), "in order");
            }
            assertEquals(List.of(), events.liveSteps("bounded", 10_000), "none after the file's last step");
        } finally {
            events.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunLogWrittenByAnotherProgramIsFollowed() throws Exception {
        Path dir = TestRuns.ROOT.resolve("live").resolve("followed");
        Files.createDirectories(dir);
        List<String> lines = Files.readAllLines(TestRuns.csvRun().resolve("history.jsonl"));
        Files.copy(TestRuns.csvRun().resolve("config.json"), dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(dir.resolve("history.jsonl"), lines.subList(0, 2));
        try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRuns(List.of(dir)));
             Events events = new Events(d, "followed")) {
            Files.write(dir.resolve("history.jsonl"), lines.subList(0, 4));
            List<String[]> got = events.until(10, e -> "entry".equals(e[0]) && e[1].contains("\"epoch\":4"));
            List<Object> epochs = got.stream().filter(e -> "entry".equals(e[0])).map(e -> ((Map<String, Object>) Json.parse(e[1])).get("epoch")).toList();
            assertEquals(List.of(3.0, 4.0), epochs, "only the lines the page did not read");
            Files.write(dir.resolve("history.jsonl"), lines.subList(0, 1));
            assertNotNull(events.until(10, e -> "reset".equals(e[0])).stream().filter(e -> "reset".equals(e[0])).findFirst().orElse(null),
                    "a shorter log: the page is told to read it again");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aModelThatChangesOnDiskIsReloadedWholeNeverHalf() throws Exception {
        Path dir = TestRuns.ROOT.resolve("live").resolve("reloaded");
        Path other = TestRuns.train(TestRuns.ROOT.resolve("live").resolve("other"), TestRuns.csvConfig(2, List.of(3)), List.of());
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "model.json", "preprocessing.json", "model.safetensors")) {
            Files.copy(TestRuns.csvRun().resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        String body = "{\"rows\": [" + PredictionApiTest.ROW + "]}";
        String first = predicted(SavedModel.open(TestRuns.csvRun()), body);
        String second = predicted(SavedModel.open(other), body);
        assertTrue(!first.equals(second), "two different models");
        try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRuns(List.of(dir)))) {
            Http http = new Http(d);
            assertEquals(first, probability(http.post("api/runs/reloaded/predict", body)));
            // Half-written: the new description (a 6-3-1 network) beside the old weights (6-8-4-1).
            Files.copy(other.resolve("model.json"), dir.resolve("model.json"), StandardCopyOption.REPLACE_EXISTING);
            touch(dir.resolve("model.safetensors"));
            Thread.sleep(Models.CHECK_MILLIS + 100);
            Http.Answer half = http.post("api/runs/reloaded/predict", body);
            assertEquals(200, half.status(), "the old model keeps serving: " + half.body());
            assertEquals(first, probability(half));
            // The new weights land (renamed into place, as AtomicFile writes them): the new model serves.
            Path tmp = dir.resolve("model.safetensors.tmp");
            Files.copy(other.resolve("model.safetensors"), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(Models.CHECK_MILLIS + 100);
            assertEquals(second, probability(http.post("api/runs/reloaded/predict", body)));
        }
    }

    private static void touch(Path f) throws Exception {
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
    }

    @SuppressWarnings("unchecked")
    private static String probability(Http.Answer a) {
        assertEquals(200, a.status(), a.body());
        return String.valueOf(((Map<String, Object>) ((List<Object>) a.json().get("predictions")).get(0)).get("probability"));
    }

    @SuppressWarnings("unchecked")
    private static String predicted(SavedModel m, String body) {
        Map<String, Object> row = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) Json.parse(body)).get("rows")).get(0);
        return String.valueOf((double) m.predictor().predictRecords(List.of(row), "t").probabilities().toArray()[0]);
    }
}
