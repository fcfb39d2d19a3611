package dev.runbook.exchange2003;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.CommandLine;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.HotfixId;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.PowerShell;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * The Exchange 2003 commands refuse values that could escape their quotes, and files that are not what they claim.
 * Their rendering is pinned with the rest of the catalogue in PowerShellTest.
 */
class Cluster2003CommandLineTest {

	static final ServerName NODE1 = ServerName.of("NODE1");

	@Test
	void theInstallersMustBeWhatTheyClaim() {
		assertThatThrownBy(() -> new InstallHotfix(NODE1, HotfixId.KB831464, WindowsPath.of("D:\\Media\\KB999999\\fix.exe")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("must be the .exe package of KB831464");
		assertThatThrownBy(() -> new StartServicePackInstaller(NODE1, WindowsPath.of("D:\\Media\\SP2\\setup.exe"), WindowsPath.of("D:\\u.ini")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("must name update.exe");
	}

	@ParameterizedTest
	@ValueSource(strings = { "EVS1' /offline; Remove-Item C:\\", "EVS1\"", "EVS1$(calc)", "EVS1`n", "EVS1\u2019", "EVS1;calc",
			"EVS1|calc", "EVS1&calc", "EVS1\nEVS2", " ", "", "-EVS1", "EVS1  System" })
	void clusterNamesRefuseWhatCouldEscapeTheirQuotes(String raw) {
		assertThatThrownBy(() -> ClusterObjectName.of(raw)).isInstanceOf(InvalidInputException.class);
	}

	@Test
	void clusterNamesCompareWithoutRegardToCase() {
		assertThat(ClusterObjectName.of("evs1 Network Name")).isEqualTo(ClusterObjectName.of("EVS1 NETWORK NAME"))
				.hasSameHashCodeAs(ClusterObjectName.of("EVS1 NETWORK NAME"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "831464", "KB83146", "KB831464; calc", "Q831464", "KB'831464" })
	void hotfixIdsAreKnowledgeBaseNumbers(String raw) {
		assertThatThrownBy(() -> HotfixId.of(raw)).isInstanceOf(InvalidInputException.class);
	}

	@Test
	void aNativeOptionValueWithCharactersPowerShellReadsIsQuotedIntoTheSameArgument() {
		CommandLine line = CommandLine.of("tool").nativeOption("/name:", "a b'c").nativeOption("/node:", "NODE-2.x").build();

		assertThat(PowerShell.render(line)).isEqualTo("tool /name:'a b''c' /node:NODE-2.x");
	}
}
