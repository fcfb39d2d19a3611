package dev.runbook.command;

import java.time.Instant;
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
			Objects.requireNonNull(server);
			Objects.requireNonNull(component);
			Objects.requireNonNull(state);
			Objects.requireNonNull(requester);
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-ServerComponentState").param("Identity", server.value())
					.param("Component", component).param("State", state).param("Requester", requester).build();
		}
	}

	record GetServerComponentState(ServerName server) implements Read<ComponentStates> {
		public Class<ComponentStates> resultType() {
			return ComponentStates.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ServerComponentState").param("Identity", server.value()).build();
		}
	}

	// ---- Transport ---------------------------------------------------------------------------------------------

	record RestartService(ServerName server, WindowsService service) implements Change {
		public CommandLine commandLine() {
			return CommandLine.of("Restart-Service").param("Name", service).build();
		}
	}

	/** Hands the server's queued messages to another DAG member. */
	record RedirectMessage(ServerName server, ServerName target) implements Change {
		public CommandLine commandLine() {
			return CommandLine.of("Redirect-Message").param("Server", server.value()).param("Target", target.value())
					.colon("Confirm", false).build();
		}
	}

	record GetQueue(ServerName server) implements Read<TransportQueues> {
		public Class<TransportQueues> resultType() {
			return TransportQueues.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-Queue").param("Server", server.value()).build();
		}
	}

	// ---- Failover cluster --------------------------------------------------------------------------------------

	record SuspendClusterNode(ServerName server) implements Change {
		public CommandLine commandLine() {
			return CommandLine.of("Suspend-ClusterNode").param("Name", server.shortName()).build();
		}
	}

	record ResumeClusterNode(ServerName server) implements Change {
		public CommandLine commandLine() {
			return CommandLine.of("Resume-ClusterNode").param("Name", server.shortName()).build();
		}
	}

	record GetClusterNode(ServerName server) implements Read<ClusterNode> {
		public Class<ClusterNode> resultType() {
			return ClusterNode.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ClusterNode").param("Name", server.shortName()).build();
		}
	}

	// ---- Mailbox server and database copies --------------------------------------------------------------------

	record SetDatabaseCopyActivationDisabledAndMoveNow(ServerName server, boolean value) implements Change {
		public CommandLine commandLine() {
			return CommandLine.of("Set-MailboxServer").param("Identity", server.value())
					.param("DatabaseCopyActivationDisabledAndMoveNow", value).build();
		}
	}

	record SetDatabaseCopyAutoActivationPolicy(ServerName server, AutoActivationPolicy policy) implements Change {
		public SetDatabaseCopyAutoActivationPolicy {
			Objects.requireNonNull(policy);
		}

		public CommandLine commandLine() {
			return CommandLine.of("Set-MailboxServer").param("Identity", server.value())
					.param("DatabaseCopyAutoActivationPolicy", policy).build();
		}
	}

	record GetMailboxServer(ServerName server) implements Read<MailboxServerSettings> {
		public Class<MailboxServerSettings> resultType() {
			return MailboxServerSettings.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MailboxServer").param("Identity", server.value()).build();
		}
	}

	/** The copies hosted on one server. */
	record GetMailboxDatabaseCopyStatus(ServerName server) implements Read<DatabaseCopies> {
		public Class<DatabaseCopies> resultType() {
			return DatabaseCopies.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-MailboxDatabaseCopyStatus").param("Server", server.value()).build();
		}
	}

	/** Moves every active copy off a server, for stragglers that MoveNow left behind. */
	record MoveActiveMailboxDatabase(ServerName server) implements Change {
		public CommandLine commandLine() {
			return CommandLine.of("Move-ActiveMailboxDatabase").param("Server", server.value())
					.param("MoveComment", "Maintenance").colon("Confirm", false).build();
		}
	}

	// ---- Server, setup and reboot ------------------------------------------------------------------------------

	record GetExchangeServer(ServerName server) implements Read<ExchangeServerInfo> {
		public Class<ExchangeServerInfo> resultType() {
			return ExchangeServerInfo.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-ExchangeServer").param("Identity", server.value()).build();
		}
	}

	/** Reads the registry keys that mean a reboot is pending; setup refuses to run while one is. */
	record TestPendingReboot(ServerName server) implements Read<PendingReboot> {
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
			Objects.requireNonNull(setupPath);
			Objects.requireNonNull(mode);
			Objects.requireNonNull(license);
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
		public CommandLine commandLine() {
			return CommandLine.of("Restart-Computer").param("ComputerName", server.value()).flag("Force").build();
		}
	}

	record TestWSMan(ServerName server) implements Read<Reachability> {
		public Class<Reachability> resultType() {
			return Reachability.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Test-WSMan").param("ComputerName", server.value()).build();
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

	/** The cluster's nodes, groups and resources (with their types), as cluster.exe prints them on one of its nodes. */
	record GetClusterStatus(ServerName server) implements Read<ClusterStatus> {
		public Class<ClusterStatus> resultType() {
			return ClusterStatus.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("cluster").nativeArgument("node").nativeArgument("/status")
					.then("cluster").nativeArgument("group").nativeArgument("/status")
					.then("cluster").nativeArgument("res").nativeArgument("/status")
					.then("cluster").nativeArgument("res").nativeArgument("/prop").build();
		}
	}

	/**
	 * Takes a resource offline, and with it every resource that depends on it (the System Attendant takes the Exchange
	 * resources with it). Answers the node's time when it returned.
	 */
	record TakeClusterResourceOffline(ServerName server, ClusterObjectName resource)
			implements ExchangeCommand<ClusterResourceState> {
		public TakeClusterResourceOffline {
			Objects.requireNonNull(server);
			Objects.requireNonNull(resource);
		}

		public Class<ClusterResourceState> resultType() {
			return ClusterResourceState.class;
		}

		public boolean changesState() {
			return true;
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
	record BringClusterResourceOnline(ServerName server, ClusterObjectName resource)
			implements ExchangeCommand<ClusterResourceState> {
		public BringClusterResourceOnline {
			Objects.requireNonNull(server);
			Objects.requireNonNull(resource);
		}

		public Class<ClusterResourceState> resultType() {
			return ClusterResourceState.class;
		}

		public boolean changesState() {
			return true;
		}

		public CommandLine commandLine() {
			return CommandLine.of("cluster").nativeArgument("res").nativeValue(resource.value()).nativeArgument("/online")
					.then("Get-Date").param("Format", "o").build();
		}
	}

	/** Moves a group, with its resources, to another node: {@code cluster group 'EVS1' /moveto:NODE2}. */
	record MoveClusterGroup(ServerName server, ClusterObjectName group, ServerName node) implements Change {
		public MoveClusterGroup {
			Objects.requireNonNull(server);
			Objects.requireNonNull(group);
			Objects.requireNonNull(node);
		}

		public CommandLine commandLine() {
			return CommandLine.of("cluster").nativeArgument("group").nativeValue(group.value())
					.nativeOption("/moveto:", node.shortName()).build();
		}
	}

	record GetHotfix(ServerName server, HotfixId hotfix) implements Read<HotfixStatus> {
		public GetHotfix {
			Objects.requireNonNull(hotfix);
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
			Objects.requireNonNull(installer);
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
			requireUpdateExe(installer);
			Objects.requireNonNull(unattendFile);
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
			Objects.requireNonNull(exchangeServer);
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
			Objects.requireNonNull(since);
		}

		public Class<ApplicationLogErrors> resultType() {
			return ApplicationLogErrors.class;
		}

		public CommandLine commandLine() {
			return CommandLine.of("Get-EventLog").param("LogName", "Application").param("EntryType", "Error")
					.param("After", since.toString()).build();
		}
	}
}
