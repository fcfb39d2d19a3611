package dev.runbook.lab;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.HotfixId;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * The Exchange 2003 part of a lab topology: server clusters with their nodes and Exchange virtual servers (EVS), the
 * front-end servers in front of them, the service-pack media and hotfix packages on the file share, and per-server
 * starting conditions. Every server of a cluster starts at the cluster's {@code build}.
 */
public record Exchange2003Topology(List<Media> media, List<HotfixPackage> hotfixes, List<Cluster> clusters,
		List<Condition> conditions) {

	public Exchange2003Topology {
		media = media == null ? List.of() : List.copyOf(media);
		hotfixes = hotfixes == null ? List.of() : List.copyOf(hotfixes);
		clusters = clusters == null ? List.of() : List.copyOf(clusters);
		conditions = conditions == null ? List.of() : List.copyOf(conditions);
	}

	public static Exchange2003Topology none() {
		return new Exchange2003Topology(null, null, null, null);
	}

	/** A service pack's update.exe and the build it installs. */
	public record Media(String path, String build) {
	}

	/** A Windows hotfix package and the hotfix it installs. */
	public record HotfixPackage(String path, String hotfix) {
	}

	/** {@code virtualServers} each with the node that owns its group at the start. */
	public record Cluster(String name, String build, List<String> nodes, List<VirtualServer> virtualServers,
			List<String> frontEnds) {
		public Cluster {
			nodes = nodes == null ? List.of() : List.copyOf(nodes);
			virtualServers = virtualServers == null ? List.of() : List.copyOf(virtualServers);
			frontEnds = frontEnds == null ? List.of() : List.copyOf(frontEnds);
		}
	}

	public record VirtualServer(String name, String owner) {
	}

	/** A server (node or front-end) that differs from its cluster's build, or already has hotfixes installed. */
	public record Condition(String server, String build, List<String> hotfixes) {
		public Condition {
			hotfixes = hotfixes == null ? List.of() : List.copyOf(hotfixes);
		}
	}

	/**
	 * Refuses bad names and builds, a server named twice (also against {@code seen}, the rest of the topology), a
	 * virtual server owned by a node of another cluster, and a cluster with fewer than two nodes.
	 */
	Exchange2003Topology validated(Set<ServerName> seen) {
		media.forEach(m -> {
			WindowsPath.of(m.path());
			requireExchange2003(ExchangeBuild.parse(m.build()), "Media " + m.path());
		});
		hotfixes.forEach(h -> {
			WindowsPath.of(h.path());
			HotfixId.of(h.hotfix());
		});
		Set<ServerName> clusterServers = new HashSet<>();
		for (Cluster c : clusters) {
			name(c.name(), seen, "cluster");
			requireExchange2003(ExchangeBuild.parse(c.build()), "Cluster " + c.name());
			if (c.nodes().size() < 2) {
				throw new InvalidInputException("Cluster " + c.name() + " needs at least two nodes.");
			}
			List<ServerName> nodes = c.nodes().stream().map(n -> name(n, seen, "node")).toList();
			clusterServers.addAll(nodes);
			for (VirtualServer evs : c.virtualServers()) {
				name(evs.name(), seen, "virtual server");
				if (evs.owner() == null || !nodes.contains(ServerName.of(evs.owner()))) {
					throw new InvalidInputException("Virtual server " + evs.name() + " is owned by " + evs.owner()
							+ ", which is not a node of cluster " + c.name() + ".");
				}
			}
			c.frontEnds().forEach(fe -> clusterServers.add(name(fe, seen, "front-end server")));
		}
		for (Condition condition : conditions) {
			if (!clusterServers.contains(ServerName.of(condition.server()))) {
				throw new InvalidInputException("An Exchange 2003 condition names " + condition.server()
						+ ", which is no node or front-end server of the topology.");
			}
			if (condition.build() != null) {
				requireExchange2003(ExchangeBuild.parse(condition.build()), "Server " + condition.server());
			}
			condition.hotfixes().forEach(HotfixId::of);
		}
		return this;
	}

	private static ServerName name(String raw, Set<ServerName> seen, String what) {
		ServerName name = ServerName.of(raw);
		if (!seen.add(name)) {
			throw new InvalidInputException("The " + what + " name " + name + " appears twice in the topology.");
		}
		return name;
	}

	private static void requireExchange2003(ExchangeBuild build, String what) {
		if (build.major() != 6 || build.minor() != 5) {
			throw new InvalidInputException(what + " has build " + build + ", which is not an Exchange 2003 build (6.5.x).");
		}
	}
}
