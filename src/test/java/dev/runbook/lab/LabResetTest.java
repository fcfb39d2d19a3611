package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static dev.runbook.lab.TestLab.EX03;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.StartSetup;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;

class LabResetTest {

	private final TestLab t = new TestLab();

	/** EX01 in maintenance, EX02 in setup, EX03 restarting with its databases down, faults pending. */
	private void makeAMess() {
		t.run(new SetServerComponentState(EX01, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance));
		t.run(new SuspendClusterNode(EX01));
		t.run(new SetDatabaseCopyActivationDisabledAndMoveNow(EX01, true));
		t.run(new SetDatabaseCopyAutoActivationPolicy(EX01, AutoActivationPolicy.Blocked));
		t.run(new StartSetup(EX02, LabSetupTest.CU23, SetupMode.Upgrade, LicenseSwitch.Classic));
		t.run(new SetDatabaseCopyAutoActivationPolicy(TestLab.EX04, AutoActivationPolicy.Blocked));
		t.run(new RestartComputer(EX03));
		t.lab.injectFault(EX03, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		t.lab.injectFault(EX01, LabFault.QUEUE_STUCK, 50);
		t.lab.injectFault(TestLab.EX04, LabFault.CLUSTER_NODE_DOWN, 1);
		t.advance(Duration.ofMinutes(1));
	}

	@Test
	void resetRestoresAHealthyOrganisation() {
		makeAMess();
		assertThat(t.lab.outages()).isNotEmpty();

		t.lab.reset(Topology.bundledDefault());

		assertThat(t.lab.journal()).isEmpty();
		assertThat(t.lab.faults()).isEmpty();
		assertThat(t.lab.outages()).isEmpty();
		assertThat(t.lab.everyDatabaseMounted()).isTrue();
		assertThat(t.lab.databases()).allSatisfy(db -> assertThat(db.mountedOn()).isEqualTo(db.copies().get(0).server()));
		assertThat(t.lab.servers()).hasSize(6).allSatisfy(s -> {
			assertThat(s.reachable()).isTrue();
			assertThat(s.build()).isEqualTo("15.0.1473.3");
			assertThat(s.setup()).isEqualTo("NotStarted");
			assertThat(s.pendingReboot()).isFalse();
			assertThat(s.components()).containsEntry("ServerWideOffline", "Active").containsEntry("HubTransport", "Active");
		});
		assertThat(t.lab.servers()).filteredOn(s -> s.dag() != null).allSatisfy(s -> {
			assertThat(s.clusterNode()).isEqualTo("Up");
			assertThat(s.autoActivationPolicy()).isEqualTo("Unrestricted");
			assertThat(s.activationDisabledAndMoveNow()).isFalse();
		});
		assertThat(t.run(new GetServerComponentState(EX01)).notActive()).isEmpty();
		assertThat(t.run(new GetQueue(EX01)).queues()).noneMatch(q -> q.status().equals("Retry"));
	}

	@Test
	void whatWasUnderWayBeforeTheResetDoesNotFinishAfterIt() {
		makeAMess();
		t.lab.reset(Topology.bundledDefault());
		t.advance(Duration.ofHours(2));

		assertThat(t.view(EX02).build()).isEqualTo("15.0.1473.3");
		assertThat(t.view(EX02).setup()).isEqualTo("NotStarted");
		assertThat(t.activeOn(EX01)).containsExactly("DB01", "DB05");
		assertThat(t.lab.journal()).isEmpty();
	}

	@Test
	void resetBuildsAnotherOrganisation() throws Exception {
		t.lab.reset(TopologyTest.read(TopologyTest.document(TopologyTest.DAG, TopologyTest.CAS, TopologyTest.MEDIA, "")));

		assertThat(t.lab.servers()).extracting(LabServerView::name).containsExactly("MBX1", "MBX2", "CAS1");
		assertThat(t.lab.topology().organisation()).isEqualTo("Fabrikam");
		assertThat(t.lab.server(EX01)).isEmpty();
	}

	@Test
	void aDocumentTheLabCannotBuildLeavesTheLabAsItWas() {
		t.run(new GetQueue(EX01));
		Topology.Database noCopies = new Topology.Database("DB9", List.of());
		Topology broken = new Topology("Broken", null, "15.0.1473.3", null,
				List.of(new Topology.Dag("DAG9", null, List.of("MBX9"), List.of(noCopies))), null, null);

		assertThatThrownBy(() -> t.lab.reset(broken)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("DB9 has no copies");

		assertThat(t.lab.topology().organisation()).isEqualTo("Contoso");
		assertThat(t.lab.journal()).hasSize(1);
		assertThat(t.lab.servers()).hasSize(6);
		assertThat(t.lab.server(ServerName.of("MBX9"))).isEmpty();
	}
}
