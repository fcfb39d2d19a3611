package dev.runbook.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

import dev.runbook.command.ApplicationLogErrors;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.ClusterResourceState;
import dev.runbook.command.ClusterResourceStatus;
import dev.runbook.command.ClusterResourceType;
import dev.runbook.command.ClusterStatus;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Done;
import dev.runbook.command.ServerName;

/**
 * A simulated Windows Server 2003 server cluster running Exchange virtual servers, answering cluster.exe as the cluster
 * service would: dependencies between resources, groups that move with their resources, and the Exchange resources'
 * refusal to run on a node whose binaries do not match the virtual server's version.
 */
final class ExchangeCluster2003 {

	final ServerName name;
	final Map<ServerName, Server2003> nodes = new LinkedHashMap<>();
	final Map<ServerName, VirtualServer2003> virtualServers = new LinkedHashMap<>();
	final List<Server2003> frontEnds = new ArrayList<>();
	private final BiPredicate<ServerName, LabFault> consumeFault;

	ExchangeCluster2003(ServerName name, BiPredicate<ServerName, LabFault> consumeFault) {
		this.name = name;
		this.consumeFault = consumeFault;
	}

	ClusterStatus status() {
		List<ClusterStatus.Node> nodeRows = nodes.values().stream()
				.map(n -> new ClusterStatus.Node(n.name, state(n))).toList();
		List<ClusterStatus.Group> groups = new ArrayList<>();
		List<ClusterStatus.Resource> resources = new ArrayList<>();
		for (VirtualServer2003 evs : virtualServers.values()) {
			groups.add(new ClusterStatus.Group(evs.group, evs.owner.name, evs.groupState()));
			for (ClusterResource2003 r : evs.resources) {
				resources.add(new ClusterStatus.Resource(r.name, evs.group, evs.owner.name, r.type, r.state));
			}
		}
		return new ClusterStatus(name.value(), nodeRows, groups, resources);
	}

	static ClusterNodeState state(Server2003 node) {
		return node.up ? ClusterNodeState.Up : ClusterNodeState.Down;
	}

	/** Takes the resource offline, and first everything that depends on it. Offline already is fine. */
	ClusterResourceState takeOffline(ClusterObjectName resourceName, Instant now) {
		VirtualServer2003 evs = groupOf(resourceName);
		ClusterResource2003 r = resource(evs, resourceName);
		evs.dependentsOf(r).forEach(d -> d.state = ClusterResourceStatus.Offline);
		r.state = ClusterResourceStatus.Offline;
		return new ClusterResourceState(r.name, evs.group, evs.owner.name, r.state, now);
	}

	/** Brings what the resource depends on online first, then the resource; never what depends on it. */
	ClusterResourceState bringOnline(ClusterObjectName resourceName, Instant now) {
		VirtualServer2003 evs = groupOf(resourceName);
		ClusterResource2003 r = resource(evs, resourceName);
		bringOnline(evs, r, now);
		return new ClusterResourceState(r.name, evs.group, evs.owner.name, r.state, now);
	}

	private void bringOnline(VirtualServer2003 evs, ClusterResource2003 r, Instant now) {
		if (r.online()) {
			return;
		}
		for (ClusterResource2003 provider : r.dependsOn) {
			bringOnline(evs, provider, now);
		}
		if (r.type.exchange()) {
			Optional<String> refusal = whyExchangeCannotRun(evs, evs.owner);
			if (refusal.isPresent()) {
				r.state = ClusterResourceStatus.Failed;
				throw new CommandFailedException(evs.owner.name, "System error 5038 has occurred (0x000013ae). A cluster resource failed: '"
						+ r.name + "' could not be brought online on " + evs.owner.name + ": " + refusal.get(), false);
			}
			if (consumeFault.test(evs.name, LabFault.CLUSTER_RESOURCE_FAILS)) {
				r.state = ClusterResourceStatus.Failed;
				throw new CommandFailedException(evs.owner.name, "System error 5038 has occurred (0x000013ae). A cluster resource failed: '"
						+ r.name + "' failed to come online on " + evs.owner.name + "; see the Application log.", false);
			}
			if (r.type == ClusterResourceType.InformationStore && consumeFault.test(evs.name, LabFault.APPLICATION_LOG_ERRORS)) {
				logStoreErrors(evs, now);
			}
		}
		r.state = ClusterResourceStatus.Online;
	}

	/** Why the virtual server's Exchange resources cannot run on the node now, if they cannot. */
	Optional<String> whyExchangeCannotRun(VirtualServer2003 evs, Server2003 node) {
		if (!node.up) {
			return Optional.of("the node is down.");
		}
		if (evs.upgrading()) {
			return Optional.of("Upgrade Exchange Virtual Server is still running for " + evs.name + ".");
		}
		if (node.installerRunning()) {
			return Optional.of("the service-pack installer is running on " + node.name + ".");
		}
		if (!node.build.equals(evs.version)) {
			return Optional.of(evs.name + " is at version " + evs.version + " but the Exchange binaries on " + node.name
					+ " are at " + node.build + (node.build.isNewerThan(evs.version)
							? ": right-click the System Attendant and select Upgrade Exchange Virtual Server first."
							: ": a virtual server cannot run on older binaries."));
		}
		return Optional.empty();
	}

	private static void logStoreErrors(VirtualServer2003 evs, Instant now) {
		evs.owner.applicationLogErrors.add(new ApplicationLogErrors.Entry(now, "MSExchangeIS", 9518,
				"Error 0xfffffb3a starting Storage Group /DC=local/DC=contoso/CN=Configuration/CN=Services/CN=Microsoft Exchange/CN=Contoso/CN=Administrative Groups/CN=First Administrative Group/CN=Servers/CN="
						+ evs.name + "/CN=InformationStore/CN=First Storage Group on the Microsoft Exchange Information Store."));
		evs.owner.applicationLogErrors.add(new ApplicationLogErrors.Entry(now, "MSExchangeSA", 1005,
				"Unexpected error The information store could not be opened. ID no: 8004011d-0526-00000000 Microsoft Exchange System Attendant occurred."));
	}

	/**
	 * Moves the group: its online resources go offline on the old owner and come online on the new one, in dependency
	 * order. The target must be a node of this cluster and Up.
	 */
	Done move(ClusterObjectName group, ServerName target, Instant now) {
		VirtualServer2003 evs = virtualServers.values().stream().filter(v -> v.group.equals(group)).findFirst()
				.orElseThrow(() -> new CommandFailedException(target, "System error 5013 has occurred (0x00001395). The cluster group could not be found: '"
						+ group + "' is not a group of cluster " + name + ".", false));
		Server2003 node = nodes.get(target);
		if (node == null) {
			throw new CommandFailedException(target, "System error 5042 has occurred (0x000013b2). The cluster node was not found: "
					+ target + " is not a node of cluster " + name + ".", false);
		}
		if (!node.up) {
			throw new CommandFailedException(target, "System error 5050 has occurred (0x000013ba). The cluster node is down: "
					+ target + " cannot own group '" + group + "'.", false);
		}
		if (evs.owner == node) {
			return new Done("Group '" + group + "' is already owned by " + target);
		}
		List<String> failures = relocate(evs, node, now);
		if (!failures.isEmpty()) {
			throw new CommandFailedException(target, "Group '" + group + "' moved to " + target
					+ " but did not come online. " + String.join(" ", failures), false);
		}
		return new Done("Group '" + group + "' moved to " + target);
	}

	/** The cluster service moves a group whose node goes down to another node that is up, if there is one. */
	void failOverFrom(Server2003 node, Instant now) {
		for (VirtualServer2003 evs : virtualServers.values()) {
			if (evs.owner != node) {
				continue;
			}
			Optional<Server2003> target = nodes.values().stream().filter(n -> n != node && n.up).findFirst();
			if (target.isPresent()) {
				relocate(evs, target.get(), now);
			} else {
				evs.resources.forEach(r -> r.state = ClusterResourceStatus.Offline);
			}
		}
	}

	/**
	 * What was online comes online on the new owner; an Exchange resource that cannot run there fails, and the group
	 * stays on the new owner, Failed. Answers the failures.
	 */
	private List<String> relocate(VirtualServer2003 evs, Server2003 node, Instant now) {
		List<ClusterResource2003> wereOnline = evs.resources.stream().filter(ClusterResource2003::online).toList();
		evs.resources.forEach(r -> r.state = r.state == ClusterResourceStatus.Failed ? r.state : ClusterResourceStatus.Offline);
		evs.owner = node;
		List<String> failures = new ArrayList<>();
		for (ClusterResource2003 r : wereOnline) {
			try {
				bringOnline(evs, r, now);
			} catch (CommandFailedException e) {
				failures.add(e.getMessage());
			}
		}
		return failures;
	}

	VirtualServer2003 groupOf(ClusterObjectName resourceName) {
		return virtualServers.values().stream().filter(v -> v.resources.stream().anyMatch(r -> r.name.equals(resourceName)))
				.findFirst().orElseThrow(() -> new CommandFailedException(name, "System error 5007 has occurred (0x0000138f). The cluster resource could not be found: '"
						+ resourceName + "' is not a resource of cluster " + name + ".", false));
	}

	private static ClusterResource2003 resource(VirtualServer2003 evs, ClusterObjectName resourceName) {
		return evs.resources.stream().filter(r -> r.name.equals(resourceName)).findFirst().orElseThrow();
	}

	Optional<VirtualServer2003> upgradeInProgress() {
		return virtualServers.values().stream().filter(VirtualServer2003::upgrading).findFirst();
	}
}
