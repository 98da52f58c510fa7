package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** omomi serve and omomi train --dashboard: they serve until interrupted, print their URL, and refuse bad input in one line. */
class ServeCliTest {

    @TempDir
    static Path dir;
    static Path csv;

    @BeforeAll
    static void data() throws Exception {
        csv = dir.resolve("clicks.csv");
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder("age,interest,clicked\n");
        for (int i = 0; i < 400; i++) {
            int age = 18 + r.nextInt(50);
            double interest = r.nextInt(1000) / 1000.0;
            sb.append(age).append(',').append(interest).append(',').append(r.nextDouble() < interest ? 1 : 0).append('\n');
        }
        Files.writeString(csv, sb.toString());
    }

    /** A command run in the background, its output readable while it runs. */
    record Running(CompletableFuture<Integer> code, StringWriter out, StringWriter err, Thread[] thread) {
        static Running start(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Thread[] t = new Thread[1];
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
                t[0] = Thread.currentThread();
                return Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            });
            return new Running(code, out, err, t);
        }

        /** The first match of the pattern in the output, waiting for it. */
        String await(Pattern p) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < end) {
                Matcher m = p.matcher(out.toString());
                if (m.find()) {
                    return m.group(1);
                }
                if (code.isDone()) {
                    break;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("never printed " + p + "; out: " + out + " err: " + err);
        }

        int stop() throws Exception {
            thread[0].interrupt();
            return code.get(30, TimeUnit.SECONDS);
        }
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    @Test
    void trainWithDashboardServesTheRunThenServeServesItAgain() throws Exception {
        Path run = dir.resolve("runs").resolve("clicks");
        Running train = Running.start("train", "--model", "mlp", "--hidden", "4", "--data", csv.toString(), "--target", "clicked",
                "--epochs", "3", "--out", run.toString(), "--dashboard=0");
        String page = train.await(Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/runs/clicks)\\s"));
        assertTrue(get(page).contains("run.js"), "the run's page");
        train.await(Pattern.compile("(training done); the dashboard stays at"));
        String api = page.replace("/runs/clicks", "/api/runs/clicks/history");
        assertTrue(get(api).contains("\"epoch\":3"), "the run log, all of it");
        assertEquals(0, train.stop(), train.err().toString());
        assertTrue(Files.isRegularFile(run.resolve("metrics.json")) && Files.isRegularFile(run.resolve("model.safetensors")));

        Running serve = Running.start("serve", "--runs-dir", run.getParent().toString(), "--port", "0");
        String url = serve.await(Pattern.compile("omomi dashboard at (http://127\\.0\\.0\\.1:\\d+/) "));
        assertTrue(get(url + "api/runs").contains("\"name\":\"clicks\""));
        HttpResponse<String> p = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/runs/clicks/predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"rows\": [{\"age\": 30, \"interest\": 0.9}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, p.statusCode(), p.body());
        assertEquals(0, serve.stop());
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(1, Omomi.run(new String[] {"serve", dir.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertTrue(err.toString().strip().endsWith("not a run folder (no config.json, model.json, history.jsonl or summary.json)"), err.toString());
        err = new StringWriter();
        assertEquals(1, Omomi.run(new String[] {"serve", "--runs-dir", dir.resolve("nope").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertEquals("omomi: " + dir.resolve("nope") + ": no such folder (--runs-dir)", err.toString().strip());
        err = new StringWriter();
        assertEquals(1, Omomi.run(new String[] {"serve", "--runs-dir", dir.toString(), "--port", "70000"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertEquals("omomi: --port must be from 0 to 65535, got 70000", err.toString().strip());
    }
}
