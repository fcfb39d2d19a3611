package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DefenderExclusionsTest {

	private static final ServerName EX01 = ServerName.of("EX01");

	@Test
	void anExcludedFolderCoversEverythingBelowItWhateverTheCase() {
		DefenderExclusions exclusions = new DefenderExclusions(EX01, true,
				List.of(DefenderExclusions.EXCHANGE_INSTALL_FOLDER, "d:\\exchangedatabases\\"), null);

		assertThat(exclusions.excludes("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin")).isTrue();
		assertThat(exclusions.excludes("D:\\ExchangeDatabases\\DB01")).isTrue();
		assertThat(exclusions.excludes("D:\\ExchangeDatabases")).isTrue();
		assertThat(exclusions.excludes("D:\\ExchangeDatabases2\\DB01")).isFalse();
		assertThat(exclusions.excludes("E:\\ExchangeLogs\\DB01")).isFalse();
	}

	@Test
	void listsTheFoldersStillScannedInTheirOrderOnce() {
		DefenderExclusions exclusions = new DefenderExclusions(EX01, true, List.of("D:\\ExchangeDatabases"), null);

		assertThat(exclusions.notExcluded(List.of(DefenderExclusions.EXCHANGE_INSTALL_FOLDER, "D:\\ExchangeDatabases\\DB01",
				"E:\\ExchangeLogs\\DB01", "E:\\ExchangeLogs\\DB01")))
				.containsExactly(DefenderExclusions.EXCHANGE_INSTALL_FOLDER, "E:\\ExchangeLogs\\DB01");
	}

	@Test
	void anUnreadableServerExcludesNothingAndSaysWhy() {
		DefenderExclusions unreadable = DefenderExclusions.unreadable(EX01, "Windows Defender is not installed");

		assertThat(unreadable.readable()).isFalse();
		assertThat(unreadable.unreadableReason()).contains("not installed");
		assertThat(unreadable.notExcluded(List.of("D:\\X"))).containsExactly("D:\\X");
	}
}
