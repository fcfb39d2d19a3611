package dev.runbook.rollout;

import static dev.runbook.process.MaintenanceRequest.parse;
import static dev.runbook.process.MaintenanceRequest.refuse;
import static dev.runbook.process.MaintenanceRequest.text;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Component;

import dev.runbook.command.DagName;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;
import dev.runbook.process.LoadBalancer;
import dev.runbook.process.UpgradeRequest;

/**
 * Refuses a rolling upgrade before anything runs, the one place its start variables are checked: {@code dag} a DAG
 * the directory knows, {@code targetBuild} a build of its members' version and older than none of them,
 * {@code setupPath} naming Setup.exe, {@code loadBalancer} and {@code order} known values, {@code servers} (optional)
 * members of the DAG or Client Access servers, {@code dryRun} a boolean; and no other rollout of the same DAG running.
 * Asks the directory, never the shell, so that a refused request leaves no trace on any server. Stores the variables
 * in canonical form, sets the business key {@code <dag>-<targetBuild>} when the caller gave none, and starts the
 * progress variables managers watch in Cockpit.
 */
@Component("rolloutRequest")
public class RolloutRequest implements ExecutionListener {

	public static final String PROCESS_KEY = "exchange-rolling-upgrade";

	private final ExchangeDirectory directory;

	public RolloutRequest(ExchangeDirectory directory) {
		this.directory = directory;
	}

	@Override
	public void notify(DelegateExecution execution) {
		DagName dag = parse(() -> DagName.of(text(execution, "dag")));
		List<ServerName> members = directory.dagMembers(dag.value());
		if (members.isEmpty()) {
			throw refuse(dag + " is not a database availability group of this organisation.");
		}
		ExchangeBuild target = parse(() -> ExchangeBuild.parse(text(execution, "targetBuild")));
		for (ServerName member : members) {
			ExchangeServerInfo info = directory.findServer(member)
					.orElseThrow(() -> refuse(member + " is a member of " + dag + " but not a server the directory knows."));
			UpgradeRequest.refuseOtherVersion(target, info);
			if (info.build().isNewerThan(target)) {
				throw refuse("Target build " + target + " is older than the build of " + member + " (" + info.build()
						+ "): a cumulative update cannot be uninstalled.");
			}
		}
		WindowsPath setupPath = UpgradeRequest.setupPath(execution);
		LoadBalancer loadBalancer = parse(() -> LoadBalancer.parse(text(execution, "loadBalancer")));
		RolloutOrder order = parse(() -> RolloutOrder.parse(text(execution, "order")));
		List<ServerName> servers = parse(() -> ServerList.parse(text(execution, "servers")));
		for (ServerName server : servers) {
			ExchangeServerInfo info = directory.findServer(server)
					.orElseThrow(() -> refuse(server + " is not a server of this Exchange organisation."));
			boolean member = members.contains(server);
			if (!member && (directory.dagOf(server).isPresent() || !info.serverRole().contains(ExchangeServers.CLIENT_ACCESS))) {
				throw refuse(server + " is neither a member of " + dag + " nor a Client Access server.");
			}
		}
		boolean dryRun = flag(execution, "dryRun");
		if (!dryRun) {
			refuseConcurrentRollout(execution, dag);
		}
		if (execution.getProcessBusinessKey() == null || execution.getProcessBusinessKey().isBlank()) {
			execution.setProcessBusinessKey(dag + "-" + target);
		}
		execution.setVariable("dag", dag.value());
		execution.setVariable("targetBuild", target.toString());
		execution.setVariable("setupPath", setupPath.value());
		execution.setVariable("loadBalancer", loadBalancer.id());
		execution.setVariable("order", order.id());
		execution.setVariable("servers", servers.isEmpty() ? null : ServerList.format(servers));
		execution.setVariable("dryRun", dryRun);
		execution.setVariable("abortRequested", false);
		execution.setVariable("currentServer", null);
		execution.setVariable("serversDone", 0);
		execution.setVariable("serversTotal", 0);
	}

	/** A checkbox sends a boolean; REST callers may send the text true or false. */
	private static boolean flag(DelegateExecution execution, String variable) {
		Object value = execution.getVariable(variable);
		if (value == null || value instanceof Boolean) {
			return Boolean.TRUE.equals(value);
		}
		if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
			return Boolean.parseBoolean(s);
		}
		throw refuse("Variable '" + variable + "' must be true or false, not '" + value + "'.");
	}

	/** Two rollouts of one DAG would take two members down at once. Dry runs change nothing and do not count. */
	private static void refuseConcurrentRollout(DelegateExecution execution, DagName dag) {
		List<ProcessInstance> running = execution.getProcessEngineServices().getRuntimeService()
				.createProcessInstanceQuery().processDefinitionKey(PROCESS_KEY).variableValueEquals("dag", dag.value())
				.variableValueEquals("dryRun", false).list();
		if (!running.isEmpty()) {
			ProcessInstance other = running.get(0);
			throw refuse("A rolling upgrade of " + dag + " is already running (business key " + other.getBusinessKey()
					+ ", instance " + other.getId() + "): wait for it to end or abort it first.");
		}
	}
}
