package dev.runbook.exchange2003;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.springframework.stereotype.Component;

import dev.runbook.command.ApplicationLogErrors;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.ClusterResourceState;
import dev.runbook.command.ClusterResourceStatus;
import dev.runbook.command.ClusterResourceType;
import dev.runbook.command.ClusterStatus;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Exchange2003ClusterInfo;
import dev.runbook.command.Exchange2003Directory;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.BringClusterResourceOnline;
import dev.runbook.command.ExchangeCommand.GetApplicationLogErrors;
import dev.runbook.command.ExchangeCommand.GetClusterStatus;
import dev.runbook.command.ExchangeCommand.GetExchangeServerVersion;
import dev.runbook.command.ExchangeCommand.GetServicePackStatus;
import dev.runbook.command.ExchangeCommand.MoveClusterGroup;
import dev.runbook.command.ExchangeCommand.TakeClusterResourceOffline;
import dev.runbook.command.ExchangeServerVersion;
import dev.runbook.command.ServerName;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;

/**
 * The steps of the Exchange 2003 cluster upgrade that act on the cluster: which front-end server, virtual server or
 * node comes next, and the seed's failover of one virtual server to the upgraded node. Which servers and virtual
 * servers the cluster has comes from the directory; their state comes from commands, so each step sees the cluster as
 * it is when it runs, and running a step again after it went through changes nothing.
 *
 * <p>Variables: {@code frontEndPending}, {@code frontEnd}, {@code frontEndsBelowTarget}; {@code virtualServerPending},
 * {@code virtualServer}, {@code virtualServerGroup}, {@code formerOwner}, {@code targetNode}, {@code targetNodeReady};
 * {@code systemAttendant}, {@code systemAttendantOfflineAt}; {@code virtualServerUpgraded}, {@code virtualServerVersion},
 * {@code verificationFailure}; {@code exchangeResourcesOffline}, {@code lastResourceOnlineAt}, {@code failedResource},
 * {@code resourceFailure}; {@code failoverDowntime_<virtual server>} (seconds) and {@code failoverDowntimes};
 * {@code applicationLogErrorCount}, {@code applicationLogErrors}; {@code nodePending}, {@code node}.
 */
@Component
public class ClusterSteps2003 implements StepFamily {

	/** An Exchange resource stayed offline or failed: an operator decides. */
	public static final String RESOURCE_FAILED = "ResourceFailed";

	/** What one virtual server's failover leaves behind, cleared before the next one starts. */
	private static final List<String> PER_VIRTUAL_SERVER = List.of("systemAttendant", "systemAttendantOfflineAt",
			"virtualServerUpgraded", "virtualServerVersion", "verificationFailure", "virtualServerUpgradeDecision",
			"exchangeResourcesOffline", "lastResourceOnlineAt", "failedResource", "resourceFailure", "resourceDecision",
			"applicationLogErrorCount", "applicationLogErrors", "applicationLogDecision");

	/** Which nodes, virtual servers and front-ends the cluster has; empty with an executor that has no such directory. */
	private final Optional<Exchange2003Directory> directory;

	public ClusterSteps2003(Optional<Exchange2003Directory> directory) {
		this.directory = directory;
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"next-front-end", this::nextFrontEnd,
				"next-virtual-server", this::nextVirtualServer,
				"take-system-attendant-offline", ClusterSteps2003::takeSystemAttendantOffline,
				"move-virtual-server-group", ClusterSteps2003::moveGroup,
				"verify-virtual-server-version", ClusterSteps2003::verifyVirtualServer,
				"bring-next-exchange-resource-online", ClusterSteps2003::bringNextResourceOnline,
				"check-application-log", ClusterSteps2003::checkApplicationLog,
				"next-node", this::nextNode);
	}

	private Exchange2003ClusterInfo cluster(StepContext step) {
		ServerName name = ServerName.of(step.text("cluster"));
		return directory.orElseThrow(() -> new IllegalStateException("This executor has no directory of Exchange 2003 clusters."))
				.findCluster(name)
				.orElseThrow(() -> new IllegalStateException(name + " is no longer an Exchange 2003 cluster of the directory."));
	}

	/** KB 328839: front-end servers before back-end servers. Each reads its own version. */
	private void nextFrontEnd(StepContext step) {
		ExchangeBuild target = step.build("targetBuild");
		List<ServerName> below = new ArrayList<>();
		for (Exchange2003ClusterInfo.FrontEnd frontEnd : cluster(step).frontEnds()) {
			ExchangeServerVersion version = step.run(new GetExchangeServerVersion(frontEnd.name(), frontEnd.name()));
			if (target.isNewerThan(version.build())) {
				below.add(frontEnd.name());
			}
		}
		step.set("frontEndPending", !below.isEmpty());
		step.set("frontEnd", below.isEmpty() ? null : below.get(0).value());
		step.set("frontEndsBelowTarget", below.stream().map(ServerName::value).collect(Collectors.joining(", ")));
	}

	/**
	 * The first virtual server below the target, the node that owns it, and the node it moves to: its owner if that
	 * already runs the target build (a rerun after the move), else a node that is up and owns no group, one at the
	 * target build first. Nothing of the previous virtual server's failover carries over.
	 */
	private void nextVirtualServer(StepContext step) {
		PER_VIRTUAL_SERVER.forEach(step::remove);
		Exchange2003ClusterInfo cluster = cluster(step);
		ExchangeBuild target = step.build("targetBuild");
		ClusterStatus status = clusterStatus(step, cluster);
		ServerName reader = firstUp(status, cluster);
		for (Exchange2003ClusterInfo.VirtualServer evs : cluster.virtualServers()) {
			ExchangeServerVersion version = step.run(new GetExchangeServerVersion(reader, evs.name()));
			if (!target.isNewerThan(version.build())) {
				continue;
			}
			ServerName owner = status.group(evs.group()).orElseThrow(() -> new IllegalStateException(
					"Cluster " + cluster.name() + " has no group " + evs.group() + " for " + evs.name() + ".")).owner();
			ServerName targetNode = binariesAt(step, owner).equals(target) ? owner : passiveNodeFor(step, status, owner, target);
			step.set("virtualServerPending", true);
			step.set("virtualServer", evs.name().value());
			step.set("virtualServerGroup", evs.group().value());
			step.set("formerOwner", owner.value());
			step.set("targetNode", targetNode.value());
			step.set("targetNodeReady", binariesAt(step, targetNode).equals(target));
			return;
		}
		step.set("virtualServerPending", false);
	}

	private static ServerName passiveNodeFor(StepContext step, ClusterStatus status, ServerName owner, ExchangeBuild target) {
		List<ServerName> free = status.nodes().stream()
				.filter(n -> n.state() == ClusterNodeState.Up && !n.name().equals(owner) && status.groupsOwnedBy(n.name()).isEmpty())
				.map(ClusterStatus.Node::name).toList();
		return free.stream().filter(n -> binariesAt(step, n).equals(target)).findFirst()
				.or(() -> free.stream().findFirst())
				.orElseThrow(() -> new IllegalStateException("No node of cluster " + status.cluster()
						+ " is up and free of groups to take over from " + owner + ": bring a passive node up, then retry."));
	}

	/** The seed: System Attendant offline, which takes the Exchange resources with it; the downtime starts here. */
	private static void takeSystemAttendantOffline(StepContext step) {
		ServerName owner = ServerName.of(step.text("formerOwner"));
		ClusterStatus.Resource systemAttendant = resource(step.run(new GetClusterStatus(owner)), group(step),
				ClusterResourceType.SystemAttendant);
		step.set("systemAttendant", systemAttendant.name().value());
		if (step.text("systemAttendantOfflineAt") != null && systemAttendant.state() == ClusterResourceStatus.Offline) {
			return;
		}
		ClusterResourceState offline = step.run(new TakeClusterResourceOffline(owner, systemAttendant.name()));
		if (step.text("systemAttendantOfflineAt") == null) {
			step.set("systemAttendantOfflineAt", offline.at().toString());
		}
	}

	private static void moveGroup(StepContext step) {
		step.run(new MoveClusterGroup(ServerName.of(step.text("formerOwner")), group(step),
				ServerName.of(step.text("targetNode"))));
	}

	/** After the operator's Upgrade Exchange Virtual Server: the directory must record the target build. */
	private static void verifyVirtualServer(StepContext step) {
		ServerName evs = ServerName.of(step.text("virtualServer"));
		ServerName targetNode = ServerName.of(step.text("targetNode"));
		ExchangeBuild target = step.build("targetBuild");
		ExchangeServerVersion version = step.run(new GetExchangeServerVersion(targetNode, evs));
		boolean upgraded = version.build().equals(target);
		step.set("virtualServerUpgraded", upgraded);
		step.set("virtualServerVersion", version.exchangeVersion());
		step.set("verificationFailure", upgraded ? "" : "**Not upgraded yet.** WMI records " + evs + " at "
				+ version.exchangeVersion() + ", not " + target + ". If Cluster Administrator still shows the upgrade "
				+ "running, wait for its message; otherwise run Upgrade Exchange Virtual Server again on " + targetNode + ".");
	}

	/**
	 * One Exchange resource per run, in dependency order (System Attendant first), because bringing the System
	 * Attendant online leaves its dependents offline. A resource that fails is the operator's; a server that does not
	 * answer is retried. When the last one is online, the failover downtime is recorded.
	 */
	private static void bringNextResourceOnline(StepContext step) {
		ServerName targetNode = ServerName.of(step.text("targetNode"));
		List<ClusterStatus.Resource> offline = step.run(new GetClusterStatus(targetNode)).exchangeResourcesOf(group(step))
				.stream().filter(r -> r.state() != ClusterResourceStatus.Online).toList();
		if (!offline.isEmpty()) {
			ClusterStatus.Resource next = offline.get(0);
			try {
				step.set("lastResourceOnlineAt", step.run(new BringClusterResourceOnline(targetNode, next.name())).at().toString());
			} catch (CommandFailedException e) {
				if (e.isTransient()) {
					throw e;
				}
				step.set("failedResource", next.name().value());
				step.set("resourceFailure", e.getMessage());
				throw new BpmnError(RESOURCE_FAILED, e.getMessage());
			}
		}
		// Each resource's dependencies come before it, so bringing it online brought nothing else online.
		int remaining = Math.max(0, offline.size() - 1);
		step.set("exchangeResourcesOffline", remaining);
		if (remaining == 0) {
			recordDowntime(step);
		}
	}

	/** From System Attendant offline to the last Exchange resource online, by the nodes' clocks. Recorded once. */
	private static void recordDowntime(StepContext step) {
		String evs = step.text("virtualServer");
		String from = step.text("systemAttendantOfflineAt");
		String to = step.text("lastResourceOnlineAt");
		if (from == null || to == null || step.text("failoverDowntime_" + evs) != null) {
			return;
		}
		Duration downtime = Duration.between(Instant.parse(from), Instant.parse(to));
		step.set("failoverDowntime_" + evs, downtime.toSeconds());
		String before = step.text("failoverDowntimes");
		String entry = evs + " " + downtime;
		step.set("failoverDowntimes", before == null || before.isBlank() ? entry : before + ", " + entry);
	}

	/** The seed: when all the resources are online, check the Application log for errors. */
	private static void checkApplicationLog(StepContext step) {
		ServerName targetNode = ServerName.of(step.text("targetNode"));
		ApplicationLogErrors errors = step.run(new GetApplicationLogErrors(targetNode,
				Instant.parse(step.text("systemAttendantOfflineAt"))));
		step.set("applicationLogErrorCount", errors.entries().size());
		step.set("applicationLogErrors", errors.entries().stream()
				.map(e -> "- " + e.time() + " " + e.source() + " " + e.eventId() + ": " + e.message())
				.collect(Collectors.joining("\n")));
	}

	/** "Then the other node": a node below the target that owns no group, as each former owner does by now. */
	private void nextNode(StepContext step) {
		Exchange2003ClusterInfo cluster = cluster(step);
		ExchangeBuild target = step.build("targetBuild");
		ClusterStatus status = clusterStatus(step, cluster);
		for (ClusterStatus.Node node : status.nodes()) {
			if (!target.isNewerThan(binariesAt(step, node.name()))) {
				continue;
			}
			List<ClusterStatus.Group> owned = status.groupsOwnedBy(node.name());
			if (!owned.isEmpty()) {
				throw new IllegalStateException(node.name() + " is below " + target + " but owns "
						+ owned.stream().map(g -> g.name().value()).collect(Collectors.joining(", "))
						+ ": the service pack cannot run on it. Move the group to an upgraded node, then retry.");
			}
			step.set("nodePending", true);
			step.set("node", node.name().value());
			return;
		}
		step.set("nodePending", false);
		step.set("node", null);
	}

	// ---- reads shared by the steps -----------------------------------------------------------------------------

	/** cluster.exe on the first node that answers: any node sees the whole cluster. */
	private static ClusterStatus clusterStatus(StepContext step, Exchange2003ClusterInfo cluster) {
		CommandFailedException unanswered = null;
		for (Exchange2003ClusterInfo.Node node : cluster.nodes()) {
			try {
				return step.run(new GetClusterStatus(node.name()));
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				unanswered = e;
			}
		}
		throw unanswered;
	}

	private static ServerName firstUp(ClusterStatus status, Exchange2003ClusterInfo cluster) {
		return status.nodes().stream().filter(n -> n.state() == ClusterNodeState.Up).map(ClusterStatus.Node::name)
				.findFirst().orElseThrow(() -> new IllegalStateException("No node of " + cluster.name() + " is up."));
	}

	private static ExchangeBuild binariesAt(StepContext step, ServerName node) {
		return step.run(new GetServicePackStatus(node)).build();
	}

	private static ClusterObjectName group(StepContext step) {
		return ClusterObjectName.of(step.text("virtualServerGroup"));
	}

	private static ClusterStatus.Resource resource(ClusterStatus status, ClusterObjectName group, ClusterResourceType type) {
		return status.resourcesOf(group).stream().filter(r -> r.type() == type).findFirst()
				.orElseThrow(() -> new IllegalStateException("Group " + group + " has no " + type.displayName() + " resource."));
	}
}
