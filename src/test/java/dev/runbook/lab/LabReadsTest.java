package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.HealthCheckPage;
import dev.runbook.command.HotfixId;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/** A dry run uses only reads: each must answer without changing the organisation, and the journal must show that. */
class LabReadsTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName CAS01 = ServerName.of("CAS01");
	private static final ServerName NODE1 = ServerName.of("NODE1");

	/** One of every read of the catalogue, aimed at servers where it succeeds. */
	private static List<ExchangeCommand<?>> everyRead() {
		return List.of(new GetServerComponentState(EX01), new GetQueue(EX01), new GetClusterNode(EX01),
				new GetMailboxServer(EX01), new GetMailboxDatabaseCopyStatus(EX01), new GetExchangeServer(CAS01),
				new TestPendingReboot(EX01), new GetSetupStatus(EX01), new TestWSMan(EX01),
				new GetDatabaseAvailabilityGroup(EX01, DagName.of("DAG01")), new GetExchangeServers(EX01),
				new GetMailboxDatabases(EX01), new GetClusterNodes(EX01, DagName.of("DAG01")),
				new GetClusterQuorum(EX01, DagName.of("DAG01")), new TestReplicationHealth(EX01),
				new GetDatabaseCopies(EX01, DatabaseName.of("DB01")), new GetNlbClusterNode(CAS01),
				new InvokeHealthCheck(EX01, CAS01, HealthCheckPage.Owa), new TestServiceHealth(CAS01), new GetADForest(EX01),
				new GetActiveDirectoryPreparation(EX01, DomainName.of("contoso.local"), List.of(DomainName.of("contoso.local"))),
				new GetNetAdapterBinding(EX01), new GetMpPreference(EX01), new TestNetConnection(EX01, CAS01, 443),
				new TestPath(EX01, WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe")),
				new GetFileVersion(EX01, WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe")),
				new GetClusterStatus(NODE1), new GetHotfix(NODE1, HotfixId.KB831464), new GetServicePackStatus(NODE1),
				new GetExchangeServerVersion(NODE1, ServerName.of("EVS1")),
				new GetApplicationLogErrors(NODE1, Instant.parse("2026-01-10T21:00:00Z")));
	}

	@Test
	void theListHoldsEveryReadOfTheCatalogue() {
		List<Class<?>> reads = Stream.of(Read.class.getPermittedSubclasses()).toList();

		assertThat(everyRead().stream().<Class<?>>map(Object::getClass).distinct()).containsExactlyInAnyOrderElementsOf(reads);
	}

	@Test
	void everyReadAnswersAndLeavesTheOrganisationAsItWas() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
		List<LabServerView> servers = lab.servers();
		List<LabDatabaseView> databases = lab.databases();
		List<LabClusterView> clusters = lab.clusters();

		for (ExchangeCommand<?> read : everyRead()) {
			assertThat(lab.execute(read)).as(read.toString()).isNotNull().isInstanceOf(read.resultType());
		}

		assertThat(lab.servers()).isEqualTo(servers);
		assertThat(lab.databases()).isEqualTo(databases);
		assertThat(lab.clusters()).isEqualTo(clusters);
		assertThat(lab.schemaPreparedFor()).isEqualTo(lab.organizationPreparedFor());
		assertThat(lab.journal()).hasSize(everyRead().size()).allMatch(JournalEntry::succeeded)
				.noneMatch(JournalEntry::changesState);
	}
}
