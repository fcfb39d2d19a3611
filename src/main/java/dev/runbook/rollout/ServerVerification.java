package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetClusterNode;
import dev.runbook.command.ExchangeCommand.GetExchangeServer;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabaseCopyStatus;
import dev.runbook.command.ExchangeCommand.GetMailboxServer;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.InvokeHealthCheck;
import dev.runbook.command.HealthCheckPage;
import dev.runbook.command.HealthCheckResponse;
import dev.runbook.command.MailboxServerSettings;
import dev.runbook.command.ServerName;
import dev.runbook.process.HealthPageSteps;
import dev.runbook.process.StepContext;

/**
 * Whether a server is upgraded and back in service: at the target build, every component Active; a DAG member with
 * its cluster node Up, activation unrestricted and healthy copies; a Client Access server answering its health pages.
 * Checked after each server, whatever its upgrade process reported (an operator may have cancelled it in Cockpit), and
 * for every server at the end. Read-only.
 */
final class ServerVerification {

	private ServerVerification() {
	}

	/** What is wrong with {@code server}; empty when it is upgraded and serving. */
	static List<String> problems(StepContext step, ServerName server, boolean dagMember, ExchangeBuild target) {
		List<String> problems = new ArrayList<>();
		try {
			ExchangeBuild installed = step.run(new GetExchangeServer(server)).build();
			if (!installed.equals(target)) {
				problems.add("build " + installed + ", not " + target);
			}
			List<Component> notActive = step.run(new GetServerComponentState(server)).notActive();
			if (!notActive.isEmpty()) {
				problems.add("not Active: " + String.join(", ", notActive.stream().map(Enum::name).toList()));
			}
			if (dagMember) {
				ClusterNodeState node = step.run(new GetClusterNode(server)).state();
				if (node != ClusterNodeState.Up) {
					problems.add("cluster node " + node);
				}
				MailboxServerSettings settings = step.run(new GetMailboxServer(server));
				if (settings.databaseCopyAutoActivationPolicy() != AutoActivationPolicy.Unrestricted
						|| settings.databaseCopyActivationDisabledAndMoveNow()) {
					problems.add("activation " + settings.databaseCopyAutoActivationPolicy()
							+ (settings.databaseCopyActivationDisabledAndMoveNow() ? " with MoveNow" : ""));
				}
				step.run(new GetMailboxDatabaseCopyStatus(server)).copies()
						.forEach(c -> DagCopies.problem(c).ifPresent(p -> problems.add(c.name() + " " + p)));
			} else {
				for (HealthCheckPage page : HealthPageSteps.PAGES) {
					HealthCheckResponse response = step.run(new InvokeHealthCheck(server, server, page));
					if (!response.healthy()) {
						problems.add(page.path() + " answers " + (response.statusCode() == 0 ? "nothing" : response.statusCode()));
					}
				}
			}
		} catch (CommandFailedException e) {
			if (!e.isTransient()) {
				throw e;
			}
			problems.add("does not answer (" + e.getMessage() + ")");
		}
		return problems;
	}
}
