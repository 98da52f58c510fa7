package org.omomi.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.omomi.testing.Requires;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium through Debian's ChromeDriver (nothing is downloaded): a
 * fresh profile, no GPU, no sandbox (tests run as root in CI), no background networking (the
 * machines here have no outside network), the browser's console kept for the tests to read. Public for
 * the applications' view tests (this module's test-jar).
 */
public final class Browser implements AutoCloseable {

    public final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips (or, under CI=true, fails) the test when Chromium or ChromeDriver is missing. */
    public static Browser open(Path profile) {
        Path chromedriver = Requires.chromedriver();
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        try {
            Files.createDirectories(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(Requires.CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1400", "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(d);
    }

    public void go(String url) {
        driver.get(url);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until the script returns true. */
    public void waitFor(String what, long seconds, String script, Object... args) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).withMessage(what)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(script, args)));
    }

    /** The console's errors (and the page's uncaught ones) since the last call. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).collect(Collectors.toList());
    }

    /** A screenshot of the whole page (the window made as tall as the page first). */
    public void screenshot(Path file) {
        try {
            js("window.scrollTo(0, 0)");
            Number h = (Number) js("return Math.min(6000, document.documentElement.scrollHeight)");
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, Math.max(800, h.intValue())));
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1400));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
