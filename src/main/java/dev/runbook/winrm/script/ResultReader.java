package dev.runbook.winrm.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.ActiveDirectoryForest;
import dev.runbook.command.AdapterBindings;
import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNode;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ClusterNodes;
import dev.runbook.command.ClusterQuorum;
import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseAvailabilityGroup;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.DefenderExclusions;
import dev.runbook.command.DirectoryPreparation;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.HealthCheckResponse;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.command.NlbClusterNode;
import dev.runbook.command.NlbNodeState;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.FileVersion;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.PathCheck;
import dev.runbook.command.PortTest;
import dev.runbook.command.ReplicationHealth;
import dev.runbook.command.ServiceHealth;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ComponentStates;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.Done;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.MailboxServerSettings;
import dev.runbook.command.PendingReboot;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.TransportQueues;

/**
 * Turns a script's output into the command's result record, mapping PowerShell's property names and enum names. A run
 * counts as successful only with exit code 0 and a result; everything else is a {@link CommandFailedException}, not
 * transient, because the script ran and running it again would meet the same answer.
 */
public final class ResultReader {

	/** Get-ScheduledTaskInfo's LastTaskResult while the task runs (SCHED_S_TASK_RUNNING) and before it ever ran. */
	static final long TASK_RUNNING = 0x41301;
	static final long TASK_HAS_NOT_RUN = 0x41303;

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final int MESSAGE_LIMIT = 2000;

	private ResultReader() {
	}

	public static <R> R read(ExchangeCommand<R> command, ScriptOutput output) {
		ServerName server = command.server();
		String what = command.commandLine().program();
		JsonNode json = result(server, what, output);
		try {
			return command.resultType().cast(map(command, json));
		} catch (IllegalArgumentException | NullPointerException e) {
			throw new CommandFailedException(server, what + " on " + server + " answered something the runbook cannot read: "
					+ printable(e.getMessage()), false);
		}
	}

	/** The result's JSON, or the failure that the output shows. */
	public static JsonNode result(ServerName server, String what, ScriptOutput output) {
		Optional<String> error = output.errorMessage();
		if (error.isPresent()) {
			throw new CommandFailedException(server, what + " on " + server + " failed: " + printable(error.get()), false);
		}
		Optional<String> result = output.resultJson();
		if (result.isEmpty()) {
			String stderr = output.stderr().isBlank() ? "" : " Standard error: " + printable(output.stderr());
			throw new CommandFailedException(server, what + " on " + server + " ended with exit code " + output.exitCode()
					+ " and no result." + stderr, false);
		}
		if (output.exitCode() != 0) {
			throw new CommandFailedException(server, what + " on " + server + " wrote a result but ended with exit code "
					+ output.exitCode() + ", so it is not taken as a success.", false);
		}
		try {
			return JSON.readTree(result.get());
		} catch (JsonProcessingException e) {
			throw new CommandFailedException(server, what + " on " + server + " answered something that is not JSON.", false);
		}
	}

	private static Object map(ExchangeCommand<?> command, JsonNode json) {
		ServerName server = command.server();
		if (command instanceof Change) {
			return new Done(command.commandLine().program() + " completed on " + server);
		} else if (command instanceof GetServerComponentState) {
			return componentStates(server, json);
		} else if (command instanceof GetQueue) {
			List<TransportQueues.Queue> queues = elements(json).stream().map(q -> new TransportQueues.Queue(
					text(q, "Identity"), text(q, "DeliveryType"), text(q, "Status"), count(q, "MessageCount"),
					text(q, "NextHopDomain"))).toList();
			return new TransportQueues(server, queues);
		} else if (command instanceof GetClusterNode) {
			return clusterNode(json);
		} else if (command instanceof GetClusterNodes c) {
			return new ClusterNodes(c.dag().value(), elements(json).stream().map(ResultReader::clusterNode).toList());
		} else if (command instanceof GetClusterQuorum c) {
			String resource = optionalText(json, "QuorumResource");
			String state = optionalText(json, "WitnessState");
			return new ClusterQuorum(c.dag().value(), ClusterQuorum.QuorumType.valueOf(text(json, "QuorumType")), resource,
					state == null ? null : known(ClusterQuorum.ResourceState.class, state).orElse(ClusterQuorum.ResourceState.Unknown));
		} else if (command instanceof GetDatabaseAvailabilityGroup) {
			return new DatabaseAvailabilityGroup(DagName.of(text(json, "Name")), servers(json.path("Servers")),
					serverOrNull(optionalText(json, "WitnessServer")), optionalText(json, "WitnessDirectory"),
					servers(json.path("OperationalServers")), serverOrNull(optionalText(json, "PrimaryActiveManager")),
					json.path("ReplicationPort").asInt() > 0 ? json.path("ReplicationPort").asInt()
							: DatabaseAvailabilityGroup.DEFAULT_REPLICATION_PORT);
		} else if (command instanceof GetExchangeServers) {
			return new ExchangeServers(elements(json).stream().map(ResultReader::exchangeServer).toList());
		} else if (command instanceof GetMailboxDatabases) {
			return new MailboxDatabases(elements(json).stream().map(d -> new MailboxDatabases.MailboxDatabase(
					DatabaseName.of(text(d, "Name")), lastSegment(text(d, "MasterServerOrAvailabilityGroup")),
					serverOrNull(optionalText(d, "Server")), d.path("Mounted").asBoolean(), servers(d.path("ActivationPreference")),
					text(d, "EdbFilePath"), text(d, "LogFolderPath"))).toList());
		} else if (command instanceof TestReplicationHealth) {
			return new ReplicationHealth(server, elements(json).stream().map(c -> new ReplicationHealth.Check(
					text(c, "Check"), replicationResult(text(c, "Result")), c.path("Error").asText(""))).toList());
		} else if (command instanceof GetNlbClusterNode) {
			return new NlbClusterNode(text(json, "Name"), json.path("Cluster").asText(""),
					known(NlbNodeState.class, text(json, "State")).orElse(NlbNodeState.Unknown));
		} else if (command instanceof InvokeHealthCheck) {
			return new HealthCheckResponse(text(json, "Uri"), json.path("StatusCode").asInt(), json.path("Detail").asText(""));
		} else if (command instanceof TestServiceHealth) {
			return new ServiceHealth(server, elements(json).stream().map(r -> new ServiceHealth.RoleHealth(text(r, "Role"),
					r.path("RequiredServicesRunning").asBoolean(), elements(r.path("ServicesNotRunning")).stream()
							.map(JsonNode::asText).toList())).toList());
		} else if (command instanceof GetADForest) {
			DomainName root = DomainName.of(text(json, "Name"));
			List<DomainName> domains = new ArrayList<>(List.of(root));
			elements(json.path("Domains")).stream().map(d -> DomainName.of(d.asText())).filter(d -> !d.equals(root))
					.sorted(java.util.Comparator.comparing(DomainName::value)).forEach(domains::add);
			return new ActiveDirectoryForest(root, domains, json.path("SchemaMaster").asText(""));
		} else if (command instanceof GetActiveDirectoryPreparation c) {
			return directoryPreparation(c, json);
		} else if (command instanceof GetNetAdapterBinding) {
			return new AdapterBindings(server, elements(json).stream().map(b -> new AdapterBindings.Binding(text(b, "Name"),
					text(b, "ComponentID"), b.path("Enabled").asBoolean())).toList());
		} else if (command instanceof GetMpPreference) {
			if (!json.path("Readable").asBoolean()) {
				return DefenderExclusions.unreadable(server, printable(json.path("Reason").asText("")));
			}
			return new DefenderExclusions(server, true, elements(json.path("ExclusionPath")).stream().map(JsonNode::asText)
					.toList(), null);
		} else if (command instanceof TestNetConnection c) {
			return new PortTest(server, c.target(), c.port(), json.path("TcpTestSucceeded").asBoolean());
		} else if (command instanceof GetFileVersion c) {
			String version = text(json, "ProductVersion");
			try {
				return new FileVersion(server, c.path(), ExchangeBuild.parse(version));
			} catch (InvalidInputException e) {
				throw new IllegalArgumentException("Get-Item " + c.path() + ": its product version '" + printable(version)
						+ "' is not an Exchange build.");
			}
		} else if (command instanceof TestPath c) {
			if (!json.isBoolean()) {
				throw new IllegalArgumentException("Test-Path answered " + json);
			}
			return new PathCheck(server, c.path(), json.asBoolean());
		} else if (command instanceof GetMailboxServer) {
			return new MailboxServerSettings(ServerName.of(text(json, "Name")),
					blankToNull(lastSegment(text(json, "DatabaseAvailabilityGroup"))),
					AutoActivationPolicy.valueOf(text(json, "DatabaseCopyAutoActivationPolicy")),
					json.path("DatabaseCopyActivationDisabledAndMoveNow").asBoolean());
		} else if (command instanceof GetMailboxDatabaseCopyStatus || command instanceof GetDatabaseCopies) {
			return new DatabaseCopies(elements(json).stream().map(c -> new DatabaseCopies.Copy(text(c, "Name"),
					text(c, "DatabaseName"), ServerName.of(text(c, "MailboxServer")), text(c, "Status"),
					c.path("ActiveCopy").asBoolean(), count(c, "ActivationPreference"), count(c, "CopyQueueLength"),
					count(c, "ReplayQueueLength"), text(c, "ContentIndexState"))).toList());
		} else if (command instanceof GetExchangeServer) {
			if (json.isNull()) {
				throw new IllegalArgumentException("there is no Exchange server " + server);
			}
			return exchangeServer(json);
		} else if (command instanceof TestPendingReboot) {
			List<String> reasons = elements(json.path("Reasons")).stream().map(JsonNode::asText).toList();
			return new PendingReboot(json.path("Pending").asBoolean(), reasons);
		} else if (command instanceof GetSetupStatus) {
			return setupStatus(json);
		} else if (command instanceof TestWSMan) {
			throw new IllegalArgumentException("Test-WSMan is answered by the executor itself");
		}
		throw new IllegalArgumentException("no reader for " + command.getClass().getSimpleName());
	}

	private static ClusterNode clusterNode(JsonNode json) {
		return new ClusterNode(text(json, "Name"), text(json, "Cluster"), ClusterNodeState.valueOf(text(json, "State")),
				json.has("NodeWeight") ? json.path("NodeWeight").asInt() : 1);
	}

	/** Test-ReplicationHealth writes Passed, *FAILED* or Warning. An unknown word counts as failed. */
	private static ReplicationHealth.Result replicationResult(String result) {
		String word = result.toUpperCase(java.util.Locale.ROOT);
		if (word.contains("PASS")) {
			return ReplicationHealth.Result.Passed;
		}
		return word.contains("WARN") ? ReplicationHealth.Result.Warning : ReplicationHealth.Result.Failed;
	}

	private static DirectoryPreparation directoryPreparation(GetActiveDirectoryPreparation command, JsonNode json) {
		List<DirectoryPreparation.Domain> domains = new ArrayList<>();
		List<JsonNode> read = elements(json.path("Domains"));
		for (int i = 0; i < command.domains().size(); i++) {
			JsonNode version = i < read.size() ? read.get(i).path("ObjectVersion") : null;
			domains.add(new DirectoryPreparation.Domain(command.domains().get(i),
					ActiveDirectoryVersions.domain(number(version))));
		}
		return new DirectoryPreparation(ActiveDirectoryVersions.schema(number(json.path("RangeUpper"))),
				ActiveDirectoryVersions.organization(number(json.path("OrganizationVersion"))), domains);
	}

	private static Integer number(JsonNode node) {
		return node == null || !node.isNumber() ? null : node.asInt();
	}

	private static List<ServerName> servers(JsonNode node) {
		return elements(node).stream().map(n -> ServerName.of(n.asText())).toList();
	}

	private static ServerName serverOrNull(String name) {
		return name == null || name.isBlank() ? null : ServerName.of(name);
	}

	private static String optionalText(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
	}

	/** Get-ExchangeServer's answer; also used by the directory. */
	public static ExchangeServerInfo exchangeServer(JsonNode json) {
		List<String> roles = Arrays.stream(text(json, "ServerRole").split(",")).map(String::strip)
				.filter(r -> !r.isEmpty()).toList();
		return new ExchangeServerInfo(ServerName.of(text(json, "Name")), text(json, "Fqdn"), roles,
				text(json, "AdminDisplayVersion"), lastSegment(text(json, "Site")));
	}

	/**
	 * Components this version of the catalogue does not know (later Exchange versions add some) and requesters it does
	 * not know are left out; an unknown state is refused, because the runbook decides on states.
	 */
	private static ComponentStates componentStates(ServerName server, JsonNode json) {
		List<ComponentStates.Status> list = new ArrayList<>();
		for (JsonNode row : elements(json)) {
			Optional<Component> component = known(Component.class, text(row, "Component"));
			if (component.isEmpty()) {
				continue;
			}
			List<ComponentStates.Request> requests = new ArrayList<>();
			for (JsonNode r : elements(row.path("Requests"))) {
				Optional<Requester> requester = known(Requester.class, text(r, "Requester"));
				Optional<ComponentState> state = known(ComponentState.class, text(r, "State"));
				if (requester.isPresent() && state.isPresent()) {
					requests.add(new ComponentStates.Request(requester.get(), state.get()));
				}
			}
			list.add(new ComponentStates.Status(component.get(), ComponentState.valueOf(text(row, "State")), requests));
		}
		return new ComponentStates(server, list);
	}

	/**
	 * Setup succeeded only with exit code 0, no watermark left in the registry and the success line in the latest run
	 * of ExchangeSetup.log. A failure without [ERROR] lines says which sign was missing, so the incident is never blank.
	 */
	static SetupStatus setupStatus(JsonNode json) {
		String task = json.path("Task").isNull() ? null : json.path("Task").asText(null);
		Long lastResult = json.path("LastTaskResult").isNumber() ? json.path("LastTaskResult").asLong() : null;
		boolean watermark = json.path("Watermark").asBoolean();
		boolean successLine = json.path("SuccessLine").asBoolean();
		List<String> errors = new ArrayList<>(elements(json.path("Errors")).stream().map(JsonNode::asText).toList());
		if (json.path("ExSetupRunning").asBoolean() || "Running".equals(task)
				|| (lastResult != null && lastResult == TASK_RUNNING)) {
			return new SetupStatus(SetupStatus.State.Running, null, watermark, successLine, errors);
		}
		if (task == null || lastResult == null || lastResult == TASK_HAS_NOT_RUN) {
			return new SetupStatus(SetupStatus.State.NotStarted, null, watermark, successLine, errors);
		}
		int exitCode = (int) (long) lastResult;
		if (exitCode == 0 && !watermark && successLine) {
			return new SetupStatus(SetupStatus.State.Succeeded, 0, false, true, errors);
		}
		if (errors.isEmpty()) {
			if (exitCode != 0) {
				errors.add("Setup ended with exit code " + exitCode + ".");
			}
			if (watermark) {
				errors.add("A setup watermark remains in the registry: setup did not finish.");
			}
			if (!successLine) {
				errors.add("ExchangeSetup.log has no success line for the latest setup run.");
			}
		}
		return new SetupStatus(SetupStatus.State.Failed, exitCode, watermark, successLine, errors);
	}

	/** An array's elements; PowerShell writes a single object bare and nothing as null. */
	static List<JsonNode> elements(JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return List.of();
		}
		if (node.isArray()) {
			List<JsonNode> list = new ArrayList<>();
			node.forEach(list::add);
			return list;
		}
		return List.of(node);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			throw new IllegalArgumentException("the answer has no " + field);
		}
		return value.asText();
	}

	private static int count(JsonNode node, String field) {
		long value = node.path(field).asLong();
		return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
	}

	private static <E extends Enum<E>> Optional<E> known(Class<E> type, String name) {
		return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst();
	}

	/** {@code contoso.local/Configuration/Sites/Default-First-Site-Name} names the site Default-First-Site-Name. */
	private static String lastSegment(String value) {
		return value.substring(value.lastIndexOf('/') + 1);
	}

	private static String blankToNull(String value) {
		return value.isBlank() ? null : value;
	}

	/** A remote message made safe for an incident or a log line: one line, no control characters, bounded. */
	public static String printable(String raw) {
		if (raw == null) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		raw.strip().codePoints().forEach(c -> {
			if (c == '\r' || c == '\n' || c == '\t') {
				if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
					out.append(' ');
				}
			} else if (Character.isISOControl(c)) {
				out.append(String.format("\\u%04x", c));
			} else {
				out.appendCodePoint(c);
			}
		});
		return out.length() > MESSAGE_LIMIT ? out.substring(0, MESSAGE_LIMIT) + "…" : out.toString();
	}
}
