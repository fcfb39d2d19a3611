package dev.runbook.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import dev.runbook.command.ApplicationLogErrors;
import dev.runbook.command.ClusterResourceType;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Done;
import dev.runbook.command.Exchange2003ClusterInfo;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ExchangeServerVersion;
import dev.runbook.command.HotfixId;
import dev.runbook.command.HotfixStatus;
import dev.runbook.command.PendingReboot;
import dev.runbook.command.Reachability;
import dev.runbook.command.ServerName;
import dev.runbook.command.ServicePackStatus;
import dev.runbook.command.SetupStatus;

/**
 * The Exchange 2003 part of the simulated organisation: its clusters, their nodes and virtual servers, and the
 * front-end servers. {@link LabOrganisation} hands it every command addressed to one of these servers, and journals
 * them with the rest; time, scheduled events and faults are the organisation's.
 */
final class Exchange2003Lab {

	/** Simulated durations, as an administrator meets them. */
	static final Duration SERVICE_PACK_DURATION = Duration.ofMinutes(25);
	static final Duration VIRTUAL_SERVER_UPGRADE_DURATION = Duration.ofMinutes(2);

	/** The faults that mean something on an Exchange 2003 server, and on an Exchange virtual server. */
	static final Set<LabFault> SERVER_FAULTS = EnumSet.of(LabFault.SETUP_FAILS, LabFault.NO_RETURN_AFTER_REBOOT,
			LabFault.SERVICE_PACK_NEEDS_RESTART);
	static final Set<LabFault> VIRTUAL_SERVER_FAULTS = EnumSet.of(LabFault.CLUSTER_RESOURCE_FAILS, LabFault.APPLICATION_LOG_ERRORS);
	/** Of the server faults, those that mean nothing on the lab's other servers. */
	static final Set<LabFault> SERVER_ONLY_FAULTS = EnumSet.of(LabFault.SERVICE_PACK_NEEDS_RESTART);

	private final Map<ServerName, ExchangeCluster2003> clusters = new LinkedHashMap<>();
	/** Every node and front-end server, and the cluster it belongs to or fronts. */
	private final Map<ServerName, Server2003> servers = new LinkedHashMap<>();
	private final Map<ServerName, ExchangeCluster2003> clusterOf = new LinkedHashMap<>();
	private final Map<String, ExchangeBuild> media = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
	private final Map<String, HotfixId> hotfixPackages = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

	private final Supplier<Instant> now;
	private final BiConsumer<Duration, Runnable> schedule;
	private final BiPredicate<ServerName, LabFault> consumeFault;

	Exchange2003Lab(Exchange2003Topology topology, Supplier<Instant> now, BiConsumer<Duration, Runnable> schedule,
			BiPredicate<ServerName, LabFault> consumeFault) {
		this.now = now;
		this.schedule = schedule;
		this.consumeFault = consumeFault;
		topology.media().forEach(m -> media.put(m.path(), ExchangeBuild.parse(m.build())));
		topology.hotfixes().forEach(h -> hotfixPackages.put(h.path(), HotfixId.of(h.hotfix())));
		for (Exchange2003Topology.Cluster c : topology.clusters()) {
			ExchangeBuild build = ExchangeBuild.parse(c.build());
			ExchangeCluster2003 cluster = new ExchangeCluster2003(ServerName.of(c.name()), consumeFault);
			clusters.put(cluster.name, cluster);
			for (String n : c.nodes()) {
				Server2003 node = new Server2003(ServerName.of(n), false, build);
				cluster.nodes.put(node.name, node);
				servers.put(node.name, node);
				clusterOf.put(node.name, cluster);
			}
			char disk = 'S';
			for (Exchange2003Topology.VirtualServer v : c.virtualServers()) {
				ServerName evsName = ServerName.of(v.name());
				cluster.virtualServers.put(evsName, new VirtualServer2003(evsName, cluster.nodes.get(ServerName.of(v.owner())), build, disk++));
			}
			for (String fe : c.frontEnds()) {
				Server2003 frontEnd = new Server2003(ServerName.of(fe), true, build);
				cluster.frontEnds.add(frontEnd);
				servers.put(frontEnd.name, frontEnd);
				clusterOf.put(frontEnd.name, cluster);
			}
		}
		for (Exchange2003Topology.Condition c : topology.conditions()) {
			Server2003 s = servers.get(ServerName.of(c.server()));
			if (c.build() != null) {
				s.build = ExchangeBuild.parse(c.build());
			}
			c.hotfixes().forEach(h -> s.hotfixes.add(HotfixId.of(h)));
		}
	}

	/** A node or front-end server: the machines commands run on. */
	boolean hosts(ServerName name) {
		return servers.containsKey(name);
	}

	private Optional<VirtualServer2003> virtualServer(ServerName name) {
		return clusters.values().stream().map(c -> c.virtualServers.get(name)).filter(v -> v != null).findFirst();
	}

	/** Refuses a fault that would never fire on this server, so that a rehearsal does not wait for it in vain. */
	void checkFault(ServerName name, LabFault fault) {
		if (VIRTUAL_SERVER_FAULTS.contains(fault) && virtualServer(name).isEmpty()) {
			throw new IllegalArgumentException("Fault '" + fault.id() + "' applies only to an Exchange 2003 virtual server; "
					+ name + " is none.");
		}
		if (SERVER_ONLY_FAULTS.contains(fault) && !hosts(name)) {
			throw new IllegalArgumentException("Fault '" + fault.id() + "' applies only to an Exchange 2003 server; " + name
					+ " is none.");
		}
		if (hosts(name) && !SERVER_FAULTS.contains(fault)) {
			throw new IllegalArgumentException("Fault '" + fault.id() + "' does not apply to the Exchange 2003 server " + name
					+ "; these do: " + SERVER_FAULTS.stream().map(LabFault::id).toList() + ".");
		}
		if (virtualServer(name).isPresent() && !VIRTUAL_SERVER_FAULTS.contains(fault)) {
			throw new IllegalArgumentException("Fault '" + fault.id() + "' does not apply to the Exchange virtual server " + name
					+ "; these do: " + VIRTUAL_SERVER_FAULTS.stream().map(LabFault::id).toList() + ".");
		}
	}

	/** Whether a fault may name this server or virtual server. */
	boolean knows(ServerName name) {
		return hosts(name) || virtualServer(name).isPresent();
	}

	// ---- Commands ----------------------------------------------------------------------------------------------

	Object run(ExchangeCommand<?> command) {
		Server2003 s = servers.get(command.server());
		if (command instanceof TestWSMan) {
			return new Reachability(s.name, s.up);
		}
		if (!s.up) {
			throw new CommandFailedException(s.name, "Connecting to remote server " + s.name
					+ " failed: WinRM cannot complete the operation. The server is not reachable (it is restarting or down).", true);
		}
		Instant t = now.get();
		if (command instanceof GetClusterStatus) {
			return node(s).status();
		} else if (command instanceof TakeClusterResourceOffline c) {
			return node(s).takeOffline(c.resource(), t);
		} else if (command instanceof BringClusterResourceOnline c) {
			return node(s).bringOnline(c.resource(), t);
		} else if (command instanceof MoveClusterGroup c) {
			return node(s).move(c.group(), c.node(), t);
		} else if (command instanceof GetHotfix c) {
			return new HotfixStatus(s.name, c.hotfix(), s.hotfixes.contains(c.hotfix()));
		} else if (command instanceof InstallHotfix c) {
			return installHotfix(s, c);
		} else if (command instanceof StartServicePackInstaller c) {
			return startServicePack(s, c);
		} else if (command instanceof GetServicePackStatus) {
			return new ServicePackStatus(s.name, s.build, s.installer, s.installerErrors);
		} else if (command instanceof GetExchangeServerVersion c) {
			return version(s, c.exchangeServer());
		} else if (command instanceof GetApplicationLogErrors c) {
			return new ApplicationLogErrors(s.name, c.since(), s.applicationLogErrors.stream()
					.filter(e -> !e.time().isBefore(c.since())).toList());
		} else if (command instanceof TestPendingReboot) {
			return new PendingReboot(!s.rebootReasons.isEmpty(), s.rebootReasons);
		} else if (command instanceof RestartComputer) {
			return restart(s);
		}
		throw new CommandFailedException(s.name, "The term '" + command.commandLine().program()
				+ "' is not recognized on " + s.name + ": it is an Exchange 2003 server, which has no Exchange cmdlets.", false);
	}

	private ExchangeCluster2003 node(Server2003 s) {
		if (s.frontEnd) {
			throw new CommandFailedException(s.name, "The cluster service is not installed on " + s.name
					+ ": it is a front-end server, not a cluster node.", false);
		}
		return clusterOf.get(s.name);
	}

	private Done installHotfix(Server2003 s, InstallHotfix c) {
		HotfixId packaged = hotfixPackages.get(c.installer().value());
		if (packaged == null) {
			throw new CommandFailedException(s.name, "Start-Process: This command cannot be executed because the file '"
					+ c.installer() + "' does not exist.", false);
		}
		if (!packaged.equals(c.hotfix())) {
			throw new CommandFailedException(s.name, "The package '" + c.installer() + "' installs " + packaged + ", not " + c.hotfix() + ".", false);
		}
		if (s.hotfixes.contains(c.hotfix())) {
			return new Done(c.hotfix() + " is already installed on " + s.name);
		}
		s.hotfixes.add(c.hotfix());
		s.hotfixesAwaitingRestart.add(c.hotfix());
		s.rebootReasons.add("Hotfix " + c.hotfix() + " takes effect after a restart");
		return new Done(c.hotfix() + " installed on " + s.name + "; a restart is required");
	}

	/**
	 * The installer refuses what Exchange 2003 setup refuses: unknown media, a build that is not newer, a missing
	 * hotfix 831464 (or one not yet in effect), and a node that owns a virtual server with resources online.
	 */
	private Done startServicePack(Server2003 s, StartServicePackInstaller c) {
		ExchangeBuild target = media.get(c.installer().value());
		if (target == null) {
			throw new CommandFailedException(s.name, "Cannot find path '" + c.installer() + "' because it does not exist.", false);
		}
		if (s.installerRunning()) {
			return new Done("The service-pack installer is already running on " + s.name);
		}
		if (!target.isNewerThan(s.build) || !target.sameVersionAs(s.build)) {
			throw new CommandFailedException(s.name, "Setup cannot continue: " + s.name + " already has Exchange build "
					+ s.build + ", and this service pack installs " + target + ".", false);
		}
		if (!s.hotfixes.contains(HotfixId.KB831464)) {
			throw new CommandFailedException(s.name, "Setup cannot continue: Exchange Server 2003 " + target
					+ " requires Windows hotfix 831464 on " + s.name + ". Install it, restart, and run setup again.", false);
		}
		if (!s.hasHotfix(HotfixId.KB831464)) {
			throw new CommandFailedException(s.name, "Setup cannot continue: hotfix 831464 on " + s.name
					+ " takes effect only after a restart. Restart the server and run setup again.", false);
		}
		if (!s.frontEnd) {
			Optional<VirtualServer2003> owned = clusterOf.get(s.name).virtualServers.values().stream()
					.filter(v -> v.owner == s && v.resources.stream().anyMatch(ClusterResource2003::online)).findFirst();
			if (owned.isPresent()) {
				throw new CommandFailedException(s.name, "Setup cannot continue: " + s.name + " owns the online group '"
						+ owned.get().group + "'. Setup recycles the Cluster service, so no cluster resources may run on the node being upgraded: move the group to another node first.", false);
			}
		}
		s.installer = SetupStatus.State.Running;
		s.installerErrors.clear();
		boolean fails = consumeFault.test(s.name, LabFault.SETUP_FAILS);
		boolean filesInUse = consumeFault.test(s.name, LabFault.SERVICE_PACK_NEEDS_RESTART);
		schedule.accept(SERVICE_PACK_DURATION, () -> {
			if (!s.installerRunning()) {
				return;
			}
			if (fails) {
				s.installer = SetupStatus.State.Failed;
				s.installerErrors.add("[ERROR] Setup encountered an error while installing component 'Microsoft Exchange Messaging and Collaboration Services': 0xc103798a (-1056733302): The service failed to start.");
			} else {
				s.build = target;
				s.installer = SetupStatus.State.Succeeded;
				if (filesInUse) {
					s.rebootReasons.add("PendingFileRenameOperations: the service pack replaces files in use at the next restart");
				}
			}
		});
		return new Done("update.exe started on " + s.name);
	}

	private ExchangeServerVersion version(Server2003 s, ServerName exchangeServer) {
		ExchangeCluster2003 cluster = clusterOf.get(s.name);
		VirtualServer2003 evs = cluster.virtualServers.get(exchangeServer);
		if (evs != null) {
			return new ExchangeServerVersion(evs.name, evs.version, versionText(evs.version));
		}
		Optional<Server2003> frontEnd = cluster.frontEnds.stream().filter(f -> f.name.equals(exchangeServer)).findFirst();
		if (frontEnd.isPresent()) {
			return new ExchangeServerVersion(frontEnd.get().name, frontEnd.get().build, versionText(frontEnd.get().build));
		}
		throw new CommandFailedException(s.name, "Exchange_Server has no instance named " + exchangeServer
				+ ": it is not an Exchange server or virtual server of cluster " + cluster.name + ".", false);
	}

	/** The form Exchange 2003 records, e.g. {@code Version 6.5 (Build 7226.6: Service Pack 1)}. */
	static String versionText(ExchangeBuild build) {
		String servicePack = switch (build.part(2)) {
			case 7226 -> ": Service Pack 1";
			case 7638 -> ": Service Pack 2";
			default -> "";
		};
		return "Version " + build.major() + "." + build.minor() + " (Build " + build.part(2) + "." + build.part(3) + servicePack + ")";
	}

	private Done restart(Server2003 s) {
		s.up = false;
		if (!s.frontEnd) {
			clusterOf.get(s.name).failOverFrom(s, now.get());
		}
		if (s.installerRunning()) {
			s.installer = SetupStatus.State.Failed;
			s.installerErrors.add("[ERROR] Setup was interrupted by a restart.");
		}
		if (!consumeFault.test(s.name, LabFault.NO_RETURN_AFTER_REBOOT)) {
			schedule.accept(LabOrganisation.REBOOT_DURATION, () -> {
				s.up = true;
				s.rebootReasons.clear();
				s.hotfixesAwaitingRestart.clear();
			});
		}
		return new Done("Restarting " + s.name);
	}

	// ---- The operator's action in Cluster Administrator --------------------------------------------------------

	/**
	 * Right-click the System Attendant, "Upgrade Exchange Virtual Server", in Cluster Administrator on {@code node}.
	 * It needs the service pack's files, so it succeeds only on the node that owns the group, with binaries newer than
	 * the virtual server's version, while the Exchange resources are offline; and only one at a time in a cluster,
	 * because parallel upgrades hang setup (KB 822582).
	 */
	Done upgradeVirtualServer(ServerName nodeName, ServerName evsName) {
		Server2003 node = servers.get(nodeName);
		if (node == null || node.frontEnd) {
			throw new CommandFailedException(nodeName, nodeName + " is not a node of an Exchange 2003 cluster.", false);
		}
		if (!node.up) {
			throw new CommandFailedException(nodeName, "Cluster Administrator cannot connect: " + nodeName + " is down.", false);
		}
		ExchangeCluster2003 cluster = clusterOf.get(nodeName);
		VirtualServer2003 evs = cluster.virtualServers.get(evsName);
		if (evs == null) {
			throw new CommandFailedException(nodeName, evsName + " is not an Exchange virtual server of cluster " + cluster.name + ".", false);
		}
		Optional<VirtualServer2003> running = cluster.upgradeInProgress();
		if (running.isPresent()) {
			throw new CommandFailedException(nodeName, "Upgrade Exchange Virtual Server is still running for " + running.get().name
					+ ": upgrade one virtual server at a time, or setup stops responding (KB 822582).", false);
		}
		if (evs.owner != node) {
			throw new CommandFailedException(nodeName, "Upgrade Exchange Virtual Server must run on the node that owns '"
					+ evs.group + "', which is " + evs.owner.name + ", not " + nodeName + ".", false);
		}
		if (evs.anyExchangeResourceOnline()) {
			throw new CommandFailedException(nodeName, "The Exchange resources of " + evs.name
					+ " must be offline: take '" + evs.resource(ClusterResourceType.SystemAttendant).name + "' offline first.", false);
		}
		if (node.installerRunning() || !node.build.isNewerThan(evs.version) || !node.build.sameVersionAs(evs.version)) {
			throw new CommandFailedException(nodeName, "The files required to upgrade " + evs.name + " (at " + evs.version
					+ ") are not installed on " + nodeName + " (Exchange binaries at " + node.build + "): install the service pack on this node first.", false);
		}
		evs.upgradeEndsAt = now.get().plus(VIRTUAL_SERVER_UPGRADE_DURATION);
		evs.upgradingTo = node.build;
		schedule.accept(VIRTUAL_SERVER_UPGRADE_DURATION, () -> {
			evs.version = evs.upgradingTo;
			evs.upgradeEndsAt = null;
			evs.upgradingTo = null;
		});
		return new Done("Upgrading " + evs.name + " to " + node.build + "; it ends at " + evs.upgradeEndsAt);
	}

	// ---- Views -------------------------------------------------------------------------------------------------

	List<LabClusterView> views() {
		return clusters.values().stream().map(c -> new LabClusterView(c.name.value(),
				c.nodes.values().stream().map(n -> new LabClusterView.Node(n.name.value(), n.build.toString(),
						ExchangeCluster2003.state(n).name(), n.hotfixes.stream().map(HotfixId::value).toList())).toList(),
				c.virtualServers.values().stream().map(v -> new LabClusterView.Group(v.group.value(), v.owner.name.value(),
						v.resources.stream().map(r -> new LabClusterView.Resource(r.name.value(), r.state.name())).toList())).toList(),
				c.frontEnds.stream().map(f -> new LabClusterView.FrontEnd(f.name.value(), f.build.toString())).toList()))
				.toList();
	}

	Optional<Exchange2003ClusterInfo> describe(ServerName clusterName) {
		ExchangeCluster2003 c = clusters.get(clusterName);
		if (c == null) {
			return Optional.empty();
		}
		return Optional.of(new Exchange2003ClusterInfo(c.name,
				c.nodes.values().stream().map(n -> new Exchange2003ClusterInfo.Node(n.name, n.build)).toList(),
				c.virtualServers.values().stream().map(v -> new Exchange2003ClusterInfo.VirtualServer(v.name, v.group,
						v.owner.name, v.version)).toList(),
				c.frontEnds.stream().map(f -> new Exchange2003ClusterInfo.FrontEnd(f.name, f.build)).toList()));
	}
}
