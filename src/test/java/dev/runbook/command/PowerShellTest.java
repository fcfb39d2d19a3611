package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runbook.command.ExchangeCommand.*;

class PowerShellTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName EX02 = ServerName.of("ex02.contoso.local");
	private static final ServerName NODE1 = ServerName.of("NODE1");

	static Stream<Arguments> catalogue() {
		return Stream.of(
				Arguments.of(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance),
						"Set-ServerComponentState -Identity 'EX01' -Component 'HubTransport' -State 'Draining' -Requester 'Maintenance'"),
				Arguments.of(new SetServerComponentState(EX01, Component.ServerWideOffline, ComponentState.Active, Requester.Functional),
						"Set-ServerComponentState -Identity 'EX01' -Component 'ServerWideOffline' -State 'Active' -Requester 'Functional'"),
				Arguments.of(new GetServerComponentState(EX01), "Get-ServerComponentState -Identity 'EX01'"),
				Arguments.of(new RestartService(EX01, WindowsService.MSExchangeTransport),
						"Restart-Service -Name 'MSExchangeTransport'"),
				Arguments.of(new RedirectMessage(EX01, EX02),
						"Redirect-Message -Server 'EX01' -Target 'EX02.CONTOSO.LOCAL' -Confirm:$false"),
				Arguments.of(new GetQueue(EX01), "Get-Queue -Server 'EX01'"),
				Arguments.of(new SuspendClusterNode(EX01), "Suspend-ClusterNode -Name 'EX01'"),
				Arguments.of(new ResumeClusterNode(EX02), "Resume-ClusterNode -Name 'EX02'"),
				Arguments.of(new GetClusterNode(EX02), "Get-ClusterNode -Name 'EX02'"),
				Arguments.of(new SetDatabaseCopyActivationDisabledAndMoveNow(EX01, true),
						"Set-MailboxServer -Identity 'EX01' -DatabaseCopyActivationDisabledAndMoveNow $true"),
				Arguments.of(new SetDatabaseCopyActivationDisabledAndMoveNow(EX01, false),
						"Set-MailboxServer -Identity 'EX01' -DatabaseCopyActivationDisabledAndMoveNow $false"),
				Arguments.of(new SetDatabaseCopyAutoActivationPolicy(EX01, AutoActivationPolicy.Blocked),
						"Set-MailboxServer -Identity 'EX01' -DatabaseCopyAutoActivationPolicy 'Blocked'"),
				Arguments.of(new GetMailboxServer(EX01), "Get-MailboxServer -Identity 'EX01'"),
				Arguments.of(new GetMailboxDatabaseCopyStatus(EX01), "Get-MailboxDatabaseCopyStatus -Server 'EX01'"),
				Arguments.of(new MoveActiveMailboxDatabase(EX01),
						"Move-ActiveMailboxDatabase -Server 'EX01' -MoveComment 'Maintenance' -Confirm:$false"),
				Arguments.of(new GetExchangeServer(EX01), "Get-ExchangeServer -Identity 'EX01'"),
				Arguments.of(new TestPendingReboot(EX01),
						"Test-Path -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending'; "
								+ "Test-Path -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired'; "
								+ "Get-ItemProperty -LiteralPath 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager' -Name 'PendingFileRenameOperations'"),
				Arguments.of(new StartSetup(EX01, WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe"), SetupMode.Upgrade,
						LicenseSwitch.Classic),
						"Set-Location -LiteralPath 'D:\\Media\\Exchange2013-CU23'; .\\Setup.exe /m:upgrade /IAcceptExchangeServerLicenseTerms"),
				Arguments.of(new StartSetup(EX01, WindowsPath.of("\\\\FILES01\\Media$\\CU15\\Setup.exe"), SetupMode.Upgrade,
						LicenseSwitch.DiagnosticDataOFF),
						"Set-Location -LiteralPath '\\\\FILES01\\Media$\\CU15'; .\\Setup.exe /m:upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"),
				Arguments.of(new StartSetup(EX01, WindowsPath.of("D:\\Media\\CU23\\Setup.exe"), SetupMode.PrepareSchema,
						LicenseSwitch.Classic),
						"Set-Location -LiteralPath 'D:\\Media\\CU23'; .\\Setup.exe /PrepareSchema /IAcceptExchangeServerLicenseTerms"),
				Arguments.of(new GetSetupStatus(EX01),
						"Get-ScheduledTaskInfo -TaskName 'ExchangeSetup'; "
								+ "Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\*' -Name 'Watermark'; "
								+ "Select-String -LiteralPath 'C:\\ExchangeSetupLogs\\ExchangeSetup.log' -Pattern '[ERROR]' -SimpleMatch"),
				Arguments.of(new RestartComputer(EX01), "Restart-Computer -ComputerName 'EX01' -Force"),
				Arguments.of(new TestWSMan(EX02), "Test-WSMan -ComputerName 'EX02.CONTOSO.LOCAL'"),
				// The rolling upgrade's commands
				Arguments.of(new GetDatabaseAvailabilityGroup(EX01, DagName.of("dag01")),
						"Get-DatabaseAvailabilityGroup -Identity 'DAG01' -Status"),
				Arguments.of(new GetExchangeServers(EX01), "Get-ExchangeServer"),
				Arguments.of(new GetMailboxDatabases(EX01), "Get-MailboxDatabase -Status"),
				Arguments.of(new GetClusterNodes(EX01, DagName.of("DAG01")), "Get-ClusterNode -Cluster 'DAG01'"),
				Arguments.of(new GetClusterQuorum(EX01, DagName.of("DAG01")), "Get-ClusterQuorum -Cluster 'DAG01'"),
				Arguments.of(new TestReplicationHealth(EX02), "Test-ReplicationHealth -Identity 'EX02.CONTOSO.LOCAL'"),
				Arguments.of(new GetDatabaseCopies(EX01, DatabaseName.of("Mailbox Database 0311")),
						"Get-MailboxDatabaseCopyStatus -Identity 'Mailbox Database 0311\\*'"),
				Arguments.of(new ActivateDatabaseCopy(EX01, DatabaseName.of("DB01")),
						"Move-ActiveMailboxDatabase -Identity 'DB01' -ActivateOnServer 'EX01' -Confirm:$false"),
				Arguments.of(new GetNlbClusterNode(ServerName.of("cas01.contoso.local")),
						"Get-NlbClusterNode -HostName 'CAS01.CONTOSO.LOCAL' -NodeName 'CAS01'"),
				Arguments.of(new StopNlbClusterNode(ServerName.of("CAS01"), 20),
						"Stop-NlbClusterNode -HostName 'CAS01' -Drain -Timeout 20"),
				Arguments.of(new StartNlbClusterNode(ServerName.of("CAS01")), "Start-NlbClusterNode -HostName 'CAS01'"),
				Arguments.of(new SuspendNlbClusterNode(ServerName.of("CAS01")), "Suspend-NlbClusterNode -HostName 'CAS01'"),
				Arguments.of(new ResumeNlbClusterNode(ServerName.of("CAS01")), "Resume-NlbClusterNode -HostName 'CAS01'"),
				Arguments.of(new InvokeHealthCheck(EX01, ServerName.of("CAS01.contoso.local"), HealthCheckPage.Owa),
						"Invoke-WebRequest -Uri 'https://cas01.contoso.local/owa/healthcheck.htm' -UseBasicParsing"),
				Arguments.of(new InvokeHealthCheck(EX01, ServerName.of("CAS02"), HealthCheckPage.Ecp),
						"Invoke-WebRequest -Uri 'https://cas02/ecp/healthcheck.htm' -UseBasicParsing"),
				Arguments.of(new TestServiceHealth(EX01), "Test-ServiceHealth -Server 'EX01'"),
				Arguments.of(new GetADForest(EX01), "Get-ADForest"),
				Arguments.of(new GetActiveDirectoryPreparation(EX01, DomainName.of("Contoso.local"),
						java.util.List.of(DomainName.of("contoso.local"), DomainName.of("emea.contoso.local"))),
						"Get-ADObject -Identity 'CN=ms-Exch-Schema-Version-Pt,CN=Schema,CN=Configuration,DC=contoso,DC=local' -Properties 'rangeUpper'; "
								+ "Get-ADObject -SearchBase 'CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=local'"
								+ " -LDAPFilter '(objectClass=msExchOrganizationContainer)' -Properties 'objectVersion'; "
								+ "Get-ADObject -Identity 'CN=Microsoft Exchange System Objects,DC=contoso,DC=local' -Server 'contoso.local' -Properties 'objectVersion'; "
								+ "Get-ADObject -Identity 'CN=Microsoft Exchange System Objects,DC=emea,DC=contoso,DC=local' -Server 'emea.contoso.local' -Properties 'objectVersion'"),
				Arguments.of(new GetNetAdapterBinding(EX01), "Get-NetAdapterBinding -ComponentID 'ms_tcpip6'"),
				Arguments.of(new GetMpPreference(EX01), "Get-MpPreference"),
				Arguments.of(new TestNetConnection(EX01, EX02, 64327),
						"Test-NetConnection -ComputerName 'EX02.CONTOSO.LOCAL' -Port 64327"),
				Arguments.of(new TestPath(EX01, WindowsPath.of("\\\\FILES01\\Media$\\CU23\\Setup.exe")),
						"Test-Path -LiteralPath '\\\\FILES01\\Media$\\CU23\\Setup.exe' -PathType 'Leaf'"),
				Arguments.of(new GetFileVersion(EX01, WindowsPath.of("D:\\Media\\Exchange 2013 CU23\\Setup.exe")),
						"Get-Item -LiteralPath 'D:\\Media\\Exchange 2013 CU23\\Setup.exe'"),
				// Exchange 2003 clusters
				Arguments.of(new GetClusterStatus(NODE1),
						"Get-WmiObject -Namespace 'root\\MSCluster' -Class 'MSCluster_Node'; "
								+ "Get-WmiObject -Namespace 'root\\MSCluster' -Class 'MSCluster_ResourceGroup'; "
								+ "Get-WmiObject -Namespace 'root\\MSCluster' -Class 'MSCluster_Resource'; "
								+ "Get-WmiObject -Namespace 'root\\MSCluster' -Class 'MSCluster_ResourceGroupToResource'"),
				Arguments.of(new TakeClusterResourceOffline(NODE1, ClusterObjectName.of("Exchange System Attendant - (EVS1)")),
						"cluster res 'Exchange System Attendant - (EVS1)' /offline; Get-Date -Format 'o'"),
				Arguments.of(new BringClusterResourceOnline(NODE1, ClusterObjectName.of("Disk S:")),
						"cluster res 'Disk S:' /online; Get-Date -Format 'o'"),
				Arguments.of(new MoveClusterGroup(NODE1, ClusterObjectName.of("EVS1"), ServerName.of("node2.contoso.local")),
						"cluster group 'EVS1' /moveto:NODE2"),
				Arguments.of(new GetHotfix(NODE1, HotfixId.of("kb831464")), "Get-HotFix -Id 'KB831464'"),
				Arguments.of(new InstallHotfix(NODE1, HotfixId.KB831464,
						WindowsPath.of("\\\\FILES01\\Media$\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe")),
						"Start-Process -FilePath '\\\\FILES01\\Media$\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe' -ArgumentList '/quiet /norestart' -Wait"),
				Arguments.of(new StartServicePackInstaller(NODE1, WindowsPath.of("D:\\Media\\E2K3 SP2\\setup\\i386\\update.exe"),
						WindowsPath.of("D:\\Media\\E2K3 SP2\\unattend.ini")),
						"Set-Location -LiteralPath 'D:\\Media\\E2K3 SP2\\setup\\i386'; .\\update.exe /UnattendFile 'D:\\Media\\E2K3 SP2\\unattend.ini'"),
				Arguments.of(new GetServicePackStatus(NODE1),
						"Get-Process -Name 'update' -ErrorAction 'SilentlyContinue'; Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Exchange\\Setup'; "
								+ "Select-String -LiteralPath 'C:\\Exchange Server Setup Progress.log' -Pattern 'ERROR' -SimpleMatch"),
				Arguments.of(new GetExchangeServerVersion(NODE1, ServerName.of("evs1")),
						"Get-WmiObject -Namespace 'root\\MicrosoftExchangeV2' -Class 'Exchange_Server' -Filter 'Name=''EVS1'''"),
				Arguments.of(new GetApplicationLogErrors(NODE1, Instant.parse("2026-01-10T22:15:00Z")),
						"Get-EventLog -LogName 'Application' -EntryType 'Error' -After '2026-01-10T22:15:00Z'"));
	}

	@ParameterizedTest
	@MethodSource("catalogue")
	void rendersEveryCommandOfTheCatalogue(ExchangeCommand<?> command, String expected) {
		assertThat(PowerShell.render(command)).isEqualTo(expected);
	}

	/** A command added to the catalogue without a rendering test here fails this test. */
	@Test
	void theTestCoversEveryCommandOfTheCatalogue() {
		Class<?>[] commands = Stream.of(ExchangeCommand.class.getPermittedSubclasses())
				.flatMap(kind -> Stream.of(kind.getPermittedSubclasses())).toArray(Class<?>[]::new);

		assertThat(commands).hasSizeGreaterThan(15);
		assertThat(catalogue().<Class<?>>map(a -> a.get()[0].getClass()).distinct()).containsExactlyInAnyOrder(commands);
	}

	@Test
	void onlyReadsAreSafeForADryRun() {
		assertThat(catalogue().map(a -> (ExchangeCommand<?>) a.get()[0]).filter(c -> !c.changesState())
				.map(c -> c.commandLine().program()).distinct())
				.allSatisfy(program -> assertThat(program).matches("(Get|Test)-.*|Invoke-WebRequest"));
		assertThat(catalogue().map(a -> (ExchangeCommand<?>) a.get()[0]).filter(ExchangeCommand::changesState)
				.map(c -> c.commandLine().program()).distinct())
				.noneMatch(program -> program.startsWith("Get-") || program.startsWith("Test-"));
	}

	@Test
	void refusesAStartSetupThatDoesNotRunSetupExe() {
		assertThatThrownBy(() -> new StartSetup(EX01, WindowsPath.of("D:\\Media\\CU23\\evil.exe"), SetupMode.Upgrade,
				LicenseSwitch.Classic)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("must name Setup.exe");
	}

	// ---- Quoting -----------------------------------------------------------------------------------------------

	@Test
	void quotesInSingleQuotesAndDoublesEveryKindOfSingleQuote() {
		assertThat(PowerShell.quote("EX01")).isEqualTo("'EX01'");
		assertThat(PowerShell.quote("")).isEqualTo("''");
		assertThat(PowerShell.quote("O'Brien")).isEqualTo("'O''Brien'");
		assertThat(PowerShell.quote("\u2018a\u2019b\u201Ac\u201Bd")).isEqualTo("'\u2018\u2018a\u2019\u2019b\u201A\u201Ac\u201B\u201Bd'");
		assertThat(PowerShell.quote("$(calc) `n \"x\"")).isEqualTo("'$(calc) `n \"x\"'");
	}

	@Test
	void rendersBooleansAndNumbersAsPowerShellValues() {
		assertThat(PowerShell.literal(true)).isEqualTo("$true");
		assertThat(PowerShell.literal(false)).isEqualTo("$false");
		assertThat(PowerShell.literal(42)).isEqualTo("42");
		assertThat(PowerShell.literal(42L)).isEqualTo("42");
		assertThat(PowerShell.literal("true")).isEqualTo("'true'");
	}

	/**
	 * Property: whatever the string, PowerShell reads the quoted literal back as the original. Characters are drawn
	 * mostly from the dangerous ones, so that every run tries thousands of quote, escape and expansion combinations.
	 */
	@Test
	void everyQuotedStringReadsBackAsTheOriginal() {
		int[] dangerous = { '\'', '\u2018', '\u2019', '\u201A', '\u201B', '"', '\u201C', '\u201D', '`', '$', '(', ')', '{',
				'}', ';', '|', '&', '\n', '\r', '\t', '\0', ' ', '#', '@', '\\', 0x1F600, 'a', 'Z', '0' };
		Random random = new Random(20260110L);
		for (int i = 0; i < 20_000; i++) {
			StringBuilder original = new StringBuilder();
			int length = random.nextInt(12);
			for (int j = 0; j < length; j++) {
				original.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x3000) : dangerous[random.nextInt(dangerous.length)]);
			}
			String quoted = PowerShell.quote(original.toString());

			assertThat(SingleQuotedReader.read(quoted)).as("read back %s", quoted).isEqualTo(original.toString());
		}
	}

	@Test
	void theReferenceReaderRejectsWhatPowerShellWouldEndEarly() {
		assertThatThrownBy(() -> SingleQuotedReader.read("'O'Brien'")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> SingleQuotedReader.read("'a\u2019; calc; '")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> SingleQuotedReader.read("'unterminated")).isInstanceOf(IllegalArgumentException.class);
		assertThat(SingleQuotedReader.read("'O''Brien'")).isEqualTo("O'Brien");
	}

	/**
	 * A reference reader of one PowerShell single-quoted string token, after the PowerShell tokenizer
	 * (ScanStringLiteral): any of ' U+2018 U+2019 U+201A U+201B opens and closes the string; two of them in a row stand
	 * for one literal quote (the second is kept); nothing else is special. The whole text must be that one token.
	 */
	static final class SingleQuotedReader {

		static boolean isSingleQuote(int c) {
			return c == '\'' || (c >= 0x2018 && c <= 0x201B);
		}

		static String read(String token) {
			int[] cs = token.codePoints().toArray();
			if (cs.length < 2 || !isSingleQuote(cs[0])) {
				throw new IllegalArgumentException("not a single-quoted string: " + token);
			}
			StringBuilder value = new StringBuilder();
			int i = 1;
			while (true) {
				if (i >= cs.length) {
					throw new IllegalArgumentException("the string is not terminated: " + token);
				}
				int c = cs[i];
				if (isSingleQuote(c)) {
					if (i + 1 < cs.length && isSingleQuote(cs[i + 1])) {
						value.appendCodePoint(cs[i + 1]);
						i += 2;
						continue;
					}
					if (i != cs.length - 1) {
						throw new IllegalArgumentException("the string ends before the token does: " + token);
					}
					return value.toString();
				}
				value.appendCodePoint(c);
				i++;
			}
		}
	}
}
