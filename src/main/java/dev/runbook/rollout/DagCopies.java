package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabaseCopyStatus;
import dev.runbook.command.ServerName;
import dev.runbook.process.StepContext;

/**
 * Every database copy of a DAG, read with Get-MailboxDatabaseCopyStatus on each member, and what follows from it:
 * which copies are healthy, and which databases would keep too few healthy copies while one member is down.
 *
 * <p>A copy is healthy when it is Mounted or Healthy, its copy queue is at most {@value #COPY_QUEUE_LIMIT} logs and
 * its replay queue at most {@value #REPLAY_QUEUE_LIMIT} (the limits of Exchange's own Test-DagTargetCopy), and its
 * content index is Healthy. A member that does not answer has no healthy copy.
 */
public final class DagCopies {

	public static final int COPY_QUEUE_LIMIT = 10;
	public static final int REPLAY_QUEUE_LIMIT = 100;

	private final Map<ServerName, List<DatabaseCopies.Copy>> byMember = new LinkedHashMap<>();
	private final Map<ServerName, String> notAnswering = new LinkedHashMap<>();

	private DagCopies() {
	}

	public static DagCopies read(StepContext step, List<ServerName> members) {
		DagCopies copies = new DagCopies();
		for (ServerName member : members) {
			try {
				copies.byMember.put(member, step.run(new GetMailboxDatabaseCopyStatus(member)).copies());
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				copies.notAnswering.put(member, e.getMessage());
			}
		}
		return copies;
	}

	/** Why a copy does not count as healthy, if it does not. */
	public static Optional<String> problem(DatabaseCopies.Copy copy) {
		List<String> problems = new ArrayList<>();
		if (!copy.isMounted() && !copy.isHealthyPassive()) {
			problems.add(copy.status());
		}
		if (copy.copyQueueLength() > COPY_QUEUE_LIMIT) {
			problems.add("copy queue " + copy.copyQueueLength() + " (limit " + COPY_QUEUE_LIMIT + ")");
		}
		if (copy.replayQueueLength() > REPLAY_QUEUE_LIMIT) {
			problems.add("replay queue " + copy.replayQueueLength() + " (limit " + REPLAY_QUEUE_LIMIT + ")");
		}
		if (!"Healthy".equals(copy.contentIndexState())) {
			problems.add("content index " + copy.contentIndexState());
		}
		return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", problems));
	}

	/**
	 * How many healthy copies a database must keep while a member is down: two, as StartDagServerMaintenance.ps1
	 * demands, but one in a two-member DAG, which cannot do better (the script's own exception).
	 */
	public static int requiredWhileOneDown(int members) {
		return members <= 2 ? 1 : 2;
	}

	public int count() {
		return byMember.values().stream().mapToInt(List::size).sum();
	}

	public Map<ServerName, String> notAnswering() {
		return Map.copyOf(notAnswering);
	}

	/** {@code DB02\EX03: copy queue 180 (limit 10)}, one line per copy that is not healthy. */
	public List<String> unhealthy() {
		List<String> lines = new ArrayList<>();
		byMember.values().forEach(copies -> copies.forEach(c -> problem(c).ifPresent(p -> lines.add(c.name() + ": " + p))));
		notAnswering.forEach((member, why) -> lines.add(member + " does not answer, so none of its copies counts: " + why));
		return lines;
	}

	/** The databases with a copy on {@code member}, by name. */
	public List<String> databasesOn(ServerName member) {
		return byMember.getOrDefault(member, List.of()).stream().map(DatabaseCopies.Copy::databaseName).toList();
	}

	/** The servers holding a healthy copy of each database. */
	public Map<String, TreeSet<ServerName>> healthyCopies() {
		Map<String, TreeSet<ServerName>> healthy = new TreeMap<>();
		byMember.forEach((member, copies) -> copies.forEach(c -> {
			healthy.computeIfAbsent(c.databaseName(), k -> new TreeSet<>());
			if (problem(c).isEmpty()) {
				healthy.get(c.databaseName()).add(member);
			}
		}));
		return healthy;
	}

	/**
	 * The databases that would keep fewer than {@code required} healthy copies while {@code down} is down, each with
	 * a line that says why, leaving out the databases whose downtime was accepted.
	 */
	public Map<String, String> shortfallWhileDown(ServerName down, int required, java.util.Set<String> accepted) {
		Map<String, String> shortfall = new TreeMap<>();
		Map<String, TreeSet<ServerName>> healthy = healthyCopies();
		for (String database : databasesOn(down)) {
			if (accepted.contains(database)) {
				continue;
			}
			TreeSet<ServerName> others = new TreeSet<>(healthy.getOrDefault(database, new TreeSet<>()));
			others.remove(down);
			if (others.size() < required) {
				shortfall.put(database, others.isEmpty()
						? database + " would lose its last healthy copy while " + down + " is down"
						: database + " would keep " + others.size() + " healthy cop" + (others.size() == 1 ? "y" : "ies")
								+ " (" + ServerList.readable(others) + ") while " + down + " is down; " + required
								+ " are needed");
			}
		}
		return shortfall;
	}
}
