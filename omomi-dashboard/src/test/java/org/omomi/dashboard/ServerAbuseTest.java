package org.omomi.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.omomi.io.AtomicFile;
import org.omomi.io.Safetensors;
import org.omomi.tensor.Tensor;

/**
 * The server under abuse, on loopback, for a few seconds, stopping by itself: while attackers
 * send malformed JSON, oversized bodies (declared and chunked), oversized headers, traversal
 * attempts, trickle headers a byte at a time (slowloris), hold hundreds of idle connections, and a
 * writer replaces the run's model.safetensors five times a second, two good clients keep asking for
 * the run list, a run's history and predictions. Each bad request gets its status code; every
 * prediction is the answer of one of the two weight files, never a mix or an error; the good
 * clients' p99 latency stays near its value without abuse; the heap in use after the abuse is
 * close to before; the slow and idle connections are closed by the server, not kept forever.
 * The attackers run on the same cores as the server, so they pause 5 ms between requests; the
 * bound on the p99 is 4× its value before the abuse or 250 ms more, whichever is larger (a shared,
 * loaded test machine makes latencies noisy; docs/robustness.md has the figures of a quiet one).
 */
class ServerAbuseTest {

    private static final int SLOW = 100;
    private static final int IDLE = 200;
    private static final long ABUSE_MILLIS = 6000;
    private static final String ROW = PredictionApiTest.ROW;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private record Reply(int status, String body, long nanos) {}

    private Reply send(HttpRequest r) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> a = client.send(r, HttpResponse.BodyHandlers.ofString());
            return new Reply(a.statusCode(), a.body(), System.nanoTime() - t0);
        } catch (IOException e) {
            return new Reply(-1, e.toString(), System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted", System.nanoTime() - t0);
        }
    }

    private static HttpRequest get(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpRequest post(String base, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The predictions of an answer (what must equal one of the two models' answers). */
    private static Object predictions(String body) {
        return org.omomi.io.Json.parse(body) instanceof Map<?, ?> m ? m.get("predictions") : null;
    }

    /** Good clients' requests for {@code millis}: latencies in ms; any failure is recorded. */
    private List<Double> goodTraffic(String base, long millis, int threads, Object answerA, Object answerB, List<String> failures)
            throws InterruptedException {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + millis * 1_000_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                int k = id;
                while (System.nanoTime() < end) {
                    Reply r = switch (k++ % 3) {
                        case 0 -> send(get(base, "api/runs"));
                        case 1 -> send(get(base, "api/runs/clicks/history"));
                        default -> send(post(base, "api/runs/clicks/predict", "{\"rows\": [" + ROW + "]}"));
                    };
                    latencies.add(r.nanos() / 1e6);
                    if (r.status() != 200) {
                        failures.add("good request → " + r.status() + " " + r.body());
                    } else if (k % 3 == 0) {
                        Object p = predictions(r.body());
                        if (!p.equals(answerA) && !p.equals(answerB)) {
                            failures.add("a prediction from neither weight file: " + r.body());
                        }
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        return latencies;
    }

    private static double p99(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(0.99 * s.size()) - 1));
    }

    private static long heapUsed() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Writes {@code request}, reads the whole answer; its status, or -1 when the server closed without one. */
    private static int raw(int port, byte[] request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may refuse and close before it has read everything; its answer is still there to read
            }
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void underAbuseTheServerAnswersEachBadRequestAndKeepsServingTheGoodOnes() throws Exception {
        Path runs = TestRuns.ROOT.resolve("abuse").resolve("runs");
        Path run = runs.resolve("clicks");
        Files.createDirectories(run);
        try (var files = Files.list(TestRuns.csvRun())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, run.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        byte[] weightsA = Files.readAllBytes(run.resolve("model.safetensors"));
        Safetensors.Contents c = Safetensors.read(run.resolve("model.safetensors"));
        Map<String, Tensor> halved = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> halved.put(k, v.mul(0.5f)));
        Path bFile = TestRuns.ROOT.resolve("abuse").resolve("weights-b.safetensors");
        Safetensors.write(bFile, halved, c.metadata());
        byte[] weightsB = Files.readAllBytes(bFile);

        try (Dashboard server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(runs))) {
            String base = server.url();
            int port = server.port();
            Object answerA = predictions(send(post(base, "api/runs/clicks/predict", "{\"rows\": [" + ROW + "]}")).body());
            AtomicFile.write(run.resolve("model.safetensors"), out -> out.write(weightsB));
            Thread.sleep(2 * Models.CHECK_MILLIS);
            Object answerB = predictions(send(post(base, "api/runs/clicks/predict", "{\"rows\": [" + ROW + "]}")).body());
            assertTrue(answerA != null && answerB != null && !answerA.equals(answerB), answerA + " / " + answerB);

            List<String> failures = new CopyOnWriteArrayList<>();
            goodTraffic(base, 1500, 2, answerA, answerB, failures); // warm-up
            List<Double> before = goodTraffic(base, 2500, 2, answerA, answerB, failures);
            long heapBefore = heapUsed();

            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> attackers = new ArrayList<>();
            Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> wrongStatus = new ConcurrentLinkedQueue<>();
            // Each bad request and the statuses it may get.
            Map<String, java.util.function.IntPredicate> expected = new LinkedHashMap<>();
            expected.put("malformed JSON", s -> s == 400);
            expected.put("body over the limit (Content-Length)", s -> s == 413);
            expected.put("body over the limit (chunked)", s -> s == 413);
            expected.put("header over the limit", s -> s == 431);
            expected.put("traversal", s -> s == 400 || s == 404);
            expected.put("unknown run", s -> s == 404);
            expected.put("wrong method", s -> s == 405);
            String big = "{\"rows\": [" + ("[1, 2, 3, 4], ".repeat(200_000)) + "[1, 2, 3, 4]]}";
            String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "x".repeat(64 * 1024) + "\r\n";
            String[] malformed = {"{\"rows\": [", "{\"rows\": [{\"age\": }]}", "not json", "[[[[[[[[[[", "{\"rows\": [" + ROW + "]} trailing",
                "{\"rows\": \"\\ud800\"}", "{\"rows\": [1e999999]}", "{\"rows\": [{\"age\": NaN}]}"};
            String[] traversal = {"/api/runs/..%2f..%2fsecret.txt", "/static/..%2f..%2fpom.xml", "/api/runs/clicks/files/..%2f..%2fsecret.png",
                "/api/runs/%2e%2e/history", "/static/%2fetc%2fpasswd"};
            for (int t = 0; t < 2; t++) {
                long seed = t;
                Thread th = new Thread(() -> {
                    SplittableRandom rng = new SplittableRandom(seed);
                    while (!stop.get()) {
                        String kind = new ArrayList<>(expected.keySet()).get(rng.nextInt(expected.size()));
                        int status = switch (kind) {
                            case "malformed JSON" -> send(post(base, "api/runs/clicks/predict", malformed[rng.nextInt(malformed.length)])).status();
                            case "body over the limit (Content-Length)" -> raw(port, ascii("POST /api/runs/clicks/predict HTTP/1.1\r\nHost: a\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + big.length() + "\r\nConnection: close\r\n\r\n"
                                    + big.substring(0, 64 * 1024)));
                            case "body over the limit (chunked)" -> raw(port, ascii("POST /api/runs/clicks/predict HTTP/1.1\r\nHost: a\r\n"
                                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk.repeat(20)
                                    + "0\r\n\r\n"));
                            case "header over the limit" -> raw(port, ascii("GET /api/runs HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(64 * 1024)
                                    + "\r\nConnection: close\r\n\r\n"));
                            case "traversal" -> raw(port, ascii("GET " + traversal[rng.nextInt(traversal.length)]
                                    + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
                            case "unknown run" -> send(get(base, "api/runs/no-such-run/history")).status();
                            default -> send(HttpRequest.newBuilder(URI.create(base + "api/runs")).DELETE().build()).status();
                        };
                        counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                        if (!expected.get(kind).test(status)) {
                            wrongStatus.add(kind + " → " + status);
                        }
                        try {
                            Thread.sleep(5); // the attackers share this machine's cores: leave the server its share
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                attackers.add(th);
            }
            // A writer replaces the weights, as a training finishing again and again would.
            attackers.add(new Thread(() -> {
                int k = 0;
                while (!stop.get()) {
                    try {
                        byte[] w = k++ % 2 == 0 ? weightsA : weightsB;
                        AtomicFile.write(run.resolve("model.safetensors"), out -> out.write(w));
                        counts.computeIfAbsent("model.safetensors rewritten", x -> new AtomicInteger()).incrementAndGet();
                        Thread.sleep(200);
                    } catch (IOException | InterruptedException e) {
                        failures.add("rewriting the weights: " + e);
                        return;
                    }
                }
            }));
            // Slowloris: the headers of a request, a byte every 100 ms, never finished; and idle connections.
            List<Socket> slow = new ArrayList<>();
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write(ascii("GET /api/runs HTTP/1.1\r\nHost: a\r\nX-Slow: "));
                slow.add(s);
            }
            for (int i = 0; i < IDLE; i++) {
                idle.add(new Socket("127.0.0.1", port));
            }
            AtomicInteger slowClosed = new AtomicInteger();
            attackers.add(new Thread(() -> {
                while (!stop.get()) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write('a');
                        } catch (IOException e) {
                            // closed by the server
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
            attackers.forEach(Thread::start);
            List<Double> during = goodTraffic(base, ABUSE_MILLIS, 2, answerA, answerB, failures);
            stop.set(true);
            for (Thread th : attackers) {
                th.join();
            }
            // The server closes connections that never finish their headers or stay silent.
            int closed = 0;
            long deadline = System.nanoTime() + 15_000_000_000L;
            for (Socket s : slow) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                closed += closedByServer(s) ? 1 : 0;
                s.close();
            }
            int idleClosed = 0;
            for (Socket s : idle) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                idleClosed += closedByServer(s) ? 1 : 0;
                s.close();
            }
            long heapAfter = heapUsed();

            double p99Before = p99(before);
            double p99During = p99(during);
            String figures = String.format(java.util.Locale.ROOT, "good requests: p99 %.1f ms before (%d), %.1f ms during the abuse (%d);"
                    + " bad requests %s; slow connections closed by the server %d of %d, idle %d of %d; heap in use %d → %d MiB",
                    p99Before, before.size(), p99During, during.size(), counts, closed, SLOW, idleClosed, IDLE, heapBefore >> 20, heapAfter >> 20);
            System.out.println("server abuse: " + figures);
            assertEquals(List.of(), failures, figures);
            assertEquals(List.of(), new ArrayList<>(wrongStatus), figures);
            for (String kind : expected.keySet()) {
                assertTrue(counts.containsKey(kind), "tried " + kind + ": " + figures);
            }
            assertTrue(p99During <= Math.max(4 * p99Before, p99Before + 250), "the good clients' p99 during the abuse: " + figures);
            assertTrue(heapAfter - heapBefore < 64L << 20, "the heap stays bounded: " + figures);
            assertEquals(SLOW, closed, "connections that never finish their headers are closed: " + figures);
            assertEquals(IDLE, idleClosed, "connections that never send a request are closed: " + figures);
        }
    }

    /** Whether the server has closed this connection (end of stream, a reset, or an answer and then the end). */
    private static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            while (true) {
                int n = in.read(b);
                if (n < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
