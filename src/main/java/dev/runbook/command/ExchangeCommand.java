package dev.runbook.command;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every Exchange, cluster and Windows command the runbook can run: the one catalogue. Each command names the server
 * it runs on, the result it answers with, whether it changes anything, and its command line as data.
 * Values arrive already validated ({@link ServerName}, {@link WindowsPath}, {@link ExchangeBuild}, enums).
 */
public sealed interface ExchangeCommand<R> {

	/** The server the command runs on (and, for server-scoped cmdlets, the server it acts on). */
	ServerName server();

	Class<R> resultType();

	/** False for the read-only commands a dry run may use. */
	boolean changesState();

	CommandLine commandLine();

	// ---- Server components -------------------------------------------------------------------------------------

	record SetServerComponentState(ServerName server, Component component, ComponentState state, Requester requester)
			implements Change {
		public SetServerComponentState {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(component, "component");
			Objects.requireNonNull(state, "state");
			Objects.requireNonNull(requester, "requester");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-ServerComponentState").param("Identity", server.value())
					.param("Component", component).param("State", state).param("Requester", requester).build();
		}
	}

	record GetServerComponentState(ServerName server) implements Read<ComponentStates> {
		public GetServerComponentState {
			Objects.requireNonNull(server, "server");
		}

		public Class<ComponentStates> resultType() {
			return ComponentStates.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ServerComponentState").param("Identity", server.value()).build();
		}
	}

	// ---- Transport ---------------------------------------------------------------------------------------------

	record RestartService(ServerName server, WindowsService service) implements Change {
		public RestartService {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(service, "service");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Restart-Service").param("Name", service).build();
		}
	}

	/** Hands the server's queued messages to another DAG member. */
	record RedirectMessage(ServerName server, ServerName target) implements Change {
		public RedirectMessage {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(target, "target");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Redirect-Message").param("Server", server.value()).param("Target", target.value())
					.colon("Confirm", false).build();
		}
	}

	record GetQueue(ServerName server) implements Read<TransportQueues> {
		public GetQueue {
			Objects.requireNonNull(server, "server");
		}

		public Class<TransportQueues> resultType() {
			return TransportQueues.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-Queue").param("Server", server.value()).build();
		}
	}

	// ---- Failover cluster --------------------------------------------------------------------------------------

	record SuspendClusterNode(ServerName server) implements Change {
		public SuspendClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Suspend-ClusterNode").param("Name", server.shortName()).build();
		}
	}

	record ResumeClusterNode(ServerName server) implements Change {
		public ResumeClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Resume-ClusterNode").param("Name", server.shortName()).build();
		}
	}

	record GetClusterNode(ServerName server) implements Read<ClusterNode> {
		public GetClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public Class<ClusterNode> resultType() {
			return ClusterNode.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ClusterNode").param("Name", server.shortName()).build();
		}
	}

	// ---- Mailbox server and database copies --------------------------------------------------------------------

	record SetDatabaseCopyActivationDisabledAndMoveNow(ServerName server, boolean value) implements Change {
		public SetDatabaseCopyActivationDisabledAndMoveNow {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-MailboxServer").param("Identity", server.value())
					.param("DatabaseCopyActivationDisabledAndMoveNow", value).build();
		}
	}

	record SetDatabaseCopyAutoActivationPolicy(ServerName server, AutoActivationPolicy policy) implements Change {
		public SetDatabaseCopyAutoActivationPolicy {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(policy, "policy");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-MailboxServer").param("Identity", server.value())
					.param("DatabaseCopyAutoActivationPolicy", policy).build();
		}
	}

	record GetMailboxServer(ServerName server) implements Read<MailboxServerSettings> {
		public GetMailboxServer {
			Objects.requireNonNull(server, "server");
		}

		public Class<MailboxServerSettings> resultType() {
			return MailboxServerSettings.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MailboxServer").param("Identity", server.value()).build();
		}
	}

	/** The copies hosted on one server. */
	record GetMailboxDatabaseCopyStatus(ServerName server) implements Read<DatabaseCopies> {
		public GetMailboxDatabaseCopyStatus {
			Objects.requireNonNull(server, "server");
		}

		public Class<DatabaseCopies> resultType() {
			return DatabaseCopies.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MailboxDatabaseCopyStatus").param("Server", server.value()).build();
		}
	}

	/** Moves every active copy off a server, for stragglers that MoveNow left behind. */
	record MoveActiveMailboxDatabase(ServerName server) implements Change {
		public MoveActiveMailboxDatabase {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Move-ActiveMailboxDatabase").param("Server", server.value())
					.param("MoveComment", "Maintenance").colon("Confirm", false).build();
		}
	}

	// ---- Server, setup and reboot ------------------------------------------------------------------------------

	record GetExchangeServer(ServerName server) implements Read<ExchangeServerInfo> {
		public GetExchangeServer {
			Objects.requireNonNull(server, "server");
		}

		public Class<ExchangeServerInfo> resultType() {
			return ExchangeServerInfo.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ExchangeServer").param("Identity", server.value()).build();
		}
	}

	/** Reads the registry keys that mean a reboot is pending; setup refuses to run while one is. */
	record TestPendingReboot(ServerName server) implements Read<PendingReboot> {
		public TestPendingReboot {
			Objects.requireNonNull(server, "server");
		}

		public Class<PendingReboot> resultType() {
			return PendingReboot.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-Path")
					.param("LiteralPath", "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending")
					.then("Test-Path")
					.param("LiteralPath", "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired")
					.then("Get-ItemProperty")
					.param("LiteralPath", "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager")
					.param("Name", "PendingFileRenameOperations").build();
		}
	}

	/** Setup.exe, started from its own folder. */
	record StartSetup(ServerName server, WindowsPath setupPath, SetupMode mode, LicenseSwitch license)
			implements Change {
		public StartSetup {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(setupPath, "setupPath");
			Objects.requireNonNull(mode, "mode");
			Objects.requireNonNull(license, "license");
			if (!setupPath.fileName().equalsIgnoreCase("Setup.exe")) {
				throw new InvalidInputException("Setup path '" + setupPath + "' must name Setup.exe.");
			}
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-Location").param("LiteralPath", setupPath.folder())
					.then(".\\" + setupPath.fileName()).nativeArgument(mode.argument()).nativeArgument(license.argument())
					.build();
		}
	}

	/** The scheduled setup run's exit code, the registry watermark and ExchangeSetup.log's verdict. */
	record GetSetupStatus(ServerName server) implements Read<SetupStatus> {
		public GetSetupStatus {
			Objects.requireNonNull(server, "server");
		}

		public Class<SetupStatus> resultType() {
			return SetupStatus.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ScheduledTaskInfo").param("TaskName", "ExchangeSetup")
					.then("Get-ItemProperty").param("Path", "HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\*")
					.param("Name", "Watermark")
					.then("Select-String").param("LiteralPath", "C:\\ExchangeSetupLogs\\ExchangeSetup.log")
					.param("Pattern", "[ERROR]").flag("SimpleMatch").build();
		}
	}

	record RestartComputer(ServerName server) implements Change {
		public RestartComputer {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Restart-Computer").param("ComputerName", server.value()).flag("Force").build();
		}
	}

	record TestWSMan(ServerName server) implements Read<Reachability> {
		public TestWSMan {
			Objects.requireNonNull(server, "server");
		}

		public Class<Reachability> resultType() {
			return Reachability.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-WSMan").param("ComputerName", server.value()).build();
		}
	}

	// ---- Organisation discovery --------------------------------------------------------------------------------
	// Organisation-wide commands name the server they run on ({@code runOn}): any Exchange server with the
	// management tools will do, and the journal shows where each one ran.

	/** The DAG's members, witness, operational servers and Primary Active Manager. */
	record GetDatabaseAvailabilityGroup(ServerName runOn, DagName dag) implements Read<DatabaseAvailabilityGroup> {
		public GetDatabaseAvailabilityGroup {
			Objects.requireNonNull(runOn, "runOn");
			Objects.requireNonNull(dag, "dag");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<DatabaseAvailabilityGroup> resultType() {
			return DatabaseAvailabilityGroup.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-DatabaseAvailabilityGroup").param("Identity", dag.value()).flag("Status").build();
		}
	}

	/** Every Exchange server of the organisation, with its roles, build and site. */
	record GetExchangeServers(ServerName runOn) implements Read<ExchangeServers> {
		public GetExchangeServers {
			Objects.requireNonNull(runOn, "runOn");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<ExchangeServers> resultType() {
			return ExchangeServers.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ExchangeServer").build();
		}
	}

	/** Every mailbox database: where it is mounted, its activation preferences, its file and log folders. */
	record GetMailboxDatabases(ServerName runOn) implements Read<MailboxDatabases> {
		public GetMailboxDatabases {
			Objects.requireNonNull(runOn, "runOn");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<MailboxDatabases> resultType() {
			return MailboxDatabases.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MailboxDatabase").flag("Status").build();
		}
	}

	// ---- Quorum and replication health -------------------------------------------------------------------------

	/** Every node of the DAG's cluster, with its state and vote. */
	record GetClusterNodes(ServerName runOn, DagName dag) implements Read<ClusterNodes> {
		public GetClusterNodes {
			Objects.requireNonNull(runOn, "runOn");
			Objects.requireNonNull(dag, "dag");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<ClusterNodes> resultType() {
			return ClusterNodes.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ClusterNode").param("Cluster", dag.value()).build();
		}
	}

	/** The quorum model of the DAG's cluster and the state of its witness. */
	record GetClusterQuorum(ServerName runOn, DagName dag) implements Read<ClusterQuorum> {
		public GetClusterQuorum {
			Objects.requireNonNull(runOn, "runOn");
			Objects.requireNonNull(dag, "dag");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<ClusterQuorum> resultType() {
			return ClusterQuorum.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ClusterQuorum").param("Cluster", dag.value()).build();
		}
	}

	record TestReplicationHealth(ServerName server) implements Read<ReplicationHealth> {
		public TestReplicationHealth {
			Objects.requireNonNull(server, "server");
		}

		public Class<ReplicationHealth> resultType() {
			return ReplicationHealth.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-ReplicationHealth").param("Identity", server.value()).build();
		}
	}

	/** Every copy of one database ({@code DB01\*}), whichever server holds it. */
	record GetDatabaseCopies(ServerName runOn, DatabaseName database) implements Read<DatabaseCopies> {
		public GetDatabaseCopies {
			Objects.requireNonNull(runOn, "runOn");
			Objects.requireNonNull(database, "database");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<DatabaseCopies> resultType() {
			return DatabaseCopies.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MailboxDatabaseCopyStatus").param("Identity", database.value() + "\\*").build();
		}
	}

	/**
	 * Mounts a database on its copy on {@code server}, run there: one step of rebalancing onto activation-preference-1
	 * copies. Exchange refuses a move to the server that already holds the active copy; an executor answers that case
	 * as done, so the step can run twice.
	 */
	record ActivateDatabaseCopy(ServerName server, DatabaseName database) implements Change {
		public ActivateDatabaseCopy {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(database, "database");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Move-ActiveMailboxDatabase").param("Identity", database.value())
					.param("ActivateOnServer", server.value()).colon("Confirm", false).build();
		}
	}

	// ---- Windows NLB -------------------------------------------------------------------------------------------
	// -HostName names the NLB host the cmdlet acts on, so each command runs against the Client Access server itself.

	record GetNlbClusterNode(ServerName server) implements Read<NlbClusterNode> {
		public GetNlbClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public Class<NlbClusterNode> resultType() {
			return NlbClusterNode.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-NlbClusterNode").param("HostName", server.value())
					.param("NodeName", server.shortName()).build();
		}
	}

	/**
	 * Stops taking new connections and lets the open ones finish for up to {@code drainTimeoutMinutes}, then stops
	 * the node. The node reads Draining until then, Stopped after.
	 */
	record StopNlbClusterNode(ServerName server, int drainTimeoutMinutes) implements Change {
		public static final int LONGEST_DRAIN_MINUTES = 240;

		public StopNlbClusterNode {
			Objects.requireNonNull(server, "server");
			if (drainTimeoutMinutes < 1 || drainTimeoutMinutes > LONGEST_DRAIN_MINUTES) {
				throw new InvalidInputException("The NLB drain timeout must be between 1 and " + LONGEST_DRAIN_MINUTES
						+ " minutes, was " + drainTimeoutMinutes + ".");
			}
		}

		public CommandLine commandLine() {
			return CommandLine.of("Stop-NlbClusterNode").param("HostName", server.value()).flag("Drain")
					.param("Timeout", drainTimeoutMinutes).build();
		}
	}

	record StartNlbClusterNode(ServerName server) implements Change {
		public StartNlbClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Start-NlbClusterNode").param("HostName", server.value()).build();
		}
	}

	/** Suspended, unlike Stopped, survives a reboot: the node does not rejoin the cluster when the server restarts. */
	record SuspendNlbClusterNode(ServerName server) implements Change {
		public SuspendNlbClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Suspend-NlbClusterNode").param("HostName", server.value()).build();
		}
	}

	/** Suspended to Stopped; Start-NlbClusterNode then brings the node back to Converged. */
	record ResumeNlbClusterNode(ServerName server) implements Change {
		public ResumeNlbClusterNode {
			Objects.requireNonNull(server, "server");
		}

		public CommandLine commandLine() {
			return CommandLine.of("Resume-NlbClusterNode").param("HostName", server.value()).build();
		}
	}

	// ---- Health ------------------------------------------------------------------------------------------------

	/**
	 * Requests a health page of {@code host} from {@code server}, as a load balancer probes it. Windows PowerShell
	 * throws on any status but 2xx; an executor answers that status (or 0 when no HTTP answer came) instead.
	 */
	record InvokeHealthCheck(ServerName server, ServerName host, HealthCheckPage page) implements Read<HealthCheckResponse> {
		public InvokeHealthCheck {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(host, "host");
			Objects.requireNonNull(page, "page");
		}

		public Class<HealthCheckResponse> resultType() {
			return HealthCheckResponse.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Invoke-WebRequest").param("Uri", page.uri(host)).flag("UseBasicParsing").build();
		}
	}

	record TestServiceHealth(ServerName server) implements Read<ServiceHealth> {
		public TestServiceHealth {
			Objects.requireNonNull(server, "server");
		}

		public Class<ServiceHealth> resultType() {
			return ServiceHealth.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-ServiceHealth").param("Server", server.value()).build();
		}
	}

	// ---- Active Directory preparation --------------------------------------------------------------------------

	/** The forest the organisation lives in: its root domain, every domain, and the schema master. */
	record GetADForest(ServerName runOn) implements Read<ActiveDirectoryForest> {
		public GetADForest {
			Objects.requireNonNull(runOn, "runOn");
		}

		public ServerName server() {
			return runOn;
		}

		public Class<ActiveDirectoryForest> resultType() {
			return ActiveDirectoryForest.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ADForest").build();
		}
	}

	/**
	 * Reads the Exchange schema version, the organisation's objectVersion and each domain's objectVersion, so that
	 * preparation is skipped when it is already done. {@code forest} is the forest root domain.
	 */
	record GetActiveDirectoryPreparation(ServerName runOn, DomainName forest, List<DomainName> domains)
			implements Read<DirectoryPreparation> {
		public GetActiveDirectoryPreparation {
			Objects.requireNonNull(runOn, "runOn");
			Objects.requireNonNull(forest, "forest");
			domains = List.copyOf(Objects.requireNonNull(domains, "domains"));
			if (domains.isEmpty()) {
				throw new InvalidInputException("At least one domain is required: the forest's own.");
			}
		}

		public ServerName server() {
			return runOn;
		}

		public Class<DirectoryPreparation> resultType() {
			return DirectoryPreparation.class;
		}

		public CommandLine commandLine() {
			String configuration = "CN=Configuration," + forest.distinguishedName();
			CommandLine.Builder line = CommandLine.of("Get-ADObject")
					.param("Identity", "CN=ms-Exch-Schema-Version-Pt,CN=Schema," + configuration)
					.param("Properties", "rangeUpper")
					.then("Get-ADObject").param("SearchBase", "CN=Microsoft Exchange,CN=Services," + configuration)
					.param("LDAPFilter", "(objectClass=msExchOrganizationContainer)").param("Properties", "objectVersion");
			for (DomainName domain : domains) {
				line.then("Get-ADObject").param("Identity", "CN=Microsoft Exchange System Objects," + domain.distinguishedName())
						.param("Server", domain.value()).param("Properties", "objectVersion");
			}
			return line.build();
		}
	}

	// ---- The seed's practices ----------------------------------------------------------------------------------

	/** Whether IPv6 is bound to each network adapter: the cluster heartbeat between DAG members uses it. */
	record GetNetAdapterBinding(ServerName server) implements Read<AdapterBindings> {
		public GetNetAdapterBinding {
			Objects.requireNonNull(server, "server");
		}

		public Class<AdapterBindings> resultType() {
			return AdapterBindings.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-NetAdapterBinding").param("ComponentID", AdapterBindings.IPV6).build();
		}
	}

	/**
	 * Windows Defender's exclusions. Where the cmdlet is missing or Defender does not run, an executor answers
	 * {@link DefenderExclusions#unreadable} instead of failing, so that the operator confirms the exclusions.
	 */
	record GetMpPreference(ServerName server) implements Read<DefenderExclusions> {
		public GetMpPreference {
			Objects.requireNonNull(server, "server");
		}

		public Class<DefenderExclusions> resultType() {
			return DefenderExclusions.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MpPreference").build();
		}
	}

	/** A TCP connection from {@code server} to {@code target}: a port between Exchange servers that must be open. */
	record TestNetConnection(ServerName server, ServerName target, int port) implements Read<PortTest> {
		public TestNetConnection {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(target, "target");
			if (port < 1 || port > 65535) {
				throw new InvalidInputException("A TCP port is a number from 1 to 65535, not " + port + ".");
			}
		}

		public Class<PortTest> resultType() {
			return PortTest.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-NetConnection").param("ComputerName", target.value()).param("Port", port).build();
		}
	}

	/** Whether a file, such as the setup media, can be reached from {@code server}. */
	record TestPath(ServerName server, WindowsPath path) implements Read<PathCheck> {
		public TestPath {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(path, "path");
		}

		public Class<PathCheck> resultType() {
			return PathCheck.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-Path").param("LiteralPath", path.value()).param("PathType", "Leaf").build();
		}
	}

	/**
	 * The product version of a file, read from {@code server}: for the setup media's Setup.exe, the build it installs
	 * ({@code 15.00.1497.002}), so that the wrong CU is found before any server is taken out of service.
	 */
	record GetFileVersion(ServerName server, WindowsPath path) implements Read<FileVersion> {
		public GetFileVersion {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(path, "path");
		}

		public Class<FileVersion> resultType() {
			return FileVersion.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-Item").param("LiteralPath", path.value()).build();
		}
	}

	// ---- Kinds -------------------------------------------------------------------------------------------------

	/** A command that changes state and answers {@link Done}. */
	sealed interface Change extends ExchangeCommand<Done> {
		default Class<Done> resultType() {
			return Done.class;
		}

		default boolean changesState() {
			return true;
		}
	}

	/** A read-only command. */
	sealed interface Read<R> extends ExchangeCommand<R> {
		default boolean changesState() {
			return false;
		}
	}

	// ---- Exchange 2003 clusters --------------------------------------------------------------------------------
	// Exchange 2003 has no Exchange cmdlets: cluster.exe, the Windows hotfix and service-pack installers, WMI and the
	// Application event log, run through Windows PowerShell 2.0 on the cluster node or front-end server in server().

	/**
	 * The cluster's nodes, groups and resources (with their types and groups), from the cluster's WMI provider on one
	 * of its nodes: read-only, unlike cluster.exe, whose listing switches share the program with its actions.
	 */
	record GetClusterStatus(ServerName server) implements Read<ClusterStatus> {
		public GetClusterStatus {
			Objects.requireNonNull(server, "server");
		}

		public Class<ClusterStatus> resultType() {
			return ClusterStatus.class;
		}

		public CommandLine commandLine() {
			CommandLine.Builder line = null;
			for (String wmiClass : List.of("MSCluster_Node", "MSCluster_ResourceGroup", "MSCluster_Resource",
					"MSCluster_ResourceGroupToResource")) {
				line = (line == null ? CommandLine.of("Get-WmiObject") : line.then("Get-WmiObject"))
						.param("Namespace", "root\\MSCluster").param("Class", wmiClass);
			}
			return line.build();
		}
	}

	/**
	 * Takes a resource offline, and with it every resource that depends on it (the System Attendant takes the Exchange
	 * resources with it). Answers the node's time when it returned.
	 */
	record TakeClusterResourceOffline(ServerName server, ClusterObjectName resource) implements Action<ClusterResourceState> {
		public TakeClusterResourceOffline {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(resource, "resource");
		}

		public Class<ClusterResourceState> resultType() {
			return ClusterResourceState.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("cluster").nativeArgument("res").nativeValue(resource.value()).nativeArgument("/offline")
					.then("Get-Date").param("Format", "o").build();
		}
	}

	/**
	 * Brings one resource online (the cluster first brings online what it depends on, never what depends on it).
	 * Answers the node's time when it returned.
	 */
	record BringClusterResourceOnline(ServerName server, ClusterObjectName resource) implements Action<ClusterResourceState> {
		public BringClusterResourceOnline {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(resource, "resource");
		}

		public Class<ClusterResourceState> resultType() {
			return ClusterResourceState.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("cluster").nativeArgument("res").nativeValue(resource.value()).nativeArgument("/online")
					.then("Get-Date").param("Format", "o").build();
		}
	}

	/** Moves a group, with its resources, to another node: {@code cluster group 'EVS1' /moveto:NODE2}. */
	record MoveClusterGroup(ServerName server, ClusterObjectName group, ServerName node) implements Change {
		public MoveClusterGroup {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(group, "group");
			Objects.requireNonNull(node, "node");
		}

		public CommandLine commandLine() {
			return CommandLine.of("cluster").nativeArgument("group").nativeValue(group.value())
					.nativeOption("/moveto:", node.shortName()).build();
		}
	}

	record GetHotfix(ServerName server, HotfixId hotfix) implements Read<HotfixStatus> {
		public GetHotfix {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(hotfix, "hotfix");
		}

		public Class<HotfixStatus> resultType() {
			return HotfixStatus.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-HotFix").param("Id", hotfix.value()).build();
		}
	}

	/** A Windows hotfix package, quietly and without restarting: the runbook restarts the server itself. */
	record InstallHotfix(ServerName server, HotfixId hotfix, WindowsPath installer) implements Change {
		public InstallHotfix {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(hotfix, "hotfix");
			Objects.requireNonNull(installer, "installer");
			hotfix.requirePackage(installer);
		}

		public CommandLine commandLine() {
			return CommandLine.of("Start-Process").param("FilePath", installer.value())
					.param("ArgumentList", "/quiet /norestart").flag("Wait").build();
		}
	}

	/** The Exchange 2003 service pack's update.exe, started from its own folder with an unattend file. */
	record StartServicePackInstaller(ServerName server, WindowsPath installer, WindowsPath unattendFile)
			implements Change {
		public StartServicePackInstaller {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(installer, "installer");
			Objects.requireNonNull(unattendFile, "unattendFile");
			requireUpdateExe(installer);
		}

		/** An Exchange 2003 service pack installs with its update.exe. */
		public static WindowsPath requireUpdateExe(WindowsPath installer) {
			if (!installer.fileName().equalsIgnoreCase("update.exe")) {
				throw new InvalidInputException("Service-pack installer '" + installer + "' must name update.exe.");
			}
			return installer;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-Location").param("LiteralPath", installer.folder())
					.then(".\\" + installer.fileName()).nativeArgument("/UnattendFile").nativeValue(unattendFile.value())
					.build();
		}
	}

	/** Is update.exe still running, which build the Exchange binaries are at, and the setup progress log's errors. */
	record GetServicePackStatus(ServerName server) implements Read<ServicePackStatus> {
		public GetServicePackStatus {
			Objects.requireNonNull(server, "server");
		}

		public Class<ServicePackStatus> resultType() {
			return ServicePackStatus.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-Process").param("Name", "update").param("ErrorAction", "SilentlyContinue")
					.then("Get-ItemProperty").param("LiteralPath", "HKLM:\\SOFTWARE\\Microsoft\\Exchange\\Setup")
					.then("Select-String").param("LiteralPath", "C:\\Exchange Server Setup Progress.log")
					.param("Pattern", "ERROR").flag("SimpleMatch").build();
		}
	}

	/** The version the directory records for an Exchange 2003 server or virtual server, read through WMI on a node. */
	record GetExchangeServerVersion(ServerName server, ServerName exchangeServer) implements Read<ExchangeServerVersion> {
		public GetExchangeServerVersion {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(exchangeServer, "exchangeServer");
		}

		public Class<ExchangeServerVersion> resultType() {
			return ExchangeServerVersion.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-WmiObject").param("Namespace", "root\\MicrosoftExchangeV2")
					.param("Class", "Exchange_Server").param("Filter", "Name='" + exchangeServer.shortName() + "'")
					.build();
		}
	}

	/** The Application log's errors since a moment: what the seed says to check once every resource is online. */
	record GetApplicationLogErrors(ServerName server, Instant since) implements Read<ApplicationLogErrors> {
		public GetApplicationLogErrors {
			Objects.requireNonNull(server, "server");
			Objects.requireNonNull(since, "since");
		}

		public Class<ApplicationLogErrors> resultType() {
			return ApplicationLogErrors.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-EventLog").param("LogName", "Application").param("EntryType", "Error")
					.param("After", since.toString()).build();
		}
	}

	/** A command that changes state and answers what came of it, such as cluster.exe's time when it returned. */
	sealed interface Action<R> extends ExchangeCommand<R> {
		default boolean changesState() {
			return true;
		}
	}
}
