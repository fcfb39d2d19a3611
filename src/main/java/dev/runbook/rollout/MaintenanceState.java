package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNode;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ComponentStates;
import dev.runbook.command.ExchangeCommand.GetClusterNode;
import dev.runbook.command.ExchangeCommand.GetMailboxServer;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.MailboxServerSettings;
import dev.runbook.command.ServerName;
import dev.runbook.process.StepContext;

/**
 * Whether a server is (even partly) in maintenance, read the way the seed runbook verifies it: ServerWideOffline and
 * HubTransport, the cluster node, and the mailbox server's activation settings. A server that does not answer counts:
 * it is no more available than one in maintenance.
 */
final class MaintenanceState {

	private MaintenanceState() {
	}

	/** Why {@code server} is not fully in service; empty when it is. */
	static List<String> reasons(StepContext step, ServerName server, boolean dagMember) {
		List<String> reasons = new ArrayList<>();
		try {
			ComponentStates states = step.run(new GetServerComponentState(server));
			notActive(states, Component.ServerWideOffline, reasons);
			if (dagMember) {
				notActive(states, Component.HubTransport, reasons);
				ClusterNode node = step.run(new GetClusterNode(server));
				if (node.state() != ClusterNodeState.Up) {
					reasons.add("cluster node " + node.state());
				}
				MailboxServerSettings settings = step.run(new GetMailboxServer(server));
				if (settings.databaseCopyAutoActivationPolicy() == AutoActivationPolicy.Blocked) {
					reasons.add("DatabaseCopyAutoActivationPolicy Blocked");
				}
				if (settings.databaseCopyActivationDisabledAndMoveNow()) {
					reasons.add("DatabaseCopyActivationDisabledAndMoveNow True");
				}
			}
		} catch (CommandFailedException e) {
			if (!e.isTransient()) {
				throw e;
			}
			reasons.add("does not answer (" + e.getMessage() + ")");
		}
		return reasons;
	}

	private static void notActive(ComponentStates states, Component component, List<String> reasons) {
		ComponentState state = states.stateOf(component);
		if (state != ComponentState.Active) {
			reasons.add(component + " " + state);
		}
	}
}
