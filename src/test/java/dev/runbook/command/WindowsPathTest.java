package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsPathTest {

	@Test
	void acceptsALocalPathAndSplitsFolderFromFile() {
		WindowsPath path = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");

		assertThat(path.value()).isEqualTo("D:\\Media\\Exchange2013-CU23\\Setup.exe");
		assertThat(path.folder()).isEqualTo("D:\\Media\\Exchange2013-CU23");
		assertThat(path.fileName()).isEqualTo("Setup.exe");
	}

	@Test
	void acceptsTheAdministrativeShareOfAFileServer() {
		WindowsPath path = WindowsPath.of("\\\\FILES01\\Media$\\CU23\\Setup.exe");

		assertThat(path.value()).isEqualTo("\\\\FILES01\\Media$\\CU23\\Setup.exe");
		assertThat(path.folder()).isEqualTo("\\\\FILES01\\Media$\\CU23");
		assertThat(path.fileName()).isEqualTo("Setup.exe");
	}

	@ParameterizedTest
	@ValueSource(strings = { "D:\\Exchange Media\\CU 23 (2019)\\Setup.exe", "c:\\a_b\\c+d\\e.f-g\\Setup.EXE",
			"\\\\files01.contoso.local\\Media\\Setup.exe", "\\\\FILES01\\Media Share\\Setup.exe" })
	void acceptsTheCharactersThatNeedNoEscaping(String raw) {
		assertThat(WindowsPath.of(raw).value()).isEqualTo(raw);
	}

	/** {@code Set-Location D:} would go to the drive's current folder, not to its root. */
	@Test
	void theFolderOfAFileAtTheDriveRootIsTheRoot() {
		assertThat(WindowsPath.of("D:\\Setup.exe").folder()).isEqualTo("D:\\");
		assertThat(WindowsPath.of("\\\\FILES01\\Media$\\Setup.exe").folder()).isEqualTo("\\\\FILES01\\Media$");
	}

	@Test
	void trimsSurroundingSpaces() {
		assertThat(WindowsPath.of("  D:\\Media\\Setup.exe ").value()).isEqualTo("D:\\Media\\Setup.exe");
	}

	@ParameterizedTest
	@ValueSource(strings = { "D:\\Media\\..\\Setup.exe", "D:\\..\\Windows\\System32\\cmd.exe", "D:\\Media\\.\\Setup.exe",
			"\\\\FILES01\\Media$\\..\\Setup.exe" })
	void refusesParentAndCurrentFolderSegments(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("may not be empty, '.' or '..'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\\\\FILES01\\..\\Setup.exe", "\\\\FILES01\\.\\Setup.exe", "\\\\FILES01\\..$\\Setup.exe",
			"\\\\FILES01\\Media \\Setup.exe", "\\\\FILES01\\ \\Setup.exe" })
	void refusesAShareNameThatIsADotSegmentOrEndsInASpace(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("may not be empty, '.' or '..'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Setup.exe", "Media\\Setup.exe", ".\\Setup.exe", "..\\Setup.exe", "D:Setup.exe",
			"\\Media\\Setup.exe", "D:/Media/Setup.exe", "\\\\?\\C:\\Media\\Setup.exe", "\\\\.\\C:\\Media\\Setup.exe",
			"\\\\FILES01", "\\\\FILES01\\Media$", "~\\Setup.exe", "$env:TEMP\\Setup.exe" })
	void refusesRelativeAndDevicePaths(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("it must be an absolute path such as D:\\Media\\Setup.exe");
	}

	@ParameterizedTest
	@ValueSource(strings = { "D:\\Media\\CU'23\\Setup.exe", "D:\\Media\\CU\"23\\Setup.exe", "D:\\Media\\CU\u201923\\Setup.exe",
			"D:\\Media\\CU\u201823\\Setup.exe", "D:\\Media\\$(calc)\\Setup.exe", "D:\\Media\\`calc`\\Setup.exe",
			"D:\\Media\\Setup.exe; Remove-Item C:\\", "D:\\Media\\a|b\\Setup.exe", "D:\\Media\\a&b\\Setup.exe",
			"D:\\Media\\Setup.exe:stream", "D:\\Media\\*\\Setup.exe",
			"D:\\Media\\\\Setup.exe", "D:\\Media \\Setup.exe", "D:\\Media\\%TEMP%\\Setup.exe",
			"D:\\Media\\a{b}\\Setup.exe", "\\\\FILES01\\Media$\\CU23$\\Setup.exe" })
	void refusesQuotesAndCharactersPowerShellWouldInterpret(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("Path '")
				.hasMessageContaining("each folder and file name may hold only letters, digits, spaces");
	}

	@ParameterizedTest
	@ValueSource(strings = { "D:\\Media\\Setup.exe\n", "D:\\Media\\Setup.exe\nRemove-Item C:\\", "\tD:\\Media\\Setup.exe",
			"D:\\Media\\Setup.exe\r" })
	void refusesControlCharactersEvenWhereTrimmingWouldRemoveThem(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("contains control characters")
				.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "D:\\", "\\\\FILES01\\Media$\\" })
	void refusesADriveOrShareWithoutAFile(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("it names a drive or share, not a file");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void refusesAnEmptyPath(String raw) {
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("A path is required");
	}

	@Test
	void refusesAPathLongerThan240Characters() {
		String raw = "D:\\" + "abcdefghi\\".repeat(24) + "Setup.exe";
		assertThatThrownBy(() -> WindowsPath.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("longer than 240 characters");
	}
}
