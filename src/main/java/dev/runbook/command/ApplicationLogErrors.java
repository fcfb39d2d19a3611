package dev.runbook.command;

import java.time.Instant;
import java.util.List;

/** {@code Get-EventLog -LogName Application -EntryType Error}: the error events since a moment, oldest first. */
public record ApplicationLogErrors(ServerName server, Instant since, List<Entry> entries) {

	public ApplicationLogErrors {
		entries = List.copyOf(entries);
	}

	public record Entry(Instant time, String source, int eventId, String message) {
	}
}
