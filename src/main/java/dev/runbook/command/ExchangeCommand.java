package dev.runbook.command;

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
}
