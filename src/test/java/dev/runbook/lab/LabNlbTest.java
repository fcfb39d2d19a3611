package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Done;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.NlbClusterNode;
import dev.runbook.command.NlbNodeState;
import dev.runbook.command.ServerName;

/** The NLB node of a Client Access server: drain-stop, start, suspend and resume, and what a reboot does to each. */
class LabNlbTest {

	private static final ServerName CAS01 = ServerName.of("CAS01");
	private static final ServerName CAS02 = ServerName.of("CAS02");

	private final LabClock.Manual clock = new LabClock.Manual();
	private final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

	private NlbNodeState state(ServerName server) {
		return lab.execute(new GetNlbClusterNode(server)).state();
	}

	@Test
	void everyClientAccessServerStartsConvergedInItsCluster() {
		NlbClusterNode node = lab.execute(new GetNlbClusterNode(CAS01));

		assertThat(node).isEqualTo(new NlbClusterNode("CAS01", "NLB01", NlbNodeState.Converged));
		assertThat(node.handlesTraffic()).isTrue();
	}

	@Test
	void aDrainTakesSimulatedTimeThenTheNodeIsStopped() {
		Done done = lab.execute(new StopNlbClusterNode(CAS01, 20));

		assertThat(done.message()).contains("draining for up to 20 minutes");
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Draining);
		clock.advance(LabOrganisation.NLB_DRAIN_DURATION.minusSeconds(1));
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Draining);
		clock.advance(Duration.ofSeconds(1));
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Stopped);
		assertThat(state(CAS02)).isEqualTo(NlbNodeState.Converged);
		assertThat(lab.server(CAS01).orElseThrow().nlbNode()).isEqualTo("Stopped");
	}

	@Test
	void aShortTimeoutCutsTheDrain() {
		lab.execute(new StopNlbClusterNode(CAS01, 2));

		clock.advance(Duration.ofMinutes(2));

		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Stopped);
	}

	@Test
	void stoppingTwiceChangesNothingAndDoesNotRestartTheDrain() {
		lab.execute(new StopNlbClusterNode(CAS01, 20));
		clock.advance(Duration.ofMinutes(4));

		assertThat(lab.execute(new StopNlbClusterNode(CAS01, 20)).message()).contains("already draining");
		clock.advance(Duration.ofMinutes(1));
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Stopped);
		assertThat(lab.execute(new StopNlbClusterNode(CAS01, 20)).message()).contains("already stopped");
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Stopped);
	}

	@Test
	void startingDuringADrainKeepsTheNodeConverged() {
		lab.execute(new StopNlbClusterNode(CAS01, 20));
		clock.advance(Duration.ofMinutes(1));

		lab.execute(new StartNlbClusterNode(CAS01));
		clock.advance(Duration.ofMinutes(10));

		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Converged);
		assertThat(lab.execute(new StartNlbClusterNode(CAS01)).message()).contains("already converged");
	}

	@Test
	void aStoppedNodeRejoinsTheClusterWhenTheServerRestarts() {
		lab.execute(new StopNlbClusterNode(CAS01, 20));
		clock.advance(LabOrganisation.NLB_DRAIN_DURATION);

		lab.execute(new RestartComputer(CAS01));
		assertThatThrownBy(() -> state(CAS01)).isInstanceOf(CommandFailedException.class)
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isTrue());
		clock.advance(LabOrganisation.REBOOT_DURATION);

		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Converged);
	}

	@Test
	void aSuspendedNodeStaysOutAcrossARestartUntilResumedAndStarted() {
		lab.execute(new StopNlbClusterNode(CAS01, 20));
		clock.advance(LabOrganisation.NLB_DRAIN_DURATION);
		lab.execute(new SuspendNlbClusterNode(CAS01));
		lab.execute(new RestartComputer(CAS01));
		clock.advance(LabOrganisation.REBOOT_DURATION);

		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Suspended);
		assertThatThrownBy(() -> lab.execute(new StartNlbClusterNode(CAS01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("suspended").hasMessageContaining("Resume-NlbClusterNode first");
		assertThatThrownBy(() -> lab.execute(new StopNlbClusterNode(CAS01, 5))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("WLBS_SUSPENDED");
		assertThat(lab.execute(new SuspendNlbClusterNode(CAS01)).message()).contains("already suspended");

		lab.execute(new ResumeNlbClusterNode(CAS01));
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Stopped);
		lab.execute(new StartNlbClusterNode(CAS01));
		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Converged);
		assertThat(lab.execute(new ResumeNlbClusterNode(CAS01)).message()).contains("not suspended");
	}

	@Test
	void suspendingCutsADrainShort() {
		lab.execute(new StopNlbClusterNode(CAS01, 20));
		lab.execute(new SuspendNlbClusterNode(CAS01));
		clock.advance(Duration.ofMinutes(10));

		assertThat(state(CAS01)).isEqualTo(NlbNodeState.Suspended);
	}

	@Test
	void aServerOutsideAnyNlbClusterIsRefusedClearly() {
		assertThatThrownBy(() -> lab.execute(new StopNlbClusterNode(ServerName.of("EX01"), 10)))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("not a member of a Network Load Balancing cluster")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
	}

	@Test
	void theJournalRecordsTheNlbChangesAsChanges() {
		lab.execute(new GetNlbClusterNode(CAS01));
		lab.execute(new StopNlbClusterNode(CAS01, 15));
		lab.execute(new StartNlbClusterNode(CAS01));

		assertThat(lab.journal()).extracting(JournalEntry::command).containsExactly(
				"Get-NlbClusterNode -HostName 'CAS01' -NodeName 'CAS01'", "Stop-NlbClusterNode -HostName 'CAS01' -Drain -Timeout 15",
				"Start-NlbClusterNode -HostName 'CAS01'");
		assertThat(lab.journal()).extracting(JournalEntry::changesState).containsExactly(false, true, true);
	}
}
