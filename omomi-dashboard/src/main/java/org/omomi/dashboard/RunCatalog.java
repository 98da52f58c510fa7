package org.omomi.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The run folders the dashboard serves, by name: those given one by one, then every run folder
 * directly inside the runs folder (looked at again at most once a second, so runs that appear
 * while it serves are listed). A run's name is its folder's name with anything but letters,
 * digits, '.', '_' and '-' replaced by '-' and a number added when two folders share it; a
 * request's run name is only ever looked up in this map, never joined to a path.
 */
final class RunCatalog {

    /** Files that make a folder a run folder. */
    static final List<String> MARKERS = List.of("config.json", "model.json", "history.jsonl", "metrics.json", "summary.json");

    private static final long RESCAN_NANOS = 1_000_000_000L;

    private final List<Path> given = new CopyOnWriteArrayList<>();
    private final Path runsDir;
    private volatile Map<String, Path> byName = Map.of();
    private volatile Path tour;
    private volatile long scannedAt;

    RunCatalog(List<Path> runs, Path runsDir) {
        runs.forEach(r -> given.add(r.toAbsolutePath().normalize()));
        this.runsDir = runsDir == null ? null : runsDir.toAbsolutePath().normalize();
        rescan();
    }

    /** Adds a run folder (a training that serves itself); returns its name. */
    String add(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!given.contains(d)) {
            given.add(d);
        }
        rescan();
        for (Map.Entry<String, Path> e : byName.entrySet()) {
            if (e.getValue().equals(d)) {
                return e.getKey();
            }
        }
        throw new IllegalStateException(d + " was not added");
    }

    /** Every run, by name, in order: the given ones, then the runs folder's, sorted by name. */
    Map<String, Path> runs() {
        if (System.nanoTime() - scannedAt > RESCAN_NANOS) {
            rescan();
        }
        return byName;
    }

    /**
     * The tour's report when the runs folder holds one ({@code omomi tour --out runs/tour}): the
     * index.html of the first folder, by name, that has it beside a tour.json; else null.
     */
    Path tourReport() {
        runs();
        return tour;
    }

    /** The run of that name, or null. */
    RunFiles find(String name) {
        Path p = runs().get(name);
        if (p == null && System.nanoTime() - scannedAt > RESCAN_NANOS / 10) {
            rescan(); // a run that appeared within the last second
            p = byName.get(name);
        }
        return p == null ? null : new RunFiles(name, p);
    }

    /** The name of the run in this folder, or null. */
    String nameOf(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        for (Map.Entry<String, Path> e : runs().entrySet()) {
            if (e.getValue().equals(d)) {
                return e.getKey();
            }
        }
        return null;
    }

    private synchronized void rescan() {
        List<Path> all = new ArrayList<>(given);
        Path tourIndex = null;
        if (runsDir != null && Files.isDirectory(runsDir)) {
            try (Stream<Path> s = Files.list(runsDir)) {
                for (Path p : s.sorted().toList()) {
                    Path d = p.toAbsolutePath().normalize();
                    if (isRunFolder(p) && !all.contains(d)) {
                        all.add(d);
                    } else if (tourIndex == null && isTourFolder(p)) {
                        tourIndex = d.resolve("index.html");
                    }
                }
            } catch (IOException e) {
                // the runs folder vanished or cannot be read: serve the runs given one by one
            }
        }
        tour = tourIndex;
        Map<String, Path> names = new LinkedHashMap<>();
        for (Path p : all) {
            String base = safeName(p);
            String name = base;
            for (int i = 2; names.containsKey(name); i++) {
                name = base + "-" + i;
            }
            names.put(name, p);
        }
        byName = Collections.unmodifiableMap(names);
        scannedAt = System.nanoTime();
    }

    static boolean isRunFolder(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        for (String m : MARKERS) {
            if (Files.isRegularFile(p.resolve(m))) {
                return true;
            }
        }
        return false;
    }

    /** A folder {@code omomi tour} wrote: index.html and tour.json. */
    static boolean isTourFolder(Path p) {
        return Files.isRegularFile(p.resolve("index.html")) && Files.isRegularFile(p.resolve("tour.json"));
    }

    /** The folder's name as a URL segment: letters, digits, '.', '_' and '-' only, not starting with '.'. */
    static String safeName(Path p) {
        Path f = p.getFileName();
        String s = (f == null ? "run" : f.toString()).replaceAll("[^A-Za-z0-9._-]", "-");
        if (s.isEmpty() || s.startsWith(".")) {
            s = "run" + s;
        }
        return s;
    }
}
