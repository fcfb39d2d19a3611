package dev.runbook.winrm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.*;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabServerView;
import dev.runbook.winrm.script.ActiveDirectoryVersions;
import dev.runbook.winrm.script.ExchangeScripts;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptOutput;

/**
 * Windows PowerShell on a server of the lab, as far as the runbook's scripts need it: it recognises a script only if
 * its text is exactly one of the fixed scripts with a payload in its one place, binds the payload's values as the
 * script would, lets the lab answer as Exchange, and writes the result as the script's projection would.
 */
final class LabPowerShell {

	private static final Pattern PAYLOAD = Pattern.compile("FromBase64String\\('([A-Za-z0-9+/=]*)'\\)");
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final ServerName ANY = ServerName.of("EX01");
	private static final DagName DAG = DagName.of("DAG01");

	/** Each fixed script's text, with the command kinds it serves. */
	private final Map<String, List<Class<?>>> templates = new LinkedHashMap<>();
	private final LabOrganisation lab;
	private final List<String> commandsRun = new ArrayList<>();

	LabPowerShell(LabOrganisation lab) {
		this.lab = lab;
		List<ExchangeCommand<?>> samples = List.of(
				new SetServerComponentState(ANY, Component.HubTransport, ComponentState.Draining, Requester.Maintenance),
				new GetServerComponentState(ANY), new RestartService(ANY, WindowsService.MSExchangeTransport),
				new RedirectMessage(ANY, ANY), new GetQueue(ANY), new SuspendClusterNode(ANY), new ResumeClusterNode(ANY),
				new GetClusterNode(ANY), new SetDatabaseCopyActivationDisabledAndMoveNow(ANY, true),
				new SetDatabaseCopyAutoActivationPolicy(ANY, AutoActivationPolicy.Blocked), new GetMailboxServer(ANY),
				new GetMailboxDatabaseCopyStatus(ANY), new MoveActiveMailboxDatabase(ANY), new GetExchangeServer(ANY),
				new TestPendingReboot(ANY),
				new StartSetup(ANY, WindowsPath.of("D:\\Setup.exe"), SetupMode.Upgrade, LicenseSwitch.Classic),
				new GetSetupStatus(ANY), new RestartComputer(ANY), new TestWSMan(ANY),
				new GetDatabaseAvailabilityGroup(ANY, DAG), new GetExchangeServers(ANY), new GetMailboxDatabases(ANY),
				new GetClusterNodes(ANY, DAG), new GetClusterQuorum(ANY, DAG), new TestReplicationHealth(ANY),
				new GetDatabaseCopies(ANY, DatabaseName.of("DB01")), new ActivateDatabaseCopy(ANY, DatabaseName.of("DB01")),
				new GetNlbClusterNode(ANY), new StopNlbClusterNode(ANY, 5), new StartNlbClusterNode(ANY),
				new SuspendNlbClusterNode(ANY), new ResumeNlbClusterNode(ANY),
				new InvokeHealthCheck(ANY, ANY, HealthCheckPage.Owa), new TestServiceHealth(ANY), new GetADForest(ANY),
				new GetActiveDirectoryPreparation(ANY, DomainName.of("contoso.local"), List.of(DomainName.of("contoso.local"))),
				new GetNetAdapterBinding(ANY), new GetMpPreference(ANY), new TestNetConnection(ANY, ANY, 443),
				new TestPath(ANY, WindowsPath.of("D:\\Setup.exe")), new GetFileVersion(ANY, WindowsPath.of("D:\\Setup.exe")));
		for (ExchangeCommand<?> sample : samples) {
			templates.computeIfAbsent(ExchangeScripts.forCommand(sample).template(), t -> new ArrayList<>())
					.add(sample.getClass());
		}
	}

	/** The commands run so far, as the lab journals them: {@code host: kind}. */
	synchronized List<String> commandsRun() {
		return List.copyOf(commandsRun);
	}

	/**
	 * Runs a script on {@code host}. A failing cmdlet ends the script as the script's catch block does; the lab's
	 * transient failures (a server that does not answer, a timeout) are left to the transport: they are thrown.
	 */
	ScriptOutput run(String host, String script) {
		Matcher m = PAYLOAD.matcher(script);
		if (!m.find()) {
			throw new IllegalArgumentException("a script without a payload: " + script);
		}
		List<Class<?>> kinds = templates.get(script.replace(m.group(1), Script.PAYLOAD_MARK));
		if (kinds == null) {
			throw new IllegalArgumentException("not one of the fixed scripts: " + script);
		}
		try {
			JsonNode p = JSON.readTree(Base64.getDecoder().decode(m.group(1)));
			ServerName here = ServerName.of(host);
			synchronized (this) {
				commandsRun.add(here + ": " + kinds.get(0).getSimpleName());
			}
			if (kinds.get(0) == TestWSMan.class) {
				return result(true);
			}
			ExchangeCommand<?> command = command(kinds, here, p);
			if (command instanceof GetExchangeServer g && lab.describe(g.server()).isEmpty()) {
				return result(null);
			}
			return result(shape(lab.execute(command)));
		} catch (CommandFailedException e) {
			if (e.isTransient()) {
				throw e;
			}
			return new ScriptOutput(Script.ERROR_SENTINEL + base64(e.getMessage()) + "\r\n", "", 1);
		} catch (java.io.IOException e) {
			throw new IllegalStateException(e);
		}
	}

	boolean isUp(String host) {
		Optional<LabServerView> server = lab.server(ServerName.of(host));
		return server.isEmpty() || server.get().reachable();
	}

	/** Binds the payload's values as the script's splatting does. */
	private static ExchangeCommand<?> command(List<Class<?>> kinds, ServerName here, JsonNode p) {
		JsonNode c0 = p.path("c").get(0);
		Class<?> kind = kinds.get(0);
		if (kinds.contains(SetDatabaseCopyAutoActivationPolicy.class)) {
			kind = c0.has("DatabaseCopyActivationDisabledAndMoveNow") ? SetDatabaseCopyActivationDisabledAndMoveNow.class
					: SetDatabaseCopyAutoActivationPolicy.class;
		} else if (kinds.contains(GetDatabaseCopies.class)) {
			kind = c0.has("Server") ? GetMailboxDatabaseCopyStatus.class : GetDatabaseCopies.class;
		}
		if (kinds.size() > 1 && kind == kinds.get(0) && !kinds.contains(GetDatabaseCopies.class)
				&& !kinds.contains(SetDatabaseCopyAutoActivationPolicy.class)) {
			throw new IllegalArgumentException("one script for several kinds: " + kinds);
		}
		Function<String, ServerName> server = field -> ServerName.of(c0.path(field).asText());
		if (kind == SetServerComponentState.class) {
			return new SetServerComponentState(server.apply("Identity"), Component.valueOf(c0.path("Component").asText()),
					ComponentState.valueOf(c0.path("State").asText()), Requester.valueOf(c0.path("Requester").asText()));
		} else if (kind == GetServerComponentState.class) {
			return new GetServerComponentState(server.apply("Identity"));
		} else if (kind == RestartService.class) {
			return new RestartService(here, WindowsService.valueOf(c0.path("Name").asText()));
		} else if (kind == RedirectMessage.class) {
			return new RedirectMessage(server.apply("Server"), server.apply("Target"));
		} else if (kind == GetQueue.class) {
			return new GetQueue(server.apply("Server"));
		} else if (kind == SuspendClusterNode.class) {
			return new SuspendClusterNode(sameHost(here, server.apply("Name")));
		} else if (kind == ResumeClusterNode.class) {
			return new ResumeClusterNode(sameHost(here, server.apply("Name")));
		} else if (kind == GetClusterNode.class) {
			return new GetClusterNode(sameHost(here, server.apply("Name")));
		} else if (kind == SetDatabaseCopyActivationDisabledAndMoveNow.class) {
			return new SetDatabaseCopyActivationDisabledAndMoveNow(server.apply("Identity"),
					c0.path("DatabaseCopyActivationDisabledAndMoveNow").asBoolean());
		} else if (kind == SetDatabaseCopyAutoActivationPolicy.class) {
			return new SetDatabaseCopyAutoActivationPolicy(server.apply("Identity"),
					AutoActivationPolicy.valueOf(c0.path("DatabaseCopyAutoActivationPolicy").asText()));
		} else if (kind == GetMailboxServer.class) {
			return new GetMailboxServer(server.apply("Identity"));
		} else if (kind == GetMailboxDatabaseCopyStatus.class) {
			return new GetMailboxDatabaseCopyStatus(server.apply("Server"));
		} else if (kind == MoveActiveMailboxDatabase.class) {
			return new MoveActiveMailboxDatabase(server.apply("Server"));
		} else if (kind == GetExchangeServer.class) {
			return new GetExchangeServer(server.apply("Identity"));
		} else if (kind == TestPendingReboot.class) {
			return new TestPendingReboot(here);
		} else if (kind == StartSetup.class) {
			JsonNode natives = p.path("native");
			SetupMode mode = List.of(SetupMode.values()).stream()
					.filter(s -> s.argument().equals(natives.get(0).asText())).findFirst().orElseThrow();
			LicenseSwitch license = List.of(LicenseSwitch.values()).stream()
					.filter(s -> s.argument().equals(natives.get(1).asText())).findFirst().orElseThrow();
			if (!"ExchangeSetup".equals(p.path("task").asText())) {
				throw new IllegalArgumentException("setup must run as the task GetSetupStatus reads");
			}
			return new StartSetup(here, WindowsPath.of(c0.path("LiteralPath").asText() + "\\Setup.exe"), mode, license);
		} else if (kind == GetSetupStatus.class) {
			return new GetSetupStatus(here);
		} else if (kind == RestartComputer.class) {
			return new RestartComputer(sameHost(here, server.apply("ComputerName")));
		} else if (kind == GetDatabaseAvailabilityGroup.class) {
			return new GetDatabaseAvailabilityGroup(here, DagName.of(c0.path("Identity").asText()));
		} else if (kind == GetExchangeServers.class) {
			return new GetExchangeServers(here);
		} else if (kind == GetMailboxDatabases.class) {
			return new GetMailboxDatabases(here);
		} else if (kind == GetClusterNodes.class) {
			return new GetClusterNodes(here, DagName.of(c0.path("Cluster").asText()));
		} else if (kind == GetClusterQuorum.class) {
			return new GetClusterQuorum(here, DagName.of(c0.path("Cluster").asText()));
		} else if (kind == TestReplicationHealth.class) {
			return new TestReplicationHealth(server.apply("Identity"));
		} else if (kind == GetDatabaseCopies.class) {
			String identity = c0.path("Identity").asText();
			if (!identity.endsWith("\\*")) {
				throw new IllegalArgumentException("copies of one database are asked for as DB\\*, not " + identity);
			}
			return new GetDatabaseCopies(here, DatabaseName.of(identity.substring(0, identity.length() - 2)));
		} else if (kind == ActivateDatabaseCopy.class) {
			return new ActivateDatabaseCopy(sameHost(here, server.apply("ActivateOnServer")),
					DatabaseName.of(c0.path("Identity").asText()));
		} else if (kind == GetNlbClusterNode.class) {
			return new GetNlbClusterNode(sameHost(here, server.apply("HostName")));
		} else if (kind == StopNlbClusterNode.class) {
			return new StopNlbClusterNode(sameHost(here, server.apply("HostName")), c0.path("Timeout").asInt());
		} else if (kind == StartNlbClusterNode.class) {
			return new StartNlbClusterNode(sameHost(here, server.apply("HostName")));
		} else if (kind == SuspendNlbClusterNode.class) {
			return new SuspendNlbClusterNode(sameHost(here, server.apply("HostName")));
		} else if (kind == ResumeNlbClusterNode.class) {
			return new ResumeNlbClusterNode(sameHost(here, server.apply("HostName")));
		} else if (kind == InvokeHealthCheck.class) {
			String uri = c0.path("Uri").asText();
			String rest = uri.substring("https://".length());
			String path = rest.substring(rest.indexOf('/'));
			HealthCheckPage page = List.of(HealthCheckPage.values()).stream().filter(h -> h.path().equals(path))
					.findFirst().orElseThrow();
			return new InvokeHealthCheck(here, ServerName.of(rest.substring(0, rest.indexOf('/'))), page);
		} else if (kind == TestServiceHealth.class) {
			return new TestServiceHealth(server.apply("Server"));
		} else if (kind == GetADForest.class) {
			return new GetADForest(here);
		} else if (kind == GetActiveDirectoryPreparation.class) {
			String schemaDn = c0.path("Identity").asText();
			String forest = String.join(".", java.util.Arrays.stream(schemaDn.split(","))
					.filter(part -> part.startsWith("DC=")).map(part -> part.substring(3)).toList());
			List<DomainName> domains = new ArrayList<>();
			for (int i = 2; i < p.path("c").size(); i++) {
				domains.add(DomainName.of(p.path("c").get(i).path("Server").asText()));
			}
			return new GetActiveDirectoryPreparation(here, DomainName.of(forest), domains);
		} else if (kind == GetNetAdapterBinding.class) {
			return new GetNetAdapterBinding(here);
		} else if (kind == GetMpPreference.class) {
			return new GetMpPreference(here);
		} else if (kind == TestNetConnection.class) {
			return new TestNetConnection(here, server.apply("ComputerName"), c0.path("Port").asInt());
		} else if (kind == TestPath.class) {
			return new TestPath(here, WindowsPath.of(c0.path("LiteralPath").asText()));
		} else if (kind == GetFileVersion.class) {
			return new GetFileVersion(here, WindowsPath.of(c0.path("LiteralPath").asText()));
		}
		throw new IllegalArgumentException("no binding for " + kind);
	}

	/** Windows and cluster cmdlets act on the machine the script runs on. */
	private static ServerName sameHost(ServerName here, ServerName named) {
		if (!named.shortName().equals(here.shortName())) {
			throw new IllegalArgumentException("a script on " + here + " acting on " + named);
		}
		return named;
	}

	/** What the script's projection writes for each result. */
	private static Object shape(Object result) {
		if (result instanceof Done) {
			return true;
		} else if (result instanceof ComponentStates s) {
			return s.components().stream().map(c -> map("Component", c.component().name(), "State", c.state().name(),
					"Requests", c.requests().stream().map(r -> map("Requester", r.requester().name(), "State",
							r.state().name())).toList())).toList();
		} else if (result instanceof TransportQueues q) {
			return q.queues().stream().map(x -> map("Identity", x.identity(), "DeliveryType", x.deliveryType(), "Status",
					x.status(), "MessageCount", x.messageCount(), "NextHopDomain", x.nextHopDomain())).toList();
		} else if (result instanceof ClusterNode n) {
			return node(n);
		} else if (result instanceof ClusterNodes n) {
			return n.nodes().stream().map(LabPowerShell::node).toList();
		} else if (result instanceof ClusterQuorum q) {
			return map("Cluster", q.cluster(), "QuorumType", q.quorumType().name(), "QuorumResource", q.quorumResource(),
					"WitnessState", q.witnessState() == null ? null : q.witnessState().name());
		} else if (result instanceof DatabaseAvailabilityGroup d) {
			return map("Name", d.name().value(), "Servers", names(d.servers()), "WitnessServer",
					d.witnessServer() == null ? "" : d.witnessServer().value(), "WitnessDirectory", d.witnessDirectory(),
					"OperationalServers", names(d.operationalServers()), "PrimaryActiveManager",
					d.primaryActiveManager() == null ? "" : d.primaryActiveManager().value(), "ReplicationPort",
					d.replicationPort());
		} else if (result instanceof ExchangeServers e) {
			return e.servers().stream().map(LabPowerShell::shape).toList();
		} else if (result instanceof MailboxDatabases m) {
			return m.databases().stream().map(d -> map("Name", d.name().value(), "MasterServerOrAvailabilityGroup",
					d.masterServerOrAvailabilityGroup(), "Server", d.server() == null ? "" : d.server().value(), "Mounted",
					d.mounted(), "ActivationPreference", names(d.activationPreference()), "EdbFilePath", d.edbFilePath(),
					"LogFolderPath", d.logFolderPath())).toList();
		} else if (result instanceof ReplicationHealth h) {
			return h.checks().stream().map(c -> map("Check", c.check(), "Result",
					c.result() == ReplicationHealth.Result.Failed ? "*FAILED*" : c.result().name(), "Error", c.error()))
					.toList();
		} else if (result instanceof NlbClusterNode n) {
			return map("Name", n.name(), "Cluster", n.cluster(), "State", n.state().name());
		} else if (result instanceof HealthCheckResponse r) {
			return map("Uri", r.uri(), "StatusCode", r.statusCode(), "Detail", r.detail());
		} else if (result instanceof ServiceHealth h) {
			return h.roles().stream().map(r -> map("Role", r.role(), "RequiredServicesRunning",
					r.requiredServicesRunning(), "ServicesNotRunning", r.servicesNotRunning())).toList();
		} else if (result instanceof ActiveDirectoryForest f) {
			return map("Name", f.name().value(), "Domains", f.domains().stream().map(DomainName::value).toList(),
					"SchemaMaster", f.schemaMaster());
		} else if (result instanceof DirectoryPreparation d) {
			return map("RangeUpper", value(d.schema(), ActiveDirectoryVersions.Row::schema), "OrganizationVersion",
					value(d.organization(), ActiveDirectoryVersions.Row::organization), "Domains", d.domains().stream()
							.map(x -> map("Domain", x.name().value(), "ObjectVersion",
									value(x.preparedFor(), ActiveDirectoryVersions.Row::domain))).toList());
		} else if (result instanceof AdapterBindings a) {
			return a.bindings().stream().map(b -> map("Name", b.adapterName(), "ComponentID", b.componentId(), "Enabled",
					b.enabled())).toList();
		} else if (result instanceof DefenderExclusions d) {
			return d.readable() ? map("Readable", true, "ExclusionPath", d.exclusionPaths())
					: map("Readable", false, "Reason", d.unreadableReason());
		} else if (result instanceof PortTest t) {
			return map("TcpTestSucceeded", t.tcpTestSucceeded());
		} else if (result instanceof PathCheck c) {
			return c.exists();
		} else if (result instanceof FileVersion f) {
			// As Windows writes an Exchange file's version: 15.00.1497.002.
			String[] parts = f.version().toString().split("\\.");
			String padded = String.format("%s.%02d.%04d.%03d", parts[0], Integer.parseInt(parts[1]),
					Integer.parseInt(parts[2]), parts.length > 3 ? Integer.parseInt(parts[3]) : 0);
			return map("ProductVersion", padded, "FileVersion", padded);
		} else if (result instanceof MailboxServerSettings s) {
			return map("Name", s.name().value(), "DatabaseAvailabilityGroup", s.databaseAvailabilityGroup() == null ? ""
					: s.databaseAvailabilityGroup(), "DatabaseCopyAutoActivationPolicy",
					s.databaseCopyAutoActivationPolicy().name(), "DatabaseCopyActivationDisabledAndMoveNow",
					s.databaseCopyActivationDisabledAndMoveNow());
		} else if (result instanceof DatabaseCopies d) {
			return d.copies().stream().map(c -> map("Name", c.name(), "DatabaseName", c.databaseName(), "MailboxServer",
					c.mailboxServer().value(), "Status", c.status(), "ActiveCopy", c.activeCopy(), "ActivationPreference",
					c.activationPreference(), "CopyQueueLength", c.copyQueueLength(), "ReplayQueueLength",
					c.replayQueueLength(), "ContentIndexState", c.contentIndexState())).toList();
		} else if (result instanceof ExchangeServerInfo i) {
			return map("Name", i.name().value(), "Fqdn", i.fqdn(), "ServerRole", String.join(", ", i.serverRole()),
					"AdminDisplayVersion", i.adminDisplayVersion(), "Site", "contoso.local/Configuration/Sites/" + i.site());
		} else if (result instanceof PendingReboot r) {
			return map("Pending", r.pending(), "Reasons", r.reasons());
		} else if (result instanceof SetupStatus s) {
			return switch (s.state()) {
				case NotStarted -> map("Task", null, "LastTaskResult", null, "ExSetupRunning", false, "Watermark",
						s.watermarkPresent(), "SuccessLine", false, "Errors", List.of());
				case Running -> map("Task", "Running", "LastTaskResult", 0x41301, "ExSetupRunning", true, "Watermark", true,
						"SuccessLine", false, "Errors", List.of());
				default -> map("Task", "Ready", "LastTaskResult", s.exitCode(), "ExSetupRunning", false, "Watermark",
						s.watermarkPresent(), "SuccessLine", s.successLineLogged(), "Errors", s.errors());
			};
		}
		throw new IllegalArgumentException("no projection for " + result);
	}

	private static Map<String, Object> node(ClusterNode n) {
		return map("Name", n.name(), "Cluster", n.cluster(), "State", n.state().name(), "NodeWeight", n.nodeWeight());
	}

	private static List<String> names(List<ServerName> servers) {
		return servers.stream().map(ServerName::value).toList();
	}

	/** The number Active Directory holds for a level prepared for {@code build}; null where it is not prepared. */
	private static Integer value(ExchangeBuild build, java.util.function.ToIntFunction<ActiveDirectoryVersions.Row> column) {
		ActiveDirectoryVersions.Row row = build == null ? null : ActiveDirectoryVersions.valuesFor(build);
		return row == null ? null : column.applyAsInt(row);
	}

	private static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	private static ScriptOutput result(Object value) throws java.io.IOException {
		return new ScriptOutput("Some profile noise\r\n" + Script.RESULT_SENTINEL + base64(JSON.writeValueAsString(value))
				+ "\r\n", "", 0);
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}
}
