package dev.runbook.command;

import java.util.List;

/**
 * What the directory says about an Exchange 2003 cluster: its nodes with the build of their Exchange binaries, its
 * virtual servers with the node that owns each one's group and the version recorded for it, and its front-end servers.
 */
public record Exchange2003ClusterInfo(ServerName name, List<Node> nodes, List<VirtualServer> virtualServers,
		List<FrontEnd> frontEnds) {

	public Exchange2003ClusterInfo {
		nodes = List.copyOf(nodes);
		virtualServers = List.copyOf(virtualServers);
		frontEnds = List.copyOf(frontEnds);
	}

	public record Node(ServerName name, ExchangeBuild build) {
	}

	public record VirtualServer(ServerName name, ClusterObjectName group, ServerName owner, ExchangeBuild version) {
	}

	public record FrontEnd(ServerName name, ExchangeBuild build) {
	}
}
