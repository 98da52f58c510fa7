package org.omomi.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.omomi.train.Callback;
import org.omomi.train.Checkpointer;
import org.omomi.train.EpochRecord;
import org.omomi.train.RunLogWriter;
import org.omomi.train.StepResult;
import org.omomi.train.TrainContext;

/**
 * Keeps a copy of the run's checkpoints on a Hadoop-compatible path ({@code hdfs://},
 * {@code s3a://}, {@code gs://}, {@code abfs://}, {@code file:} — whatever the cluster's Hadoop
 * configuration reaches), so a driver that dies with its disk loses nothing: after the trainer's
 * own {@link Checkpointer} writes {@code checkpoints/last.safetensors} (every {@code every} steps
 * and after every epoch) and {@code best.safetensors}, this copies them with the run log
 * {@code history.jsonl} that matches them. Each file is written under a temporary name and
 * renamed over the old one. {@link #restore} brings them back into a run folder to resume from.
 *
 * <p>Add it to the trainer after its own callbacks (which {@code addCallback} does) with the same
 * {@code every} as the trainer's {@code checkpointEvery}.
 */
public final class HadoopCheckpoints implements Callback {

    private final String dir;
    private final Configuration conf;
    private final int every;

    /** @param dir the checkpoint folder's URI; created when missing */
    public HadoopCheckpoints(String dir, Configuration conf, int every) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be ≥ 0 steps, got " + every);
        }
        this.dir = dir;
        this.conf = conf;
        this.every = every;
    }

    @Override
    public void onStepEnd(TrainContext c, StepResult r) {
        if (every > 0 && c.step() % every == 0 && !c.lastBatchOfEpoch()) {
            upload(c.runDir(), false);
        }
    }

    @Override
    public void onEpochEnd(TrainContext c, EpochRecord record) {
        upload(c.runDir(), c.improved());
    }

    private void upload(Path runDir, boolean best) {
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = root.getFileSystem(conf);
            fs.mkdirs(root);
            // The run log first: a checkpoint never points past the lines its copy of the log has.
            put(fs, RunLogWriter.file(runDir), new org.apache.hadoop.fs.Path(root, "history.jsonl"));
            put(fs, Checkpointer.last(runDir), new org.apache.hadoop.fs.Path(root, "last.safetensors"));
            if (best) {
                put(fs, Checkpointer.best(runDir), new org.apache.hadoop.fs.Path(root, "best.safetensors"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    private static void put(FileSystem fs, Path local, org.apache.hadoop.fs.Path target) throws IOException {
        if (!Files.isRegularFile(local)) {
            return;
        }
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".tmp");
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), tmp);
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /**
     * Copies the checkpoint folder's files into {@code runDir} ({@code checkpoints/last.safetensors},
     * {@code best.safetensors}, {@code history.jsonl}); false when it holds no checkpoint.
     */
    public static boolean restore(String dir, Configuration conf, Path runDir) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        org.apache.hadoop.fs.Path last = new org.apache.hadoop.fs.Path(root, "last.safetensors");
        if (!fs.exists(last)) {
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(root, ".last.safetensors.tmp");
            if (!fs.exists(tmp)) {
                return false;
            }
            last = tmp; // the driver died between deleting the old copy and renaming the new one
        }
        Files.createDirectories(Checkpointer.last(runDir).getParent());
        get(fs, last, Checkpointer.last(runDir));
        org.apache.hadoop.fs.Path best = new org.apache.hadoop.fs.Path(root, "best.safetensors");
        if (fs.exists(best)) {
            get(fs, best, Checkpointer.best(runDir));
        }
        get(fs, new org.apache.hadoop.fs.Path(root, "history.jsonl"), RunLogWriter.file(runDir));
        return true;
    }

    private static void get(FileSystem fs, org.apache.hadoop.fs.Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        fs.copyToLocalFile(false, from, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
        Files.move(tmp, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
