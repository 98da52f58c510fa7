package org.omomi.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.omomi.data.FashionMnist;

/**
 * "This test needs X": where X is missing the test is skipped on a developer's machine, but with
 * the environment variable {@code CI=true} (CI sets it, and .ci/run exports it after installing
 * everything the tests need) its absence fails the test, so a test that needs Fashion-MNIST or
 * Chromium cannot pass in CI by never running.
 *
 * <pre>{@code
 * Path dir = Requires.fashionMnist();   // first line of the test
 * }</pre>
 */
public final class Requires {

    /** Debian's chromium, which .ci/run installs. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Debian's chromium-driver (ChromeDriver for that Chromium), which .ci/run installs: Selenium uses it and downloads nothing. */
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Requires() {}

    /** Whether missing requirements fail rather than skip: the environment variable CI is "true". */
    public static boolean strict() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Fashion-MNIST's four files: in the folder the environment variable {@code FMNIST_DIR} names
     * (as for the benchmarks), else in Debian's dataset-fashion-mnist ({@link FashionMnist#DEBIAN_DIR});
     * returns the folder.
     */
    public static Path fashionMnist() {
        String env = System.getenv("FMNIST_DIR");
        Path dir = env == null || env.isBlank() ? FashionMnist.DEBIAN_DIR : Path.of(env);
        that(FashionMnist.available(dir), "Fashion-MNIST in " + dir + " (apt-get install dataset-fashion-mnist)");
        return dir;
    }

    /** Headless Chromium at {@link #CHROMIUM}; returns its path. */
    public static Path chromium() {
        that(Files.isExecutable(CHROMIUM), "Chromium at " + CHROMIUM + " (apt-get install chromium)");
        return CHROMIUM;
    }

    /** Debian's ChromeDriver at {@link #CHROMEDRIVER}, with Chromium; returns the driver's path. */
    public static Path chromedriver() {
        chromium();
        that(Files.isExecutable(CHROMEDRIVER), "ChromeDriver at " + CHROMEDRIVER + " (apt-get install chromium-driver)");
        return CHROMEDRIVER;
    }

    /** Skips the test when {@code present} is false, or fails it under CI=true; {@code what} names the need and how to meet it. */
    public static void that(boolean present, String what) {
        that(present, what, strict());
    }

    static void that(boolean present, String what, boolean strict) {
        if (present) {
            return;
        }
        if (strict) {
            Assertions.fail("this test needs " + what + ", which is missing; with CI=true that is a failure, not a skip");
        }
        Assumptions.abort("this test needs " + what + ", which is missing (skipped; with CI=true it would fail)");
    }
}
