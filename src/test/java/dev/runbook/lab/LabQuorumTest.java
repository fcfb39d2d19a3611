package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.runbook.command.ClusterNode;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ClusterNodes;
import dev.runbook.command.ClusterQuorum;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.QuorumVotes;
import dev.runbook.command.ReplicationHealth;
import dev.runbook.command.ServerName;

/** What the quorum and redundancy pre-flight reads: cluster nodes, quorum, Test-ReplicationHealth, copy health. */
class LabQuorumTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName EX02 = ServerName.of("EX02");
	private static final ServerName EX03 = ServerName.of("EX03");
	private static final DagName DAG01 = DagName.of("DAG01");

	private final LabClock.Manual clock = new LabClock.Manual();

	private static Topology topology(String json) throws IOException {
		return Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
	}

	/** Two members sharing one database, and a third server outside the DAG to run commands from. */
	private static Topology twoMembers(boolean witnessOffline) throws IOException {
		return topology("""
				{"build": "15.0.1473.3",
				 "dags": [{"name": "DAG02", "witnessServer": "FS01", "witnessOffline": %s, "members": ["MB01", "MB02"],
				           "databases": [{"name": "DB10", "copies": ["MB01", "MB02"]}]}],
				 "clientAccess": [{"name": "CAS01", "nlbCluster": "NLB01"}]}
				""".formatted(witnessOffline));
	}

	@Test
	void theBundledDagKeepsQuorumWithAnyOneMemberDown() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		ClusterNodes nodes = lab.execute(new GetClusterNodes(EX01, DAG01));
		ClusterQuorum quorum = lab.execute(new GetClusterQuorum(EX01, DAG01));

		assertThat(nodes.nodes()).extracting(ClusterNode::name).containsExactly("EX01", "EX02", "EX03", "EX04");
		assertThat(nodes.nodes()).allMatch(n -> n.state() == ClusterNodeState.Up && n.cluster().equals("DAG01"));
		assertThat(quorum.quorumType()).isEqualTo(ClusterQuorum.QuorumType.NodeAndFileShareMajority);
		assertThat(quorum.quorumResource()).isEqualTo("File Share Witness (\\\\FS01\\DAG01.contoso.local)");
		assertThat(quorum.witnessOnline()).isTrue();
		for (ServerName member : lab.execute(new GetDatabaseAvailabilityGroup(EX01, DAG01)).servers()) {
			assertThat(QuorumVotes.withMemberDown(nodes, quorum, member)).isEqualTo(new QuorumVotes(5, 4));
		}
	}

	@Test
	void aPausedMemberIsReportedPausedAndStillVotes() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.execute(new SuspendClusterNode(EX02));

		ClusterNodes nodes = lab.execute(new GetClusterNodes(EX01, DAG01));

		assertThat(nodes.node(EX02).orElseThrow().state()).isEqualTo(ClusterNodeState.Paused);
		assertThat(QuorumVotes.now(nodes, lab.execute(new GetClusterQuorum(EX01, DAG01))).present()).isEqualTo(5);
	}

	@Test
	void twoMembersWithAnOfflineWitnessWouldLoseQuorumWithOneDown() throws IOException {
		LabOrganisation lab = new LabOrganisation(twoMembers(true), clock);
		ServerName mb01 = ServerName.of("MB01");
		ClusterNodes nodes = lab.execute(new GetClusterNodes(mb01, DagName.of("DAG02")));
		ClusterQuorum quorum = lab.execute(new GetClusterQuorum(mb01, DagName.of("DAG02")));
		ReplicationHealth health = lab.execute(new TestReplicationHealth(mb01));

		assertThat(quorum.witnessState()).isEqualTo(ClusterQuorum.ResourceState.Failed);
		assertThat(QuorumVotes.now(nodes, quorum).hasMajority()).isTrue();
		assertThat(QuorumVotes.withMemberDown(nodes, quorum, ServerName.of("MB02")).hasMajority()).isFalse();
		assertThat(health.failed()).extracting(ReplicationHealth.Check::check).containsExactly("FileShareQuorum");
	}

	@Test
	void withTheWitnessOnlineTwoMembersKeepQuorumButADatabaseWouldLoseItsLastHealthyCopy() throws IOException {
		LabOrganisation lab = new LabOrganisation(twoMembers(false), clock);
		ServerName mb01 = ServerName.of("MB01");
		ClusterNodes nodes = lab.execute(new GetClusterNodes(mb01, DagName.of("DAG02")));
		ClusterQuorum quorum = lab.execute(new GetClusterQuorum(mb01, DagName.of("DAG02")));

		assertThat(QuorumVotes.withMemberDown(nodes, quorum, ServerName.of("MB02")).hasMajority()).isTrue();
		assertThat(lab.execute(new TestReplicationHealth(mb01)).failed()).isEmpty();

		lab.execute(new RestartComputer(ServerName.of("MB02")));
		ReplicationHealth whileDown = lab.execute(new TestReplicationHealth(mb01));

		assertThat(whileDown.failed()).extracting(ReplicationHealth.Check::check)
				.containsExactly("DagMembersUp", "DatabaseRedundancy", "DatabaseAvailability");
		assertThat(whileDown.failed().get(1).error()).contains("DB10");
	}

	@Test
	void anOddDagUsesNodeMajorityWithoutAWitness() throws IOException {
		LabOrganisation lab = new LabOrganisation(topology("""
				{"build": "15.0.1473.3",
				 "dags": [{"name": "DAG03", "witnessServer": "FS01", "members": ["MB01", "MB02", "MB03"],
				           "databases": [{"name": "DB20", "copies": ["MB01", "MB02", "MB03"]}]}]}
				"""), clock);

		ClusterQuorum quorum = lab.execute(new GetClusterQuorum(ServerName.of("MB01"), DagName.of("DAG03")));

		assertThat(quorum.quorumType()).isEqualTo(ClusterQuorum.QuorumType.NodeMajority);
		assertThat(quorum.hasWitness()).isFalse();
		assertThat(quorum.quorumResource()).isNull();
	}

	@Test
	void aMemberWhoseClusterNodeStartsDownCostsAVoteAndFailsDagMembersUp() throws IOException {
		LabOrganisation lab = new LabOrganisation(topology("""
				{"build": "15.0.1473.3",
				 "dags": [{"name": "DAG01", "witnessServer": "FS01", "members": ["EX01", "EX02", "EX03", "EX04"],
				           "databases": [{"name": "DB01", "copies": ["EX01", "EX02"]}]}],
				 "conditions": [{"server": "EX01", "clusterNodeDown": true}]}
				"""), clock);

		ClusterNodes nodes = lab.execute(new GetClusterNodes(EX02, DAG01));
		ClusterQuorum quorum = lab.execute(new GetClusterQuorum(EX02, DAG01));

		assertThat(nodes.node(EX01).orElseThrow().state()).isEqualTo(ClusterNodeState.Down);
		assertThat(lab.execute(new GetDatabaseAvailabilityGroup(EX02, DAG01)).primaryActiveManager()).isEqualTo(EX02);
		assertThat(lab.databases().get(0).mountedOn()).isEqualTo("EX02");
		assertThat(QuorumVotes.withMemberDown(nodes, quorum, EX03)).isEqualTo(new QuorumVotes(5, 3));
		assertThat(lab.execute(new TestReplicationHealth(EX02)).failed()).extracting(ReplicationHealth.Check::check)
				.contains("DagMembersUp", "DatabaseRedundancy");
	}

	@Test
	void theHealthyBundledDagPassesEveryReplicationCheck() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		ReplicationHealth health = lab.execute(new TestReplicationHealth(EX03));

		assertThat(health.checks()).extracting(ReplicationHealth.Check::check).contains("QuorumGroup", "FileShareQuorum",
				"DatabaseRedundancy", "DatabaseAvailability", "DBLogCopyKeepingUp", "TcpListener");
		assertThat(health.failed()).isEmpty();
	}

	@Test
	void replicationHealthIsOnlyForDagMembers() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		assertThatThrownBy(() -> lab.execute(new TestReplicationHealth(ServerName.of("CAS01"))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("not a member of a database availability group");
	}

	@Test
	void aLaggingServerShowsQueuesAboveThePreflightLimitsUntilTheFaultIsCleared() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.injectFault(EX02, LabFault.REPLICATION_LAGGING, 1);

		DatabaseCopies db01 = lab.execute(new GetDatabaseCopies(EX01, DatabaseName.of("db01")));
		DatabaseCopies.Copy onEx02 = db01.copies().get(1);

		assertThat(db01.copies()).extracting(DatabaseCopies.Copy::name).containsExactly("DB01\\EX01", "DB01\\EX02", "DB01\\EX03");
		assertThat(db01.copies()).extracting(DatabaseCopies.Copy::activationPreference).containsExactly(1, 2, 3);
		assertThat(onEx02.copyQueueLength()).isEqualTo(LabOrganisation.LAGGING_COPY_QUEUE).isGreaterThan(10);
		assertThat(onEx02.replayQueueLength()).isEqualTo(LabOrganisation.LAGGING_REPLAY_QUEUE).isGreaterThan(100);
		assertThat(db01.copies().get(2).copyQueueLength()).isLessThanOrEqualTo(10);
		assertThat(lab.execute(new TestReplicationHealth(EX02)).failed()).extracting(ReplicationHealth.Check::check)
				.containsExactly("DBLogCopyKeepingUp", "DBLogReplayKeepingUp");
		// A read does not use the fault up.
		assertThat(lab.execute(new GetDatabaseCopies(EX01, DatabaseName.of("DB01"))).copies().get(1).copyQueueLength())
				.isEqualTo(LabOrganisation.LAGGING_COPY_QUEUE);

		lab.clearFaults();
		assertThat(lab.execute(new GetDatabaseCopies(EX01, DatabaseName.of("DB01"))).copies().get(1).copyQueueLength())
				.isLessThanOrEqualTo(10);
	}

	@Test
	void aFailedContentIndexShowsOnEveryCopyOfTheServer() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.injectFault(EX01, LabFault.CONTENT_INDEX_FAILED, 1);

		DatabaseCopies onEx01 = lab.execute(new GetMailboxDatabaseCopyStatus(EX01));

		assertThat(onEx01.copies()).isNotEmpty().allMatch(c -> c.contentIndexState().equals("Failed"));
		assertThat(lab.execute(new GetMailboxDatabaseCopyStatus(EX02)).copies()).allMatch(c -> c.contentIndexState().equals("Healthy"));
	}

	@Test
	void aFailedCopyIsNeverWhereADatabaseFailsOverTo() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.injectFault(EX02, LabFault.COPY_FAILED, 1);

		lab.execute(new RestartComputer(EX01));

		assertThat(lab.execute(new GetDatabaseCopies(EX03, DatabaseName.of("DB04"))).copies().get(2).status()).isEqualTo("Failed");
		// DB01's preference 2 is EX02, whose copy has failed: it goes to EX03 instead.
		assertThat(lab.databases()).filteredOn(db -> db.name().equals("DB01")).first()
				.extracting(LabDatabaseView::mountedOn).isEqualTo("EX03");
		assertThat(lab.execute(new TestReplicationHealth(EX02)).failed()).extracting(ReplicationHealth.Check::check)
				.contains("DBCopyFailed");
	}

	@Test
	void copiesOfAnUnknownDatabaseAreAClearFailure() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		assertThatThrownBy(() -> lab.execute(new GetDatabaseCopies(EX01, DatabaseName.of("DB99"))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("'DB99' couldn't be found");
	}
}
