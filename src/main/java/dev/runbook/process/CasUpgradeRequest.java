package dev.runbook.process;

import static dev.runbook.process.MaintenanceRequest.parse;
import static dev.runbook.process.MaintenanceRequest.refuse;
import static dev.runbook.process.MaintenanceRequest.text;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * Refuses a Client Access upgrade before anything runs: {@code server} must be a Client Access server that is not a
 * DAG member (those go through mailbox-server-upgrade), {@code setupPath} must name Setup.exe, {@code targetBuild}
 * must be a build of the installed version and not older than it. A server already at the target is accepted: the
 * process then skips setup and only brings it back into its pool, which is how a rollout resumes after a failure.
 * {@code loadBalancer} defaults to manual; {@code nlbCluster}, shown to the operator, is optional.
 */
@Component("casUpgradeRequest")
public class CasUpgradeRequest implements ExecutionListener {

	private final ExchangeDirectory directory;

	public CasUpgradeRequest(ExchangeDirectory directory) {
		this.directory = directory;
	}

	@Override
	public void notify(DelegateExecution execution) {
		ServerName name = parse(() -> ServerName.of(text(execution, "server")));
		ExchangeServerInfo server = directory.findServer(name)
				.orElseThrow(() -> refuse("Server " + name + " is not a server of this Exchange organisation."));
		if (!server.serverRole().contains(ExchangeServers.CLIENT_ACCESS)) {
			throw refuse("Server " + name + " (" + String.join(", ", server.serverRole())
					+ ") is not a Client Access server.");
		}
		if (directory.dagOf(name).isPresent()) {
			throw refuse("Server " + name + " is a member of a database availability group: upgrade it with mailbox-server-upgrade.");
		}
		WindowsPath setupPath = UpgradeRequest.setupPath(execution);
		ExchangeBuild target = parse(() -> ExchangeBuild.parse(text(execution, "targetBuild")));
		UpgradeRequest.refuseOtherVersion(target, server);
		if (server.build().isNewerThan(target)) {
			throw refuse("Target build " + target + " is older than the build installed on " + name + " ("
					+ server.build() + "): a cumulative update cannot be uninstalled.");
		}
		LoadBalancer loadBalancer = parse(() -> LoadBalancer.parse(text(execution, "loadBalancer")));
		String cluster = text(execution, "nlbCluster");
		// Only shown to the operator, but validated like any name that may one day reach a command line.
		String nlbCluster = cluster == null || cluster.isBlank() ? null : parse(() -> ServerName.of(cluster)).value();
		execution.setVariable("server", name.value());
		execution.setVariable("setupPath", setupPath.value());
		execution.setVariable("targetBuild", target.toString());
		execution.setVariable("loadBalancer", loadBalancer.id());
		execution.setVariable("nlbCluster", nlbCluster);
	}
}
