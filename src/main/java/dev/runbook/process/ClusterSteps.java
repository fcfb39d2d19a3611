package dev.runbook.process;

import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.command.ClusterNode;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ExchangeCommand.GetClusterNode;
import dev.runbook.command.ExchangeCommand.ResumeClusterNode;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;

/** The server's failover cluster node. Pausing a paused node and resuming a running one change nothing. */
@Component
public class ClusterSteps implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"suspend-cluster-node", step -> step.run(new SuspendClusterNode(step.server())),
				"resume-cluster-node", step -> step.run(new ResumeClusterNode(step.server())),
				"verify-node-paused", step -> verifyState(step, ClusterNodeState.Paused),
				"verify-node-up", step -> verifyState(step, ClusterNodeState.Up));
	}

	private static void verifyState(StepContext step, ClusterNodeState expected) {
		ClusterNode node = step.run(new GetClusterNode(step.server()));
		if (node.state() != expected) {
			throw step.verificationFailed("Get-ClusterNode: node " + node.name() + " is " + node.state() + ", not "
					+ expected + ".");
		}
	}
}
