package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.MailboxServerSettings;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.WindowsService;

/**
 * The seed runbook's steps, run by hand against the lab for each DAG member in turn, as an operator would: the lab
 * must let the procedure through without a database ever going without a mounted copy.
 */
class LabRollingUpgradeTest {

	private static final ExchangeBuild TARGET = ExchangeBuild.parse("15.0.1497.2");

	private final TestLab t = new TestLab();

	/** Polls like the runbook's wait loops; answers the simulated time it took. */
	private Duration waitUntil(BooleanSupplier done, Duration poll, Duration limit) {
		Instant start = t.clock.now();
		while (!done.getAsBoolean()) {
			assertThat(Duration.between(start, t.clock.now())).as("waited too long").isLessThan(limit);
			t.advance(poll);
		}
		return Duration.between(start, t.clock.now());
	}

	private void upgrade(ServerName server, ServerName redirectTarget) {
		// Enter maintenance, in the seed's order.
		t.run(new SetServerComponentState(server, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		t.run(new RestartService(server, WindowsService.MSExchangeTransport));
		t.run(new RedirectMessage(server, ServerName.of(t.lab.describe(redirectTarget).orElseThrow().fqdn())));
		Duration drain = waitUntil(() -> t.toDrain(server) == 0, Duration.ofSeconds(30), Duration.ofMinutes(15));
		t.run(new SuspendClusterNode(server));
		t.run(new SetDatabaseCopyActivationDisabledAndMoveNow(server, true));
		Duration move = waitUntil(() -> t.run(new GetMailboxDatabaseCopyStatus(server)).active().isEmpty(),
				Duration.ofSeconds(15), Duration.ofMinutes(10));
		t.run(new SetDatabaseCopyAutoActivationPolicy(server, AutoActivationPolicy.Blocked));
		t.run(new SetServerComponentState(server, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance));

		// The seed's four verifications.
		assertThat(t.run(new GetServerComponentState(server)).activeOtherThanMonitoring()).isEmpty();
		MailboxServerSettings settings = t.run(new GetMailboxServer(server));
		assertThat(settings.databaseCopyAutoActivationPolicy()).isEqualTo(AutoActivationPolicy.Blocked);
		assertThat(settings.databaseCopyActivationDisabledAndMoveNow()).isTrue();
		assertThat(t.run(new GetClusterNode(server)).state()).isEqualTo(ClusterNodeState.Paused);
		assertThat(t.toDrain(server)).isZero();

		// Upgrade and restart.
		assertThat(t.run(new TestPendingReboot(server)).pending()).isFalse();
		t.run(new StartSetup(server, LabSetupTest.CU23, SetupMode.Upgrade, LicenseSwitch.forTarget(TARGET, false)));
		Duration setup = waitUntil(() -> t.run(new GetSetupStatus(server)).state() != SetupStatus.State.Running,
				Duration.ofMinutes(2), Duration.ofHours(3));
		assertThat(t.run(new GetSetupStatus(server)).state()).isEqualTo(SetupStatus.State.Succeeded);
		assertThat(t.run(new GetExchangeServer(server)).build()).isEqualTo(TARGET);
		t.run(new RestartComputer(server));
		Duration restart = waitUntil(() -> t.run(new TestWSMan(server)).reachable(), Duration.ofSeconds(30), Duration.ofMinutes(30));

		// Leave maintenance, in the seed's order.
		t.run(new SetServerComponentState(server, Component.ServerWideOffline, ComponentState.Active, Requester.Maintenance));
		t.run(new ResumeClusterNode(server));
		t.run(new SetDatabaseCopyActivationDisabledAndMoveNow(server, false));
		t.run(new SetDatabaseCopyAutoActivationPolicy(server, AutoActivationPolicy.Unrestricted));
		t.run(new SetServerComponentState(server, Component.HubTransport, ComponentState.Active, Requester.Maintenance));
		t.run(new RestartService(server, WindowsService.MSExchangeTransport));

		assertThat(t.run(new GetServerComponentState(server)).notActive()).isEmpty();
		assertThat(t.run(new GetClusterNode(server)).state()).isEqualTo(ClusterNodeState.Up);
		assertThat(t.lab.outages()).as("after %s", server).isEmpty();
		assertThat(drain).isLessThanOrEqualTo(Duration.ofMinutes(5));
		assertThat(move).isLessThanOrEqualTo(Duration.ofMinutes(2));
		assertThat(setup).isEqualTo(LabOrganisation.SETUP_DURATION);
		assertThat(restart).isEqualTo(LabOrganisation.REBOOT_DURATION);
	}

	@Test
	void everyDagMemberIsUpgradedInTurnWithoutAnOutage() {
		upgrade(TestLab.EX01, TestLab.EX02);
		upgrade(TestLab.EX02, TestLab.EX03);
		upgrade(TestLab.EX03, TestLab.EX04);
		upgrade(TestLab.EX04, TestLab.EX01);

		assertThat(t.lab.servers()).filteredOn(s -> s.dag() != null)
				.allSatisfy(s -> assertThat(s.build()).isEqualTo(TARGET.toString()));
		assertThat(t.lab.everyDatabaseMounted()).isTrue();
		assertThat(t.lab.outages()).isEmpty();
		assertThat(t.lab.journal()).allSatisfy(e -> assertThat(e.succeeded()).as(e.command()).isTrue());
	}
}
