package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseAvailabilityGroup;
import dev.runbook.command.ExchangeCommand.GetDatabaseAvailabilityGroup;
import dev.runbook.command.ExchangeCommand.GetExchangeServers;
import dev.runbook.command.ExchangeCommand.GetNlbClusterNode;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.ServerName;
import dev.runbook.process.LoadBalancer;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;

/**
 * Discovery through commands, not configuration: Get-DatabaseAvailabilityGroup for the members, Get-ExchangeServer
 * for the Client Access servers of the members' sites and every build, Get-NlbClusterNode for each Client Access
 * server's NLB cluster. Read-only, so it may run any number of times; it starts a fresh pre-flight report.
 */
@Component
public class DiscoverySteps implements StepFamily {

	private final ExchangeDirectory directory;

	public DiscoverySteps(ExchangeDirectory directory) {
		this.directory = directory;
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of("discover-organisation", this::discover);
	}

	private void discover(StepContext step) {
		DagName dag = DagName.of(step.text("dag"));
		PreflightReport.clear(step);
		// The directory only names the members to ask; what counts is what the DAG itself answers.
		DatabaseAvailabilityGroup group = Inventory.runOnAny(step, directory.dagMembers(dag.value()),
				runOn -> new GetDatabaseAvailabilityGroup(runOn, dag));
		ExchangeServers organisation = Inventory.runOnAny(step, group.servers(), GetExchangeServers::new);
		Map<ServerName, ExchangeServerInfo> byName = new LinkedHashMap<>();
		organisation.servers().forEach(s -> byName.put(s.name(), s));
		Set<String> sites = group.servers().stream().filter(byName::containsKey).map(m -> byName.get(m).site())
				.collect(Collectors.toCollection(java.util.TreeSet::new));
		List<ServerName> clientAccess = organisation.withRole(ExchangeServers.CLIENT_ACCESS).stream()
				.filter(s -> !group.servers().contains(s.name())).filter(s -> sites.contains(s.site()))
				.map(ExchangeServerInfo::name).toList();

		List<String> lines = new ArrayList<>();
		List<String> refusals = new ArrayList<>();
		Map<ServerName, String> builds = new LinkedHashMap<>();
		Map<ServerName, String> fqdns = new LinkedHashMap<>();
		for (ServerName server : concat(group.servers(), clientAccess)) {
			ExchangeServerInfo info = byName.get(server);
			if (info == null) {
				refusals.add(server + " is a member of " + dag + " but Get-ExchangeServer does not know it.");
			} else {
				builds.put(server, info.build().toString());
				if (info.fqdn() != null && !info.fqdn().isBlank()) {
					fqdns.put(server, info.fqdn());
				}
			}
		}
		Map<ServerName, String> clusters = new LinkedHashMap<>();
		for (ServerName cas : clientAccess) {
			try {
				clusters.put(cas, step.run(new GetNlbClusterNode(cas)).cluster());
			} catch (CommandFailedException notNlb) {
				// Not a Windows NLB host (a hardware balancer fronts it), or not answering: the later checks say which.
			}
		}
		Inventory inventory = new Inventory(dag, group.servers(), clientAccess, clusters, builds, fqdns);
		inventory.write(step);

		lines.add(dag + ": " + ServerList.readable(group.servers()) + (group.witnessServer() == null ? ""
				: "; witness " + group.witnessServer()) + (group.primaryActiveManager() == null ? ""
						: "; Primary Active Manager " + group.primaryActiveManager()));
		lines.add("Client Access servers of " + String.join(", ", sites) + ": " + (clientAccess.isEmpty() ? "none"
				: clientAccess.stream().map(c -> c + inventory.nlbCluster(c).map(n -> " (NLB " + n + ")").orElse(""))
						.collect(Collectors.joining(", "))));
		group.servers().stream().filter(byName::containsKey)
				.filter(m -> byName.get(m).serverRole().contains(ExchangeServers.CLIENT_ACCESS))
				.forEach(m -> lines.add(m + " is multi-role: it is upgraded as a DAG member, and its load balancer is not handled for it."));
		List<ServerName> restriction = ServerList.parse(step.text("servers"));
		if (!restriction.isEmpty()) {
			lines.add("Restricted to " + ServerList.readable(restriction) + ".");
			restriction.stream().filter(s -> !inventory.all().contains(s)).forEach(s -> refusals.add(s
					+ " is neither a member of " + dag + " nor a Client Access server of its sites."));
		}
		if (LoadBalancer.parse(step.text("loadBalancer")) == LoadBalancer.WINDOWS_NLB) {
			clientAccess.stream().filter(c -> restriction.isEmpty() || restriction.contains(c))
					.filter(c -> inventory.nlbCluster(c).isEmpty()).forEach(c -> refusals.add(c
							+ " is not a host of a Windows NLB cluster (Get-NlbClusterNode): choose the manual load balancer."));
		}
		// Refusals first: a long section shows its first lines only.
		lines.addAll(0, refusals);
		PreflightReport.record(step, PreflightCheck.DISCOVERY,
				refusals.isEmpty() ? PreflightReport.Verdict.PASSED : PreflightReport.Verdict.REFUSED, lines);
	}

	private static List<ServerName> concat(List<ServerName> a, List<ServerName> b) {
		List<ServerName> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}
}
