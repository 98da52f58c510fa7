package org.omomi.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.omomi.io.Json;

/**
 * A run folder as a {@link RunView} sees it: read-only, and only inside the folder. Every name
 * given to it is a relative path of plain names ({@code importance.json}, {@code report/loss.png});
 * anything else (an absolute path, {@code ..}, a link that leads out of the folder) reads as absent,
 * so a view cannot be made to read outside the run, whatever a request asks for.
 */
public final class RunFiles {

    /** A file name the dashboard will open: one or two plain segments, no leading dot. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)?");

    private final String name;
    private final Path dir;

    RunFiles(String name, Path dir) {
        this.name = name;
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The run's name in the dashboard's URLs. */
    public String name() {
        return name;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The file at a relative path inside the folder, when it is a regular file there. */
    public Optional<Path> file(String relative) {
        if (relative == null || !SAFE.matcher(relative).matches() || relative.contains("..")) {
            return Optional.empty();
        }
        Path p = dir.resolve(relative).normalize();
        if (!p.startsWith(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try { // a linked folder on the way must not lead out either
            if (!p.toRealPath().startsWith(dir.toRealPath())) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** Whether the folder holds this file. */
    public boolean has(String relative) {
        return file(relative).isPresent();
    }

    /** A JSON object file parsed, or an empty map when it is absent or not a JSON object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json(String relative) {
        Optional<Path> f = file(relative);
        if (f.isEmpty()) {
            return Map.of();
        }
        try {
            return Json.parse(Files.readString(f.get())) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of(); // a file being rewritten, or not JSON: nothing to show yet
        }
    }

    /**
     * What kind of run this is, as an application writes it: the {@code kind} of summary.json, else
     * of metrics.json, else null (a plain {@code omomi train} run).
     */
    public String kind() {
        for (String f : List.of("summary.json", "metrics.json")) {
            if (json(f).get("kind") instanceof String k) {
                return k;
            }
        }
        return null;
    }

    /** Relative names of the files whose names end with {@code suffix}, in the folder and its direct subfolders, sorted. */
    public List<String> files(String suffix) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(r -> r.endsWith(suffix) && SAFE.matcher(r).matches() && !r.startsWith("checkpoints/"))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
