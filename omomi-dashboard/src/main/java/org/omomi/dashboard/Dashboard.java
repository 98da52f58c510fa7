package org.omomi.dashboard;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.eclipse.jetty.server.ConnectionLimit;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Preprocessing;
import org.omomi.io.Json;

/**
 * The dashboard and prediction server: one Javalin (Jetty) server that shows run folders as web
 * pages and answers predictions from their models. It reads only what training writes — the run
 * folders' files — so it shows finished runs, survives a restart, and costs a training nothing;
 * a training in the same process adds a {@link LiveFeed} ({@link #feed}) for curves that move
 * between the run log's writes. docs/dashboard.md lists the pages, the API and the limits.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.start(Dashboard.Options.defaults().withRunsDir(Path.of("runs")))) {
 *     System.out.println(d.url());   // http://127.0.0.1:8080/
 *     ...
 * }
 * }</pre>
 *
 * <p>Safety: it binds 127.0.0.1 unless told otherwise; a run is looked up by name in the
 * {@link RunCatalog}, never by joining a request's text to a path; static files are a fixed list
 * read from the jar; a run folder's pictures are served only by plain relative names inside the
 * folder ({@link RunFiles}); nothing lists a folder; request bodies above the cap are refused
 * (413), headers above Jetty's 8 KiB too (431); a connection that has not sent its first request
 * in 5 s is closed ({@link SlowClients}); at most {@value #MAX_CONNECTIONS} connections are open.
 */
public final class Dashboard implements AutoCloseable {

    /**
     * Where and what to serve.
     *
     * @param host         the address to bind (default 127.0.0.1: this machine only)
     * @param port         the port (default 8080; 0 picks a free one)
     * @param runs         run folders served one by one
     * @param runsDir      a folder whose run folders are all served (looked at again as runs appear), or null
     * @param report       the tour's report page served at /tour, or null for ./tour-report/index.html when present,
     *                     else the index.html of a tour folder (one with tour.json) in {@code runsDir}
     * @param maxBodyBytes the largest request body accepted (default 1 MiB); larger ones get 413
     */
    public record Options(String host, int port, List<Path> runs, Path runsDir, Path report, long maxBodyBytes) {

        public static final long DEFAULT_MAX_BODY = 1L << 20;
        public static final int DEFAULT_PORT = 8080;

        public Options {
            runs = List.copyOf(runs);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("the body limit must be at least 1 byte, got " + maxBodyBytes);
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("--host must name an address, e.g. 127.0.0.1");
            }
        }

        /** 127.0.0.1:8080, no runs, the tour report if present, 1 MiB bodies. */
        public static Options defaults() {
            return new Options("127.0.0.1", DEFAULT_PORT, List.of(), null, null, DEFAULT_MAX_BODY);
        }

        public Options withHost(String h) {
            return new Options(h, port, runs, runsDir, report, maxBodyBytes);
        }

        public Options withPort(int p) {
            return new Options(host, p, runs, runsDir, report, maxBodyBytes);
        }

        public Options withRuns(List<Path> r) {
            return new Options(host, port, r, runsDir, report, maxBodyBytes);
        }

        public Options withRunsDir(Path d) {
            return new Options(host, port, runs, d, report, maxBodyBytes);
        }

        public Options withReport(Path r) {
            return new Options(host, port, runs, runsDir, r, maxBodyBytes);
        }

        public Options withMaxBodyBytes(long n) {
            return new Options(host, port, runs, runsDir, report, n);
        }
    }

    /** Content security policy of the dashboard's own pages: their scripts and styles come from this server only. */
    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Options options;
    private final RunCatalog catalog;
    private final RunInfo info = new RunInfo();
    private final RunEvents events = new RunEvents(info);
    private final Models models = new Models();
    private final Examples examples = new Examples();
    private final List<RunView> views = RunView.installed();
    private final Javalin app;
    private final SlowClients slowClients = new SlowClients();
    private org.eclipse.jetty.server.Server jetty;

    /** The most connections open at once (the rest wait to be accepted). */
    static final int MAX_CONNECTIONS = 2000;

    /** A refused body up to this many times the cap is read to its end first (see {@link #drain}). */
    private static final long DRAIN_FACTOR = 2;

    private Dashboard(Options options) {
        this.options = options;
        this.catalog = new RunCatalog(options.runs(), options.runsDir());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.generateEtags = false;
            config.jetty.modifyServer(server -> {
                jetty = server;
                // Beyond this many connections Jetty stops accepting until some close (and closes
                // idle ones sooner), so a flood of connections cannot exhaust the file descriptors.
                ConnectionLimit limit = new ConnectionLimit(MAX_CONNECTIONS, server);
                limit.setIdleTimeout(2000);
                server.addBean(limit);
            });
            var r = config.routes;
            r.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
            r.get("/", ctx -> page(ctx, "index.html"));
            r.get("/runs/{run}", ctx -> {
                run(ctx);
                page(ctx, "run.html");
            });
            r.get("/compare", ctx -> page(ctx, "compare.html"));
            r.get("/tour", this::tour);
            r.get("/static/{file}", this::staticFile);
            r.get("/favicon.ico", ctx -> ctx.contentType("image/svg+xml").result(StaticFiles.get("icon.svg").bytes()));
            r.get("/api/runs", ctx -> json(ctx, runList()));
            r.get("/api/runs/{run}", ctx -> {
                RunFiles run = run(ctx);
                json(ctx, describe(run));
            });
            r.get("/api/runs/{run}/history", ctx -> json(ctx, history(run(ctx))));
            r.before("/api/runs/{run}/events", this::run); // 404 before the event stream starts
            r.sse("/api/runs/{run}/events", client -> events.subscribe(run(client.ctx()), client));
            r.post("/api/runs/{run}/predict", this::predict);
            r.get("/api/runs/{run}/examples", ctx -> {
                RunFiles run = run(ctx);
                json(ctx, Explanations.examples(run, examples, preprocessing(run), intParam(ctx, "from", 0), intParam(ctx, "count", 24)));
            });
            r.get("/api/runs/{run}/explain", ctx -> {
                RunFiles run = run(ctx);
                json(ctx, Explanations.explain(run, examples, models.get(run), ctx.queryParam("input"), emptyToNull(ctx.queryParam("target"))));
            });
            r.get("/api/runs/{run}/network", ctx -> json(ctx, Weights.network(models.get(run(ctx)))));
            r.get("/api/runs/{run}/filters.png", ctx -> {
                byte[] png = Weights.filters(models.get(run(ctx)));
                if (png.length == 0) {
                    throw HttpError.notFound("this model has no convolution and no dense layer over a square image");
                }
                ctx.contentType("image/png").result(png);
            });
            r.get("/api/runs/{run}/views/{view}", this::view);
            r.get("/api/runs/{run}/files/<file>", this::runFile);
            r.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            r.exception(Exception.class, (e, ctx) -> {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
                if (!(e instanceof IllegalArgumentException)) {
                    System.err.println("omomi dashboard: " + ctx.method() + " " + ctx.path() + ": " + e);
                }
                error(ctx, e instanceof IllegalArgumentException ? 400 : 500, m);
            });
            r.error(404, ctx -> {
                if (isEmpty(ctx)) {
                    error(ctx, 404, "not found: " + ctx.path());
                }
            });
            r.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
            r.error(413, ctx -> {
                if (isEmpty(ctx)) {
                    error(ctx, 413, "the request body is larger than " + options.maxBodyBytes() + " bytes");
                }
            });
        });
    }

    /** Starts a server; errors say which address could not be bound. */
    public static Dashboard start(Options options) {
        Dashboard d = new Dashboard(options);
        try {
            d.app.start(options.host(), options.port());
            for (org.eclipse.jetty.server.Connector c : d.jetty.getConnectors()) {
                c.addEventListener(d.slowClients);
            }
        } catch (RuntimeException e) {
            d.events.close();
            d.slowClients.close();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port()
                            + " (" + t.getMessage() + "); choose another --port or --host");
                }
            }
            throw e;
        }
        return d;
    }

    /** The port it listens on (the one chosen when asked for 0). */
    public int port() {
        return app.port();
    }

    /** The address to open in a browser: http://HOST:PORT/ (127.0.0.1 when bound to every address). */
    public String url() {
        String h = options.host();
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            h = "127.0.0.1";
        } else if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port() + "/";
    }

    /** The page of the run in this folder (added to the dashboard if it was not served). */
    public String runUrl(Path runDir) {
        String name = catalog.nameOf(runDir);
        return url() + "runs/" + (name != null ? name : catalog.add(runDir));
    }

    /**
     * A callback for a training of the run in {@code runDir} in this process: it serves the run (if
     * it was not served already) and feeds its page live loss points and epoch records.
     */
    public LiveFeed feed(Path runDir) {
        String name = catalog.nameOf(runDir);
        if (name == null) {
            name = catalog.add(runDir);
        }
        return new LiveFeed(events, catalog.find(name));
    }

    @Override
    public void close() {
        events.close();
        slowClients.close();
        app.stop();
    }

    // ------------------------------------------------------------------ handlers

    private RunFiles run(Context ctx) {
        String name = ctx.pathParam("run");
        RunFiles r = catalog.find(name);
        if (r == null) {
            throw HttpError.notFound("no run named '" + name + "'");
        }
        return r;
    }

    private Preprocessing preprocessing(RunFiles run) {
        Preprocessing pre = RunInfo.preprocessing(run);
        if (pre == null) {
            throw HttpError.notFound("run '" + run.name() + "' has no preprocessing.json: the viewer cannot read its inputs");
        }
        return pre;
    }

    private Map<String, Object> runList() {
        List<Object> runs = new ArrayList<>();
        for (Map.Entry<String, Path> e : catalog.runs().entrySet()) {
            RunFiles r = new RunFiles(e.getKey(), e.getValue());
            try {
                runs.add(info.summary(r, events.training(r.name())));
            } catch (RuntimeException ex) {
                runs.add(Map.of("name", r.name(), "status", "unreadable: " + ex.getMessage()));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("tour", report() != null);
        return m;
    }

    /** The run's description, with what the page can draw from its model and data. */
    private Map<String, Object> describe(RunFiles run) {
        Map<String, Object> d = info.describe(run, events.training(run.name()), views);
        d.put("predict", "/api/runs/" + run.name() + "/predict");
        if (Boolean.TRUE.equals(d.get("has_weights"))) {
            try {
                Models.Loaded m = models.get(run);
                d.put("pictures", Map.of("network", Weights.hasNetwork(m), "filters", Weights.filters(m).length > 0));
            } catch (HttpError e) {
                d.put("has_weights", false);
                d.put("model_error", e.getMessage());
            }
        }
        if (d.get("explain") != null) {
            try {
                if ("images".equals(d.get("explain"))) {
                    examples.images(run);
                } else {
                    examples.rows(run);
                }
            } catch (HttpError e) {
                d.put("explain", null);
                d.put("explain_missing", e.getMessage());
            }
        }
        return d;
    }

    private Map<String, Object> history(RunFiles run) {
        List<Map<String, Object>> log = info.log(run);
        long lastStep = -1;
        for (Map<String, Object> e : log) {
            if (e.get("step") instanceof Number n) {
                lastStep = Math.max(lastStep, n.longValue());
            }
        }
        List<Object> entries = new ArrayList<>(log);
        entries.addAll(events.liveSteps(run.name(), lastStep));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", entries);
        m.put("status", events.training(run.name()) ? "training" : RunInfo.status(run, false, run.json("metrics.json")));
        return m;
    }

    private void predict(Context ctx) throws IOException {
        RunFiles run = run(ctx);
        Body body = body(ctx);
        Models.Loaded model = models.get(run);
        String answer = Predictions.predict(model, body.bytes, body.length, emptyToNull(ctx.queryParam("explain")),
                emptyToNull(ctx.queryParam("target")), emptyToNull(ctx.queryParam("steps")));
        send(ctx, "application/json", answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes a small answer straight to the response. Javalin's {@code result} copies it through a
     * new 32 KiB buffer per response: at 10,000 predictions a second, 330 MB/s of garbage for
     * answers of a few hundred bytes.
     */
    private static void send(Context ctx, String contentType, byte[] bytes) {
        ctx.contentType(contentType);
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
        } catch (IOException e) {
            // The connection failed under the answer (the client went away): no one is left to
            // tell, and Jetty closes it, as Javalin's own write does.
        }
    }

    /** A request body: its first {@code length} bytes. */
    private record Body(byte[] bytes, int length) {}

    /** The request body, refused with 413 beyond the cap (by its Content-Length, or as it is read). */
    private Body body(Context ctx) throws IOException {
        long cap = options.maxBodyBytes();
        String length = ctx.header("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("Content-Length '" + length + "' is not a number");
            }
            if (declared > cap) {
                if (declared <= DRAIN_FACTOR * cap) {
                    drain(ctx, DRAIN_FACTOR * cap);
                }
                throw new HttpError(413, "the request body is " + declared + " bytes; the limit is " + cap);
            }
        }
        // With a Content-Length the buffer is exactly that long (the server reads no further), so
        // the body is neither grown nor copied; without one it grows from 8 KiB up to the cap.
        byte[] buf = new byte[(int) Math.min(cap + 1, declared >= 0 ? Math.max(declared, 1) : 8192)];
        int n = 0;
        try (InputStream in = ctx.bodyInputStream()) {
            while (declared < 0 || n < declared) {
                if (n == buf.length) {
                    if (n > cap) {
                        drain(in, (DRAIN_FACTOR - 1) * cap);
                        throw new HttpError(413, "the request body is larger than " + cap + " bytes");
                    }
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min(cap + 1, 2L * buf.length));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        if (n > cap) {
            throw new HttpError(413, "the request body is larger than " + cap + " bytes");
        }
        return new Body(buf, n);
    }

    /**
     * Reads and drops what the client is still sending, up to {@code limit} bytes, before a 413.
     * Most clients (java.net.http, Python's requests) send the whole body before they read the
     * answer; closing on them mid-body resets the connection and they see "connection reset"
     * instead of the 413 that says why. Bodies beyond twice the cap are not worth reading:
     * those connections are closed at once.
     */
    private static void drain(Context ctx, long limit) throws IOException {
        try (InputStream in = ctx.bodyInputStream()) {
            drain(in, limit);
        }
    }

    private static void drain(InputStream in, long limit) throws IOException {
        byte[] sink = new byte[8192];
        long read = 0;
        int r;
        while (read <= limit && (r = in.read(sink)) >= 0) {
            read += r;
        }
    }

    private void view(Context ctx) {
        RunFiles run = run(ctx);
        String id = ctx.pathParam("view");
        RunView view = views.stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> HttpError.notFound("no view named '" + id + "'"));
        if (!view.appliesTo(run)) {
            throw HttpError.notFound("view '" + id + "' does not apply to run '" + run.name() + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        List<Object> blocks = new ArrayList<>();
        try {
            view.blocks(run, params).forEach(b -> blocks.add(b.toJson()));
        } catch (IOException | RuntimeException e) {
            blocks.clear();
            blocks.add(new Block.Text("this view failed: " + e.getMessage()).toJson());
        }
        json(ctx, Map.of("id", view.id(), "title", view.title(), "blocks", blocks));
    }

    private void runFile(Context ctx) {
        RunFiles run = run(ctx);
        String file = ctx.pathParam("file");
        if (!file.endsWith(".png")) {
            throw HttpError.notFound("only the run folder's PNG pictures are served");
        }
        Path p = run.file(file).orElseThrow(() -> HttpError.notFound("run '" + run.name() + "' has no picture '" + file + "'"));
        try {
            ctx.contentType("image/png").result(Files.readAllBytes(p));
        } catch (IOException e) {
            throw HttpError.notFound("cannot read '" + file + "'");
        }
    }

    private void staticFile(Context ctx) {
        StaticFiles.File f = StaticFiles.get(ctx.pathParam("file"));
        if (f == null) {
            throw HttpError.notFound("no such file");
        }
        ctx.header("Cache-Control", "max-age=300");
        ctx.contentType(f.contentType()).result(f.bytes());
    }

    private void page(Context ctx, String name) {
        StaticFiles.File f = StaticFiles.get(name);
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(f.contentType()).result(f.bytes());
    }

    /**
     * The tour's report: the configured file, else ./tour-report/index.html, else a tour folder in
     * the runs folder ({@link RunCatalog#tourReport}); null when there is none.
     */
    private Path report() {
        Path p = options.report() != null ? options.report() : Path.of("tour-report", "index.html");
        if (Files.isDirectory(p)) {
            p = p.resolve("index.html");
        }
        if (Files.isRegularFile(p)) {
            return p;
        }
        return options.report() != null ? null : catalog.tourReport();
    }

    private void tour(Context ctx) throws IOException {
        Path p = report();
        if (p == null) {
            throw HttpError.notFound("no tour report: run './omomi tour' here (or with --out in the runs folder), or start the server with --report FILE");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/html; charset=utf-8").result(Files.readAllBytes(p));
    }

    private static void json(Context ctx, Object value) {
        ctx.header("Cache-Control", "no-store");
        send(ctx, "application/json", Json.writeStandard(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        if (ctx.path().startsWith("/api/") || ctx.method() != HandlerType.GET) {
            ctx.contentType("application/json").result(Json.writeStandard(Map.of("error", message, "status", (long) status)));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(status + ": " + message + "\n");
        }
    }

    private static boolean isEmpty(Context ctx) {
        String r = ctx.result();
        return r == null || r.isEmpty();
    }

    private static int intParam(Context ctx, String name, int dflt) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? dflt : Predictions.parse(name, v, 0, Integer.MAX_VALUE);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The Jetty server, for tests. */
    org.eclipse.jetty.server.Server jetty() {
        return jetty;
    }

    /** The run-events hub, for tests. */
    RunEvents events() {
        return events;
    }
}
