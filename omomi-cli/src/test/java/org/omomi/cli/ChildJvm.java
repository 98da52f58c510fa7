package org.omomi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code omomi ARGS} in a JVM of its own, as a user runs it: the test's class path, one thread
 * (so runs are bit-identical), the JVM flags a test adds (a heap cap, an injected fault), output
 * and errors to one log file.
 */
final class ChildJvm {

    private ChildJvm() {}

    /** The command line of {@code omomi ARGS} with these JVM flags. */
    static List<String> command(List<String> jvmFlags, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Domomi.threads=1", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Omomi.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code omomi ARGS}; what it prints goes to {@code log}. */
    static Process start(List<String> jvmFlags, List<String> args, Path log) throws IOException {
        return new ProcessBuilder(command(jvmFlags, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** What a finished child printed, without the JDK's notice about incubator modules. */
    static String output(Path log) throws IOException {
        return Files.readString(log).replaceAll("(?m)^WARNING: Using incubator modules.*\\R", "");
    }

    /** Runs {@code omomi ARGS} to the end (at most {@code seconds}); its exit code. */
    static int run(List<String> jvmFlags, List<String> args, Path log, int seconds) throws IOException, InterruptedException {
        Process p = start(jvmFlags, args, log);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("omomi " + args + " did not finish in " + seconds + " s: " + output(log));
        }
        return p.exitValue();
    }
}
