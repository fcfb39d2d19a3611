package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DagName;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ServerName;
import dev.runbook.process.StepContext;

/**
 * What discovery found, as the rollout's variables keep it: the DAG's members in the DAG's order, the Client Access
 * servers of its sites, each one's Windows NLB cluster (when it has one) and every server's installed build.
 *
 * <p>Variables: {@code dagMembers}, {@code clientAccessServers}, {@code nlbClusters}, {@code installedBuilds},
 * {@code serverFqdns}.
 */
public record Inventory(DagName dag, List<ServerName> members, List<ServerName> clientAccess,
		Map<ServerName, String> nlbClusters, Map<ServerName, String> builds, Map<ServerName, String> fqdns) {

	public Inventory {
		members = List.copyOf(members);
		clientAccess = List.copyOf(clientAccess);
		nlbClusters = Map.copyOf(nlbClusters);
		builds = Map.copyOf(builds);
		fqdns = Map.copyOf(fqdns);
	}

	public static Inventory read(StepContext step) {
		return new Inventory(DagName.of(step.text("dag")), ServerList.parse(step.text("dagMembers")),
				ServerList.parse(step.text("clientAccessServers")), ServerList.parseMap(step.text("nlbClusters")),
				ServerList.parseMap(step.text("installedBuilds")), ServerList.parseMap(step.text("serverFqdns")));
	}

	public void write(StepContext step) {
		step.set("dagMembers", ServerList.format(members));
		step.set("clientAccessServers", ServerList.format(clientAccess));
		step.set("nlbClusters", ServerList.formatMap(new java.util.TreeMap<>(nlbClusters)));
		step.set("installedBuilds", ServerList.formatMap(new java.util.TreeMap<>(builds)));
		step.set("serverFqdns", ServerList.formatMap(new java.util.TreeMap<>(fqdns)));
	}

	/** The server's FQDN as Get-ExchangeServer gave it (Redirect-Message wants one), else its name. */
	public ServerName fqdn(ServerName server) {
		String fqdn = fqdns.get(server);
		return fqdn == null || fqdn.isBlank() ? server : ServerName.of(fqdn);
	}

	/** Members first, then Client Access servers. */
	public List<ServerName> all() {
		List<ServerName> all = new ArrayList<>(members);
		all.addAll(clientAccess);
		return all;
	}

	public boolean isMember(ServerName server) {
		return members.contains(server);
	}

	public ExchangeBuild build(ServerName server) {
		return ExchangeBuild.parse(builds.get(server));
	}

	public Optional<String> nlbCluster(ServerName server) {
		return Optional.ofNullable(nlbClusters.get(server));
	}

	/** The Client Access servers that share a load-balanced pool with {@code server}: its NLB cluster, else all of them. */
	public List<ServerName> poolOf(ServerName server) {
		Optional<String> cluster = nlbCluster(server);
		return clientAccess.stream().filter(c -> !c.equals(server))
				.filter(c -> cluster.isEmpty() || cluster.equals(nlbCluster(c))).toList();
	}

	/**
	 * Runs an organisation-wide command on the first member that answers, leaving out {@code except} (the server about
	 * to go down). Exchange answers these from any server with the management tools; a member that does not answer is
	 * passed over, a command that fails for another reason fails.
	 */
	public <R> R runOnAnyMember(StepContext step, Function<ServerName, ExchangeCommand<R>> command, ServerName except) {
		return runOnAny(step, members.stream().filter(m -> !m.equals(except)).toList(), command);
	}

	public static <R> R runOnAny(StepContext step, List<ServerName> candidates,
			Function<ServerName, ExchangeCommand<R>> command) {
		CommandFailedException last = null;
		for (ServerName candidate : candidates) {
			try {
				return step.run(command.apply(candidate));
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				last = e;
			}
		}
		if (last != null) {
			throw last;
		}
		throw new IllegalStateException("No server to run the command on.");
	}
}
