package dev.runbook.exchange2003;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

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

/** The Exchange 2003 commands render as an administrator would type them, with every value validated and quoted. */
class Cluster2003CommandLineTest {

	static final ServerName NODE1 = ServerName.of("NODE1");
	static final ServerName NODE2 = ServerName.of("node2.contoso.local");

	@Test
	void clusterExeCommandsQuoteGroupAndResourceNamesAndNameTheTargetNode() {
		assertThat(PowerShell.render(new MoveClusterGroup(NODE1, ClusterObjectName.of("EVS1"), NODE2)))
				.isEqualTo("cluster group 'EVS1' /moveto:NODE2");
		assertThat(PowerShell.render(new TakeClusterResourceOffline(NODE1, ClusterObjectName.of("Exchange System Attendant - (EVS1)"))))
				.isEqualTo("cluster res 'Exchange System Attendant - (EVS1)' /offline; Get-Date -Format 'o'");
		assertThat(PowerShell.render(new BringClusterResourceOnline(NODE1, ClusterObjectName.of("Disk S:"))))
				.isEqualTo("cluster res 'Disk S:' /online; Get-Date -Format 'o'");
		assertThat(PowerShell.render(new GetClusterStatus(NODE1)))
				.isEqualTo("cluster node /status; cluster group /status; cluster res /status; cluster res /prop");
	}

	@Test
	void installersRunQuietlyFromValidatedPaths() {
		assertThat(PowerShell.render(new InstallHotfix(NODE1, HotfixId.KB831464,
				WindowsPath.of("\\\\FILES01\\Media$\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe"))))
				.isEqualTo("Start-Process -FilePath '\\\\FILES01\\Media$\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe' -ArgumentList '/quiet /norestart' -Wait");
		assertThat(PowerShell.render(new StartServicePackInstaller(NODE1, WindowsPath.of("D:\\Media\\E2K3 SP2\\setup\\i386\\update.exe"),
				WindowsPath.of("D:\\Media\\E2K3 SP2\\unattend.ini"))))
				.isEqualTo("Set-Location -LiteralPath 'D:\\Media\\E2K3 SP2\\setup\\i386'; .\\update.exe /UnattendFile 'D:\\Media\\E2K3 SP2\\unattend.ini'");
		assertThat(PowerShell.render(new GetServicePackStatus(NODE1))).isEqualTo(
				"Get-Process -Name 'update' -ErrorAction 'SilentlyContinue'; Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Exchange\\Setup'; Select-String -LiteralPath 'C:\\Exchange Server Setup Progress.log' -Pattern 'ERROR' -SimpleMatch");
		assertThat(PowerShell.render(new GetHotfix(NODE1, HotfixId.of("kb831464")))).isEqualTo("Get-HotFix -Id 'KB831464'");
	}

	@Test
	void wmiAndEventLogReadsQuoteTheirValues() {
		assertThat(PowerShell.render(new GetExchangeServerVersion(NODE1, ServerName.of("evs1"))))
				.isEqualTo("Get-WmiObject -Namespace 'root\\MicrosoftExchangeV2' -Class 'Exchange_Server' -Filter 'Name=''EVS1'''");
		assertThat(PowerShell.render(new GetApplicationLogErrors(NODE1, Instant.parse("2026-01-10T22:15:00Z"))))
				.isEqualTo("Get-EventLog -LogName 'Application' -EntryType 'Error' -After '2026-01-10T22:15:00Z'");
	}

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
