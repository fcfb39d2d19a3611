package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What the results of the discovery and practice reads compute for the pre-flight. */
class RolloutResultsTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName EX02 = ServerName.of("EX02");
	private static final ServerName EX03 = ServerName.of("EX03");

	@Test
	void aDatabaseMountedAwayFromItsFirstPreferenceIsOneARebalanceMovesBack() {
		var onPreferred = new MailboxDatabases.MailboxDatabase(DatabaseName.of("DB01"), "DAG01", EX01, true,
				List.of(EX01, EX02), "D:\\ExchangeDatabases\\DB01\\DB01.edb", "E:\\ExchangeLogs\\DB01");
		var moved = new MailboxDatabases.MailboxDatabase(DatabaseName.of("DB02"), "DAG01", EX01, true,
				List.of(EX02, EX01), "D:\\DB\\DB02.edb", "E:\\Logs\\DB02");
		var dismounted = new MailboxDatabases.MailboxDatabase(DatabaseName.of("DB03"), "dag01", null, false,
				List.of(EX03), "D:\\DB\\DB03.edb", "E:\\Logs\\DB03");
		var elsewhere = new MailboxDatabases.MailboxDatabase(DatabaseName.of("DB09"), "DAG02", EX01, true,
				List.of(EX02), "D:\\DB\\DB09.edb", "E:\\Logs\\DB09");
		MailboxDatabases all = new MailboxDatabases(List.of(onPreferred, moved, dismounted, elsewhere));

		assertThat(onPreferred.awayFromPreferredServer()).isFalse();
		assertThat(moved.awayFromPreferredServer()).isTrue();
		assertThat(moved.preferredServer()).isEqualTo(EX02);
		assertThat(dismounted.awayFromPreferredServer()).isFalse();
		assertThat(onPreferred.folders()).containsExactly("D:\\ExchangeDatabases\\DB01", "E:\\ExchangeLogs\\DB01");
		assertThat(all.inAvailabilityGroup(DagName.of("DAG01"))).containsExactly(onPreferred, moved, dismounted);
		assertThat(all.named(DatabaseName.of("db02"))).contains(moved);
		assertThat(all.named(DatabaseName.of("DB99"))).isEmpty();
	}

	@Test
	void findsServersByRoleIncludingMultiRoleOnes() {
		var mailbox = new ExchangeServerInfo(EX01, "ex01.contoso.local", List.of("Mailbox"), "Version 15.0 (Build 1473.3)", "Site");
		var cas = new ExchangeServerInfo(ServerName.of("CAS01"), "cas01.contoso.local", List.of("ClientAccess"),
				"Version 15.0 (Build 1473.3)", "Site");
		var both = new ExchangeServerInfo(EX02, "ex02.contoso.local", List.of("ClientAccess", "Mailbox"),
				"Version 15.0 (Build 1497.2)", "Site");
		ExchangeServers servers = new ExchangeServers(List.of(mailbox, cas, both));

		assertThat(servers.withRole(ExchangeServers.MAILBOX)).containsExactly(mailbox, both);
		assertThat(servers.withRole(ExchangeServers.CLIENT_ACCESS)).containsExactly(cas, both);
	}

	@Test
	void aMemberWhoseClusterServiceDoesNotRunIsNotOperational() {
		DatabaseAvailabilityGroup dag = new DatabaseAvailabilityGroup(DagName.of("DAG01"), List.of(EX01, EX02, EX03),
				ServerName.of("FS01"), "C:\\DAGFileShareWitnesses\\DAG01.contoso.local", List.of(EX01, EX03), EX01, 64327);

		assertThat(dag.notOperational()).containsExactly(EX02);
	}

	@Test
	void findsTheClusterNodeOfAServerByItsShortName() {
		ClusterNodes nodes = new ClusterNodes("DAG01", List.of(new ClusterNode("EX01", "DAG01", ClusterNodeState.Up),
				new ClusterNode("EX02", "DAG01", ClusterNodeState.Paused)));

		assertThat(nodes.node(ServerName.of("ex02.contoso.local")).map(ClusterNode::state)).contains(ClusterNodeState.Paused);
		assertThat(nodes.node(ServerName.of("EX09"))).isEmpty();
	}

	@Test
	void namesTheAdaptersWithoutIpv6() {
		AdapterBindings bindings = new AdapterBindings(EX01, List.of(new AdapterBindings.Binding("MAPI", "ms_tcpip6", true),
				new AdapterBindings.Binding("Replication", "ms_tcpip6", false),
				new AdapterBindings.Binding("Replication", "ms_tcpip", false)));

		assertThat(bindings.withoutIpv6()).containsExactly("Replication");
	}

	@Test
	void onlyAConvergedNodeTakesTraffic() {
		assertThat(new NlbClusterNode("CAS01", "NLB01", NlbNodeState.Converged).handlesTraffic()).isTrue();
		assertThat(new NlbClusterNode("CAS01", "NLB01", NlbNodeState.Draining).handlesTraffic()).isFalse();
		assertThat(new NlbClusterNode("CAS01", "NLB01", NlbNodeState.Suspended).handlesTraffic()).isFalse();
	}

	@Test
	void testsTheDagPortsBetweenMembersAndTheBackEndFromClientAccess() {
		assertThat(ExchangePort.betweenDagMembers()).extracting(ExchangePort::number).containsExactly(135, 445, 3343, 64327);
		assertThat(ExchangePort.clientAccessToMailbox()).extracting(ExchangePort::number).containsExactly(135, 444);
	}

	@Test
	void serviceAndReplicationHealthNameWhatFailed() {
		ServiceHealth services = new ServiceHealth(EX01, List.of(new ServiceHealth.RoleHealth("Mailbox Server Role", false,
				List.of("MSExchangeIS"))));
		ReplicationHealth replication = new ReplicationHealth(EX01, List.of(
				new ReplicationHealth.Check("QuorumGroup", ReplicationHealth.Result.Passed, ""),
				new ReplicationHealth.Check("DatabaseRedundancy", ReplicationHealth.Result.Failed, "DB01")));

		assertThat(services.allRunning()).isFalse();
		assertThat(replication.failed()).extracting(ReplicationHealth.Check::check).containsExactly("DatabaseRedundancy");
		assertThat(new HealthCheckResponse("https://cas01/owa/healthcheck.htm", 503, "").healthy()).isFalse();
	}
}
