package dev.runbook.command;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A server cluster's nodes, groups and resources as its WMI provider ({@code root\MSCluster}) shows them on one of its
 * nodes: what Cluster Administrator shows. Resources are listed group by group, in the order their dependencies let
 * them come online.
 */
public record ClusterStatus(String cluster, List<Node> nodes, List<Group> groups, List<Resource> resources) {

	public ClusterStatus {
		nodes = List.copyOf(nodes);
		groups = List.copyOf(groups);
		resources = List.copyOf(resources);
	}

	public record Node(ServerName name, ClusterNodeState state) {
	}

	public record Group(ClusterObjectName name, ServerName owner, ClusterResourceStatus state) {
	}

	public record Resource(ClusterObjectName name, ClusterObjectName group, ServerName owner, ClusterResourceType type,
			ClusterResourceStatus state) {
	}

	public Optional<Node> node(ServerName name) {
		return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
	}

	public Optional<Group> group(ClusterObjectName name) {
		return groups.stream().filter(g -> g.name().equals(name)).findFirst();
	}

	public List<Resource> resourcesOf(ClusterObjectName group) {
		return resources.stream().filter(r -> r.group().equals(group)).toList();
	}

	/** The group's Exchange resources, System Attendant first: the order in which they must come online. */
	public List<Resource> exchangeResourcesOf(ClusterObjectName group) {
		return resourcesOf(group).stream().filter(r -> r.type().exchange())
				.sorted(Comparator.comparing(Resource::type)).toList();
	}

	/** The groups a node owns. */
	public List<Group> groupsOwnedBy(ServerName node) {
		return groups.stream().filter(g -> g.owner().equals(node)).toList();
	}
}
