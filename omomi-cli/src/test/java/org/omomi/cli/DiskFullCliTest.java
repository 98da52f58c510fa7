package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.train.Checkpoint;
import org.omomi.train.RunLog;
import org.omomi.train.Trainer;

/**
 * The training commands on a disk that fills up and on folders that cannot be written:
 * <ul>
 * <li>an injected full disk ({@code -Domomi.test.diskFullAfterBytes=N}: the atomic writes fail
 *     once N bytes are written, the failing one cut off midway) at several points of
 *     {@code omomi train}, {@code ctr train} and {@code recommend train};</li>
 * <li>a real full disk: a small tmpfs mounted in a user namespace of its own, where the machine
 *     allows it ({@code unshare -rm}), copied out after the failure;</li>
 * <li>a real read-only folder: a read-only bind mount in such a namespace (or, for a user other
 *     than root, a folder without write permission), as the parent of a new run and as a run folder
 *     resumed.</li>
 * </ul>
 * Each gets one line naming the file or folder, exit code 1, the previous checkpoint whole and
 * loadable, no temporary file left; with space again, {@code --resume} ends bit for bit as a run
 * that never failed. A read-only run folder is left byte for byte as it was.
 */
class DiskFullCliTest {

    @TempDir
    static Path dir;

    private static final List<String> SUMMARY = new ArrayList<>();

    @BeforeAll
    static void data() throws IOException {
        TrainingRuns.writeData(dir);
    }

    @AfterAll
    static void report() {
        System.out.println("disk-full and read-only: " + String.join("; ", SUMMARY));
    }

    /** The one error line of a failed command; asserts there is exactly one. */
    private static String errorLine(Path log) throws IOException {
        List<String> errors = ChildJvm.output(log).lines().filter(l -> l.startsWith("omomi: ")).toList();
        assertEquals(1, errors.size(), ChildJvm.output(log));
        return errors.get(0);
    }

    /** What a failed run left: whole checkpoints, whole run-log lines, no temporary files. */
    private static void assertWhole(Path run) throws IOException {
        for (String name : List.of("last.safetensors", "best.safetensors")) {
            Path c = run.resolve("checkpoints").resolve(name);
            if (Files.exists(c)) {
                Checkpoint.load(c);
            }
        }
        if (Files.exists(run.resolve("history.jsonl"))) {
            Files.readAllLines(run.resolve("history.jsonl")).forEach(RunLog::parse);
        }
        try (var files = Files.walk(run)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
    }

    /** Resumes {@code run} with space again (or starts it again when the failure left no folder); it must end as the reference. */
    private static void resumeToTheEnd(String kind, Path run, String what) throws IOException, InterruptedException {
        Path log = dir.resolve(run.getFileName() + "-resumed.log");
        List<String> args = Files.isDirectory(run) ? TrainingRuns.resume(kind, run) : TrainingRuns.fresh(dir, kind, run);
        assertEquals(0, ChildJvm.run(List.of(), args, log, 300), ChildJvm.output(log));
        TrainingRuns.assertSameAsReference(TrainingRuns.reference(dir, kind), run, what);
    }

    @ParameterizedTest(name = "{0}, disk full after {1} bytes")
    @CsvSource({"train, 3000", "train, 15000", "ctr, 60000", "recommend, 150000"})
    void anInjectedFullDiskFailsCleanlyAndTheRunResumes(String kind, long bytes) throws Exception {
        Path run = dir.resolve(kind + "-full-" + bytes);
        Path log = dir.resolve(run.getFileName() + ".log");
        int code = ChildJvm.run(List.of("-Domomi.test.diskFullAfterBytes=" + bytes), TrainingRuns.fresh(dir, kind, run), log, 300);
        assertEquals(1, code, ChildJvm.output(log));
        String line = errorLine(log);
        assertTrue(line.matches("omomi: " + java.util.regex.Pattern.quote(run.toString()) + "/\\S+: cannot be written: No space left on device.*"),
                line);
        String where = "no folder left";
        if (Files.isDirectory(run)) {
            assertWhole(run);
            where = Files.exists(Trainer.lastCheckpoint(run)) ? "checkpoint of step " + Checkpoint.load(Trainer.lastCheckpoint(run)).step()
                    + " kept" : "no checkpoint yet";
        }
        synchronized (SUMMARY) {
            SUMMARY.add(kind + " after " + bytes + " B: " + line.replaceAll(".*/(\\S+): cannot.*", "$1") + " failed, " + where);
        }
        resumeToTheEnd(kind, run, "after the disk was full");
    }

    // ------------------------------------------------------------------ real file systems

    private static Boolean namespaces;

    /** Whether this machine lets a test mount in a user namespace of its own (Linux with unprivileged user namespaces). */
    private static synchronized boolean namespaces() throws InterruptedException {
        if (namespaces == null) {
            try {
                Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=4k none " + dir).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                namespaces = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                namespaces = false;
            }
        }
        return namespaces;
    }

    private static boolean root() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Runs {@code omomi ARGS} in a user and mount namespace after the shell commands {@code setup}, then {@code after}; its exit code. */
    private static int inNamespace(String setup, List<String> args, Path log, String after) throws IOException, InterruptedException {
        StringBuilder java = new StringBuilder();
        for (String part : ChildJvm.command(List.of(), args)) {
            java.append(quote(part)).append(' ');
        }
        String script = setup + " && { " + java + "> " + quote(log.toString()) + " 2>&1; rc=$?; " + after + "; exit $rc; }";
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("namespace.log").toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("omomi " + args + " in a namespace did not finish");
        }
        return p.exitValue();
    }

    @ParameterizedTest(name = "omomi train on a {0} tmpfs")
    @ValueSource(strings = {"40k"})
    void aRealFullDiskFailsCleanlyAndTheRunResumes(String size) throws Exception {
        Assumptions.assumeTrue(namespaces(), "no user namespaces here (unshare -rm): the injected full disk stands in");
        Path mount = Files.createDirectories(dir.resolve("tmpfs-" + size));
        Path run = mount.resolve("run");
        Path copy = dir.resolve("full-disk-" + size);
        Path log = dir.resolve(copy.getFileName() + ".log");
        int code = inNamespace("mount -t tmpfs -o size=" + size + " none " + quote(mount.toString()), TrainingRuns.fresh(dir, "train", run),
                log, "cp -a " + quote(run.toString()) + " " + quote(copy.toString()));
        assertEquals(1, code, ChildJvm.output(log));
        String line = errorLine(log);
        assertTrue(line.matches("omomi: " + java.util.regex.Pattern.quote(run.toString()) + "/\\S+: cannot be written: No space left on device.*"),
                line);
        assertTrue(Files.exists(Trainer.lastCheckpoint(copy)), "a checkpoint was written before the disk was full");
        assertWhole(copy);
        synchronized (SUMMARY) {
            SUMMARY.add("train on a " + size + " tmpfs: " + line.replaceAll(".*/(\\S+): cannot.*", "$1") + " failed, checkpoint of step "
                    + Checkpoint.load(Trainer.lastCheckpoint(copy)).step() + " kept");
        }
        resumeToTheEnd("train", copy, "after a full tmpfs");
    }

    /** Runs {@code omomi ARGS} with {@code folder} read-only: a read-only bind mount for root, no write permission for others. */
    private static int withReadOnly(Path folder, List<String> args, Path log) throws Exception {
        if (!root()) {
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                return ChildJvm.run(List.of(), args, log, 300);
            } finally {
                Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Assumptions.assumeTrue(namespaces(), "root ignores permissions, and no user namespaces here for a read-only mount");
        String f = quote(folder.toString());
        return inNamespace("mount --bind " + f + " " + f + " && mount -o remount,bind,ro " + f, args, log, "true");
    }

    @ParameterizedTest(name = "{0}: a new run in a read-only folder")
    @ValueSource(strings = {"train", "ctr", "recommend"})
    void aNewRunInAReadOnlyFolderIsRefusedInOneLine(String kind) throws Exception {
        Path parent = Files.createDirectories(dir.resolve("read-only-" + kind));
        Path log = dir.resolve(parent.getFileName() + ".log");
        assertEquals(1, withReadOnly(parent, TrainingRuns.fresh(dir, kind, parent.resolve("run")), log), ChildJvm.output(log));
        String line = errorLine(log);
        assertTrue(line.contains(parent.resolve("run").toString()) && line.matches(".*(Read-only file system|permission denied|not writable).*"), line);
        try (var s = Files.list(parent)) {
            assertEquals(0, s.count(), "nothing was written");
        }
        synchronized (SUMMARY) {
            SUMMARY.add(kind + " --out in a read-only folder: '" + line + "'");
        }
    }

    @Test
    void resumingARunInAReadOnlyFolderChangesNothing() throws Exception {
        Path run = dir.resolve("read-only-run");
        Path log = dir.resolve("read-only-run.log");
        assertEquals(1, ChildJvm.run(List.of("-Domomi.test.diskFullAfterBytes=15000"), TrainingRuns.fresh(dir, "train", run), log, 300));
        assertTrue(Files.exists(Trainer.lastCheckpoint(run)), ChildJvm.output(log));
        Map<Path, byte[]> before = contents(run);
        Path again = dir.resolve("read-only-resume.log");
        assertEquals(1, withReadOnly(run, TrainingRuns.resume("train", run), again), ChildJvm.output(again));
        String line = errorLine(again);
        assertTrue(line.startsWith("omomi: " + run) && line.matches(".*(Read-only file system|not writable).*"), line);
        Map<Path, byte[]> after = contents(run);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((p, b) -> assertArrayEquals(b, after.get(p), p + " changed"));
        synchronized (SUMMARY) {
            SUMMARY.add("train --resume of a read-only run folder: '" + line + "'");
        }
        resumeToTheEnd("train", run, "once the folder is writable again");
    }

    private static Map<Path, byte[]> contents(Path run) throws IOException {
        Map<Path, byte[]> m = new LinkedHashMap<>();
        try (var files = Files.walk(run)) {
            for (Path p : files.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    m.put(run.relativize(p), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }
}
