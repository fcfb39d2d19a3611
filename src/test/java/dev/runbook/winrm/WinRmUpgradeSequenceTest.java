package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.runbook.command.*;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * A whole mailbox-server upgrade, step by step as the runbook's procedure takes it, through the WinRM client, the
 * WS-Management double and the lab: what the processes will do once they run on this executor. Polls advance the
 * lab's clock instead of sleeping.
 */
class WinRmUpgradeSequenceTest {

	static final ServerName EX02 = ServerName.of("EX02");
	static final ServerName EX03 = ServerName.of("EX03");

	final LabClock.Manual clock = new LabClock.Manual();
	final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
	final WsmanDouble wsman = new WsmanDouble("CONTOSO", "svc-runbook", "Upgrade-Pass-5", new LabPowerShell(lab));
	final ScriptedShell shell = new ScriptedShell(new WinRmRunner(WinRmShellTest.properties(wsman.endpoint(),
			Duration.ofSeconds(20)), new WinRmCredentials("CONTOSO", "svc-runbook", "Upgrade-Pass-5")));

	@AfterEach
	void stop() {
		wsman.close();
	}

	@Test
	void aMailboxServerIsUpgradedWithoutAnOutage() {
		assertThat(shell.run(new GetExchangeServer(EX02)).build()).isEqualTo(ExchangeBuild.parse("15.0.1473.3"));

		// Drain transport
		shell.run(new SetServerComponentState(EX02, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		shell.run(new RestartService(EX02, WindowsService.MSExchangeTransport));
		shell.run(new RedirectMessage(EX02, EX03));
		poll(Duration.ofSeconds(30), () -> shell.run(new GetQueue(EX02)).messagesToDrain() == 0);

		// Move the databases away and keep them away
		shell.run(new SuspendClusterNode(EX02));
		shell.run(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked));
		shell.run(new SetDatabaseCopyActivationDisabledAndMoveNow(EX02, true));
		poll(Duration.ofSeconds(15), () -> shell.run(new GetMailboxDatabaseCopyStatus(EX02)).active().isEmpty());

		// Maintenance mode, as Microsoft's procedure verifies it
		shell.run(new SetServerComponentState(EX02, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance));
		assertThat(shell.run(new GetServerComponentState(EX02)).activeOtherThanMonitoring()).isEmpty();
		assertThat(shell.run(new GetClusterNode(EX02)).state()).isEqualTo(ClusterNodeState.Paused);

		// Setup, polled to its verdict, then the restart it asks for
		assertThat(shell.run(new TestPendingReboot(EX02)).pending()).isFalse();
		shell.run(new StartSetup(EX02, WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe"), SetupMode.Upgrade,
				LicenseSwitch.Classic));
		poll(Duration.ofMinutes(2), () -> shell.run(new GetSetupStatus(EX02)).state() != SetupStatus.State.Running);
		assertThat(shell.run(new GetSetupStatus(EX02)).state()).isEqualTo(SetupStatus.State.Succeeded);
		shell.run(new RestartComputer(EX02));
		assertThat(shell.run(new TestWSMan(EX02)).reachable()).isFalse();
		poll(Duration.ofSeconds(30), () -> shell.run(new TestWSMan(EX02)).reachable());

		// Back into service
		shell.run(new SetServerComponentState(EX02, Component.ServerWideOffline, ComponentState.Active, Requester.Maintenance));
		shell.run(new ResumeClusterNode(EX02));
		shell.run(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Unrestricted));
		shell.run(new SetDatabaseCopyActivationDisabledAndMoveNow(EX02, false));
		shell.run(new SetServerComponentState(EX02, Component.HubTransport, ComponentState.Active, Requester.Maintenance));
		shell.run(new RestartService(EX02, WindowsService.MSExchangeTransport));

		assertThat(shell.run(new GetExchangeServer(EX02)).build()).isEqualTo(ExchangeBuild.parse("15.0.1497.2"));
		assertThat(shell.run(new GetServerComponentState(EX02)).notActive()).isEmpty();
		assertThat(shell.run(new GetClusterNode(EX02)).state()).isEqualTo(ClusterNodeState.Up);
		assertThat(lab.outages()).isEmpty();
		assertThat(lab.everyDatabaseMounted()).isTrue();
	}

	/** Asks until the answer is yes, a simulated interval apart; at most a simulated two hours. */
	private void poll(Duration interval, BooleanSupplier done) {
		for (Duration waited = Duration.ZERO; !done.getAsBoolean(); waited = waited.plus(interval)) {
			assertThat(waited).as("waited in simulated time").isLessThan(Duration.ofHours(2));
			clock.advance(interval);
		}
	}
}
