package dev.runbook.browser;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The browser tests' precondition: skipped without a browser, except on CI, where that fails. */
class InstalledBrowserTest {

	@TempDir
	Path folder;

	@Test
	void installedExecutablesLetTheTestRun() throws IOException {
		Path chromium = executable("chromium");
		Path chromedriver = executable("chromedriver");

		assertThatCode(() -> InstalledBrowser.require(Map.of("CI", "true"), List.of(chromium, chromedriver)))
				.doesNotThrowAnyException();
		assertThatCode(() -> InstalledBrowser.require(Map.of(), List.of(chromium, chromedriver))).doesNotThrowAnyException();
	}

	@Test
	void withoutABrowserADeveloperSeesTheTestSkippedWithTheReason() throws IOException {
		List<Path> executables = List.of(executable("chromium"), folder.resolve("chromedriver"));

		for (Map<String, String> environment : List.of(Map.<String, String>of(), Map.of("CI", "false"), Map.of("CI", ""))) {
			assertThatThrownBy(() -> InstalledBrowser.require(environment, executables))
					.isInstanceOf(TestAbortedException.class).hasMessageContaining(folder.resolve("chromedriver").toString())
					.hasMessageContaining("apt-get install chromium chromium-driver").hasMessageContaining("Skipped");
		}
	}

	@Test
	void withoutABrowserCiFailsInsteadOfSkipping() {
		assertThatThrownBy(() -> InstalledBrowser.require(Map.of("CI", "true"),
				List.of(folder.resolve("chromium"), folder.resolve("chromedriver"))))
				.isInstanceOf(AssertionFailedError.class).hasMessageContaining(folder.resolve("chromium").toString())
				.hasMessageContaining(folder.resolve("chromedriver").toString()).hasMessageContaining("CI=true");
	}

	@Test
	void aFileThatCannotBeRunIsNoBrowser() throws IOException {
		Path notExecutable = Files.writeString(folder.resolve("chromium"), "#!/bin/sh\n");

		assertThatThrownBy(() -> InstalledBrowser.require(Map.of("CI", "true"), List.of(notExecutable)))
				.isInstanceOf(AssertionFailedError.class);
	}

	private Path executable(String name) throws IOException {
		Path file = Files.writeString(folder.resolve(name), "#!/bin/sh\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}
}
