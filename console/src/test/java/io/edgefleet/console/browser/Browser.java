package io.edgefleet.console.browser;

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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through Debian's {@code chromium-driver}; installed by
 * deploy/ci/chromium-up.sh), 1280 px wide, with a fresh profile: no session until it logs in.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMIUM = System.getProperty("edgefleet.chromium", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("edgefleet.chromedriver", "/usr/bin/chromedriver");

    final WebDriver driver;
    private final String consoleUrl;

    Browser(String consoleUrl) {
        this.consoleUrl = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(DRIVER))) {
            throw new IllegalStateException(
                    "no " + CHROMIUM + " or " + DRIVER + ": install them with deploy/ci/chromium-up.sh");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // the tests run as root
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--lang=en");
        // the given driver: Selenium Manager would otherwise try to download one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** Opens {@code path} of the console, logging in through Keycloak's own login page if it asks. */
    Browser open(String path) {
        driver.get(consoleUrl + path);
        return this;
    }

    /** Opens the console and logs in at Keycloak's login page with {@code user}'s password. */
    Browser logIn(String user, String password) {
        open("/");
        waitFor(By.id("kc-login"));
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        waitFor(By.id("user-name"));
        return this;
    }

    WebElement waitFor(By by) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(30))
                    .until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            // say where the browser is instead: an error page names its cause
            throw new AssertionError("no " + by + " at " + driver.getCurrentUrl() + ", which shows: " + mainText(), e);
        }
    }

    private String mainText() {
        try {
            String text = driver.findElement(By.tagName("body")).getText();
            return text.length() > 600 ? text.substring(0, 600) + "..." : text;
        } catch (RuntimeException e) {
            return "(nothing readable)";
        }
    }

    /** A condition that reads the page: an element found before the page was replaced (a form's answer) is read again. */
    void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    String path() {
        return driver.getCurrentUrl().substring(consoleUrl.length());
    }

    /** A screenshot of the window as it is, {@code target/screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Whether the page is wider than the window (something would need sideways scrolling of the whole page). */
    boolean overflowsSideways() {
        Object wider = ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
        return Boolean.TRUE.equals(wider);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
