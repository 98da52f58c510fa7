package org.omomi.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import org.omomi.train.Callback;
import org.omomi.train.EpochRecord;
import org.omomi.train.RunLog;
import org.omomi.train.StepResult;
import org.omomi.train.TrainContext;

/**
 * The training side of the live curves: a {@link Callback} that hands the dashboard in the same
 * process a loss point at most every {@value #INTERVAL_MILLIS} ms (the mean data loss of the steps
 * since the last point) and every epoch record as the trainer logs it. It does no I/O on the
 * training thread: a point is a few numbers offered to a queue that another thread sends to the
 * browsers, so watching training cannot slow it. The run log file is still the record; these
 * points only fill the time between its writes. Made by {@link Dashboard#feed}.
 */
public final class LiveFeed implements Callback {

    /** The shortest time between two live points. */
    public static final long INTERVAL_MILLIS = 100;

    private final RunEvents events;
    private final RunFiles run;
    private long last;
    private double lossSum;
    private int steps;

    LiveFeed(RunEvents events, RunFiles run) {
        this.events = events;
        this.run = run;
    }

    @Override
    public void onTrainStart(TrainContext context) {
        last = System.nanoTime();
        events.setTraining(run, true);
    }

    @Override
    public void onStepEnd(TrainContext c, StepResult step) {
        lossSum += step.dataLoss();
        steps++;
        long now = System.nanoTime();
        if (now - last < INTERVAL_MILLIS * 1_000_000L) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", RunLog.FORMAT);
        m.put("kind", "step");
        m.put("epoch", (long) c.epoch() + 1);
        m.put("step", c.step());
        m.put("loss", lossSum / steps);
        m.put("lr", c.lr());
        m.put("live", true);
        m.put("batches", (long) steps);
        events.publish(run, m, true);
        last = now;
        lossSum = 0;
        steps = 0;
    }

    @Override
    public void onEpochEnd(TrainContext context, EpochRecord record) {
        events.publish(run, record.toJson(), true);
    }

    @Override
    public void onTrainEnd(TrainContext context) {
        events.setTraining(run, false);
    }
}
