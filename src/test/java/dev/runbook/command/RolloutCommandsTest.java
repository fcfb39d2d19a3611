package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.ExchangeCommand.*;

/** The rollout commands' own rules: bounds on numbers, where organisation-wide commands run, what each may change. */
class RolloutCommandsTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName CAS01 = ServerName.of("CAS01");

	@Test
	void organisationWideCommandsRunOnTheServerTheyName() {
		assertThat(new GetDatabaseAvailabilityGroup(EX01, DagName.of("DAG01")).server()).isEqualTo(EX01);
		assertThat(new GetExchangeServers(EX01).server()).isEqualTo(EX01);
		assertThat(new GetMailboxDatabases(EX01).server()).isEqualTo(EX01);
		assertThat(new GetClusterNodes(EX01, DagName.of("DAG01")).server()).isEqualTo(EX01);
		assertThat(new GetADForest(EX01).server()).isEqualTo(EX01);
		assertThat(new GetDatabaseCopies(EX01, DatabaseName.of("DB01")).server()).isEqualTo(EX01);
	}

	@Test
	void theNlbDrainTimeoutIsAWholeNumberOfMinutesWithinBounds() {
		assertThat(PowerShell.render(new StopNlbClusterNode(CAS01, 1))).endsWith("-Drain -Timeout 1");
		assertThat(PowerShell.render(new StopNlbClusterNode(CAS01, StopNlbClusterNode.LONGEST_DRAIN_MINUTES)))
				.endsWith("-Timeout 240");
		assertThatThrownBy(() -> new StopNlbClusterNode(CAS01, 0)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("between 1 and 240");
		assertThatThrownBy(() -> new StopNlbClusterNode(CAS01, -5)).isInstanceOf(InvalidInputException.class);
		assertThatThrownBy(() -> new StopNlbClusterNode(CAS01, 241)).isInstanceOf(InvalidInputException.class);
	}

	@Test
	void aPortIsATcpPort() {
		assertThat(new TestNetConnection(EX01, CAS01, 65535).port()).isEqualTo(65535);
		assertThatThrownBy(() -> new TestNetConnection(EX01, CAS01, 0)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("1 to 65535");
		assertThatThrownBy(() -> new TestNetConnection(EX01, CAS01, 65536)).isInstanceOf(InvalidInputException.class);
	}

	@Test
	void theAdReadNeedsAtLeastOneDomainAndKeepsItsOwnCopyOfThem() {
		assertThatThrownBy(() -> new GetActiveDirectoryPreparation(EX01, DomainName.of("contoso.local"), List.of()))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("At least one domain");
		java.util.ArrayList<DomainName> domains = new java.util.ArrayList<>(List.of(DomainName.of("contoso.local")));
		GetActiveDirectoryPreparation read = new GetActiveDirectoryPreparation(EX01, DomainName.of("contoso.local"), domains);
		domains.add(DomainName.of("evil.example"));

		assertThat(PowerShell.render(read)).doesNotContain("evil");
	}

	@Test
	void theHealthPageUriIsBuiltOnlyFromAValidatedHostAndAConstantPath() {
		assertThat(HealthCheckPage.Owa.uri(ServerName.of("CAS01.Contoso.Local")))
				.isEqualTo("https://cas01.contoso.local/owa/healthcheck.htm");
		assertThat(HealthCheckPage.ActiveSync.uri(CAS01)).isEqualTo("https://cas01/Microsoft-Server-ActiveSync/healthcheck.htm");
		assertThatThrownBy(() -> new InvokeHealthCheck(EX01, ServerName.of("cas01/owa?x='"), HealthCheckPage.Owa))
				.isInstanceOf(InvalidInputException.class);
		assertThatThrownBy(() -> new InvokeHealthCheck(EX01, ServerName.of("cas01@evil.example"), HealthCheckPage.Ecp))
				.isInstanceOf(InvalidInputException.class);
	}

	/** Every health page reports the proxy component of its own protocol. */
	@Test
	void eachHealthPageFollowsItsProtocolsProxyComponent() {
		assertThat(HealthCheckPage.Owa.component()).isEqualTo(Component.OwaProxy);
		assertThat(HealthCheckPage.Ecp.component()).isEqualTo(Component.EcpProxy);
		for (HealthCheckPage page : HealthCheckPage.values()) {
			assertThat(page.component().name()).endsWith("Proxy");
			assertThat(page.path()).startsWith("/").endsWith("/healthcheck.htm");
		}
	}

	@Test
	void readsChangeNothingAndChangesAreMarkedSo() {
		List<ExchangeCommand<?>> reads = List.of(new GetNlbClusterNode(CAS01), new GetMpPreference(EX01),
				new TestPath(EX01, WindowsPath.of("D:\\Media\\Setup.exe")), new InvokeHealthCheck(EX01, CAS01, HealthCheckPage.Owa),
				new TestReplicationHealth(EX01), new GetActiveDirectoryPreparation(EX01, DomainName.of("contoso.local"),
						List.of(DomainName.of("contoso.local"))));
		List<ExchangeCommand<?>> changes = List.of(new StopNlbClusterNode(CAS01, 10), new StartNlbClusterNode(CAS01),
				new SuspendNlbClusterNode(CAS01), new ResumeNlbClusterNode(CAS01),
				new ActivateDatabaseCopy(EX01, DatabaseName.of("DB01")));

		assertThat(reads).noneMatch(ExchangeCommand::changesState);
		assertThat(changes).allMatch(ExchangeCommand::changesState).allMatch(c -> c.resultType() == Done.class);
	}
}
