package dev.runbook.browser;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether this machine can run a browser test: Debian's {@code chromium} and {@code chromium-driver}. Where either is
 * missing a test is skipped with the reason (a developer without a browser still runs the rest of the suite), except
 * on CI ({@code CI=true}), where it fails: CI installs both (.ci/run), so a missing browser there is a broken build,
 * not a reason to pass without the journey. Test classes use it through {@link RequiresBrowser}, which checks before
 * the class starts anything.
 */
public final class InstalledBrowser {

	public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
	public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private InstalledBrowser() {
	}

	/** Returns when chromium and chromedriver are installed; otherwise skips the test, or fails it on CI. */
	public static void require() {
		require(System.getenv(), List.of(CHROMIUM, CHROMEDRIVER));
	}

	static void require(Map<String, String> environment, List<Path> executables) {
		List<Path> missing = executables.stream().filter(path -> !Files.isExecutable(path)).toList();
		if (missing.isEmpty()) {
			return;
		}
		String reason = "No browser to run this test: " + missing + " missing (apt-get install chromium chromium-driver)";
		if ("true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim())) {
			fail(reason + ". CI=true: CI must run it, so it fails instead of being skipped.");
		}
		abort(reason + ". Skipped; with CI=true it would fail.");
	}
}
