package dev.runbook.lab;

import java.util.List;

/** A database as {@code GET /api/lab/databases} shows it. */
public record LabDatabaseView(String name, String dag, String mountedOn, List<CopyView> copies) {

	public record CopyView(String server, String status, int activationPreference, int copyQueueLength,
			int replayQueueLength, String contentIndexState) {
	}
}
