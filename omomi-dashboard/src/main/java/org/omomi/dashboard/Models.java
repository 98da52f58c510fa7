package org.omomi.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.nn.Module;

/**
 * One loaded model per run, shared by every request: its {@link Predictor} is thread-safe. The
 * weights file's size, time and file identity are looked at again at most every
 * {@value #CHECK_MILLIS} ms; when they changed, the folder is read again in full — on the thread
 * of the request that noticed, while the others keep using the model they have — and the new model
 * replaces the old one only when the file did not change while it was read. A folder caught
 * half-written (a description newer than its weights) fails to load and is tried again later, the
 * old model still serving; so a request never sees a half-read model.
 */
final class Models {

    static final long CHECK_MILLIS = 250;

    /** A model as loaded from a run folder, with what it was loaded from. */
    static final class Loaded {
        final SavedModel saved;
        final Predictor predictor;
        /** Batches the image predictions of concurrent requests; null for models that do not read images. */
        final Batcher batcher;
        final String stamp;
        private Module explainModel;
        private final Map<String, Object> pictures = new ConcurrentHashMap<>();

        Loaded(SavedModel saved, String stamp) {
            this.saved = saved;
            this.predictor = saved.predictor();
            this.batcher = saved.preprocessing() instanceof org.omomi.data.ImageScaling s ? new Batcher(predictor, s.pixels()) : null;
            this.stamp = stamp;
        }

        /**
         * A second copy of the model for explanations, which set forward hooks (Grad-CAM) and so
         * must not share the predictor's; callers hold the lock {@link #explainLock()}.
         */
        synchronized Module explainModel() {
            if (explainModel == null) {
                explainModel = saved.build();
            }
            return explainModel;
        }

        Object explainLock() {
            return this;
        }

        /** A picture (or a fact about one) made from the model once and kept with it. */
        @SuppressWarnings("unchecked")
        <T> T picture(String name, java.util.function.Supplier<T> make) {
            return (T) pictures.computeIfAbsent(name, k -> make.get());
        }
    }

    private static final class Slot {
        final AtomicReference<Loaded> current = new AtomicReference<>();
        volatile long checkedAt;
        volatile String failure;
    }

    private final Map<Path, Slot> slots = new ConcurrentHashMap<>();

    /** The run's model, loaded or reloaded as needed; an HTTP error when the run has no weights (yet) or they cannot be read. */
    Loaded get(RunFiles run) {
        Slot s = slots.computeIfAbsent(run.dir(), k -> new Slot());
        Loaded l = s.current.get();
        long now = System.nanoTime();
        if (l != null && now - s.checkedAt < CHECK_MILLIS * 1_000_000L) {
            return l;
        }
        synchronized (s) {
            l = s.current.get();
            if (l != null && System.nanoTime() - s.checkedAt < CHECK_MILLIS * 1_000_000L) {
                return l; // another request checked while this one waited
            }
            Path weights = run.dir().resolve("model.safetensors");
            String before = stamp(weights);
            s.checkedAt = System.nanoTime();
            if (l != null && l.stamp.equals(before)) {
                return l;
            }
            if (before == null) {
                if (l != null) {
                    return l; // the weights are being replaced: keep serving the last ones
                }
                throw new HttpError(409, "run '" + run.name() + "' has no weights yet (model.safetensors): training has not finished");
            }
            try {
                SavedModel saved = SavedModel.open(run.dir());
                String after = stamp(weights);
                if (before.equals(after)) {
                    Loaded fresh = new Loaded(saved, before);
                    s.current.set(fresh);
                    s.failure = null;
                    return fresh;
                }
            } catch (IOException | RuntimeException e) {
                s.failure = e.getMessage();
            }
            if (l != null) {
                return l; // changed while read, or half-written: the next check tries again
            }
            throw new HttpError(503, "run '" + run.name() + "': its model cannot be loaded now"
                    + (s.failure == null ? " (it changed while being read); try again" : ": " + s.failure));
        }
    }

    /** Size, modification time and file identity of the weights, or null when there are none. */
    static String stamp(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
