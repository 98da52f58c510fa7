package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Leave-one-out: by time when there are timestamps, at random (seeded, per user) when not. */
class SplitTest {

    private static Interactions timed() {
        Interactions.Builder b = new Interactions.Builder();
        // user a: items in time order x(10) y(20) z(30) w(40), written out of order
        b.add("a", "z", 1, 30).add("a", "x", 1, 10).add("a", "w", 1, 40).add("a", "y", 1, 20);
        b.add("b", "x", 1, 5).add("b", "y", 1, 6); // two: test and train, no validation
        b.add("c", "w", 1, 7); // one: training only
        return b.build();
    }

    private static String item(Interactions x, Split s, String user, byte label) {
        int u = x.users().index(user);
        return Arrays.stream(x.byUser()[u]).filter(k -> s.label(k) == label).mapToObj(k -> x.items().id(x.item(k)))
                .reduce((p, q) -> p + "," + q).orElse("");
    }

    @Test
    void theLatestIsHeldOutAndTheOneBeforeValidates() {
        Interactions x = timed();
        Split s = Split.leaveOneOut(x, 1, true, 1);
        assertEquals("w", item(x, s, "a", Split.TEST));
        assertEquals("z", item(x, s, "a", Split.VALIDATION));
        assertEquals("x,y", item(x, s, "a", Split.TRAIN));
        assertEquals("y", item(x, s, "b", Split.TEST));
        assertEquals("", item(x, s, "b", Split.VALIDATION), "two interactions: no validation");
        assertEquals("w", item(x, s, "c", Split.TRAIN), "one interaction: training only");
        assertEquals(2, s.test().length);
        assertTrue(s.protocol().contains("by time"), s.protocol());
        Split two = Split.leaveOneOut(x, 2, false, 1);
        assertEquals("z,w", item(x, two, "a", Split.TEST));
        assertEquals("", item(x, two, "b", Split.TEST), "holding out 2 needs 3");
    }

    @Test
    void withoutTimestampsTheHeldOutOneIsDrawnPerUserFromTheSeed() {
        Interactions.Builder b = new Interactions.Builder();
        for (int u = 0; u < 50; u++) {
            for (int i = 0; i < 6; i++) {
                b.add("u" + u, "i" + ((u + i) % 20), 1, Interactions.NO_TIME);
            }
        }
        Interactions x = b.build();
        Split s1 = Split.leaveOneOut(x, 1, true, 1);
        assertEquals(s1, Split.leaveOneOut(x, 1, true, 1), "the same seed gives the same split");
        assertNotEquals(s1, Split.leaveOneOut(x, 1, true, 2), "another seed another");
        assertTrue(s1.protocol().contains("at random"), s1.protocol());
        assertEquals(50, s1.test().length);
        assertEquals(50, s1.validation().length);
        int last = 0;
        for (int[] rows : x.byUser()) {
            last += s1.label(rows[rows.length - 1]) == Split.TEST ? 1 : 0;
        }
        assertTrue(last < 25, "not always the last row of the file: " + last + " of 50");
    }
}
