package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseAvailabilityGroup;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.command.ServerName;

/** Discovery through commands: the DAG, the organisation's servers and its databases, as the orchestrator finds them. */
class LabDiscoveryTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName EX02 = ServerName.of("EX02");
	private static final DagName DAG01 = DagName.of("DAG01");

	private final LabClock.Manual clock = new LabClock.Manual();
	private final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

	@Test
	void theDagShowsItsMembersWitnessAndPrimaryActiveManager() {
		DatabaseAvailabilityGroup dag = lab.execute(new GetDatabaseAvailabilityGroup(ServerName.of("CAS01"), DagName.of("dag01")));

		assertThat(dag.name()).isEqualTo(DAG01);
		assertThat(dag.servers()).extracting(ServerName::value).containsExactly("EX01", "EX02", "EX03", "EX04");
		assertThat(dag.operationalServers()).isEqualTo(dag.servers());
		assertThat(dag.witnessServer()).isEqualTo(ServerName.of("FS01"));
		assertThat(dag.witnessDirectory()).isEqualTo("C:\\DAGFileShareWitnesses\\DAG01.contoso.local");
		assertThat(dag.primaryActiveManager()).isEqualTo(EX01);
		assertThat(dag.replicationPort()).isEqualTo(64327);
	}

	@Test
	void thePrimaryActiveManagerLeavesAMemberThatRestartsAndDoesNotComeBack() {
		lab.execute(new RestartComputer(EX01));
		DatabaseAvailabilityGroup whileDown = lab.execute(new GetDatabaseAvailabilityGroup(EX02, DAG01));
		clock.advance(LabOrganisation.REBOOT_DURATION);
		DatabaseAvailabilityGroup after = lab.execute(new GetDatabaseAvailabilityGroup(EX02, DAG01));

		assertThat(whileDown.primaryActiveManager()).isEqualTo(EX02);
		assertThat(whileDown.notOperational()).containsExactly(EX01);
		assertThat(after.primaryActiveManager()).isEqualTo(EX02);
		assertThat(after.notOperational()).isEmpty();
	}

	@Test
	void aPausedMemberKeepsThePrimaryActiveManagerAndStaysOperational() {
		lab.execute(new SuspendClusterNode(EX01));

		DatabaseAvailabilityGroup dag = lab.execute(new GetDatabaseAvailabilityGroup(EX02, DAG01));

		assertThat(dag.primaryActiveManager()).isEqualTo(EX01);
		assertThat(dag.notOperational()).isEmpty();
	}

	@Test
	void anUnknownDagIsAClearNonTransientFailure() {
		assertThatThrownBy(() -> lab.execute(new GetDatabaseAvailabilityGroup(EX01, DagName.of("DAG02"))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("'DAG02' couldn't be found")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
	}

	@Test
	void everyExchangeServerWithItsRolesBuildAndFqdn() {
		ExchangeServers servers = lab.execute(new GetExchangeServers(EX01));

		assertThat(servers.servers()).extracting(s -> s.name().value())
				.containsExactly("EX01", "EX02", "EX03", "EX04", "CAS01", "CAS02");
		assertThat(servers.withRole(ExchangeServers.CLIENT_ACCESS)).extracting(ExchangeServerInfo::fqdn)
				.containsExactly("cas01.contoso.local", "cas02.contoso.local");
		assertThat(servers.withRole(ExchangeServers.MAILBOX)).hasSize(4);
		assertThat(servers.servers()).allSatisfy(s -> assertThat(s.build().toString()).isEqualTo("15.0.1473.3"));
	}

	@Test
	void databasesShowTheirPreferencesFoldersAndWhereTheyAreMounted() {
		MailboxDatabases before = lab.execute(new GetMailboxDatabases(EX01));
		lab.execute(new RestartComputer(EX01));
		clock.advance(LabOrganisation.REBOOT_DURATION);
		MailboxDatabases after = lab.execute(new GetMailboxDatabases(EX02));

		MailboxDatabases.MailboxDatabase db01 = before.named(DatabaseName.of("DB01")).orElseThrow();
		assertThat(before.inAvailabilityGroup(DAG01)).hasSize(8);
		assertThat(db01.activationPreference()).extracting(ServerName::value).containsExactly("EX01", "EX02", "EX03");
		assertThat(db01.server()).isEqualTo(EX01);
		assertThat(db01.mounted()).isTrue();
		assertThat(db01.folders()).containsExactly("D:\\ExchangeDatabases\\DB01", "E:\\ExchangeLogs\\DB01");
		assertThat(before.databases()).noneMatch(MailboxDatabases.MailboxDatabase::awayFromPreferredServer);
		// EX01's databases failed over while it rebooted, and stay where they went.
		assertThat(after.databases()).filteredOn(MailboxDatabases.MailboxDatabase::awayFromPreferredServer)
				.extracting(db -> db.name().value()).containsExactly("DB01", "DB05");
	}

	@Test
	void anOrganisationWideReadOnAServerThatIsDownFailsTransiently() {
		lab.execute(new RestartComputer(EX01));

		assertThatThrownBy(() -> lab.execute(new GetExchangeServers(EX01))).isInstanceOf(CommandFailedException.class)
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isTrue());
		assertThat(lab.execute(new GetExchangeServers(EX02)).servers()).hasSize(6);
	}

	@Test
	void theJournalShowsWhereEachReadRanAndThatItChangedNothing() {
		lab.execute(new GetDatabaseAvailabilityGroup(ServerName.of("CAS01"), DAG01));
		lab.execute(new GetMailboxDatabases(EX02));
		clock.advance(Duration.ofMinutes(1));

		List<JournalEntry> journal = lab.journal();
		assertThat(journal).extracting(JournalEntry::server).containsExactly("CAS01", "EX02");
		assertThat(journal).extracting(JournalEntry::command)
				.containsExactly("Get-DatabaseAvailabilityGroup -Identity 'DAG01' -Status", "Get-MailboxDatabase -Status");
		assertThat(journal).noneMatch(JournalEntry::changesState).allMatch(JournalEntry::succeeded);
	}
}
