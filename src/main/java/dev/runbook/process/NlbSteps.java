package dev.runbook.process;

import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ExchangeCommand.GetNlbClusterNode;
import dev.runbook.command.ExchangeCommand.ResumeNlbClusterNode;
import dev.runbook.command.ExchangeCommand.StartNlbClusterNode;
import dev.runbook.command.ExchangeCommand.StopNlbClusterNode;
import dev.runbook.command.ExchangeCommand.SuspendNlbClusterNode;
import dev.runbook.command.NlbClusterNode;
import dev.runbook.command.NlbNodeState;
import dev.runbook.command.ServerName;

/**
 * A Client Access server's Windows NLB node: drained and stopped before the upgrade, then suspended, because a stopped
 * node rejoins its cluster when the server restarts (its initial host state is Started) and Windows NLB, which probes
 * no health page, would send clients to a server still offline. After the upgrade it is resumed and started. Each
 * step reads the node first, so that running it twice changes nothing.
 *
 * <p>Variables: {@code nlbNodeState}, {@code nlbNodeStopped} (the drain-wait loop).
 */
@Component
public class NlbSteps implements StepFamily {

	private final RunbookProperties properties;

	public NlbSteps(RunbookProperties properties) {
		this.properties = properties;
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"drain-stop-nlb-node", this::drainStop,
				"read-nlb-node", NlbSteps::read,
				"suspend-nlb-node", NlbSteps::suspend,
				"start-nlb-node", NlbSteps::start);
	}

	/** Stop-NlbClusterNode -Drain with the configured timeout, in whole minutes (a command argument: never scaled). */
	public static StopNlbClusterNode drainStop(ServerName server, RunbookProperties properties) {
		long minutes = Math.max(1, Math.min(StopNlbClusterNode.LONGEST_DRAIN_MINUTES,
				properties.timing().nlbDrainTimeout().toMinutes()));
		return new StopNlbClusterNode(server, (int) minutes);
	}

	private void drainStop(StepContext step) {
		NlbClusterNode node = step.run(new GetNlbClusterNode(step.server()));
		if (node.handlesTraffic()) {
			step.run(drainStop(step.server(), properties));
		}
	}

	private static void read(StepContext step) {
		NlbClusterNode node = step.run(new GetNlbClusterNode(step.server()));
		step.set("nlbNodeState", node.state().name());
		step.set("nlbNodeStopped", node.state() == NlbNodeState.Stopped || node.state() == NlbNodeState.Suspended);
	}

	private static void suspend(StepContext step) {
		if (step.run(new GetNlbClusterNode(step.server())).state() != NlbNodeState.Suspended) {
			step.run(new SuspendNlbClusterNode(step.server()));
		}
	}

	private static void start(StepContext step) {
		NlbClusterNode node = step.run(new GetNlbClusterNode(step.server()));
		if (node.state() == NlbNodeState.Suspended) {
			step.run(new ResumeNlbClusterNode(step.server()));
		}
		if (!node.handlesTraffic()) {
			step.run(new StartNlbClusterNode(step.server()));
		}
		read(step);
	}
}
