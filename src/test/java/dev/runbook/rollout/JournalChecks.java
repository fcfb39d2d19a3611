package dev.runbook.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.runbook.lab.JournalEntry;

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
}
