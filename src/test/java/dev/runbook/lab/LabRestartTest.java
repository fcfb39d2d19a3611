package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static dev.runbook.lab.TestLab.EX03;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.GetClusterNode;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.ExchangeCommand.TestPendingReboot;
import dev.runbook.command.ExchangeCommand.TestWSMan;
import dev.runbook.command.Requester;
import dev.runbook.command.WindowsService;

class LabRestartTest {

	private final TestLab t = new TestLab();

	private boolean reachable() {
		return t.run(new TestWSMan(EX01)).reachable();
	}

	@Test
	void aRestartingServerIsUnreachableForMinutesAndCommandsFailAsTransient() {
		t.run(new RestartComputer(EX01));

		assertThat(reachable()).isFalse();
		assertThat(t.view(EX01).reachable()).isFalse();
		assertThatThrownBy(() -> t.run(new GetQueue(EX01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("EX01").hasMessageContaining("not reachable")
				.satisfies(e -> {
					assertThat(((CommandFailedException) e).isTransient()).isTrue();
					assertThat(((CommandFailedException) e).server()).isEqualTo(EX01);
				});

		t.advance(LabOrganisation.REBOOT_DURATION.minusSeconds(1));
		assertThat(reachable()).isFalse();
		t.advanceSeconds(1);
		assertThat(reachable()).isTrue();
		assertThat(t.run(new GetQueue(EX01)).queues()).isNotEmpty();
	}

	@Test
	void aRestartClearsThePendingReboot() {
		TestLab lab = new TestLab(LabSetupTest.withCondition(new Topology.ServerCondition("EX01", null, true)));
		assertThat(lab.run(new TestPendingReboot(EX01)).pending()).isTrue();

		lab.run(new RestartComputer(EX01));
		lab.advance(LabOrganisation.REBOOT_DURATION);

		assertThat(lab.run(new TestPendingReboot(EX01)).pending()).isFalse();
		assertThat(lab.run(new TestPendingReboot(EX01)).reasons()).isEmpty();
	}

	@Test
	void restartingAServerThatIsAlreadyDownFailsAsTransient() {
		t.run(new RestartComputer(EX01));

		assertThatThrownBy(() -> t.run(new RestartComputer(EX01))).isInstanceOf(CommandFailedException.class)
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isTrue());
		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(reachable()).as("the first restart completes as planned").isTrue();
	}

	@Test
	void activeManagerFailsTheActiveCopiesOverBeforeTheServerGoesDown() {
		t.run(new RestartComputer(EX01));

		assertThat(t.mountedOn("DB01")).isEqualTo("EX02");
		assertThat(t.mountedOn("DB05")).isEqualTo("EX03");
		assertThat(t.lab.outages()).isEmpty();
		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(t.activeOn(EX01)).as("no automatic move back").isEmpty();
	}

	@Test
	void aPausedNodeReceivesNoFailover() {
		t.run(new SuspendClusterNode(EX02));
		t.run(new RestartComputer(EX01));

		assertThat(t.mountedOn("DB01")).isEqualTo("EX03");
		assertThat(t.lab.outages()).isEmpty();
	}

	@Test
	void aDatabaseWithoutAnotherAllowedCopyGoesDownWithItsServerAndComesBackWithIt() {
		t.run(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked));
		t.run(new SetDatabaseCopyAutoActivationPolicy(EX03, AutoActivationPolicy.Blocked));
		t.run(new RestartComputer(EX01));

		assertThat(t.mountedOn("DB01")).isNull();
		assertThat(t.lab.everyDatabaseMounted()).isFalse();
		assertThat(t.lab.outages()).singleElement().satisfies(o -> {
			assertThat(o.database()).isEqualTo("DB01");
			assertThat(o.to()).isNull();
			assertThat(o.reason()).contains("EX01");
		});

		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(t.mountedOn("DB01")).isEqualTo("EX01");
		assertThat(t.lab.outages()).singleElement().satisfies(o -> assertThat(Duration.between(o.from(), o.to()))
				.isEqualTo(LabOrganisation.REBOOT_DURATION));
	}

	@Test
	void maintenanceStateSurvivesTheRestart() {
		t.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		t.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		t.run(new SetServerComponentState(EX01, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance));
		t.run(new SuspendClusterNode(EX01));
		t.run(new RestartComputer(EX01));
		t.advance(LabOrganisation.REBOOT_DURATION.plusMinutes(30));

		assertThat(t.run(new GetServerComponentState(EX01)).activeOtherThanMonitoring()).isEmpty();
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Paused);
		assertThat(t.toDrain(EX01)).as("still draining, so no new mail").isZero();
	}

	@Test
	void theNodeIsDownWhileTheServerRestarts() {
		t.run(new RestartComputer(EX01));

		assertThat(t.view(EX01).clusterNode()).isEqualTo("Down");
		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Up);
		assertThat(t.view(EX03).activeDatabases()).contains("DB05");
	}
}
