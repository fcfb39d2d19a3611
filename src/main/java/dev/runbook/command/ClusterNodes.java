package dev.runbook.command;

import java.util.List;
import java.util.Optional;

/** Get-ClusterNode -Cluster: every node of a cluster. */
public record ClusterNodes(String cluster, List<ClusterNode> nodes) {

	public ClusterNodes {
		nodes = List.copyOf(nodes);
	}

	/** The node of a server, by its short (NetBIOS) name. */
	public Optional<ClusterNode> node(ServerName server) {
		return nodes.stream().filter(n -> n.name().equalsIgnoreCase(server.shortName())).findFirst();
	}
}
