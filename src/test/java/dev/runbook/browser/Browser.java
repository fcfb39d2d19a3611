package dev.runbook.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test, as a JUnit extension ({@code @RegisterExtension}): Debian's chromium driven by
 * Debian's chromedriver, both named explicitly so that Selenium Manager never runs (it would try to download a
 * browser, and this network has none to offer). Started on first use with a fresh profile under target/, quit after
 * the test. Whatever the test keeps ({@link #screenshot}) and, when the test fails, the page it failed on (screenshot,
 * source, the browser's console) go to {@code target/browser-journey/<class>.<method>/}.
 */
public class Browser implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

	public static final Path FOLDER = Path.of("target", "browser-journey");
	private static final Path PROFILES = Path.of("target", "chromium-profiles");

	private Path folder = FOLDER;
	private Path profile;
	private ChromeDriver driver;
	private int shots;

	/** The browser, started on first use. */
	public WebDriver driver() {
		if (driver == null) {
			driver = start();
		}
		return driver;
	}

	/** An explicit wait on the page, polled until the condition holds or the timeout runs out. */
	public WebDriverWait waiting(Duration timeout) {
		return new WebDriverWait(driver(), timeout, Duration.ofMillis(200));
	}

	/** Keeps what the browser shows now as {@code NN-name.png}, numbered in the order taken. */
	public void screenshot(String name) {
		if (driver != null) {
			keep(String.format("%02d-%s", ++shots, name), false);
		}
	}

	/** Where this test's screenshots go. */
	public Path folder() {
		return folder;
	}

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		folder = FOLDER.resolve(context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName());
		delete(folder);
		Files.createDirectories(folder);
		shots = 0;
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		context.getExecutionException().ifPresent(failure -> {
			if (driver != null) {
				keep("FAILED", true);
			}
		});
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (driver != null) {
			try {
				driver.quit();
			} finally {
				driver = null;
				try {
					delete(profile);
				} catch (IOException e) {
					// Left under target/, which the next clean removes; not worth failing a test over.
					System.err.println("Could not delete the browser profile " + profile + ": " + e);
				}
			}
		}
	}

	private ChromeDriver start() {
		try {
			Files.createDirectories(folder);
			Files.createDirectories(PROFILES);
			profile = Files.createTempDirectory(PROFILES, "profile-");
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		ChromeDriverService service = new ChromeDriverService.Builder()
				.usingDriverExecutable(InstalledBrowser.CHROMEDRIVER.toFile()).usingAnyFreePort()
				.withLogFile(folder.resolve("chromedriver.log").toFile()).build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(InstalledBrowser.CHROMIUM.toFile());
		// Root in a container: no sandbox. The closed network refuses Chromium's own connections (updates, sync,
		// QUIC probes): they are switched off so that they neither fail nor slow the pages down.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1600,1000");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriver started = new ChromeDriver(service, options);
		started.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		return started;
	}

	/** Screenshot, and with {@code everything} the page's source and the browser's console, as name.*. */
	private void keep(String name, boolean everything) {
		try {
			Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
			if (everything) {
				Files.writeString(folder.resolve(name + ".html"),
						"<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource(), StandardCharsets.UTF_8);
				String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
						.map(entry -> entry.getLevel() + " " + entry.getMessage()).collect(Collectors.joining("\n"));
				Files.writeString(folder.resolve(name + "-console.log"), console, StandardCharsets.UTF_8);
			}
		} catch (IOException | RuntimeException e) {
			// The test's own failure matters more than a missing screenshot: say so and go on.
			System.err.println("Could not keep " + name + " of the browser: " + e);
		}
	}

	private static void delete(Path path) throws IOException {
		if (path == null || !Files.exists(path)) {
			return;
		}
		try (Stream<Path> files = Files.walk(path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}
}
