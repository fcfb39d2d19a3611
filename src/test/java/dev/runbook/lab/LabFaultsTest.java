package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.GetClusterNode;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsService;

class LabFaultsTest {

	private final TestLab t = new TestLab();

	private void assertFailsAsTransient(String message) {
		assertThatThrownBy(() -> t.run(new GetServerComponentState(EX01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("EX01").hasMessageContaining(message)
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isTrue());
	}

	@Test
	void aTransientErrorFailsAsManyCommandsAsToldThenTheServerAnswers() {
		t.lab.injectFault(EX01, LabFault.TRANSIENT_ERROR, 2);

		assertFailsAsTransient("WS-Management service cannot process the request");
		assertThat(t.lab.faults().get(EX01)).containsEntry(LabFault.TRANSIENT_ERROR, 1);
		assertFailsAsTransient("WS-Management service cannot process the request");
		assertThat(t.run(new GetServerComponentState(EX01)).components()).isNotEmpty();
		assertThat(t.run(new GetServerComponentState(EX02)).components()).as("other servers are not affected").isNotEmpty();
	}

	@Test
	void aTimeoutFailsAsManyCommandsAsTold() {
		t.lab.injectFault(EX01, LabFault.TIMEOUT, 1);

		assertFailsAsTransient("timed out");
		assertThat(t.run(new GetServerComponentState(EX01)).components()).isNotEmpty();
	}

	@Test
	void aServerWhoseFaultsAreUsedUpIsNoLongerListed() {
		t.lab.injectFault(EX01, LabFault.TIMEOUT, 1);
		assertFailsAsTransient("timed out");

		assertThat(t.lab.faults()).isEmpty();
	}

	@Test
	void faultsOfTheSameKindAddUp() {
		t.lab.injectFault(EX01, LabFault.TIMEOUT, 1);
		t.lab.injectFault(EX01, LabFault.TIMEOUT, 2);

		assertThat(t.lab.faults().get(EX01)).containsEntry(LabFault.TIMEOUT, 3);
	}

	@Test
	void aServerThatDoesNotReturnAfterItsRestartStaysUnreachable() {
		t.lab.injectFault(EX01, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		t.run(new RestartComputer(EX01));
		t.advance(Duration.ofHours(2));

		assertThat(t.view(EX01).reachable()).isFalse();
		assertThatThrownBy(() -> t.run(new GetQueue(EX01))).isInstanceOf(CommandFailedException.class)
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isTrue());
		assertThat(t.lab.outages()).as("its databases failed over").isEmpty();
	}

	@Test
	void aStuckQueueNeitherDrainsNorMovesWithRedirectMessage() {
		t.lab.injectFault(EX01, LabFault.QUEUE_STUCK, 1000);
		t.run(new SetServerComponentState(EX01, Component.HubTransport,
				ComponentState.Draining, Requester.Maintenance));
		t.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		t.run(new RedirectMessage(EX01, EX02));

		t.advance(Duration.ofMinutes(30));
		assertThat(t.run(new GetQueue(EX01)).queues()).filteredOn(q -> q.status().equals("Retry")).singleElement()
				.satisfies(q -> {
					assertThat(q.messageCount()).isEqualTo(LabOrganisation.STUCK_MESSAGES);
					assertThat(q.countsForDrain()).isTrue();
				});
		assertThat(t.toDrain(EX01)).isEqualTo(LabOrganisation.STUCK_MESSAGES);
	}

	@Test
	void aStuckQueueShowsInAsManyGetQueueAnswersAsToldThenItsMessagesGo() {
		t.lab.injectFault(EX01, LabFault.QUEUE_STUCK, 3);

		for (int poll = 1; poll <= 3; poll++) {
			assertThat(t.toDrain(EX01)).as("poll %d", poll).isGreaterThanOrEqualTo(LabOrganisation.STUCK_MESSAGES);
			t.advanceSeconds(30);
		}
		assertThat(t.run(new GetQueue(EX01)).queues()).noneMatch(q -> q.status().equals("Retry"));
		assertThat(t.lab.faults()).isEmpty();
		assertThat(t.view(EX01).queuedMessages()).as("the lab view reads without using the fault up").isLessThan(LabOrganisation.STUCK_MESSAGES);
	}

	@Test
	void readingTheLabViewDoesNotUseUpAStuckQueue() {
		t.lab.injectFault(EX01, LabFault.QUEUE_STUCK, 1);
		for (int i = 0; i < 5; i++) {
			assertThat(t.view(EX01).queuedMessages()).isGreaterThanOrEqualTo(LabOrganisation.STUCK_MESSAGES);
		}
		assertThat(t.toDrain(EX01)).isGreaterThanOrEqualTo(LabOrganisation.STUCK_MESSAGES);
		assertThat(t.toDrain(EX01)).isLessThan(LabOrganisation.STUCK_MESSAGES);
	}

	@Test
	void clearingTheFaultsDeliversStuckMessages() {
		t.lab.injectFault(EX01, LabFault.QUEUE_STUCK, 1000);
		t.lab.injectFault(EX01, LabFault.TIMEOUT, 5);
		t.lab.clearFaults();

		assertThat(t.lab.faults()).isEmpty();
		assertThat(t.run(new GetQueue(EX01)).queues()).noneMatch(q -> q.status().equals("Retry"));
	}

	@Test
	void aClusterNodeDownLosesItsActiveCopiesAndRefusesToBePaused() {
		t.lab.injectFault(EX01, LabFault.CLUSTER_NODE_DOWN, 1);

		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Down);
		assertThat(t.mountedOn("DB01")).isEqualTo("EX02");
		assertThat(t.mountedOn("DB05")).isEqualTo("EX03");
		assertThat(t.lab.outages()).isEmpty();
		assertThatThrownBy(() -> t.run(new SuspendClusterNode(EX01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("the cluster node EX01 is down")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
		assertThat(t.run(new GetQueue(EX01)).queues()).as("Exchange itself still answers").isNotEmpty();
	}

	@Test
	void aClusterNodeDownReceivesNoDatabase() {
		t.lab.injectFault(EX02, LabFault.CLUSTER_NODE_DOWN, 1);
		t.run(new SetDatabaseCopyActivationDisabledAndMoveNow(EX01, true));
		t.advance(Duration.ofMinutes(2));

		assertThat(t.mountedOn("DB01")).isEqualTo("EX03");
	}

	/** Out of the cluster, the server's Active Manager cannot keep databases mounted that no one else may take. */
	@Test
	void aClusterNodeDownDismountsWhatCannotFailOver() {
		t.run(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked));
		t.run(new SetDatabaseCopyAutoActivationPolicy(TestLab.EX03, AutoActivationPolicy.Blocked));
		t.lab.injectFault(EX01, LabFault.CLUSTER_NODE_DOWN, 1);

		assertThat(t.mountedOn("DB01")).isNull();
		assertThat(t.lab.outages()).singleElement().satisfies(o -> assertThat(o.database()).isEqualTo("DB01"));
	}

	@Test
	void theClusterNodeStaysDownThroughAsManyRestartsAsTold() {
		t.lab.injectFault(EX01, LabFault.CLUSTER_NODE_DOWN, 2);
		assertThat(t.lab.faults().get(EX01)).containsEntry(LabFault.CLUSTER_NODE_DOWN, 2);

		t.run(new RestartComputer(EX01));
		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Down);
		assertThat(t.lab.faults().get(EX01)).containsEntry(LabFault.CLUSTER_NODE_DOWN, 1);

		t.run(new RestartComputer(EX01));
		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Up);
		assertThat(t.lab.faults()).isEmpty();
	}

	/** DELETE /api/lab/faults is the operator repairing what the faults broke, not only forgetting what is pending. */
	@Test
	void clearingTheFaultsPowersAHungServerOnAndStartsAStoppedClusterService() {
		t.lab.injectFault(EX01, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		t.run(new RestartComputer(EX01));
		t.lab.injectFault(EX02, LabFault.CLUSTER_NODE_DOWN, 3);
		t.advance(Duration.ofHours(1));

		t.lab.clearFaults();

		assertThat(t.run(new GetClusterNode(EX02)).state()).isEqualTo(ClusterNodeState.Up);
		assertThat(t.view(EX01).reachable()).as("booting").isFalse();
		t.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(t.view(EX01).reachable()).isTrue();
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Up);
		assertThat(t.lab.faults()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(LabFault.class)
	void faultsAreNamedInTheLabApiByTheirId(LabFault fault) {
		assertThat(fault.id()).matches("[a-z]+(-[a-z]+)*");
		assertThat(LabFault.fromId(fault.id())).isEqualTo(fault);
	}

	@Test
	void theFaultIdsAreTheOnesTheLabApiDocuments() {
		assertThat(Arrays.stream(LabFault.values()).map(LabFault::id)).containsExactly("queue-stuck", "database-move-fails",
				"setup-fails", "transient-error", "timeout", "no-return-after-reboot", "cluster-node-down",
				"healthcheck-fails", "port-blocked", "defender-exclusions-missing", "replication-lagging",
				"content-index-failed", "copy-failed", "ad-not-replicated", "cluster-resource-fails", "application-log-errors",
				"service-pack-needs-restart");
		assertThatThrownBy(() -> LabFault.fromId("disk-full")).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("Unknown fault 'disk-full'").hasMessageContaining("queue-stuck, database-move-fails");
	}

	@Test
	void aFaultNeedsAServerOfTheLabAndAtLeastOneTime() {
		assertThatThrownBy(() -> t.lab.injectFault(ServerName.of("EX09"), LabFault.TIMEOUT, 1))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no server EX09");
		assertThatThrownBy(() -> t.lab.injectFault(EX01, LabFault.TIMEOUT, 0))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
		assertThat(t.lab.faults()).isEmpty();
	}
}
