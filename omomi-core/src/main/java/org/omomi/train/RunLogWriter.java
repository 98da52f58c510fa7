package org.omomi.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.omomi.io.AtomicFile;

/**
 * Keeps {@code RUN_DIR/history.jsonl} equal to the run log in memory: rewritten atomically after
 * every epoch and before every checkpoint, so the file always matches the last checkpoint and is
 * never torn. A resumed run keeps the lines its checkpoint knew, verbatim, and continues them.
 */
public final class RunLogWriter implements Callback {

    private final Path file;
    private final List<String> lines = new ArrayList<>();

    public RunLogWriter(Path runDir) {
        this.file = runDir.resolve("history.jsonl");
    }

    /** The run-log file of a run folder. */
    public static Path file(Path runDir) {
        return runDir.resolve("history.jsonl");
    }

    /** The first {@code count} lines of the file as a checkpoint knew them; errors when it has fewer. */
    static List<String> readLines(Path runDir, int count) throws IOException {
        if (count == 0) {
            return List.of();
        }
        Path f = file(runDir);
        List<String> text = Files.readAllLines(f);
        if (text.size() < count) {
            throw new IllegalArgumentException(f + ": has " + text.size() + " lines, the checkpoint expects " + count);
        }
        return text.subList(0, count);
    }

    @Override
    public void onTrainStart(TrainContext c) {
        lines.clear();
        if (c.resumedFrom() != null) {
            try {
                lines.addAll(readLines(c.runDir(), c.resumedFrom().historyLines()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onEpochEnd(TrainContext c, EpochRecord record) {
        flush(c);
    }

    /** Writes every entry of the in-memory log not yet in the file; returns the number of lines. */
    int flush(TrainContext c) {
        List<RunLog.Entry> h = c.history();
        for (int i = lines.size(); i < h.size(); i++) {
            lines.add(RunLog.line(h.get(i)));
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        try {
            AtomicFile.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines.size();
    }
}
