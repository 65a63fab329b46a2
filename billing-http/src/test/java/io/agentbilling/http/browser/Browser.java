package io.agentbilling.http.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by chromedriver, both from the operating system's packages ({@code chromium},
 * {@code chromium-driver}; {@code .ci/run} installs them). Selenium is given both paths, so it never looks for or
 * downloads a browser of its own. Every wait is on a condition (a generous one, for a loaded machine), never a sleep.
 * Screenshots go to {@code target/screenshots/}. One browser per test class; not thread-safe.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHROMIUM = System.getProperty("billing.test.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("billing.test.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        for (String executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(executable))) {
                throw new IllegalStateException(executable + " is missing: install the Debian packages chromium and "
                        + "chromium-driver (.ci/run does), or point -Dbilling.test.chromium/-Dbilling.test.chromedriver "
                        + "at them");
            }
        }
        try {
            Files.createDirectories(Path.of("target"));
            profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    <T> T await(String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, WAIT).withMessage(what).ignoring(
                org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    WebElement byTestId(String testId) {
        return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    List<WebElement> allByTestId(String testId) {
        return driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
    }

    /** Waits until the element is displayed, then returns it. */
    WebElement visible(String testId) {
        return await(testId + " visible", d -> {
            List<WebElement> found = allByTestId(testId);
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    /** Waits until the element's text is exactly {@code text}. */
    void awaitText(String testId, String text) {
        await(testId + " to read '" + text + "' (it reads '" + textOf(testId) + "')", d -> {
            List<WebElement> found = allByTestId(testId);
            return !found.isEmpty() && found.get(0).getText().equals(text);
        });
    }

    /** Waits until the element's text contains {@code text}. */
    void awaitTextContaining(String testId, String text) {
        await(testId + " to contain '" + text + "' (it reads '" + textOf(testId) + "')", d -> {
            List<WebElement> found = allByTestId(testId);
            return !found.isEmpty() && found.get(0).isDisplayed() && found.get(0).getText().contains(text);
        });
    }

    String textOf(String testId) {
        List<WebElement> found = allByTestId(testId);
        return found.isEmpty() ? "(absent)" : found.get(0).getText();
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    Object asyncScript(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(javascript, args);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser console since the last call (Content-Security-Policy violations are reported there). */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    WebDriver.Options manage() {
        return driver.manage();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover profile under target/ is harmless
            }
        }
    }
}
