package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runbook.command.*;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.winrm.script.ExchangeScripts;
import dev.runbook.winrm.script.ScriptedDirectory;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * The WinRM executor end to end against the WS-Management double: NTLM logon and sealing, the shell lifecycle, the
 * fixed scripts, and results that match what the lab itself answers.
 */
class WinRmShellTest {

	static final ServerName EX01 = ServerName.of("EX01");
	static final ServerName EX02 = ServerName.of("EX02");

	final LabClock.Manual clock = new LabClock.Manual();
	final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
	final LabPowerShell powershell = new LabPowerShell(lab);
	WsmanDouble wsman;
	ScriptedShell shell;

	@BeforeEach
	void start() {
		wsman = new WsmanDouble("CONTOSO", "svc-runbook", "Correct-Horse-7", powershell);
		shell = new ScriptedShell(runner("Correct-Horse-7"));
	}

	@AfterEach
	void stop() {
		wsman.close();
	}

	WinRmRunner runner(String password) {
		return new WinRmRunner(properties(wsman.endpoint(), Duration.ofSeconds(20)),
				new WinRmCredentials("CONTOSO", "svc-runbook", password));
	}

	static WinRmProperties properties(String endpoint, Duration commandTimeout) {
		return new WinRmProperties("http", null, endpoint, null, "ntlm", "required", true, null, null,
				Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), commandTimeout, "EX01", null);
	}

	@Test
	void aReadRunsThroughTheWholeShellLifecycleAndAnswersWhatTheLabAnswers() {
		ComponentStates states = shell.run(new GetServerComponentState(EX01));

		assertThat(states).isEqualTo(lab.execute(new GetServerComponentState(EX01)));
		// Create, Command, a "no output yet" Receive fault, the Receive with the output, Signal, Delete
		assertThat(wsman.actions()).containsExactly("Create", "Command", "Receive", "Receive", "Signal", "Delete");
		// The HTTP client may open a second connection within a call, which logs on again.
		assertThat(wsman.logons()).isPositive();
		assertThat(wsman.scripts()).singleElement().asString()
				.startsWith("$ErrorActionPreference='Stop'")
				.contains("Use-Exchange 'Get-ServerComponentState'")
				.contains("-Authentication Kerberos")
				.doesNotContain("EX01");
	}

	@Test
	void everyReadAnswersTheLabsResult() {
		assertThat(shell.run(new GetQueue(EX02))).isEqualTo(lab.execute(new GetQueue(EX02)));
		assertThat(shell.run(new GetClusterNode(EX02))).isEqualTo(lab.execute(new GetClusterNode(EX02)));
		assertThat(shell.run(new GetMailboxServer(EX01))).isEqualTo(lab.execute(new GetMailboxServer(EX01)));
		assertThat(shell.run(new GetMailboxDatabaseCopyStatus(EX01)))
				.isEqualTo(lab.execute(new GetMailboxDatabaseCopyStatus(EX01)));
		assertThat(shell.run(new GetExchangeServer(EX01))).isEqualTo(lab.execute(new GetExchangeServer(EX01)));
		assertThat(shell.run(new TestPendingReboot(EX01))).isEqualTo(lab.execute(new TestPendingReboot(EX01)));
		assertThat(shell.run(new GetSetupStatus(EX01)).state()).isEqualTo(SetupStatus.State.NotStarted);
		assertThat(shell.run(new TestWSMan(EX01))).isEqualTo(new Reachability(EX01, true));
	}

	@Test
	void organisationReadsAnswerTheLabsResult() {
		ServerName cas01 = ServerName.of("CAS01");
		DagName dag = DagName.of("DAG01");
		List<ExchangeCommand<?>> reads = List.of(new GetDatabaseAvailabilityGroup(EX01, dag), new GetExchangeServers(EX01),
				new GetMailboxDatabases(EX01), new GetClusterNodes(EX01, dag), new GetClusterQuorum(EX01, dag),
				new TestReplicationHealth(EX02), new GetDatabaseCopies(EX01, DatabaseName.of("DB01")),
				new GetNlbClusterNode(cas01), new InvokeHealthCheck(cas01, cas01, HealthCheckPage.Owa),
				new TestServiceHealth(EX01), new GetADForest(EX01), new GetNetAdapterBinding(EX01),
				new GetMpPreference(EX01), new TestNetConnection(EX01, EX02, 64327),
				new TestPath(EX01, WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe")),
				new TestPath(EX01, WindowsPath.of("D:\\Elsewhere\\Setup.exe")));

		for (ExchangeCommand<?> read : reads) {
			assertThat((Object) shell.run(read)).as(read.getClass().getSimpleName()).isEqualTo(lab.execute(read));
		}
		assertThat(powershell.commandsRun()).hasSize(reads.size());
	}

	/** The directory speaks in version numbers; Microsoft's table turns them back into builds. */
	@Test
	void directoryPreparationIsReadAsTheBuildsItsNumbersSatisfy() {
		ExchangeBuild cu23 = ExchangeBuild.parse("15.0.1497.2");
		DomainName contoso = DomainName.of("contoso.local");

		DirectoryPreparation before = shell.run(new GetActiveDirectoryPreparation(EX01, contoso, List.of(contoso)));
		// 2013 CU23 kept the schema of CU7 and later, and raised the organisation and domain versions.
		assertThat(before.schemaReadyFor(cu23)).isTrue();
		assertThat(before.organizationReadyFor(cu23)).isFalse();
		assertThat(before.domainsNotReadyFor(cu23)).containsExactly(contoso);

		WindowsPath media = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");
		shell.run(new StartSetup(EX01, media, SetupMode.PrepareSchema, LicenseSwitch.Classic));
		shell.run(new StartSetup(EX01, media, SetupMode.PrepareAD, LicenseSwitch.Classic));
		assertThat(shell.run(new GetActiveDirectoryPreparation(EX01, contoso, List.of(contoso))).readyFor(cu23)).isTrue();
	}

	@Test
	void activatingACopyIsDoneOnceAndThenAgainWithoutChange() {
		DatabaseName db01 = DatabaseName.of("DB01");

		shell.run(new ActivateDatabaseCopy(EX02, db01));
		shell.run(new ActivateDatabaseCopy(EX02, db01));

		assertThat(lab.execute(new GetDatabaseCopies(EX01, db01)).active()).singleElement()
				.extracting(DatabaseCopies.Copy::mailboxServer).isEqualTo(EX02);
		assertThat(powershell.commandsRun()).containsExactly("EX02: ActivateDatabaseCopy", "EX02: ActivateDatabaseCopy");
	}

	@Test
	void nlbNodesDrainAndComeBack() {
		ServerName cas01 = ServerName.of("CAS01");

		shell.run(new StopNlbClusterNode(cas01, 5));
		NlbNodeState draining = lab.execute(new GetNlbClusterNode(cas01)).state();
		shell.run(new StartNlbClusterNode(cas01));

		assertThat(draining).isIn(NlbNodeState.Draining, NlbNodeState.Stopped);
		assertThat(shell.run(new GetNlbClusterNode(cas01)).state()).isEqualTo(NlbNodeState.Converged);
	}

	@Test
	void changesReachTheServerTheyNameWithTheirValuesBound() {
		Done done = shell.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining,
				Requester.Maintenance));
		shell.run(new SuspendClusterNode(EX02));
		shell.run(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked));
		shell.run(new SetDatabaseCopyActivationDisabledAndMoveNow(EX02, true));

		assertThat(done.message()).contains("Set-ServerComponentState").contains("EX01");
		assertThat(lab.execute(new GetServerComponentState(EX01)).stateOf(Component.HubTransport))
				.isEqualTo(ComponentState.Draining);
		assertThat(lab.execute(new GetClusterNode(EX02)).state()).isEqualTo(ClusterNodeState.Paused);
		MailboxServerSettings settings = lab.execute(new GetMailboxServer(EX02));
		assertThat(settings.databaseCopyAutoActivationPolicy()).isEqualTo(AutoActivationPolicy.Blocked);
		assertThat(settings.databaseCopyActivationDisabledAndMoveNow()).isTrue();
		assertThat(powershell.commandsRun()).containsExactly("EX01: SetServerComponentState", "EX02: SuspendClusterNode",
				"EX02: SetDatabaseCopyActivationDisabledAndMoveNow", "EX02: SetDatabaseCopyActivationDisabledAndMoveNow");
	}

	@Test
	void setupRunsAsATaskAndIsPolledToItsVerdict() {
		WindowsPath media = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");
		shell.run(new StartSetup(EX01, media, SetupMode.Upgrade, LicenseSwitch.Classic));
		assertThat(shell.run(new GetSetupStatus(EX01)).state()).isEqualTo(SetupStatus.State.Running);

		clock.advance(LabOrganisation.SETUP_DURATION.plusMinutes(1));
		SetupStatus status = shell.run(new GetSetupStatus(EX01));

		assertThat(status).isEqualTo(new SetupStatus(SetupStatus.State.Succeeded, 0, false, true, List.of()));
		assertThat(wsman.scripts().get(0)).contains("Register-ScheduledTask").contains("Start-ScheduledTask");
	}

	@Test
	void aFailedSetupBringsItsErrorLinesBack() {
		lab.injectFault(EX01, LabFault.SETUP_FAILS, 1);
		shell.run(new StartSetup(EX01, WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe"), SetupMode.Upgrade,
				LicenseSwitch.Classic));
		clock.advance(LabOrganisation.SETUP_DURATION.plusMinutes(1));

		SetupStatus status = shell.run(new GetSetupStatus(EX01));

		assertThat(status.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(status.exitCode()).isEqualTo(1);
		assertThat(status.errors()).singleElement().asString().startsWith("[ERROR]").contains("Install-ExchangeCertificate");
	}

	@Test
	void aCmdletThatFailsIsAFailureWithExchangesMessageNotASuccess() {
		CommandFailedException e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
				() -> shell.run(new StartSetup(EX01, WindowsPath.of("D:\\Missing\\Setup.exe"), SetupMode.Upgrade,
						LicenseSwitch.Classic)));

		assertThat(e.getMessage()).isEqualTo("Set-Location on EX01 failed: Cannot find path 'D:\\Missing\\Setup.exe' "
				+ "because it does not exist.");
		assertThat(e.isTransient()).isFalse();
		assertThat(e.server()).isEqualTo(EX01);
	}

	@Test
	void aServerThatIsRestartingIsUnreachableAndThatIsTransient() {
		shell.run(new RestartComputer(EX02));

		assertThat(shell.run(new TestWSMan(EX02))).isEqualTo(new Reachability(EX02, false));
		CommandFailedException e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailedException.class,
				() -> shell.run(new GetQueue(EX02)));
		assertThat(e.isTransient()).isTrue();
		assertThat(e.getMessage()).contains("EX02");

		clock.advance(LabOrganisation.REBOOT_DURATION.plusSeconds(1));
		assertThat(shell.run(new TestWSMan(EX02))).isEqualTo(new Reachability(EX02, true));
	}

	@Test
	void theDirectoryAsksTheDirectoryServer() {
		ScriptedDirectory directory = new ScriptedDirectory(runner("Correct-Horse-7"), EX01);

		assertThat(directory.findServer(EX02)).contains(lab.describe(EX02).orElseThrow());
		assertThat(directory.findServer(ServerName.of("NOPE01"))).isEmpty();
		assertThat(directory.dagOf(EX02)).contains("DAG01");
		assertThat(directory.dagOf(ServerName.of("CAS01"))).isEmpty();
		assertThat(directory.dagMembers("DAG01")).extracting(ServerName::value)
				.containsExactly("EX01", "EX02", "EX03", "EX04");
		assertThat(directory.dagMembers("DAG99")).isEmpty();
		assertThat(directory.dagMembers("'; Remove-Item C:\\ -Recurse; '")).isEmpty();
		assertThat(powershell.commandsRun()).allMatch(line -> line.startsWith("EX01: "));
	}

	@Test
	void theScriptTextIsTheSameWhateverTheValues() {
		shell.run(new GetQueue(EX01));
		shell.run(new GetQueue(EX02));

		List<String> scripts = wsman.scripts();
		assertThat(scripts.get(0)).isNotEqualTo(scripts.get(1));
		assertThat(scripts.get(0).replaceAll("'[A-Za-z0-9+/=]+'\\)\\)", "''))"))
				.isEqualTo(scripts.get(1).replaceAll("'[A-Za-z0-9+/=]+'\\)\\)", "''))"))
				.isEqualTo(ExchangeScripts.forCommand(new GetQueue(EX01)).template().replace("'%PAYLOAD%'))", "''))"));
	}
}
