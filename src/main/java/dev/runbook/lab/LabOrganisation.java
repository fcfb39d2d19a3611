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

import dev.runbook.command.ClusterNode;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.Done;
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
import dev.runbook.command.SetupMode;
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
	private final Map<String, ExchangeBuild> media = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
	private final Map<ServerName, EnumMap<LabFault, Integer>> faults = new LinkedHashMap<>();
	private final List<JournalEntry> journal = new ArrayList<>();
	private final List<Outage> outages = new ArrayList<>();
	private ExchangeBuild schemaPreparedFor;
	private ExchangeBuild organizationPreparedFor;

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
		Instant now = clock.now();
		ExchangeBuild build = ExchangeBuild.parse(t.build());
		Map<String, ExchangeBuild> newMedia = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		t.media().forEach(m -> newMedia.put(WindowsPath.of(m.path()).value(), ExchangeBuild.parse(m.build())));
		Map<ServerName, LabServer> newServers = new LinkedHashMap<>();
		Map<String, LabDatabase> newDatabases = new LinkedHashMap<>();
		for (Topology.Dag dag : t.dags()) {
			for (String member : dag.members()) {
				ServerName name = ServerName.of(member);
				newServers.put(name, new LabServer(name, Set.of("Mailbox"), dag.name(), null, t.domain(), build));
			}
			for (Topology.Database db : dag.databases()) {
				newDatabases.put(db.name(), new LabDatabase(db.name(), dag.name(),
						db.copies().stream().map(ServerName::of).toList()));
			}
		}
		for (Topology.ClientAccess cas : t.clientAccess()) {
			ServerName name = ServerName.of(cas.name());
			newServers.put(name, new LabServer(name, Set.of("ClientAccess"), null, cas.nlbCluster(), t.domain(), build));
		}
		for (Topology.ServerCondition c : t.conditions()) {
			LabServer s = newServers.get(ServerName.of(c.server()));
			if (c.build() != null) {
				s.build = ExchangeBuild.parse(c.build());
			}
			if (Boolean.TRUE.equals(c.pendingReboot())) {
				s.pendingReboot = true;
				s.rebootReasons.add("PendingFileRenameOperations");
			}
		}
		newServers.values().forEach(s -> s.deliveryMessages = steadyQueue(s, now));

		// Only now that the whole organisation is built is the old one replaced: a document the lab cannot build
		// leaves it as it was.
		servers.clear();
		servers.putAll(newServers);
		databases.clear();
		databases.putAll(newDatabases);
		media.clear();
		media.putAll(newMedia);
		faults.clear();
		journal.clear();
		outages.clear();
		events.clear();
		advancedTo = now;
		topology = t;
		schemaPreparedFor = build;
		organizationPreparedFor = build;
	}

	public synchronized Topology topology() {
		return topology;
	}

	// ---- Faults ------------------------------------------------------------------------------------------------

	public synchronized void injectFault(ServerName server, LabFault fault, int times) {
		advance();
		LabServer s = require(server);
		if (times < 1) {
			throw new IllegalArgumentException("times must be at least 1");
		}
		faults.computeIfAbsent(s.name, k -> new EnumMap<>(LabFault.class)).merge(fault, times, Integer::sum);
		switch (fault) {
			case QUEUE_STUCK -> s.stuckMessages = STUCK_MESSAGES;
			case CLUSTER_NODE_DOWN -> {
				s.clusterServiceDown = true;
				failOverFrom(s, "cluster node " + s.name + " went down");
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
		journal.add(new JournalEntry(journal.size() + 1, advancedTo, command.server().value(), line, outcome,
				command.changesState()));
	}

	private Object dispatch(ExchangeCommand<?> command) {
		ServerName name = command.server();
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
		return db.copies.stream().filter(c -> !c.equals(except)).filter(c -> servers.get(c).canHostActiveCopies())
				.findFirst();
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
				bestTarget(db, null).ifPresent(t -> {
					db.activateOn(t);
					for (int i = 0; i < outages.size(); i++) {
						Outage o = outages.get(i);
						if (o.database().equals(db.name) && o.to() == null) {
							outages.set(i, new Outage(o.database(), o.from(), advancedTo, o.reason()));
						}
					}
				});
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
		} else {
			status = "Healthy";
		}
		// A current copy shows the few logs in flight; one that fell behind shows what it still has to copy.
		int copyQueue = active ? 0 : Math.floorMod((db.name + s.name).hashCode(), 3) + db.copyQueueLength(s.name);
		int replayQueue = active || !s.servicesRunning() ? 0 : Math.floorMod((s.name + db.name).hashCode(), 4);
		String ci = s.servicesRunning() ? "Healthy" : "Unknown";
		return new DatabaseCopies.Copy(db.name + "\\" + s.name, db.name, s.name, status, active, preference, copyQueue,
				replayQueue, ci);
	}

	// ---- Setup and reboot --------------------------------------------------------------------------------------

	private Done startSetup(LabServer s, StartSetup c) {
		ExchangeBuild mediaBuild = media.get(c.setupPath().value());
		if (mediaBuild == null) {
			throw new CommandFailedException(s.name, "Cannot find path '" + c.setupPath() + "' because it does not exist.", false);
		}
		LicenseSwitch needed = LicenseSwitch.forTarget(mediaBuild, c.license() == LicenseSwitch.DiagnosticDataON);
		if (needed != c.license()) {
			throw new CommandFailedException(s.name, "Setup refused the license switch " + c.license().argument()
					+ ": this build needs " + needed.argument() + ".", false);
		}
		if (c.mode() == SetupMode.PrepareSchema) {
			schemaPreparedFor = max(schemaPreparedFor, mediaBuild);
			return new Done("Schema prepared for " + mediaBuild);
		}
		if (c.mode() == SetupMode.PrepareAD || c.mode() == SetupMode.PrepareAllDomains) {
			if (schemaPreparedFor.compareTo(mediaBuild) < 0) {
				throw new CommandFailedException(s.name, "Setup /PrepareAD: the schema has not been prepared for " + mediaBuild + ".", false);
			}
			organizationPreparedFor = max(organizationPreparedFor, mediaBuild);
			return new Done("Active Directory prepared for " + mediaBuild);
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
		mountWhereDismounted();
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

	private static ExchangeBuild max(ExchangeBuild a, ExchangeBuild b) {
		return a.compareTo(b) >= 0 ? a : b;
	}

	// ---- Views for the lab API and tests -----------------------------------------------------------------------

	public synchronized List<LabServerView> servers() {
		advance();
		return servers.values().stream().map(s -> new LabServerView(s.name.value(), List.copyOf(new TreeSet<>(s.roles)), s.dag,
				s.build.toString(), componentMap(s), s.isDagMember() ? s.clusterNodeState().name() : null,
				s.roles.contains("Mailbox") ? s.autoActivationPolicy.name() : null,
				s.roles.contains("Mailbox") ? s.activationDisabledAndMoveNow : null,
				activeOn(s).stream().map(db -> db.name).toList(),
				s.servicesRunning() ? queues(s).messagesToDrain() : 0, s.pendingReboot, s.nlbState, s.up,
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
		return schemaPreparedFor;
	}

	public synchronized ExchangeBuild organizationPreparedFor() {
		return organizationPreparedFor;
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
