package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.runbook.command.ClusterNodes;
import dev.runbook.command.ClusterQuorum;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DagName;
import dev.runbook.command.ExchangeCommand.GetClusterNodes;
import dev.runbook.command.ExchangeCommand.GetClusterQuorum;
import dev.runbook.command.ExchangeCommand.TestReplicationHealth;
import dev.runbook.command.QuorumVotes;
import dev.runbook.command.ReplicationHealth;
import dev.runbook.command.ServerName;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;
import dev.runbook.rollout.PreflightReport.Verdict;

/**
 * Pre-flight checks of the DAG as a whole: copy status against Exchange's thresholds, the copies each database keeps
 * while any one member to upgrade is down, and the quorum the cluster keeps then. Read-only.
 *
 * <p>Variables: {@code databasesAtRisk}, the databases that would keep too few healthy copies (comma-separated,
 * empty when none): only the approver can let the rollout go on with them, by accepting their downtime.
 */
@Component
public class ReplicationChecks implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"check-copy-health", ReplicationChecks::checkCopyHealth,
				"check-redundancy", ReplicationChecks::checkRedundancy,
				"check-quorum", ReplicationChecks::checkQuorum);
	}

	static List<ServerName> membersToUpgrade(StepContext step, Inventory inventory) {
		return ServerStateChecks.serversToUpgrade(step).stream().filter(inventory::isMember).toList();
	}

	private static void checkCopyHealth(StepContext step) {
		Inventory inventory = Inventory.read(step);
		DagCopies copies = DagCopies.read(step, inventory.members());
		List<String> unhealthy = copies.unhealthy();
		List<String> lines = unhealthy.isEmpty()
				? List.of(copies.count() + " copies on " + inventory.members().size() + " members: Mounted or Healthy,"
						+ " copy queues at most " + DagCopies.COPY_QUEUE_LIMIT + ", replay queues at most "
						+ DagCopies.REPLAY_QUEUE_LIMIT + ", content indexes Healthy.")
				: unhealthy;
		PreflightReport.record(step, PreflightCheck.COPY_HEALTH, unhealthy.isEmpty() ? Verdict.PASSED : Verdict.WARNING,
				lines);
	}

	private static void checkRedundancy(StepContext step) {
		Inventory inventory = Inventory.read(step);
		DagCopies copies = DagCopies.read(step, inventory.members());
		int required = DagCopies.requiredWhileOneDown(inventory.members().size());
		Map<String, List<String>> atRisk = new TreeMap<>();
		for (ServerName member : membersToUpgrade(step, inventory)) {
			copies.shortfallWhileDown(member, required, Set.of())
					.forEach((db, line) -> atRisk.computeIfAbsent(db, k -> new ArrayList<>()).add(line));
		}
		step.set("databasesAtRisk", String.join(",", atRisk.keySet()));
		List<String> lines = new ArrayList<>();
		atRisk.values().forEach(lines::addAll);
		if (atRisk.isEmpty()) {
			lines.add("Every database keeps at least " + required + " healthy cop" + (required == 1 ? "y" : "ies")
					+ " while any one member to upgrade is down.");
		} else {
			lines.add("Upgrading would take " + String.join(", ", atRisk.keySet()) + " down or leave "
					+ (atRisk.size() == 1 ? "it" : "them") + " without redundancy: the rollout goes on only if the approver accepts that.");
		}
		PreflightReport.record(step, PreflightCheck.REDUNDANCY, atRisk.isEmpty() ? Verdict.PASSED : Verdict.DOWNTIME,
				lines);
	}

	/** The cluster's votes now and while {@code down} is down (null: nobody down). */
	static QuorumVotes votes(StepContext step, Inventory inventory, ServerName down) {
		DagName dag = inventory.dag();
		ClusterNodes nodes = inventory.runOnAnyMember(step, runOn -> new GetClusterNodes(runOn, dag), down);
		ClusterQuorum quorum = inventory.runOnAnyMember(step, runOn -> new GetClusterQuorum(runOn, dag), down);
		return down == null ? QuorumVotes.now(nodes, quorum) : QuorumVotes.withMemberDown(nodes, quorum, down);
	}

	private static void checkQuorum(StepContext step) {
		Inventory inventory = Inventory.read(step);
		DagName dag = inventory.dag();
		ClusterNodes nodes = inventory.runOnAnyMember(step, runOn -> new GetClusterNodes(runOn, dag), null);
		ClusterQuorum quorum = inventory.runOnAnyMember(step, runOn -> new GetClusterQuorum(runOn, dag), null);
		QuorumVotes now = QuorumVotes.now(nodes, quorum);
		List<String> refusals = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		String witness = quorum.hasWitness() ? " with the witness " + quorum.witnessState() : " (node majority)";
		if (!now.hasMajority()) {
			refusals.add(dag + " has no quorum now: " + now + ".");
		}
		QuorumVotes weakest = null;
		for (ServerName member : membersToUpgrade(step, inventory)) {
			QuorumVotes down = QuorumVotes.withMemberDown(nodes, quorum, member);
			if (!down.hasMajority()) {
				refusals.add("While " + member + " restarts, " + dag + " would have " + down
						+ ": it would lose quorum and dismount every database.");
			}
			if (weakest == null || down.present() < weakest.present()) {
				weakest = down;
			}
		}
		lines.addAll(refusals);
		lines.add("Now " + now + witness + (weakest == null ? "." : "; with one member down " + weakest + "."));
		List<String> warnings = new ArrayList<>();
		for (ServerName member : inventory.members()) {
			try {
				ReplicationHealth health = step.run(new TestReplicationHealth(member));
				health.failed().forEach(c -> warnings.add(member + " Test-ReplicationHealth " + c.check() + " failed"
						+ (c.error() == null || c.error().isBlank() ? "." : ": " + c.error())));
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				warnings.add(member + " does not answer Test-ReplicationHealth.");
			}
		}
		lines.addAll(warnings);
		Verdict verdict = !refusals.isEmpty() ? Verdict.REFUSED : !warnings.isEmpty() ? Verdict.WARNING : Verdict.PASSED;
		PreflightReport.record(step, PreflightCheck.QUORUM, verdict, lines);
	}
}
