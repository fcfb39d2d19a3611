package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runbook.command.ApplicationLogErrors;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.ClusterResourceState;
import dev.runbook.command.ClusterResourceStatus;
import dev.runbook.command.ClusterResourceType;
import dev.runbook.command.ClusterStatus;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ExchangeServerVersion;
import dev.runbook.command.HotfixId;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.PendingReboot;
import dev.runbook.command.Reachability;
import dev.runbook.command.ServerName;
import dev.runbook.command.ServicePackStatus;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.WindowsPath;

/** The simulated Exchange 2003 cluster behaves as the seed and Exchange 2003 setup describe. */
class LabCluster2003Test {

	static final ServerName NODE1 = ServerName.of("NODE1");
	static final ServerName NODE2 = ServerName.of("NODE2");
	static final ServerName EVS1 = ServerName.of("EVS1");
	static final ServerName FE01 = ServerName.of("FE01");
	static final ClusterObjectName GROUP = ClusterObjectName.of("EVS1");
	static final ClusterObjectName SYSTEM_ATTENDANT = ClusterObjectName.of("Exchange System Attendant - (EVS1)");
	static final ClusterObjectName STORE = ClusterObjectName.of("Exchange Information Store Instance - (EVS1)");
	static final ClusterObjectName IMAP4 = ClusterObjectName.of("Exchange IMAP4 Virtual Server Instance - (EVS1)");
	static final WindowsPath SP1 = WindowsPath.of("D:\\Media\\E2K3SP1\\setup\\i386\\update.exe");
	static final WindowsPath UNATTEND = WindowsPath.of("D:\\Media\\E2K3SP1\\setup\\i386\\unattend.ini");
	static final WindowsPath HOTFIX = WindowsPath.of("D:\\Media\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe");
	static final ExchangeBuild RTM = ExchangeBuild.parse("6.5.6944");
	static final ExchangeBuild SP1_BUILD = ExchangeBuild.parse("6.5.7226");

	LabClock.Manual clock;
	LabOrganisation lab;

	@BeforeEach
	void bundledTopology() {
		clock = new LabClock.Manual();
		lab = new LabOrganisation(Topology.bundledDefault(), clock);
	}

	@Test
	void theBundledTopologyHasOneClusterAtRtmWithEvs1ActiveOnNode1() {
		List<LabClusterView> clusters = lab.clusters();

		assertThat(clusters).extracting(LabClusterView::name).containsExactly("EXCLUSTER");
		LabClusterView c = clusters.get(0);
		assertThat(c.nodes()).extracting("name", "build", "state", "hotfixes").containsExactly(
				tuple("NODE1", "6.5.6944", "Up", List.of()), tuple("NODE2", "6.5.6944", "Up", List.of()));
		assertThat(c.groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE1"));
		assertThat(c.groups().get(0).resources()).extracting(LabClusterView.Resource::name).containsExactly(
				"EVS1 IP Address", "EVS1 Network Name", "Disk S:", "Exchange System Attendant - (EVS1)",
				"Exchange Information Store Instance - (EVS1)", "Exchange Message Transfer Agent Instance - (EVS1)",
				"Exchange Routing Service Instance - (EVS1)", "SMTP Virtual Server Instance - (EVS1)",
				"Exchange HTTP Virtual Server Instance 100 - (EVS1)", "Exchange IMAP4 Virtual Server Instance - (EVS1)",
				"Exchange POP3 Virtual Server Instance - (EVS1)");
		assertThat(c.groups().get(0).resources()).extracting(LabClusterView.Resource::state).containsOnly("Online");
		assertThat(c.frontEnds()).extracting("name", "build").containsExactly(tuple("FE01", "6.5.6944"));
		assertThat(lab.describeCluster(ServerName.of("EXCLUSTER")).orElseThrow().virtualServers())
				.extracting("name", "owner", "version").containsExactly(tuple(EVS1, NODE1, RTM));
	}

	@Test
	void takingTheSystemAttendantOfflineTakesItsDependentsButNotTheNameAddressAndDisk() {
		ClusterResourceState state = lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));

		assertThat(state.state()).isEqualTo(ClusterResourceStatus.Offline);
		assertThat(state.at()).isEqualTo(clock.now());
		Map<ClusterResourceType, ClusterResourceStatus> byType = resourceStates();
		assertThat(byType).containsEntry(ClusterResourceType.IpAddress, ClusterResourceStatus.Online)
				.containsEntry(ClusterResourceType.NetworkName, ClusterResourceStatus.Online)
				.containsEntry(ClusterResourceType.PhysicalDisk, ClusterResourceStatus.Online);
		assertThat(byType.entrySet().stream().filter(e -> e.getKey().exchange()).map(Map.Entry::getValue))
				.containsOnly(ClusterResourceStatus.Offline).hasSize(8);
		assertThat(lab.execute(new GetClusterStatus(NODE2)).group(GROUP).orElseThrow().state())
				.isEqualTo(ClusterResourceStatus.PartiallyOnline);
	}

	@Test
	void bringingTheSystemAttendantOnlineLeavesItsDependentsOffline() {
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));

		lab.execute(new BringClusterResourceOnline(NODE1, SYSTEM_ATTENDANT));

		Map<ClusterResourceType, ClusterResourceStatus> byType = resourceStates();
		assertThat(byType.get(ClusterResourceType.SystemAttendant)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(byType.get(ClusterResourceType.InformationStore)).isEqualTo(ClusterResourceStatus.Offline);
		assertThat(byType.get(ClusterResourceType.Pop3)).isEqualTo(ClusterResourceStatus.Offline);
	}

	@Test
	void bringingAResourceOnlineBringsWhatItDependsOnFirst() {
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));

		lab.execute(new BringClusterResourceOnline(NODE1, IMAP4));

		Map<ClusterResourceType, ClusterResourceStatus> byType = resourceStates();
		assertThat(byType.get(ClusterResourceType.SystemAttendant)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(byType.get(ClusterResourceType.InformationStore)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(byType.get(ClusterResourceType.Imap4)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(byType.get(ClusterResourceType.Pop3)).isEqualTo(ClusterResourceStatus.Offline);
		assertThat(byType.get(ClusterResourceType.MessageTransferAgent)).isEqualTo(ClusterResourceStatus.Offline);
	}

	@Test
	void movingAGroupMovesItsResourcesAndKeepsOfflineResourcesOffline() {
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));

		lab.execute(new MoveClusterGroup(NODE1, GROUP, NODE2));

		ClusterStatus status = lab.execute(new GetClusterStatus(NODE2));
		assertThat(status.group(GROUP).orElseThrow().owner()).isEqualTo(NODE2);
		assertThat(status.resourcesOf(GROUP)).extracting(ClusterStatus.Resource::owner).containsOnly(NODE2);
		assertThat(resourceStates().get(ClusterResourceType.NetworkName)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(status.exchangeResourcesOf(GROUP)).extracting(ClusterStatus.Resource::state).containsOnly(ClusterResourceStatus.Offline);
	}

	@Test
	void aGroupMovesOnlyToANodeOfTheClusterThatIsUp() {
		lab.execute(new RestartComputer(NODE2));

		assertThatThrownBy(() -> lab.execute(new MoveClusterGroup(NODE1, GROUP, NODE2)))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("The cluster node is down");
		assertThatThrownBy(() -> lab.execute(new MoveClusterGroup(NODE1, GROUP, ServerName.of("NODE9"))))
				.hasMessageContaining("The cluster node was not found");
		assertThat(lab.clusters().get(0).groups().get(0).owner()).isEqualTo("NODE1");
		assertThat(lab.clusters().get(0).nodes()).extracting("state").containsExactly("Up", "Down");
	}

	@Test
	void aRestartOfTheOwningNodeFailsTheGroupOverToTheOtherNode() {
		lab.execute(new RestartComputer(NODE1));

		ClusterStatus status = lab.execute(new GetClusterStatus(NODE2));
		assertThat(status.node(NODE1).orElseThrow().state()).isEqualTo(ClusterNodeState.Down);
		assertThat(status.group(GROUP).orElseThrow()).extracting("owner", "state").containsExactly(NODE2, ClusterResourceStatus.Online);
	}

	@Test
	void theHotfixNeedsARestartBeforeTheServicePackAcceptsIt() {
		assertThatThrownBy(() -> lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND)))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("requires Windows hotfix 831464");

		lab.execute(new InstallHotfix(NODE2, HotfixId.KB831464, HOTFIX));

		assertThat(lab.execute(new GetHotfix(NODE2, HotfixId.KB831464)).installed()).isTrue();
		assertThat(lab.execute(new TestPendingReboot(NODE2))).extracting(PendingReboot::pending).isEqualTo(true);
		assertThat(lab.clusters().get(0).nodes().get(1).hotfixes()).containsExactly("KB831464");
		assertThatThrownBy(() -> lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND)))
				.hasMessageContaining("takes effect only after a restart");

		lab.execute(new RestartComputer(NODE2));
		assertThat(lab.execute(new TestWSMan(NODE2))).extracting(Reachability::reachable).isEqualTo(false);
		assertThatThrownBy(() -> lab.execute(new GetServicePackStatus(NODE2)))
				.isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.isTransient()).isTrue());
		clock.advance(LabOrganisation.REBOOT_DURATION);

		assertThat(lab.execute(new TestPendingReboot(NODE2)).pending()).isFalse();
		lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND));
		assertThat(lab.execute(new GetServicePackStatus(NODE2)).state()).isEqualTo(SetupStatus.State.Running);
	}

	@Test
	void installingTheHotfixTwiceChangesNothing() {
		lab.execute(new InstallHotfix(NODE2, HotfixId.KB831464, HOTFIX));
		restart(NODE2);

		lab.execute(new InstallHotfix(NODE2, HotfixId.KB831464, HOTFIX));

		assertThat(lab.execute(new TestPendingReboot(NODE2)).pending()).isFalse();
	}

	@Test
	void theServicePackRefusesTheNodeThatOwnsAnOnlineVirtualServer() {
		hotfix(NODE1);
		// The restart failed EVS1 over to NODE2; bring it home.
		lab.execute(new MoveClusterGroup(NODE2, GROUP, NODE1));

		assertThatThrownBy(() -> lab.execute(new StartServicePackInstaller(NODE1, SP1, UNATTEND)))
				.hasMessageContaining("owns the online group 'EVS1'");
		assertThat(lab.execute(new GetServicePackStatus(NODE1)).state()).isEqualTo(SetupStatus.State.NotStarted);
	}

	@Test
	void theServicePackTakesItsTimeThenTheNodeIsAtTheNewBuild() {
		hotfix(NODE2);

		lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND));
		clock.advance(Exchange2003Lab.SERVICE_PACK_DURATION.minusMinutes(1));
		assertThat(lab.execute(new GetServicePackStatus(NODE2))).extracting(ServicePackStatus::state, ServicePackStatus::build)
				.containsExactly(SetupStatus.State.Running, RTM);
		clock.advance(Duration.ofMinutes(1));

		assertThat(lab.execute(new GetServicePackStatus(NODE2))).extracting(ServicePackStatus::state, ServicePackStatus::build)
				.containsExactly(SetupStatus.State.Succeeded, SP1_BUILD);
		assertThat(lab.clusters().get(0).nodes()).extracting("build").containsExactly("6.5.6944", "6.5.7226");
		assertThatThrownBy(() -> lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND)))
				.hasMessageContaining("already has Exchange build 6.5.7226");
	}

	@Test
	void aFailedServicePackLeavesTheBuildAndReportsTheError() {
		hotfix(NODE2);
		lab.injectFault(NODE2, LabFault.SETUP_FAILS, 1);

		lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND));
		clock.advance(Exchange2003Lab.SERVICE_PACK_DURATION);

		ServicePackStatus status = lab.execute(new GetServicePackStatus(NODE2));
		assertThat(status.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(status.build()).isEqualTo(RTM);
		assertThat(status.errors()).singleElement().asString().startsWith("[ERROR]");
	}

	@Test
	void aServicePackThatFindsFilesInUseEndsWithARestartPendingThatTheRestartClears() {
		hotfix(NODE2);
		lab.injectFault(NODE2, LabFault.SERVICE_PACK_NEEDS_RESTART, 1);

		lab.execute(new StartServicePackInstaller(NODE2, SP1, UNATTEND));
		clock.advance(Exchange2003Lab.SERVICE_PACK_DURATION.minusMinutes(1));
		assertThat(lab.execute(new TestPendingReboot(NODE2)).pending()).as("not while it runs").isFalse();
		clock.advance(Duration.ofMinutes(1));

		assertThat(lab.execute(new GetServicePackStatus(NODE2))).extracting(ServicePackStatus::state, ServicePackStatus::build)
				.containsExactly(SetupStatus.State.Succeeded, SP1_BUILD);
		PendingReboot pending = lab.execute(new TestPendingReboot(NODE2));
		assertThat(pending.pending()).isTrue();
		assertThat(pending.reasons()).singleElement().asString().startsWith("PendingFileRenameOperations");
		assertThat(lab.faults()).isEmpty();

		restart(NODE2);
		assertThat(lab.execute(new TestPendingReboot(NODE2)).pending()).isFalse();
		assertThat(lab.execute(new GetServicePackStatus(NODE2)).build()).isEqualTo(SP1_BUILD);
	}

	@Test
	void aServicePackWithoutFilesInUseLeavesNoRestartPending() {
		servicePack(NODE2);

		assertThat(lab.execute(new GetServicePackStatus(NODE2)).build()).isEqualTo(SP1_BUILD);
		assertThat(lab.execute(new TestPendingReboot(NODE2)).pending()).isFalse();
	}

	@Test
	void theVirtualServerUpgradeRunsOnlyFromTheUpgradedNodeThatOwnsItWithExchangeResourcesOffline() {
		servicePack(NODE2);
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));

		assertThatThrownBy(() -> lab.upgradeExchangeVirtualServer(NODE1, EVS1))
				.hasMessageContaining("files required to upgrade EVS1").hasMessageContaining("NODE1");
		assertThatThrownBy(() -> lab.upgradeExchangeVirtualServer(NODE2, EVS1))
				.hasMessageContaining("must run on the node that owns 'EVS1', which is NODE1");
		lab.execute(new MoveClusterGroup(NODE1, GROUP, NODE2));
		lab.execute(new BringClusterResourceOnline(NODE2, ClusterObjectName.of("EVS1 Network Name")));
		assertThatThrownBy(() -> lab.execute(new BringClusterResourceOnline(NODE2, SYSTEM_ATTENDANT)))
				.hasMessageContaining("select Upgrade Exchange Virtual Server first");
		lab.execute(new TakeClusterResourceOffline(NODE2, SYSTEM_ATTENDANT));

		lab.upgradeExchangeVirtualServer(NODE2, EVS1);

		assertThat(lab.execute(new GetExchangeServerVersion(NODE2, EVS1)).build()).isEqualTo(RTM);
		assertThatThrownBy(() -> lab.execute(new BringClusterResourceOnline(NODE2, SYSTEM_ATTENDANT)))
				.hasMessageContaining("still running for EVS1");
		clock.advance(Exchange2003Lab.VIRTUAL_SERVER_UPGRADE_DURATION);
		ExchangeServerVersion version = lab.execute(new GetExchangeServerVersion(NODE2, EVS1));
		assertThat(version.build()).isEqualTo(SP1_BUILD);
		assertThat(version.exchangeVersion()).isEqualTo("Version 6.5 (Build 7226.0: Service Pack 1)");
		lab.execute(new BringClusterResourceOnline(NODE2, SYSTEM_ATTENDANT));
		assertThat(resourceStates().get(ClusterResourceType.SystemAttendant)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(lab.journal()).filteredOn(e -> e.command().contains("Upgrade Exchange Virtual Server"))
				.extracting(JournalEntry::server, JournalEntry::succeeded)
				.containsExactly(tuple("NODE1", false), tuple("NODE2", false), tuple("NODE2", true));
	}

	@Test
	void theVirtualServerUpgradeRefusesWhileExchangeResourcesAreOnline() {
		assertThatThrownBy(() -> lab.upgradeExchangeVirtualServer(NODE1, EVS1))
				.hasMessageContaining("must be offline: take 'Exchange System Attendant - (EVS1)' offline first");
	}

	@Test
	void anUpgradedVirtualServerCannotFailBackToANodeWithOlderBinaries() {
		upgradeEvs1OnNode2();

		assertThatThrownBy(() -> lab.execute(new MoveClusterGroup(NODE2, GROUP, NODE1))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("did not come online").hasMessageContaining("cannot run on older binaries");
		assertThat(resourceStates().get(ClusterResourceType.SystemAttendant)).isEqualTo(ClusterResourceStatus.Failed);
		assertThat(lab.execute(new GetClusterStatus(NODE1)).group(GROUP).orElseThrow())
				.extracting("owner", "state").containsExactly(NODE1, ClusterResourceStatus.Failed);
	}

	@Test
	void onlyOneVirtualServerUpgradeAtATimeInACluster() throws Exception {
		lab.reset(twoVirtualServers());
		ServerName node3 = ServerName.of("NODE3");
		ServerName evs2 = ServerName.of("EVS2");
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));
		lab.execute(new TakeClusterResourceOffline(NODE2, ClusterObjectName.of("Exchange System Attendant - (EVS2)")));
		lab.upgradeExchangeVirtualServer(NODE1, EVS1);

		assertThatThrownBy(() -> lab.upgradeExchangeVirtualServer(NODE2, evs2))
				.hasMessageContaining("still running for EVS1").hasMessageContaining("KB 822582");
		clock.advance(Exchange2003Lab.VIRTUAL_SERVER_UPGRADE_DURATION);
		lab.upgradeExchangeVirtualServer(NODE2, evs2);
		clock.advance(Exchange2003Lab.VIRTUAL_SERVER_UPGRADE_DURATION);

		assertThat(lab.describeCluster(ServerName.of("EXCLUSTER")).orElseThrow().virtualServers())
				.extracting("version").containsOnly(SP1_BUILD);
		assertThat(lab.clusters().get(0).nodes()).extracting("name").contains(node3.value());
	}

	@Test
	void aResourceFaultFailsTheNextExchangeResourceToComeOnlineOnce() {
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));
		lab.injectFault(EVS1, LabFault.CLUSTER_RESOURCE_FAILS, 1);

		assertThatThrownBy(() -> lab.execute(new BringClusterResourceOnline(NODE1, SYSTEM_ATTENDANT)))
				.isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.isTransient()).isFalse())
				.hasMessageContaining("failed to come online");
		assertThat(resourceStates().get(ClusterResourceType.SystemAttendant)).isEqualTo(ClusterResourceStatus.Failed);

		lab.execute(new BringClusterResourceOnline(NODE1, SYSTEM_ATTENDANT));

		assertThat(resourceStates().get(ClusterResourceType.SystemAttendant)).isEqualTo(ClusterResourceStatus.Online);
		assertThat(lab.faults().getOrDefault(EVS1, Map.of())).isEmpty();
	}

	@Test
	void anApplicationLogFaultWritesErrorsWhenTheStoreComesOnline() {
		lab.injectFault(EVS1, LabFault.APPLICATION_LOG_ERRORS, 1);
		Instant before = clock.now();
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));
		lab.execute(new BringClusterResourceOnline(NODE1, SYSTEM_ATTENDANT));
		assertThat(lab.execute(new GetApplicationLogErrors(NODE1, before)).entries()).isEmpty();
		clock.advance(Duration.ofSeconds(30));

		lab.execute(new BringClusterResourceOnline(NODE1, STORE));

		ApplicationLogErrors errors = lab.execute(new GetApplicationLogErrors(NODE1, before));
		assertThat(errors.entries()).extracting(ApplicationLogErrors.Entry::source).containsExactly("MSExchangeIS", "MSExchangeSA");
		assertThat(lab.execute(new GetApplicationLogErrors(NODE1, clock.now().plusSeconds(1))).entries()).isEmpty();
		assertThat(lab.execute(new GetApplicationLogErrors(NODE2, before)).entries()).isEmpty();
	}

	@Test
	void faultsThatCannotHappenOnExchange2003AreRefused() {
		assertThatThrownBy(() -> lab.injectFault(NODE1, LabFault.QUEUE_STUCK, 1))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to the Exchange 2003 server NODE1");
		assertThatThrownBy(() -> lab.injectFault(EVS1, LabFault.SETUP_FAILS, 1))
				.hasMessageContaining("does not apply to the Exchange virtual server EVS1");
		assertThatThrownBy(() -> lab.injectFault(ServerName.of("EX01"), LabFault.CLUSTER_RESOURCE_FAILS, 1))
				.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> lab.injectFault(ServerName.of("EX01"), LabFault.SERVICE_PACK_NEEDS_RESTART, 1))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applies only to an Exchange 2003 server; EX01 is none");
		assertThatThrownBy(() -> lab.injectFault(EVS1, LabFault.SERVICE_PACK_NEEDS_RESTART, 1))
				.isInstanceOf(IllegalArgumentException.class);
		assertThat(lab.faults()).isEmpty();
	}

	@Test
	void frontEndServersHaveNoClusterServiceButTakeTheServicePack() {
		assertThatThrownBy(() -> lab.execute(new GetClusterStatus(FE01))).hasMessageContaining("front-end server");
		servicePack(FE01);

		assertThat(lab.clusters().get(0).frontEnds()).extracting("build").containsExactly("6.5.7226");
		assertThat(lab.execute(new GetExchangeServerVersion(NODE1, FE01)).build()).isEqualTo(SP1_BUILD);
	}

	@Test
	void everyCommandAndTheManualUpgradeAreJournaledOnceInOneSequenceWithTheDagCommands() {
		lab.execute(new GetServerComponentState(ServerName.of("EX01")));
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));
		assertThatThrownBy(() -> lab.execute(new MoveClusterGroup(NODE1, GROUP, ServerName.of("NODE9"))));
		assertThatThrownBy(() -> lab.upgradeExchangeVirtualServer(NODE1, EVS1));

		List<JournalEntry> journal = lab.journal();
		assertThat(journal).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L);
		assertThat(journal).extracting(JournalEntry::server, JournalEntry::command, JournalEntry::succeeded).containsExactly(
				tuple("EX01", "Get-ServerComponentState -Identity 'EX01'", true),
				tuple("NODE1", "cluster res 'Exchange System Attendant - (EVS1)' /offline; Get-Date -Format 'o'", true),
				tuple("NODE1", "cluster group 'EVS1' /moveto:NODE9", false),
				tuple("NODE1", "Cluster Administrator: System Attendant of EVS1 > Upgrade Exchange Virtual Server", false));
	}

	@Test
	void exchangeCmdletsAreRefusedOnExchange2003Servers() {
		assertThatThrownBy(() -> lab.execute(new GetServerComponentState(NODE1)))
				.hasMessageContaining("Exchange 2003 server, which has no Exchange cmdlets");
	}

	@Test
	void theTopologyRefusesBadClusters() {
		assertThatThrownBy(() -> read("""
				{"build":"15.0.1473.3","clientAccess":[{"name":"NODE1"}],
				 "exchange2003":{"clusters":[{"name":"EXC","build":"6.5.6944","nodes":["NODE1","NODE2"]}]}}"""))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("NODE1 appears twice");
		assertThatThrownBy(() -> read("""
				{"build":"15.0.1473.3","exchange2003":{"clusters":[{"name":"EXC","build":"6.5.6944","nodes":["NODE1","NODE2"],
				 "virtualServers":[{"name":"EVS1","owner":"NODE3"}]}]}}"""))
				.hasMessageContaining("owned by NODE3, which is not a node of cluster EXC");
		assertThatThrownBy(() -> read("""
				{"build":"15.0.1473.3","exchange2003":{"clusters":[{"name":"EXC","build":"6.5.6944","nodes":["NODE1"]}]}}"""))
				.hasMessageContaining("at least two nodes");
		assertThatThrownBy(() -> read("""
				{"build":"15.0.1473.3","exchange2003":{"clusters":[{"name":"EXC","build":"15.0.1497.2","nodes":["NODE1","NODE2"]}]}}"""))
				.hasMessageContaining("not an Exchange 2003 build");
		assertThatThrownBy(() -> read("""
				{"build":"15.0.1473.3","exchange2003":{"clusters":[{"name":"EXC","build":"6.5.6944","nodes":["NODE1","NODE2;calc"]}]}}"""))
				.isInstanceOf(InvalidInputException.class);
	}

	@Test
	void aTopologyWithoutExchange2003HasNoClusters() throws Exception {
		lab.reset(read("{\"build\":\"15.0.1473.3\"}"));

		assertThat(lab.clusters()).isEmpty();
		assertThat(lab.describeCluster(ServerName.of("EXCLUSTER"))).isEmpty();
	}

	// ---- helpers -----------------------------------------------------------------------------------------------

	private Map<ClusterResourceType, ClusterResourceStatus> resourceStates() {
		return lab.execute(new GetClusterStatus(NODE1)).resourcesOf(GROUP).stream()
				.collect(Collectors.toMap(ClusterStatus.Resource::type, ClusterStatus.Resource::state));
	}

	private void restart(ServerName server) {
		lab.execute(new RestartComputer(server));
		clock.advance(LabOrganisation.REBOOT_DURATION);
	}

	private void hotfix(ServerName server) {
		lab.execute(new InstallHotfix(server, HotfixId.KB831464, HOTFIX));
		restart(server);
	}

	private void servicePack(ServerName server) {
		hotfix(server);
		lab.execute(new StartServicePackInstaller(server, SP1, UNATTEND));
		clock.advance(Exchange2003Lab.SERVICE_PACK_DURATION);
	}

	private void upgradeEvs1OnNode2() {
		servicePack(NODE2);
		lab.execute(new TakeClusterResourceOffline(NODE1, SYSTEM_ATTENDANT));
		lab.execute(new MoveClusterGroup(NODE1, GROUP, NODE2));
		lab.upgradeExchangeVirtualServer(NODE2, EVS1);
		clock.advance(Exchange2003Lab.VIRTUAL_SERVER_UPGRADE_DURATION);
		lab.execute(new BringClusterResourceOnline(NODE2, SYSTEM_ATTENDANT));
	}

	/** Three nodes at SP1 binaries, EVS1 on NODE1 and EVS2 on NODE2 still at RTM. */
	private static Topology twoVirtualServers() throws Exception {
		return read("""
				{"build":"15.0.1473.3","exchange2003":{
				 "clusters":[{"name":"EXCLUSTER","build":"6.5.6944","nodes":["NODE1","NODE2","NODE3"],
				   "virtualServers":[{"name":"EVS1","owner":"NODE1"},{"name":"EVS2","owner":"NODE2"}]}],
				 "conditions":[{"server":"NODE1","build":"6.5.7226","hotfixes":["KB831464"]},
				               {"server":"NODE2","build":"6.5.7226","hotfixes":["KB831464"]}]}}""");
	}

	private static Topology read(String json) throws Exception {
		return Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
	}
}
