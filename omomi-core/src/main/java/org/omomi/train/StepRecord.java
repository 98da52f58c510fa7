package org.omomi.train;

import java.util.Map;

/**
 * A step line of the run log ({@code "kind": "step"}), written every {@code logEvery} steps.
 *
 * @param epoch the epoch in progress, from 1
 * @param step  optimizer steps taken
 * @param loss  that batch's data loss
 * @param lr    the learning rate of the first parameter group
 */
public record StepRecord(long epoch, long step, double loss, double lr) implements RunLog.Entry {

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = RunLog.head("step");
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("loss", loss);
        m.put("lr", lr);
        return m;
    }

    static StepRecord fromJson(Map<String, Object> m) {
        return new StepRecord(RunLog.whole(m, "epoch"), RunLog.whole(m, "step"), RunLog.number(m, "loss"), RunLog.number(m, "lr"));
    }
}
