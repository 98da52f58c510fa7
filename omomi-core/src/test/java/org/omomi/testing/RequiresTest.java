package org.omomi.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing requirement skips a test, or fails it under CI=true; a present one does neither. */
class RequiresTest {

    @Test
    void missingSkipsOrFails() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Requires.that(false, "a thing", false));
        assertTrue(skipped.getMessage().contains("a thing"), skipped.getMessage());
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Requires.that(false, "a thing", true));
        assertTrue(failed.getMessage().contains("a thing") && failed.getMessage().contains("CI=true"), failed.getMessage());
        Requires.that(true, "a thing", true);
        Requires.that(true, "a thing", false);
    }

    @Test
    void strictFollowsTheEnvironment() {
        assertTrue(Requires.strict() == "true".equalsIgnoreCase(System.getenv("CI")));
    }
}
