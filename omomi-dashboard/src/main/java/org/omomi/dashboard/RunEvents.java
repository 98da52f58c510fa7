package org.omomi.dashboard;

import io.javalin.http.sse.SseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.omomi.io.Json;

/**
 * The server-sent events of each run: run-log lines as they appear, from two sources that the
 * page cannot tell apart. A {@link LiveFeed} in the training process pushes step and epoch records
 * as training makes them; without one (a training in another process, a run restarted) a watcher
 * looks at history.jsonl once a second and sends the lines it has not sent. Either way the file is
 * the truth: a page that (re)connects reads it first, and an entry already sent (by epoch, or by
 * step) is not sent twice.
 *
 * <p>Nothing here runs on the training thread but a queue offer: events are written to the
 * browsers by one sender thread, and when the browsers fall behind, events are dropped (the page
 * reads the file again on a "reset"), never waited for.
 *
 * <p>Events: {@code entry} (one run-log line as JSON; live step points carry {@code "live": true}
 * and {@code "batches"}, the number of steps their loss is the mean of), {@code status} (the run
 * started, ended, or its files changed: {@code {"status": …}}), {@code reset} (the log got shorter:
 * read it again).
 */
final class RunEvents implements AutoCloseable {

    /** Live step points kept for pages that connect late; beyond it every other one is dropped. */
    static final int LIVE_POINTS = 4096;
    static final long WATCH_MILLIS = 1000;
    static final long HEARTBEAT_SECONDS = 15;

    private final class Channel {
        final RunFiles run;
        final List<SseClient> clients = new CopyOnWriteArrayList<>();
        final List<Map<String, Object>> live = new ArrayList<>(); // guarded by this
        volatile boolean training;
        long lastEpoch;       // guarded by this
        long lastStep = -1;   // guarded by this
        int fileLines = -1;   // lines of the file already looked at; -1: not yet read
        String fileStamp = "";
        String statusStamp = "";

        Channel(RunFiles run) {
            this.run = run;
        }
    }

    private final RunInfo info;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
            r -> daemon(r, "omomi-dashboard-events"), new ThreadPoolExecutor.DiscardPolicy());
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "omomi-dashboard-watch"));

    RunEvents(RunInfo info) {
        this.info = info;
        watcher.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        watcher.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private Channel channel(RunFiles run) {
        return channels.computeIfAbsent(run.name(), k -> new Channel(run));
    }

    /** A browser's event stream for a run; kept open until it closes. */
    void subscribe(RunFiles run, SseClient client) {
        Channel c = channel(run);
        client.keepAlive();
        client.onClose(() -> c.clients.remove(client));
        synchronized (c) {
            if (c.clients.isEmpty()) {
                prime(c); // the page reads the file next: what it holds now is not sent again
            }
            c.clients.add(client);
        }
        client.sendComment("omomi " + run.name());
    }

    /** Marks the file's entries as sent and remembers where the file stands. Called holding c. */
    private void prime(Channel c) {
        c.fileStamp = stamp(c.run.dir().resolve("history.jsonl"));
        List<Map<String, Object>> log = info.log(c.run);
        for (Map<String, Object> e : log) {
            fresh(c, e);
        }
        c.fileLines = log.size();
    }

    /** Whether a live feed trains this run now. */
    boolean training(String run) {
        Channel c = channels.get(run);
        return c != null && c.training;
    }

    /**
     * A training starts (or ends) in this process. At the start the run log is read afresh — a new
     * run has none, a resumed one the lines of its checkpoint — and pages are told to read it again.
     */
    void setTraining(RunFiles run, boolean on) {
        Channel c = channel(run);
        c.training = on; // before the reset: a page that reads the log again reads this status with it
        if (on) {
            synchronized (c) {
                c.lastEpoch = 0;
                c.lastStep = -1;
                c.live.clear();
                prime(c);
            }
            send(c, "reset", "{}");
        }
        send(c, "status", Json.writeStandard(Map.of("status", on ? "training" : RunInfo.status(run, false, run.json("metrics.json")))));
    }

    /** Live step points the file does not have yet (a LiveFeed's), after the file's last step. */
    List<Map<String, Object>> liveSteps(String run, long afterStep) {
        Channel c = channels.get(run);
        if (c == null) {
            return List.of();
        }
        synchronized (c) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> p : c.live) {
                if (((Number) p.get("step")).longValue() > afterStep) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    /** Sends a run-log entry (its JSON form) unless one at or past its epoch or step was sent already. */
    void publish(RunFiles run, Map<String, Object> entry, boolean live) {
        Channel c = channel(run);
        synchronized (c) {
            if (!fresh(c, entry)) {
                return;
            }
            if (live && "step".equals(entry.get("kind"))) {
                c.live.add(entry);
                if (c.live.size() >= LIVE_POINTS) { // every other point, the newest kept
                    List<Map<String, Object>> kept = new ArrayList<>();
                    for (int i = c.live.size() - 1; i >= 0; i -= 2) {
                        kept.add(c.live.get(i));
                    }
                    java.util.Collections.reverse(kept);
                    c.live.clear();
                    c.live.addAll(kept);
                }
            }
        }
        send(c, "entry", Json.writeStandard(entry));
    }

    /** Whether the entry is past what was sent; records it as sent. Called holding c. */
    private static boolean fresh(Channel c, Map<String, Object> e) {
        long step = e.get("step") instanceof Number n ? n.longValue() : -1;
        if ("epoch".equals(e.get("kind"))) {
            long epoch = e.get("epoch") instanceof Number n ? n.longValue() : 0;
            if (epoch <= c.lastEpoch) {
                return false;
            }
            c.lastEpoch = epoch;
            c.lastStep = Math.max(c.lastStep, step);
            return true;
        }
        if (step <= c.lastStep) {
            return false;
        }
        c.lastStep = step;
        return true;
    }

    private void send(Channel c, String event, String data) {
        if (c.clients.isEmpty()) {
            return;
        }
        sender.execute(() -> {
            for (SseClient client : c.clients) {
                try {
                    if (client.terminated()) {
                        c.clients.remove(client);
                    } else {
                        client.sendEvent(event, data);
                    }
                } catch (RuntimeException e) {
                    c.clients.remove(client); // the browser went away mid-write
                }
            }
        });
    }

    /** Once a second: new lines of each watched run's log, and changes of its status. */
    private void watch() {
        for (Channel c : channels.values()) {
            if (c.clients.isEmpty()) {
                continue; // primed again when someone looks
            }
            try {
                synchronized (c) {
                    String stamp = stamp(c.run.dir().resolve("history.jsonl"));
                    if (!stamp.equals(c.fileStamp)) {
                        c.fileStamp = stamp;
                        List<Map<String, Object>> log = info.log(c.run);
                        if (log.size() < c.fileLines) { // rewritten shorter: the page reads it all again
                            c.lastEpoch = 0;
                            c.lastStep = -1;
                            log.forEach(e -> fresh(c, e));
                            send(c, "reset", "{}");
                        } else {
                            for (int i = Math.max(0, c.fileLines); i < log.size(); i++) {
                                publish(c.run, log.get(i), false);
                            }
                        }
                        c.fileLines = log.size();
                    }
                }
                String status = stamp(c.run.dir().resolve("metrics.json")) + stamp(c.run.dir().resolve("model.safetensors"));
                if (!status.equals(c.statusStamp)) {
                    boolean first = c.statusStamp.isEmpty();
                    c.statusStamp = status;
                    if (!first) {
                        send(c, "status", Json.writeStandard(Map.of("status", c.training ? "training"
                                : RunInfo.status(c.run, false, c.run.json("metrics.json")))));
                    }
                }
            } catch (RuntimeException e) {
                // a file caught mid-change: look again in a second
            }
        }
    }

    private static String stamp(Path f) {
        try {
            return Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
        } catch (java.io.IOException e) {
            return "none";
        }
    }

    private void heartbeat() {
        for (Channel c : channels.values()) {
            if (!c.clients.isEmpty()) {
                sender.execute(() -> c.clients.forEach(client -> {
                    try {
                        client.sendComment("keep-alive");
                    } catch (RuntimeException e) {
                        c.clients.remove(client);
                    }
                }));
            }
        }
    }

    /** Status of every channel, for tests: run → clients. */
    Map<String, Integer> clients() {
        Map<String, Integer> m = new LinkedHashMap<>();
        channels.forEach((k, v) -> m.put(k, v.clients.size()));
        return m;
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        for (Channel c : channels.values()) {
            for (SseClient client : c.clients) {
                try {
                    client.close();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
            c.clients.clear();
        }
        sender.shutdownNow();
    }
}
