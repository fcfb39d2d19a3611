package dev.runbook.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabDatabaseView;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabServerView;

/**
 * What the lab's journal must show of a rolling upgrade, for the engine rehearsals, the application test and the
 * browser journey (dev.runbook.tasklist) alike.
 */
public final class JournalChecks {

	private JournalChecks() {
	}

	/** Successful state changes made during a server's own turn: AD preparation and rebalancing belong to none. */
	public static List<JournalEntry> serverChanges(List<JournalEntry> journal) {
		return journal.stream().filter(JournalEntry::changesState).filter(JournalEntry::succeeded)
				.filter(e -> !e.command().contains("/Prepare")).filter(e -> !e.command().contains("-ActivateOnServer"))
				.toList();
	}

	/** One server in maintenance at a time: once the next server's changes begin, the previous one's never return. */
	public static void assertOneServerAtATime(List<JournalEntry> journal) {
		List<String> finished = new ArrayList<>();
		String current = null;
		for (JournalEntry entry : serverChanges(journal)) {
			if (!entry.server().equals(current)) {
				assertThat(finished).as("%s changed again after another server had started", entry.server())
						.doesNotContain(entry.server());
				if (current != null) {
					finished.add(current);
				}
				current = entry.server();
			}
		}
	}

	/**
	 * The bundled DAG01 organisation after a whole rolling upgrade to {@code target} with the load balancer answered by
	 * hand: every server upgraded, one at a time in the plan's order; each Client Access server blocked (journal length
	 * {@code blockedAt}) before anything changed on it and unblocked after it came back; every database on its
	 * preference-1 copy; no outage.
	 */
	public static void assertDag01RolledOut(LabOrganisation lab, String target, Map<String, Integer> blockedAt,
			Map<String, Integer> unblockedAt) {
		assertThat(lab.servers()).hasSize(6).extracting(LabServerView::build).containsOnly(target);
		List<JournalEntry> journal = lab.journal();
		assertOneServerAtATime(journal);
		assertThat(serverChanges(journal).stream().map(JournalEntry::server).distinct())
				.containsExactly("EX01", "EX02", "EX03", "EX04", "CAS01", "CAS02");
		for (String cas : List.of("CAS01", "CAS02")) {
			List<JournalEntry> changes = serverChanges(journal).stream().filter(e -> e.server().equals(cas)).toList();
			JournalEntry setup = changes.stream().filter(e -> e.command().contains("Setup.exe /m:upgrade")).findFirst().orElseThrow();
			// Journal entries are numbered from 1: blocked when the journal was that long, so before every later entry.
			assertThat(blockedAt.get(cas)).as(cas + " blocked before anything changed on it").isLessThan((int) changes.get(0).seq());
			assertThat(changes.get(0).command()).contains("-Component 'ServerWideOffline' -State 'Inactive'");
			assertThat(setup.seq()).isGreaterThan(changes.get(0).seq());
			assertThat(unblockedAt.get(cas)).as(cas + " unblocked after it came back online")
					.isGreaterThanOrEqualTo((int) changes.get(changes.size() - 1).seq());
			assertThat(changes.get(changes.size() - 1).command()).contains("-Component 'ServerWideOffline' -State 'Active'");
		}
		assertThat(lab.databases()).allSatisfy(db -> assertThat(db.mountedOn()).as(db.name() + " on its preference-1 copy")
				.isEqualTo(preferred(db)));
		assertThat(journal.get(journal.size() - 1).command()).as("the last change rebalances")
				.satisfiesAnyOf(c -> assertThat(c).contains("-ActivateOnServer"), c -> assertThat(c).startsWith("Get-"));
		assertThat(lab.outages()).isEmpty();
	}

	static String preferred(LabDatabaseView db) {
		return db.copies().stream().filter(c -> c.activationPreference() == 1).findFirst().orElseThrow().server();
	}
}
