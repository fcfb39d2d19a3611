package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetExchangeServer;
import dev.runbook.command.QuorumVotes;
import dev.runbook.command.ServerName;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;

/**
 * The rollout's steps around each server's upgrade. Before it: is it safe to take this server down now? (The approval
 * may be a day old, and a server skipped earlier may still be in maintenance.) A "no" is a {@link BpmnError} that
 * hands the server to an operator. After it: is it really upgraded and serving? Polled, because a member's copies
 * take a few minutes to catch up after it restarts; the process gives up after a while. Both read only.
 *
 * <p>Variables: {@code currentServer}, {@code serverRole} (Mailbox or ClientAccess), {@code serverAtTarget},
 * {@code serverNlbCluster}; {@code serverServing} and {@code serverProblems}; {@code serversUpgraded},
 * {@code serversDone}; {@code serversSkipped}.
 */
@Component
public class ExecutionSteps implements StepFamily {

	/** Taking the server down now would cost quorum, a database's copies, or a second server of its pool. */
	public static final String SERVER_NOT_SAFE = "ServerNotSafe";

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"check-server-can-go-down", ExecutionSteps::checkCanGoDown,
				"verify-server-upgraded", ExecutionSteps::verifyUpgraded,
				"record-server-skipped", step -> append(step, "serversSkipped", step.server()));
	}

	private static void checkCanGoDown(StepContext step) {
		ServerName server = step.server();
		Inventory inventory = Inventory.read(step);
		boolean member = inventory.isMember(server);
		step.set("currentServer", server.value());
		step.set("serverRole", member ? "Mailbox" : "ClientAccess");
		step.set("serverNlbCluster", inventory.nlbCluster(server).orElse(null));
		ExchangeBuild installed = step.run(new GetExchangeServer(server)).build();
		step.set("serverAtTarget", installed.equals(step.build("targetBuild")));

		List<String> problems = new ArrayList<>();
		List<ServerName> others = member ? inventory.members() : inventory.poolOf(server);
		for (ServerName other : others) {
			if (other.equals(server)) {
				continue;
			}
			List<String> reasons = MaintenanceState.reasons(step, other, member);
			if (!reasons.isEmpty()) {
				problems.add(other + " is not in service (" + String.join(", ", reasons) + "): taking " + server
						+ " down too would leave two servers of its " + (member ? "DAG" : "pool") + " out at once");
			}
		}
		if (member) {
			QuorumVotes votes = ReplicationChecks.votes(step, inventory, server);
			if (!votes.hasMajority()) {
				problems.add("while " + server + " restarts the DAG would have " + votes + " and lose quorum");
			}
			Set<String> accepted = "true".equals(step.text("downtimeAccepted"))
					? new HashSet<>(List.of(step.text("databasesAtRisk").split(","))) : Set.of();
			int required = DagCopies.requiredWhileOneDown(inventory.members().size());
			problems.addAll(DagCopies.read(step, inventory.members()).shortfallWhileDown(server, required, accepted).values());
		}
		if (!problems.isEmpty()) {
			throw new BpmnError(SERVER_NOT_SAFE, "Not taking " + server + " down now: " + String.join("; ", problems) + ".");
		}
	}

	private static void verifyUpgraded(StepContext step) {
		ServerName server = step.server();
		Inventory inventory = Inventory.read(step);
		List<String> problems = ServerVerification.problems(step, server, inventory.isMember(server),
				step.build("targetBuild"));
		step.set("serverServing", problems.isEmpty());
		step.set("serverProblems", problems.isEmpty() ? null
				: server + " is not upgraded and back in service: " + String.join("; ", problems) + ".");
		if (problems.isEmpty()) {
			step.set("serversDone", append(step, "serversUpgraded", server).size());
		}
	}

	/** Adds a server to a list variable once, however often the step runs. */
	private static List<ServerName> append(StepContext step, String variable, ServerName server) {
		List<ServerName> servers = new ArrayList<>(ServerList.parse(step.text(variable)));
		if (!servers.contains(server)) {
			servers.add(server);
		}
		step.set(variable, ServerList.format(servers));
		return servers;
	}
}
