package dev.runbook.lab;

import java.time.Instant;

/** One command the lab executed: the command line as it would be sent to Exchange, and what came of it. */
public record JournalEntry(long seq, Instant time, String server, String command, String outcome, boolean changesState) {

	public boolean succeeded() {
		return outcome.startsWith("Succeeded");
	}
}
