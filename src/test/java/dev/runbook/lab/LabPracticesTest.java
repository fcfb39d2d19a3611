package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AdapterBindings;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DefenderExclusions;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ExchangePort;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.WindowsPath;

/** The seed's practices as the lab lets the pre-flight read them: IPv6, antivirus exclusions, ports, media. */
class LabPracticesTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName EX02 = ServerName.of("EX02");
	private static final ServerName EX03 = ServerName.of("EX03");
	private static final ServerName CAS01 = ServerName.of("CAS01");
	private static final WindowsPath MEDIA = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");

	private final LabClock.Manual clock = new LabClock.Manual();

	/** The bundled organisation with conditions on some servers. */
	private LabOrganisation labWith(String conditions) throws IOException {
		String json = """
				{"build": "15.0.1473.3",
				 "media": [{"path": "D:\\\\Media\\\\Exchange2013-CU23\\\\Setup.exe", "build": "15.0.1497.2"}],
				 "dags": [{"name": "DAG01", "witnessServer": "FS01", "members": ["EX01", "EX02", "EX03", "EX04"],
				           "databases": [{"name": "DB01", "copies": ["EX01", "EX02", "EX03"]},
				                         {"name": "DB02", "copies": ["EX02", "EX03", "EX04"]}]}],
				 "clientAccess": [{"name": "CAS01", "nlbCluster": "NLB01"}, {"name": "CAS02", "nlbCluster": "NLB01"}],
				 "conditions": %s}
				""".formatted(conditions);
		return new LabOrganisation(Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))), clock);
	}

	/** Every folder an antivirus scanner must leave alone on a server, as the pre-flight would gather them. */
	private static List<String> requiredExclusions(LabOrganisation lab, ServerName server) {
		List<String> folders = new ArrayList<>(List.of(DefenderExclusions.EXCHANGE_INSTALL_FOLDER));
		for (MailboxDatabases.MailboxDatabase db : lab.execute(new GetMailboxDatabases(EX01)).databases()) {
			if (db.activationPreference().contains(server)) {
				folders.addAll(db.folders());
			}
		}
		return folders;
	}

	@Test
	void theBundledOrganisationSatisfiesEveryPractice() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		ExchangeServers servers = lab.execute(new GetExchangeServers(EX01));
		List<ExchangeServerInfo> mailbox = servers.withRole(ExchangeServers.MAILBOX);

		for (ExchangeServerInfo server : servers.servers()) {
			ServerName name = server.name();
			assertThat(lab.execute(new GetNetAdapterBinding(name)).withoutIpv6()).as("IPv6 on %s", name).isEmpty();
			DefenderExclusions exclusions = lab.execute(new GetMpPreference(name));
			assertThat(exclusions.readable()).isTrue();
			assertThat(exclusions.notExcluded(requiredExclusions(lab, name))).as("exclusions on %s", name).isEmpty();
			assertThat(lab.execute(new TestPath(name, MEDIA)).exists()).as("media from %s", name).isTrue();
		}
		for (ExchangeServerInfo from : mailbox) {
			for (ExchangeServerInfo to : mailbox) {
				if (!from.equals(to)) {
					for (ExchangePort port : ExchangePort.betweenDagMembers()) {
						assertThat(lab.execute(new TestNetConnection(from.name(), to.name(), port.number())).tcpTestSucceeded())
								.as("%s -> %s:%s", from.name(), to.name(), port).isTrue();
					}
				}
			}
		}
		for (ExchangeServerInfo cas : servers.withRole(ExchangeServers.CLIENT_ACCESS)) {
			for (ExchangePort port : ExchangePort.clientAccessToMailbox()) {
				assertThat(lab.execute(new TestNetConnection(cas.name(), EX01, port.number())).tcpTestSucceeded()).isTrue();
			}
		}
		assertThat(lab.execute(new GetNetAdapterBinding(EX01)).bindings()).extracting(AdapterBindings.Binding::adapterName)
				.containsExactly("MAPI", "Replication");
	}

	@Test
	void aServerWithIpv6UnboundShowsEveryAdapter() throws IOException {
		LabOrganisation lab = labWith("[{\"server\": \"EX02\", \"ipv6Disabled\": true}]");

		assertThat(lab.execute(new GetNetAdapterBinding(EX02)).withoutIpv6()).containsExactly("MAPI", "Replication");
		assertThat(lab.execute(new GetNetAdapterBinding(EX01)).withoutIpv6()).isEmpty();
	}

	@Test
	void aServerWithoutDefenderCannotBeReadAndOneWithoutExclusionsMissesThemAll() throws IOException {
		LabOrganisation lab = labWith("""
				[{"server": "EX01", "defenderAbsent": true}, {"server": "EX02", "antivirusExclusionsMissing": true}]""");

		DefenderExclusions absent = lab.execute(new GetMpPreference(EX01));
		DefenderExclusions missing = lab.execute(new GetMpPreference(EX02));

		assertThat(absent.readable()).isFalse();
		assertThat(absent.unreadableReason()).contains("not installed");
		assertThat(missing.readable()).isTrue();
		assertThat(missing.notExcluded(requiredExclusions(lab, EX02))).containsExactly(DefenderExclusions.EXCHANGE_INSTALL_FOLDER,
				"D:\\ExchangeDatabases\\DB01", "E:\\ExchangeLogs\\DB01", "D:\\ExchangeDatabases\\DB02", "E:\\ExchangeLogs\\DB02");
	}

	@Test
	void missingExclusionsCanAlsoBeAFaultThatLastsUntilCleared() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.injectFault(EX03, LabFault.DEFENDER_EXCLUSIONS_MISSING, 1);

		assertThat(lab.execute(new GetMpPreference(EX03)).exclusionPaths()).isEmpty();
		assertThat(lab.execute(new GetMpPreference(EX03)).exclusionPaths()).isEmpty();
		lab.clearFaults();
		assertThat(lab.execute(new GetMpPreference(EX03)).exclusionPaths()).contains(DefenderExclusions.EXCHANGE_INSTALL_FOLDER);
	}

	@Test
	void aBlockedPortIsClosedInboundOnly() throws IOException {
		LabOrganisation lab = labWith("[{\"server\": \"EX03\", \"blockedPorts\": [445]}]");

		assertThat(lab.execute(new TestNetConnection(EX01, EX03, 445)).tcpTestSucceeded()).isFalse();
		assertThat(lab.execute(new TestNetConnection(EX01, EX03, 135)).tcpTestSucceeded()).isTrue();
		assertThat(lab.execute(new TestNetConnection(EX03, EX01, 445)).tcpTestSucceeded()).isTrue();
	}

	@Test
	void thePortBlockedFaultClosesLogCopyingToTheServerAndFailsItsTcpListener() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.injectFault(EX02, LabFault.PORT_BLOCKED, 1);

		assertThat(lab.execute(new TestNetConnection(EX01, EX02, 64327)).tcpTestSucceeded()).isFalse();
		assertThat(lab.execute(new TestNetConnection(EX01, EX02, 135)).tcpTestSucceeded()).isTrue();
		assertThat(lab.execute(new TestReplicationHealth(EX02)).failed()).extracting(c -> c.check()).containsExactly("TcpListener");
		lab.clearFaults();
		assertThat(lab.execute(new TestNetConnection(EX01, EX02, 64327)).tcpTestSucceeded()).isTrue();
	}

	@Test
	void portsNobodyListensOnAndServersThatAreDownOrUnknownAreClosed() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
		lab.execute(new RestartComputer(EX03));

		assertThat(lab.execute(new TestNetConnection(EX01, CAS01, 64327)).tcpTestSucceeded()).isFalse();
		assertThat(lab.execute(new TestNetConnection(EX01, CAS01, 444)).tcpTestSucceeded()).isFalse();
		assertThat(lab.execute(new TestNetConnection(EX01, EX03, 135)).tcpTestSucceeded()).isFalse();
		assertThat(lab.execute(new TestNetConnection(EX01, ServerName.of("EX09"), 135)).tcpTestSucceeded()).isFalse();
		assertThat(lab.execute(new TestNetConnection(EX01, ServerName.of("ex02.contoso.local"), 135)).tcpTestSucceeded()).isTrue();
	}

	@Test
	void mediaOutOfReachIsSeenBeforeSetupAndStopsSetupOnThatServerOnly() throws IOException {
		LabOrganisation lab = labWith("[{\"server\": \"EX04\", \"mediaUnreachable\": true}]");
		ServerName ex04 = ServerName.of("EX04");

		assertThat(lab.execute(new TestPath(ex04, MEDIA)).exists()).isFalse();
		assertThat(lab.execute(new TestPath(EX01, MEDIA)).exists()).isTrue();
		assertThat(lab.execute(new TestPath(EX01, WindowsPath.of("D:\\Media\\Exchange2013-CU24\\Setup.exe"))).exists()).isFalse();
		assertThatThrownBy(() -> lab.execute(new StartSetup(ex04, MEDIA, SetupMode.Upgrade, LicenseSwitch.Classic)))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("does not exist");
		assertThat(lab.execute(new GetSetupStatus(ex04)).state()).isEqualTo(SetupStatus.State.NotStarted);
	}
}
