package dev.runbook.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.runbook.command.AdapterBindings;
import dev.runbook.command.ClusterNode;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.ClusterNodes;
import dev.runbook.command.ClusterQuorum;
import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseAvailabilityGroup;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.DefenderExclusions;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeServers;
import dev.runbook.command.HealthCheckPage;
import dev.runbook.command.HealthCheckResponse;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.command.NlbClusterNode;
import dev.runbook.command.NlbNodeState;
import dev.runbook.command.FileVersion;
import dev.runbook.command.PathCheck;
import dev.runbook.command.PortTest;
import dev.runbook.command.QuorumVotes;
import dev.runbook.command.ReplicationHealth;
import dev.runbook.command.ServiceHealth;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.Done;
import dev.runbook.command.Exchange2003ClusterInfo;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.MailboxServerSettings;
import dev.runbook.command.PendingReboot;
import dev.runbook.command.PowerShell;
import dev.runbook.command.Reachability;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.TransportQueues;
import dev.runbook.command.WindowsPath;
import dev.runbook.command.WindowsService;

/**
 * A simulated Exchange organisation that answers the runbook's commands as Exchange would, in simulated time.
 * Everything is synchronised on this object: the job executor and the lab API call it from several threads.
 */
public class LabOrganisation {

	/** Simulated durations, as an administrator meets them. */
	public static final Duration SETUP_DURATION = Duration.ofMinutes(60);
	public static final Duration REBOOT_DURATION = Duration.ofMinutes(4);
	public static final Duration FIRST_MOVE_DELAY = Duration.ofSeconds(20);
	public static final Duration MOVE_INTERVAL = Duration.ofSeconds(15);
	/** Messages per simulated minute that leave a draining server; Redirect-Message speeds it up. */
	public static final double DRAIN_RATE = 3;
	public static final double REDIRECTED_DRAIN_RATE = 12;
	/** Messages per simulated minute a server that accepts mail delivers of what was redirected to it. */
	public static final double DELIVERY_RATE = 30;
	public static final int STUCK_MESSAGES = 25;
	/** Transaction logs per simulated minute a mounted database writes, and a current copy's copy-and-replay pace. */
	public static final double LOG_RATE = 4;
	public static final double CATCH_UP_RATE = 60;
	/** How long a drain-stopped NLB node takes for its open client connections to finish. */
	public static final Duration NLB_DRAIN_DURATION = Duration.ofMinutes(5);
	/** Queue lengths of a copy that has fallen behind (the pre-flight allows 10 and 100). */
	public static final int LAGGING_COPY_QUEUE = 180;
	public static final int LAGGING_REPLAY_QUEUE = 350;
	/** Mail and logs flow in steps this long, so that a long advance behaves like many short ones. */
	private static final Duration FLOW_STEP = Duration.ofSeconds(15);

	private final LabClock clock;
	private Instant advancedTo;
	private long eventSeq;
	private final PriorityQueue<Scheduled> events = new PriorityQueue<>(
			Comparator.comparing(Scheduled::at).thenComparingLong(Scheduled::seq));

	private Topology topology;
	private final Map<ServerName, LabServer> servers = new LinkedHashMap<>();
	private final Map<String, LabDatabase> databases = new LinkedHashMap<>();
	private final Map<DagName, LabDag> dags = new LinkedHashMap<>();
	private final Map<String, ExchangeBuild> media = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
	private final Map<ServerName, EnumMap<LabFault, Integer>> faults = new LinkedHashMap<>();
	private final List<JournalEntry> journal = new ArrayList<>();
	private final List<Outage> outages = new ArrayList<>();
	private LabActiveDirectory directory;
	/** The forest as the topology built it: what a domain controller that missed setup's preparation still answers. */
	private LabActiveDirectory directoryAsBuilt;
	private Exchange2003Lab exchange2003;

	private record Scheduled(Instant at, long seq, Runnable action) {
	}

	/** A time a database had no mounted copy: what the runbook must never cause. */
	public record Outage(String database, Instant from, Instant to, String reason) {
	}

	public LabOrganisation(Topology topology, LabClock clock) {
		this.clock = clock;
		reset(topology);
	}

	public LabClock clock() {
		return clock;
	}

	// ---- Topology ----------------------------------------------------------------------------------------------

	/** Rebuilds the organisation from a topology document: every server healthy, journal and faults cleared. */
	public synchronized void reset(Topology newTopology) {
		Topology t = newTopology.validated();
		servers.clear();
		databases.clear();
		dags.clear();
		media.clear();
		faults.clear();
		journal.clear();
		outages.clear();
		events.clear();
		advancedTo = clock.now();
		topology = t;
		ExchangeBuild build = ExchangeBuild.parse(t.build());
		Topology.ActiveDirectory ad = t.activeDirectory();
		directory = new LabActiveDirectory(DomainName.of(t.domain()),
				ad.otherDomains().stream().map(DomainName::of).toList(),
				ad.schemaPreparedFor() == null ? build : ExchangeBuild.parse(ad.schemaPreparedFor()),
				ad.organizationPreparedFor() == null ? build : ExchangeBuild.parse(ad.organizationPreparedFor()));
		directoryAsBuilt = directory.frozen();
		t.media().forEach(m -> media.put(m.path(), ExchangeBuild.parse(m.build())));
		for (Topology.Dag dag : t.dags()) {
			dags.put(DagName.of(dag.name()), new LabDag(DagName.of(dag.name()), dag.members().stream().map(ServerName::of).toList(),
					dag.witnessServer() == null ? null : ServerName.of(dag.witnessServer()), t.domain(),
					!Boolean.TRUE.equals(dag.witnessOffline())));
			for (String member : dag.members()) {
				ServerName name = ServerName.of(member);
				servers.put(name, new LabServer(name, Set.of("Mailbox"), DagName.of(dag.name()).value(), null, t.domain(), build));
			}
			for (Topology.Database db : dag.databases()) {
				databases.put(db.name(), new LabDatabase(db.name(), DagName.of(dag.name()).value(),
						db.copies().stream().map(ServerName::of).toList()));
			}
		}
		for (Topology.ClientAccess cas : t.clientAccess()) {
			ServerName name = ServerName.of(cas.name());
			servers.put(name, new LabServer(name, Set.of("ClientAccess"), null, cas.nlbCluster(), t.domain(), build));
		}
		for (Topology.ServerCondition c : t.conditions()) {
			LabServer s = servers.get(ServerName.of(c.server()));
			if (c.build() != null) {
				s.build = ExchangeBuild.parse(c.build());
			}
			if (Boolean.TRUE.equals(c.pendingReboot())) {
				s.pendingReboot = true;
				s.rebootReasons.add("PendingFileRenameOperations");
			}
			s.ipv6Disabled = Boolean.TRUE.equals(c.ipv6Disabled());
			s.defenderAbsent = Boolean.TRUE.equals(c.defenderAbsent());
			s.antivirusExclusionsMissing = Boolean.TRUE.equals(c.antivirusExclusionsMissing());
			s.blockedPorts.addAll(c.blockedPorts());
			s.mediaUnreachable = Boolean.TRUE.equals(c.mediaUnreachable());
			if (Boolean.TRUE.equals(c.clusterNodeDown()) && s.isDagMember()) {
				s.clusterServiceDown = true;
				failOverFrom(s, "cluster node " + s.name + " is down");
			}
		}
		electPrimaryActiveManagers();
		servers.values().forEach(s -> s.deliveryMessages = steadyQueue(s, advancedTo));
		exchange2003 = new Exchange2003Lab(t.exchange2003(), () -> advancedTo, this::schedule, this::consume);
	}

	/**
	 * Someone copies another update's media over {@code path}, as happens to a share during a long window: what was
	 * checked before a server left service is not necessarily what setup later runs.
	 */
	public synchronized void replaceMedia(WindowsPath path, ExchangeBuild build) {
		media.put(path.value(), build);
	}

	public synchronized Topology topology() {
		return topology;
	}

	// ---- Faults ------------------------------------------------------------------------------------------------

	public synchronized void injectFault(ServerName server, LabFault fault, int times) {
		advance();
		if (times < 1) {
			throw new IllegalArgumentException("times must be at least 1");
		}
		exchange2003.checkFault(server, fault);
		if (exchange2003.knows(server)) {
			// Counted here like every fault; Exchange2003Lab consumes them.
			faults.computeIfAbsent(server, k -> new EnumMap<>(LabFault.class)).merge(fault, times, Integer::sum);
			return;
		}
		LabServer s = require(server);
		// Keyed by the server's name, whether the caller named it or its FQDN.
		faults.computeIfAbsent(s.name, k -> new EnumMap<>(LabFault.class)).merge(fault, times, Integer::sum);
		switch (fault) {
			case QUEUE_STUCK -> s.stuckMessages = STUCK_MESSAGES;
			case CLUSTER_NODE_DOWN -> {
				s.clusterServiceDown = true;
				failOverFrom(s, "cluster node " + server + " went down");
				electPrimaryActiveManagers();
			}
			default -> {
			}
		}
	}

	/**
	 * Forgets the pending faults and repairs what they broke, as an operator would: stuck messages are delivered, a
	 * stopped cluster service starts, and a server that did not come back from a restart is powered on.
	 */
	public synchronized void clearFaults() {
		advance();
		faults.clear();
		for (LabServer s : servers.values()) {
			s.stuckMessages = 0;
			s.clusterServiceDown = false;
			if (s.hung) {
				s.hung = false;
				schedule(REBOOT_DURATION, () -> boot(s));
			}
		}
		mountWhereDismounted();
	}

	public synchronized Map<ServerName, Map<LabFault, Integer>> faults() {
		Map<ServerName, Map<LabFault, Integer>> copy = new LinkedHashMap<>();
		faults.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
		return copy;
	}

	private boolean consume(ServerName server, LabFault fault) {
		EnumMap<LabFault, Integer> f = faults.get(server);
		if (f == null || f.getOrDefault(fault, 0) <= 0) {
			return false;
		}
		if (f.merge(fault, -1, Integer::sum) <= 0) {
			f.remove(fault);
		}
		if (f.isEmpty()) {
			faults.remove(server);
		}
		return true;
	}

	private boolean active(ServerName server, LabFault fault) {
		EnumMap<LabFault, Integer> f = faults.get(server);
		return f != null && f.getOrDefault(fault, 0) > 0;
	}

	// ---- Running commands --------------------------------------------------------------------------------------

	/** Runs one command as Exchange would, and journals it. */
	public synchronized <R> R execute(ExchangeCommand<R> command) {
		advance();
		String line = PowerShell.render(command);
		try {
			R result = command.resultType().cast(dispatch(command));
			record(command, line, "Succeeded");
			return result;
		} catch (CommandFailedException e) {
			record(command, line, "Failed: " + e.getMessage());
			throw e;
		}
	}

	private void record(ExchangeCommand<?> command, String line, String outcome) {
		record(command.server().value(), line, outcome, command.changesState());
	}

	private void record(String server, String line, String outcome, boolean changesState) {
		journal.add(new JournalEntry(journal.size() + 1, advancedTo, server, line, outcome, changesState));
	}

	private Object dispatch(ExchangeCommand<?> command) {
		ServerName name = command.server();
		if (exchange2003.hosts(name)) {
			return exchange2003.run(command);
		}
		LabServer s = find(name);
		if (s == null) {
			throw new CommandFailedException(name, "Connecting to remote server " + name
					+ " failed: the server name cannot be resolved. It is not a server of this organisation.", false);
		}
		if (command instanceof TestWSMan) {
			return new Reachability(name, s.up);
		}
		if (consume(s.name, LabFault.TRANSIENT_ERROR)) {
			throw new CommandFailedException(name, "Connecting to remote server " + name
					+ " failed with the following error message: The WS-Management service cannot process the request.", true);
		}
		if (consume(s.name, LabFault.TIMEOUT)) {
			throw new CommandFailedException(name, "The operation on " + name + " timed out: no answer within the operation timeout.", true);
		}
		if (!s.up) {
			throw new CommandFailedException(name, "Connecting to remote server " + name
					+ " failed: WinRM cannot complete the operation. The server is not reachable (it is restarting or down).", true);
		}
		if (command instanceof SetServerComponentState c) {
			return setComponentState(s, c);
		} else if (command instanceof GetServerComponentState) {
			return s.componentStates();
		} else if (command instanceof RestartService c) {
			return restartService(s, c.service());
		} else if (command instanceof RedirectMessage c) {
			return redirect(s, c.target());
		} else if (command instanceof GetQueue) {
			return observeQueues(s);
		} else if (command instanceof SuspendClusterNode) {
			return setPaused(s, true);
		} else if (command instanceof ResumeClusterNode) {
			return setPaused(s, false);
		} else if (command instanceof GetClusterNode) {
			requireDagMember(s);
			return new ClusterNode(s.name.shortName(), s.dag, s.clusterNodeState());
		} else if (command instanceof SetDatabaseCopyActivationDisabledAndMoveNow c) {
			return setMoveNow(s, c.value());
		} else if (command instanceof SetDatabaseCopyAutoActivationPolicy c) {
			requireMailbox(s);
			s.autoActivationPolicy = c.policy();
			return new Done("DatabaseCopyAutoActivationPolicy of " + s.name + " is " + c.policy());
		} else if (command instanceof GetMailboxServer) {
			requireMailbox(s);
			return new MailboxServerSettings(s.name, s.dag, s.autoActivationPolicy, s.activationDisabledAndMoveNow);
		} else if (command instanceof GetMailboxDatabaseCopyStatus) {
			requireMailbox(s);
			return copiesOn(s);
		} else if (command instanceof MoveActiveMailboxDatabase) {
			return moveAllActive(s);
		} else if (command instanceof GetExchangeServer) {
			return describe(s.name).orElseThrow();
		} else if (command instanceof TestPendingReboot) {
			return new PendingReboot(s.pendingReboot, s.rebootReasons);
		} else if (command instanceof StartSetup c) {
			return startSetup(s, c);
		} else if (command instanceof GetSetupStatus) {
			return new SetupStatus(s.setupState, s.setupExitCode, s.setupWatermark, s.setupSuccessLine, s.setupErrors);
		} else if (command instanceof RestartComputer) {
			return restart(s);
		} else if (command instanceof GetDatabaseAvailabilityGroup c) {
			return describeDag(requireDag(s, c.dag()));
		} else if (command instanceof GetExchangeServers) {
			return new ExchangeServers(servers.keySet().stream().map(n -> describe(n).orElseThrow()).toList());
		} else if (command instanceof GetMailboxDatabases) {
			return new MailboxDatabases(databases.values().stream().map(this::describeDatabase).toList());
		} else if (command instanceof GetClusterNodes c) {
			return clusterNodes(requireDag(s, c.dag()));
		} else if (command instanceof GetClusterQuorum c) {
			return clusterQuorum(requireDag(s, c.dag()));
		} else if (command instanceof TestReplicationHealth) {
			return replicationHealth(s);
		} else if (command instanceof GetDatabaseCopies c) {
			return copiesOf(s, c.database());
		} else if (command instanceof ActivateDatabaseCopy c) {
			return activate(s, c.database());
		} else if (command instanceof GetNlbClusterNode) {
			requireNlb(s);
			return new NlbClusterNode(s.name.shortName(), s.nlbCluster, s.nlbState);
		} else if (command instanceof StopNlbClusterNode c) {
			return drainStop(s, c.drainTimeoutMinutes());
		} else if (command instanceof StartNlbClusterNode) {
			return startNlb(s);
		} else if (command instanceof SuspendNlbClusterNode) {
			return suspendNlb(s);
		} else if (command instanceof ResumeNlbClusterNode) {
			return resumeNlb(s);
		} else if (command instanceof InvokeHealthCheck c) {
			return healthCheck(c.host(), c.page());
		} else if (command instanceof TestServiceHealth) {
			return serviceHealth(s);
		} else if (command instanceof GetADForest) {
			return directory.forest();
		} else if (command instanceof GetActiveDirectoryPreparation c) {
			return (consume(s.name, LabFault.AD_NOT_REPLICATED) ? directoryAsBuilt : directory).preparation(s.name,
					c.forest(), c.domains());
		} else if (command instanceof GetNetAdapterBinding) {
			return new AdapterBindings(s.name, s.adapters().stream()
					.map(a -> new AdapterBindings.Binding(a, AdapterBindings.IPV6, !s.ipv6Disabled)).toList());
		} else if (command instanceof GetMpPreference) {
			return defenderExclusions(s);
		} else if (command instanceof TestNetConnection c) {
			return new PortTest(s.name, c.target(), c.port(), portOpen(c.target(), c.port()));
		} else if (command instanceof TestPath c) {
			return new PathCheck(s.name, c.path(), !s.mediaUnreachable && media.containsKey(c.path().value()));
		} else if (command instanceof GetFileVersion c) {
			ExchangeBuild version = s.mediaUnreachable ? null : media.get(c.path().value());
			if (version == null) {
				throw new CommandFailedException(s.name, "Get-Item: Cannot find path '" + c.path() + "' because it does not exist.",
						false);
			}
			return new FileVersion(s.name, c.path(), version);
		}
		throw new CommandFailedException(name, "The lab does not simulate " + command.commandLine().program() + ".", false);
	}

	private static void requireMailbox(LabServer s) {
		if (!s.roles.contains("Mailbox")) {
			throw new CommandFailedException(s.name, "The operation couldn't be performed because " + s.name
					+ " isn't a Mailbox server.", false);
		}
	}

	private static void requireDagMember(LabServer s) {
		if (!s.isDagMember()) {
			throw new CommandFailedException(s.name, "The cluster service is not installed on " + s.name
					+ ": it is not a member of a database availability group.", false);
		}
	}

	// ---- Components and transport ------------------------------------------------------------------------------

	private Done setComponentState(LabServer s, SetServerComponentState c) {
		s.requests.get(c.component()).put(c.requester(), c.state());
		if (s.effectiveState(Component.HighAvailability) != ComponentState.Active) {
			failOverFrom(s, "HighAvailability on " + s.name + " is inactive");
		}
		return new Done(c.component() + " on " + s.name + " requested " + c.state() + " by " + c.requester());
	}

	private Done restartService(LabServer s, WindowsService service) {
		if (service == WindowsService.MSExchangeTransport) {
			// The transport service reads its component state when it starts.
			s.drainInEffect = s.effectiveState(Component.HubTransport) != ComponentState.Active;
			if (!s.drainInEffect) {
				s.redirectedTo = null;
			}
		}
		return new Done(service + " restarted on " + s.name);
	}

	private Done redirect(LabServer s, ServerName target) {
		LabServer t = find(target);
		if (t == null || !t.roles.contains("Mailbox")) {
			throw new CommandFailedException(s.name, "Redirect-Message: target " + target + " is not a Mailbox server of this organisation.", false);
		}
		if (t == s) {
			throw new CommandFailedException(s.name, "Redirect-Message: the target must be another server.", false);
		}
		if (!t.acceptsMail()) {
			throw new CommandFailedException(s.name, "Redirect-Message: target " + target + " is not accepting messages.", false);
		}
		s.redirectedTo = t.name;
		return new Done("Messages on " + s.name + " are redirected to " + target);
	}

	/** Get-Queue: each answer that shows the stuck messages uses one of the queue-stuck fault's times. */
	private TransportQueues observeQueues(LabServer s) {
		TransportQueues answer = queues(s);
		if (s.stuckMessages > 0) {
			consume(s.name, LabFault.QUEUE_STUCK);
			if (!active(s.name, LabFault.QUEUE_STUCK)) {
				// The next hop answers again: the stuck messages are delivered.
				s.stuckMessages = 0;
			}
		}
		return answer;
	}

	private TransportQueues queues(LabServer s) {
		String n = s.name.value();
		List<TransportQueues.Queue> q = new ArrayList<>();
		q.add(new TransportQueues.Queue(n + "\\Submission", "Undefined", "Ready", (int) Math.ceil(s.submissionMessages), "Submission"));
		q.add(new TransportQueues.Queue(n + "\\1", "SmtpDeliveryToMailbox", "Ready", (int) Math.ceil(s.deliveryMessages + s.redirectedIn), "mailbox database 0311"));
		if (s.stuckMessages > 0) {
			q.add(new TransportQueues.Queue(n + "\\2", "SmtpRelayToRemoteActiveDirectorySite", "Retry", s.stuckMessages, "branch-site"));
		}
		q.add(new TransportQueues.Queue(n + "\\Shadow\\3", "ShadowRedundancy", "Ready", s.shadowMessages, "shadow." + topology.domain()));
		q.add(new TransportQueues.Queue(n + "\\Poison", "Undefined", "Ready", s.poisonMessages, "Poison Message"));
		return new TransportQueues(s.name, q);
	}

	// ---- Cluster and database copies ---------------------------------------------------------------------------

	private Done setPaused(LabServer s, boolean pause) {
		requireDagMember(s);
		if (s.clusterServiceDown) {
			throw new CommandFailedException(s.name, (pause ? "Suspend" : "Resume") + "-ClusterNode: the cluster node "
					+ s.name.shortName() + " is down.", false);
		}
		// Active Manager, not the cluster, places DAG databases: a paused node keeps its active copies and only stops
		// receiving new ones (see LabServer.canHostActiveCopies).
		s.paused = pause;
		if (!pause) {
			mountWhereDismounted();
		}
		return new Done("Cluster node " + s.name.shortName() + " is " + s.clusterNodeState());
	}

	private Done setMoveNow(LabServer s, boolean value) {
		requireMailbox(s);
		s.activationDisabledAndMoveNow = value;
		if (value) {
			List<LabDatabase> toMove = activeOn(s);
			for (int i = 0; i < toMove.size(); i++) {
				LabDatabase db = toMove.get(i);
				schedule(FIRST_MOVE_DELAY.plus(MOVE_INTERVAL.multipliedBy(i)), () -> moveNowEvent(s, db));
			}
		} else {
			mountWhereDismounted();
		}
		return new Done("DatabaseCopyActivationDisabledAndMoveNow of " + s.name + " is " + value);
	}

	private void moveNowEvent(LabServer s, LabDatabase db) {
		if (!s.activationDisabledAndMoveNow || !s.name.equals(db.activeServer)) {
			return;
		}
		if (consume(s.name, LabFault.DATABASE_MOVE_FAILS)) {
			return;
		}
		bestTarget(db, s.name).ifPresent(db::activateOn);
	}

	private Done moveAllActive(LabServer s) {
		requireMailbox(s);
		List<String> moved = new ArrayList<>();
		for (LabDatabase db : activeOn(s)) {
			if (consume(s.name, LabFault.DATABASE_MOVE_FAILS)) {
				throw new CommandFailedException(s.name, "Move-ActiveMailboxDatabase: An Active Manager operation failed for database "
						+ db.name + ". The database action failed: the move was not completed.", false);
			}
			ServerName target = bestTarget(db, s.name).orElseThrow(() -> new CommandFailedException(s.name,
					"Move-ActiveMailboxDatabase: no copy of " + db.name + " is healthy on a server that may activate it.", false));
			db.activateOn(target);
			moved.add(db.name + " -> " + target);
		}
		return new Done(moved.isEmpty() ? "No active databases on " + s.name : "Moved " + String.join(", ", moved));
	}

	private List<LabDatabase> activeOn(LabServer s) {
		return databases.values().stream().filter(db -> s.name.equals(db.activeServer)).toList();
	}

	/** Active Manager's choice: the healthy copy with the lowest activation preference on a server that may host it. */
	private Optional<ServerName> bestTarget(LabDatabase db, ServerName except) {
		return db.copies.stream().filter(c -> !c.equals(except)).filter(this::canActivateCopyOn).findFirst();
	}

	/** A copy there could be mounted: the server may host active copies, and its copy has not failed. */
	private boolean canActivateCopyOn(ServerName server) {
		return servers.get(server).canHostActiveCopies() && !active(server, LabFault.COPY_FAILED);
	}

	/** The server can no longer host its active copies: Active Manager fails them over, or they dismount. */
	private void failOverFrom(LabServer s, String reason) {
		for (LabDatabase db : activeOn(s)) {
			Optional<ServerName> target = bestTarget(db, s.name);
			if (target.isPresent()) {
				db.activateOn(target.get());
			} else if (!s.canKeepActiveCopies()) {
				db.activeServer = null;
				outages.add(new Outage(db.name, advancedTo, null, reason));
			}
		}
	}

	private void mountWhereDismounted() {
		for (LabDatabase db : databases.values()) {
			if (db.activeServer == null) {
				bestTarget(db, null).ifPresent(t -> mount(db, t));
			}
		}
	}

	/** Makes {@code target}'s copy the active one, ending the outage if the database was dismounted. */
	private void mount(LabDatabase db, ServerName target) {
		boolean wasDismounted = db.activeServer == null;
		db.activateOn(target);
		if (!wasDismounted) {
			return;
		}
		for (int i = 0; i < outages.size(); i++) {
			Outage o = outages.get(i);
			if (o.database().equals(db.name) && o.to() == null) {
				outages.set(i, new Outage(o.database(), o.from(), advancedTo, o.reason()));
			}
		}
	}

	private DatabaseCopies copiesOn(LabServer s) {
		List<DatabaseCopies.Copy> rows = new ArrayList<>();
		for (LabDatabase db : databases.values()) {
			int pref = db.copies.indexOf(s.name);
			if (pref >= 0) {
				rows.add(copyRow(db, s, pref + 1));
			}
		}
		return new DatabaseCopies(rows);
	}

	private DatabaseCopies.Copy copyRow(LabDatabase db, LabServer s, int preference) {
		boolean active = s.name.equals(db.activeServer);
		String status;
		if (!s.servicesRunning()) {
			status = "ServiceDown";
		} else if (active) {
			status = "Mounted";
		} else if (active(s.name, LabFault.COPY_FAILED)) {
			status = "Failed";
		} else if (s.clusterServiceDown) {
			// Cut off from the cluster, the replication service keeps the copy but cannot follow the active one.
			status = "DisconnectedAndHealthy";
		} else {
			status = "Healthy";
		}
		// A current copy shows the few logs in flight; one that fell behind shows what it still has to copy.
		boolean lagging = !active && s.servicesRunning() && active(s.name, LabFault.REPLICATION_LAGGING);
		int copyQueue = active ? 0
				: lagging ? LAGGING_COPY_QUEUE : Math.floorMod((db.name + s.name).hashCode(), 3) + db.copyQueueLength(s.name);
		int replayQueue = active || !s.servicesRunning() ? 0
				: lagging ? LAGGING_REPLAY_QUEUE : Math.floorMod((s.name + db.name).hashCode(), 4);
		String ci = !s.servicesRunning() ? "Unknown" : active(s.name, LabFault.CONTENT_INDEX_FAILED) ? "Failed" : "Healthy";
		return new DatabaseCopies.Copy(db.name + "\\" + s.name, db.name, s.name, status, active, preference, copyQueue,
				replayQueue, ci);
	}

	// ---- DAG discovery, quorum and replication health ----------------------------------------------------------

	private LabDag requireDag(LabServer s, DagName name) {
		LabDag dag = dags.get(name);
		if (dag == null) {
			throw new CommandFailedException(s.name, "The operation couldn't be performed because object '" + name
					+ "' couldn't be found on '" + directory.forest().schemaMaster() + "'.", false);
		}
		return dag;
	}

	private DatabaseAvailabilityGroup describeDag(LabDag dag) {
		List<ServerName> operational = dag.members.stream()
				.filter(m -> servers.get(m).clusterNodeState() != ClusterNodeState.Down).toList();
		return new DatabaseAvailabilityGroup(dag.name, dag.members, dag.witnessServer, dag.witnessDirectory, operational,
				dag.primaryActiveManager, DatabaseAvailabilityGroup.DEFAULT_REPLICATION_PORT);
	}

	private ClusterNodes clusterNodes(LabDag dag) {
		return new ClusterNodes(dag.name.value(), dag.members.stream()
				.map(m -> new ClusterNode(m.shortName(), dag.name.value(), servers.get(m).clusterNodeState())).toList());
	}

	private ClusterQuorum clusterQuorum(LabDag dag) {
		if (!dag.usesWitness()) {
			return new ClusterQuorum(dag.name.value(), ClusterQuorum.QuorumType.NodeMajority, null, null);
		}
		String share = "\\\\" + dag.witnessServer + "\\" + dag.name + "." + topology.domain();
		return new ClusterQuorum(dag.name.value(), ClusterQuorum.QuorumType.NodeAndFileShareMajority,
				"File Share Witness (" + share + ")",
				dag.witnessOnline ? ClusterQuorum.ResourceState.Online : ClusterQuorum.ResourceState.Failed);
	}

	/** The member that owns the cluster core group moves when its node goes down: to the first member still up. */
	private void electPrimaryActiveManagers() {
		for (LabDag dag : dags.values()) {
			ServerName pam = dag.primaryActiveManager;
			if (pam != null && servers.get(pam).clusterNodeState() != ClusterNodeState.Down) {
				continue;
			}
			dag.primaryActiveManager = dag.members.stream()
					.filter(m -> servers.get(m).clusterNodeState() == ClusterNodeState.Up).findFirst()
					.or(() -> dag.members.stream()
							.filter(m -> servers.get(m).clusterNodeState() == ClusterNodeState.Paused).findFirst())
					.orElse(null);
		}
	}

	private ReplicationHealth replicationHealth(LabServer s) {
		requireDagMember(s);
		LabDag dag = dags.get(DagName.of(s.dag));
		boolean running = s.servicesRunning();
		List<ReplicationHealth.Check> checks = new ArrayList<>();
		checks.add(check("ClusterService", !s.clusterServiceDown, "The cluster service on " + s.name + " is not running."));
		for (String service : List.of("ReplayService", "ActiveManager", "TasksRpcListener", "ServerLocatorService")) {
			checks.add(check(service, running, "The Microsoft Exchange Replication service on " + s.name + " is not running."));
		}
		checks.add(check("TcpListener", running && portOpen(s.name, DatabaseAvailabilityGroup.DEFAULT_REPLICATION_PORT),
				"The replication TCP listener on " + s.name + " cannot be reached on port "
						+ DatabaseAvailabilityGroup.DEFAULT_REPLICATION_PORT + "."));
		List<ServerName> down = dag.members.stream()
				.filter(m -> servers.get(m).clusterNodeState() == ClusterNodeState.Down).toList();
		checks.add(check("DagMembersUp", down.isEmpty(), "DAG members down: " + down + "."));
		checks.add(check("ClusterNetwork", true, ""));
		QuorumVotes votes = QuorumVotes.now(clusterNodes(dag), clusterQuorum(dag));
		checks.add(check("QuorumGroup", votes.hasMajority(), "The cluster has " + votes + "."));
		checks.add(check("FileShareQuorum", !dag.usesWitness() || dag.witnessOnline,
				"The file share witness on " + dag.witnessServer + " cannot be reached."));
		List<String> notRedundant = new ArrayList<>();
		List<String> notActivatable = new ArrayList<>();
		for (LabDatabase db : databases.values()) {
			if (!db.copies.contains(s.name)) {
				continue;
			}
			long healthy = db.copies.stream().map(c -> copyRow(db, servers.get(c), db.copies.indexOf(c) + 1))
					.filter(row -> row.isMounted() || row.isHealthyPassive()).count();
			if (healthy < 2) {
				notRedundant.add(db.name);
			}
			if (db.copies.stream().filter(c -> !c.equals(db.activeServer)).noneMatch(this::canActivateCopyOn)) {
				notActivatable.add(db.name);
			}
		}
		checks.add(check("DatabaseRedundancy", notRedundant.isEmpty(),
				"Databases with fewer than two healthy copies: " + notRedundant + "."));
		checks.add(check("DatabaseAvailability", notActivatable.isEmpty(),
				"Databases with no other copy available for activation: " + notActivatable + "."));
		checks.add(check("DBCopySuspended", true, ""));
		checks.add(check("DBCopyFailed", !active(s.name, LabFault.COPY_FAILED), "Copies on " + s.name + " are Failed."));
		checks.add(check("DBInitializing", true, ""));
		checks.add(check("DBDisconnected", true, ""));
		boolean keepingUp = !active(s.name, LabFault.REPLICATION_LAGGING);
		checks.add(check("DBLogCopyKeepingUp", keepingUp, "Log copying to " + s.name + " is falling behind."));
		checks.add(check("DBLogReplayKeepingUp", keepingUp, "Log replay on " + s.name + " is falling behind."));
		return new ReplicationHealth(s.name, checks);
	}

	private static ReplicationHealth.Check check(String name, boolean passed, String error) {
		return new ReplicationHealth.Check(name, passed ? ReplicationHealth.Result.Passed : ReplicationHealth.Result.Failed,
				passed ? "" : error);
	}

	// ---- Databases: description, copies of one database, activation --------------------------------------------

	/** Where the lab keeps database files and logs; the default Defender exclusions cover both roots. */
	static final String DATABASE_ROOT = "D:\\ExchangeDatabases";
	static final String LOG_ROOT = "E:\\ExchangeLogs";

	private MailboxDatabases.MailboxDatabase describeDatabase(LabDatabase db) {
		return new MailboxDatabases.MailboxDatabase(DatabaseName.of(db.name), db.dag, db.activeServer,
				db.activeServer != null, db.copies, DATABASE_ROOT + "\\" + db.name + "\\" + db.name + ".edb",
				LOG_ROOT + "\\" + db.name);
	}

	private LabDatabase requireDatabase(LabServer s, DatabaseName name) {
		return databases.values().stream().filter(db -> DatabaseName.of(db.name).equals(name)).findFirst()
				.orElseThrow(() -> new CommandFailedException(s.name, "The operation couldn't be performed because object '"
						+ name + "' couldn't be found on '" + directory.forest().schemaMaster() + "'.", false));
	}

	private DatabaseCopies copiesOf(LabServer s, DatabaseName name) {
		LabDatabase db = requireDatabase(s, name);
		return new DatabaseCopies(db.copies.stream().map(c -> copyRow(db, servers.get(c), db.copies.indexOf(c) + 1)).toList());
	}

	/** Move-ActiveMailboxDatabase -ActivateOnServer, run on the server whose copy is to be mounted. */
	private Done activate(LabServer s, DatabaseName name) {
		requireMailbox(s);
		LabDatabase db = requireDatabase(s, name);
		String refusal = "Move-ActiveMailboxDatabase: An Active Manager operation failed for database " + db.name + ". ";
		if (!db.copies.contains(s.name)) {
			throw new CommandFailedException(s.name, refusal + s.name + " holds no copy of it.", false);
		}
		if (s.name.equals(db.activeServer)) {
			return new Done(db.name + " is already active on " + s.name);
		}
		if (!canActivateCopyOn(s.name)) {
			throw new CommandFailedException(s.name, refusal + "The copy on " + s.name
					+ " can't be activated: the server is blocked for activation, paused in the cluster, in maintenance, or its copy is not healthy.", false);
		}
		if (active(s.name, LabFault.REPLICATION_LAGGING)) {
			throw new CommandFailedException(s.name, refusal + "The copy on " + s.name + " has a copy queue length of "
					+ LAGGING_COPY_QUEUE + " logs: mounting it would lose data.", false);
		}
		if (db.activeServer != null && consume(db.activeServer, LabFault.DATABASE_MOVE_FAILS)) {
			throw new CommandFailedException(s.name, refusal + "The database action failed: the move was not completed.", false);
		}
		ServerName from = db.activeServer;
		mount(db, s.name);
		return new Done("Moved " + db.name + (from == null ? "" : " from " + from) + " to " + s.name);
	}

	// ---- Windows NLB -------------------------------------------------------------------------------------------

	private static void requireNlb(LabServer s) {
		if (s.nlbState == null) {
			throw new CommandFailedException(s.name, "The host " + s.name
					+ " is not a member of a Network Load Balancing cluster.", false);
		}
	}

	private static void setNlbState(LabServer s, NlbNodeState state) {
		s.nlbState = state;
		s.nlbChanges++;
	}

	/** Draining until the open connections finish or the timeout cuts them, then Stopped. */
	private Done drainStop(LabServer s, int timeoutMinutes) {
		requireNlb(s);
		String node = "NLB node " + s.name.shortName() + " of " + s.nlbCluster;
		switch (s.nlbState) {
			case Suspended -> throw new CommandFailedException(s.name, "Stop-NlbClusterNode: " + node
					+ " is suspended (WLBS_SUSPENDED): resume it before stopping it.", false);
			case Stopped -> {
				return new Done(node + " is already stopped");
			}
			case Draining -> {
				return new Done(node + " is already draining");
			}
			default -> {
			}
		}
		setNlbState(s, NlbNodeState.Draining);
		long change = s.nlbChanges;
		Duration timeout = Duration.ofMinutes(timeoutMinutes);
		schedule(NLB_DRAIN_DURATION.compareTo(timeout) < 0 ? NLB_DRAIN_DURATION : timeout, () -> {
			if (s.nlbChanges == change) {
				setNlbState(s, NlbNodeState.Stopped);
			}
		});
		return new Done(node + " is draining for up to " + timeoutMinutes + " minutes");
	}

	private Done startNlb(LabServer s) {
		requireNlb(s);
		String node = "NLB node " + s.name.shortName() + " of " + s.nlbCluster;
		if (s.nlbState == NlbNodeState.Suspended) {
			throw new CommandFailedException(s.name, "Start-NlbClusterNode: " + node
					+ " is suspended (WLBS_SUSPENDED): Resume-NlbClusterNode first.", false);
		}
		if (s.nlbState == NlbNodeState.Converged) {
			return new Done(node + " is already converged");
		}
		setNlbState(s, NlbNodeState.Converged);
		return new Done(node + " started and converged");
	}

	private Done suspendNlb(LabServer s) {
		requireNlb(s);
		String node = "NLB node " + s.name.shortName() + " of " + s.nlbCluster;
		if (s.nlbState == NlbNodeState.Suspended) {
			return new Done(node + " is already suspended");
		}
		setNlbState(s, NlbNodeState.Suspended);
		return new Done(node + " is suspended");
	}

	private Done resumeNlb(LabServer s) {
		requireNlb(s);
		String node = "NLB node " + s.name.shortName() + " of " + s.nlbCluster;
		if (s.nlbState != NlbNodeState.Suspended) {
			return new Done(node + " is not suspended: it is " + s.nlbState);
		}
		setNlbState(s, NlbNodeState.Stopped);
		return new Done(node + " is resumed and stopped");
	}

	// ---- Health ------------------------------------------------------------------------------------------------

	/** A host name as DNS would resolve it in the lab: the server's own name, its FQDN, or its short name. */
	private Optional<LabServer> resolve(ServerName host) {
		return servers.values().stream().filter(s -> s.name.equals(host) || s.fqdn.equalsIgnoreCase(host.value())
				|| (host.value().indexOf('.') < 0 && s.name.shortName().equals(host.value()))).findFirst();
	}

	/**
	 * In Exchange 2013 only the Client Access role serves OWA and ECP; its health page answers 200 while the
	 * protocol's proxy component is Active, and 503 once ServerWideOffline (or the component) is Inactive.
	 */
	private HealthCheckResponse healthCheck(ServerName host, HealthCheckPage page) {
		String uri = page.uri(host);
		Optional<LabServer> target = resolve(host);
		if (target.isEmpty()) {
			return new HealthCheckResponse(uri, 0, "The remote name could not be resolved: '" + host.value().toLowerCase() + "'");
		}
		LabServer t = target.get();
		if (!t.up) {
			return new HealthCheckResponse(uri, 0, "Unable to connect to the remote server");
		}
		if (!t.roles.contains("ClientAccess")) {
			return new HealthCheckResponse(uri, 404, "404 Not Found: " + t.name + " has no Client Access role to serve " + page.path());
		}
		if (active(t.name, LabFault.HEALTHCHECK_FAILS) || !t.servicesRunning()
				|| t.effectiveState(page.component()) != ComponentState.Active) {
			return new HealthCheckResponse(uri, 503, "503 Service Unavailable");
		}
		return new HealthCheckResponse(uri, 200, "200 OK " + t.fqdn);
	}

	private static final List<String> MAILBOX_SERVICES = List.of("MSExchangeADTopology", "MSExchangeDelivery",
			"MSExchangeIS", "MSExchangeMailboxAssistants", "MSExchangeRepl", "MSExchangeRPC", "MSExchangeServiceHost",
			"MSExchangeSubmission", "MSExchangeThrottling", "MSExchangeTransport", "W3Svc", "WinRM");
	private static final List<String> CLIENT_ACCESS_SERVICES = List.of("MSExchangeADTopology",
			"MSExchangeFrontEndTransport", "MSExchangeServiceHost", "W3Svc", "WinRM");

	/** While setup runs, it has stopped every Exchange service; IIS and WinRM keep running. */
	private static ServiceHealth serviceHealth(LabServer s) {
		List<ServiceHealth.RoleHealth> roles = new ArrayList<>();
		if (s.roles.contains("Mailbox")) {
			roles.add(roleHealth(s, "Mailbox Server Role", MAILBOX_SERVICES));
		}
		if (s.roles.contains("ClientAccess")) {
			roles.add(roleHealth(s, "Client Access Server Role", CLIENT_ACCESS_SERVICES));
		}
		return new ServiceHealth(s.name, roles);
	}

	private static ServiceHealth.RoleHealth roleHealth(LabServer s, String role, List<String> services) {
		List<String> stopped = s.servicesRunning() ? List.of()
				: services.stream().filter(name -> name.startsWith("MSExchange")).toList();
		return new ServiceHealth.RoleHealth(role, stopped.isEmpty(), stopped);
	}

	// ---- The seed's practices ----------------------------------------------------------------------------------

	private DefenderExclusions defenderExclusions(LabServer s) {
		if (s.defenderAbsent) {
			return DefenderExclusions.unreadable(s.name, "Get-MpPreference: Windows Defender is not installed on "
					+ s.name + "; another antivirus product may scan it, and its exclusions cannot be read.");
		}
		if (s.antivirusExclusionsMissing || active(s.name, LabFault.DEFENDER_EXCLUSIONS_MISSING)) {
			return new DefenderExclusions(s.name, true, List.of(), null);
		}
		List<String> paths = new ArrayList<>(List.of(DefenderExclusions.EXCHANGE_INSTALL_FOLDER));
		if (s.roles.contains("Mailbox")) {
			paths.add(DATABASE_ROOT);
			paths.add(LOG_ROOT);
		}
		return new DefenderExclusions(s.name, true, paths, null);
	}

	/** Inbound to {@code target}: it must be up, listen on the port, and no firewall rule may block it. */
	private boolean portOpen(ServerName target, int port) {
		return resolve(target).filter(t -> t.up).filter(t -> !t.blockedPorts.contains(port))
				.filter(t -> !(port == DatabaseAvailabilityGroup.DEFAULT_REPLICATION_PORT && active(t.name, LabFault.PORT_BLOCKED)))
				.map(t -> t.listensOn(port)).orElse(false);
	}

	// ---- Setup and reboot --------------------------------------------------------------------------------------

	private Done startSetup(LabServer s, StartSetup c) {
		ExchangeBuild mediaBuild = s.mediaUnreachable ? null : media.get(c.setupPath().value());
		if (mediaBuild == null) {
			throw new CommandFailedException(s.name, "Cannot find path '" + c.setupPath() + "' because it does not exist.", false);
		}
		LicenseSwitch needed = LicenseSwitch.forTarget(mediaBuild, c.license() == LicenseSwitch.DiagnosticDataON);
		if (needed != c.license()) {
			throw new CommandFailedException(s.name, "Setup refused the license switch " + c.license().argument()
					+ ": this build needs " + needed.argument() + ".", false);
		}
		switch (c.mode()) {
			case PrepareSchema -> {
				return new Done(directory.prepareSchema(mediaBuild));
			}
			case PrepareAD -> {
				return new Done(directory.prepareOrganization(s.name, mediaBuild));
			}
			case PrepareAllDomains -> {
				return new Done(directory.prepareAllDomains(s.name, mediaBuild));
			}
			case Upgrade -> {
			}
		}
		if (s.setupRunning()) {
			return new Done("Setup is already running on " + s.name);
		}
		s.setupErrors.clear();
		s.setupSuccessLine = false;
		if (s.pendingReboot) {
			endSetup(s, 1, false, "[ERROR] A restart from a previous installation is pending. Please restart the system and then rerun Setup.");
			return new Done("Setup started on " + s.name);
		}
		if (!mediaBuild.isNewerThan(s.build) || !mediaBuild.sameVersionAs(s.build)) {
			endSetup(s, 1, false, "[ERROR] The upgrade cannot continue: build " + mediaBuild + " is not a newer build of the installed version " + s.build + ".");
			return new Done("Setup started on " + s.name);
		}
		s.setupState = SetupStatus.State.Running;
		s.setupExitCode = null;
		s.setupWatermark = true;
		long run = ++s.setupRun;
		failOverFrom(s, "setup stopped Exchange services on " + s.name);
		boolean fails = consume(s.name, LabFault.SETUP_FAILS);
		schedule(SETUP_DURATION, () -> {
			// A restart ends the run early; a later run has its own end.
			if (s.setupRun != run || !s.setupRunning()) {
				return;
			}
			if (fails) {
				endSetup(s, 1, true, "[ERROR] The following error was generated when \"$error.Clear(); Install-ExchangeCertificate\" was run: \"The certificate is not valid for Exchange Server usage.\"");
			} else {
				s.build = mediaBuild;
				s.pendingReboot = true;
				s.rebootReasons.clear();
				s.rebootReasons.add("Exchange setup requires a restart");
				endSetup(s, 0, false, null);
				s.setupSuccessLine = true;
			}
			mountWhereDismounted();
		});
		return new Done("Setup started on " + s.name);
	}

	private static void endSetup(LabServer s, int exitCode, boolean watermark, String error) {
		s.setupState = exitCode == 0 ? SetupStatus.State.Succeeded : SetupStatus.State.Failed;
		s.setupExitCode = exitCode;
		s.setupWatermark = watermark;
		if (error != null) {
			s.setupErrors.add(error);
		}
	}

	private Done restart(LabServer s) {
		s.up = false;
		s.downSince = advancedTo;
		failOverFrom(s, s.name + " restarted");
		electPrimaryActiveManagers();
		s.hung = consume(s.name, LabFault.NO_RETURN_AFTER_REBOOT);
		if (!s.hung) {
			schedule(REBOOT_DURATION, () -> boot(s));
		}
		return new Done("Restarting " + s.name);
	}

	private void boot(LabServer s) {
		s.up = true;
		s.downSince = null;
		s.pendingReboot = false;
		s.rebootReasons.clear();
		// Each restart uses one of the cluster-node-down fault's times; the node is Up once none is left.
		if (s.clusterServiceDown) {
			consume(s.name, LabFault.CLUSTER_NODE_DOWN);
			s.clusterServiceDown = active(s.name, LabFault.CLUSTER_NODE_DOWN);
		}
		if (s.setupRunning()) {
			endSetup(s, 1, true, "[ERROR] Setup was interrupted by a restart.");
		}
		// The transport service reads its component state when it starts.
		s.drainInEffect = s.effectiveState(Component.HubTransport) != ComponentState.Active;
		// NLB starts the node in its initial host state (Started); only Suspended is retained across a restart.
		if (s.nlbState != null && s.nlbState != NlbNodeState.Suspended) {
			setNlbState(s, NlbNodeState.Converged);
		}
		mountWhereDismounted();
		electPrimaryActiveManagers();
	}

	// ---- Simulated time ----------------------------------------------------------------------------------------

	private void schedule(Duration after, Runnable action) {
		events.add(new Scheduled(advancedTo.plus(after), eventSeq++, action));
	}

	/** Moves the organisation to the clock's time, running due events in order and letting mail and logs flow between them. */
	private void advance() {
		Instant target = clock.now();
		while (!events.isEmpty() && !events.peek().at().isAfter(target)) {
			Scheduled next = events.poll();
			flow(next.at());
			next.action().run();
		}
		flow(target);
	}

	/** Lets logs and mail flow up to {@code until}. */
	private void flow(Instant until) {
		// In short steps, so that what a drain hands over early in a long advance is also delivered within it.
		while (advancedTo.isBefore(until)) {
			Instant next = advancedTo.plus(FLOW_STEP);
			Instant stepEnd = next.isBefore(until) ? next : until;
			double minutes = Duration.between(advancedTo, stepEnd).toMillis() / 60000.0;
			copyLogs(minutes);
			flowMail(stepEnd, minutes);
			advancedTo = stepEnd;
		}
	}

	/** Passive copies whose server is down fall behind the mounted copy; the others catch up. */
	private void copyLogs(double minutes) {
		for (LabDatabase db : databases.values()) {
			boolean writing = db.activeServer != null && servers.get(db.activeServer).servicesRunning();
			for (ServerName copy : db.copies) {
				if (copy.equals(db.activeServer)) {
					continue;
				}
				double behind = db.backlog.getOrDefault(copy, 0.0);
				behind = servers.get(copy).servicesRunning() ? Math.max(0, behind - CATCH_UP_RATE * minutes)
						: behind + (writing ? LOG_RATE * minutes : 0);
				db.backlog.put(copy, behind);
			}
		}
	}

	/**
	 * Servers that accept mail keep a steady queue and deliver what was redirected to them; draining servers empty
	 * their queues, into the Redirect-Message target while it accepts mail.
	 */
	private void flowMail(Instant until, double minutes) {
		// Accepting servers first, so that what a drain hands over in this slice still shows in the target's queue.
		for (LabServer s : servers.values()) {
			if (s.acceptsMail()) {
				s.deliveryMessages = steadyQueue(s, until);
				s.submissionMessages = Math.floorMod(until.getEpochSecond() / 60 + s.name.hashCode(), 2);
				s.redirectedIn = Math.max(0, s.redirectedIn - DELIVERY_RATE * minutes);
			}
		}
		for (LabServer s : servers.values()) {
			if (!s.servicesRunning() || s.acceptsMail()) {
				continue;
			}
			LabServer target = s.redirectedTo == null ? null : servers.get(s.redirectedTo);
			boolean redirecting = target != null && target.acceptsMail();
			double moved = s.takeFromQueues((redirecting ? REDIRECTED_DRAIN_RATE : DRAIN_RATE) * minutes);
			if (redirecting) {
				target.redirectedIn += moved;
			}
		}
	}

	/** Mail keeps arriving at a server that accepts it: a queue of a few to a dozen messages, changing each minute. */
	private static double steadyQueue(LabServer s, Instant at) {
		long minute = at.getEpochSecond() / 60;
		return 6 + Math.floorMod(minute * 7 + s.name.hashCode(), 9);
	}

	// ---- Exchange 2003 clusters (simulated by Exchange2003Lab) ------------------------------------------------

	/** The clusters as {@code GET /api/lab/clusters} shows them. */
	public synchronized List<LabClusterView> clusters() {
		advance();
		return exchange2003.views();
	}

	/** What the directory says about an Exchange 2003 cluster, read without running a command. */
	public synchronized Optional<Exchange2003ClusterInfo> describeCluster(ServerName cluster) {
		advance();
		return exchange2003.describe(cluster);
	}

	/**
	 * The operator's "Upgrade Exchange Virtual Server" in Cluster Administrator on {@code node}: no command exists
	 * for it, but the journal records it in sequence with the commands around it.
	 */
	public synchronized Done upgradeExchangeVirtualServer(ServerName node, ServerName virtualServer) {
		advance();
		String line = "Cluster Administrator: System Attendant of " + virtualServer + " > Upgrade Exchange Virtual Server";
		try {
			Done done = exchange2003.upgradeVirtualServer(node, virtualServer);
			record(node.value(), line, "Succeeded", true);
			return done;
		} catch (CommandFailedException e) {
			record(node.value(), line, "Failed: " + e.getMessage(), true);
			throw e;
		}
	}

	// ---- Views for the lab API and tests -----------------------------------------------------------------------

	public synchronized List<LabServerView> servers() {
		advance();
		return servers.values().stream().map(s -> new LabServerView(s.name.value(), List.copyOf(new TreeSet<>(s.roles)), s.dag,
				s.build.toString(), componentMap(s), s.isDagMember() ? s.clusterNodeState().name() : null,
				s.roles.contains("Mailbox") ? s.autoActivationPolicy.name() : null,
				s.roles.contains("Mailbox") ? s.activationDisabledAndMoveNow : null,
				activeOn(s).stream().map(db -> db.name).toList(),
				s.servicesRunning() ? queues(s).messagesToDrain() : 0, s.pendingReboot,
				s.nlbState == null ? null : s.nlbState.name(), s.up,
				s.setupState.name())).toList();
	}

	public synchronized Optional<LabServerView> server(ServerName name) {
		LabServer s = find(name);
		return s == null ? Optional.empty() : servers().stream().filter(v -> v.name().equals(s.name.value())).findFirst();
	}

	public synchronized List<LabDatabaseView> databases() {
		advance();
		return databases.values().stream().map(db -> new LabDatabaseView(db.name, db.dag,
				db.activeServer == null ? null : db.activeServer.value(),
				db.copies.stream().map(c -> {
					var row = copyRow(db, servers.get(c), db.copies.indexOf(c) + 1);
					return new LabDatabaseView.CopyView(c.value(), row.status(), row.activationPreference(),
							row.copyQueueLength(), row.replayQueueLength(), row.contentIndexState());
				}).toList())).toList();
	}

	/** What Get-ExchangeServer would say, read without running a command. */
	public synchronized Optional<ExchangeServerInfo> describe(ServerName name) {
		LabServer s = find(name);
		return s == null ? Optional.empty()
				: Optional.of(new ExchangeServerInfo(s.name, s.fqdn, List.copyOf(new TreeSet<>(s.roles)),
						s.build.adminDisplayVersion(), "Default-First-Site-Name"));
	}

	public synchronized List<JournalEntry> journal() {
		return List.copyOf(journal);
	}

	public synchronized List<Outage> outages() {
		advance();
		return List.copyOf(outages);
	}

	/** The lab's own check of the runbook: does every database still have a mounted copy? */
	public synchronized boolean everyDatabaseMounted() {
		advance();
		return databases.values().stream().allMatch(db -> db.activeServer != null);
	}

	public synchronized ExchangeBuild schemaPreparedFor() {
		return directory.schema();
	}

	public synchronized ExchangeBuild organizationPreparedFor() {
		return directory.organization();
	}

	private static Map<String, String> componentMap(LabServer s) {
		Map<String, String> map = new LinkedHashMap<>();
		for (Component c : Component.values()) {
			map.put(c.name(), s.effectiveState(c).name());
		}
		return map;
	}

	/** A server by its name or its FQDN, as Exchange accepts either as identity; null if the lab has none. */
	private LabServer find(ServerName name) {
		LabServer s = servers.get(name);
		if (s != null) {
			return s;
		}
		String fqdn = name.value().contains(".") ? name.value() : name.value() + "." + topology.domain();
		return servers.values().stream().filter(c -> c.fqdn.equalsIgnoreCase(fqdn)).findFirst().orElse(null);
	}

	LabServer require(ServerName name) {
		LabServer s = find(name);
		if (s == null) {
			throw new IllegalArgumentException("The lab has no server " + name + ".");
		}
		return s;
	}
}
