package dev.runbook.command;

import java.util.List;

/** Get-MailboxDatabaseCopyStatus, one row per copy. */
public record DatabaseCopies(List<Copy> copies) {

	public DatabaseCopies {
		copies = List.copyOf(copies);
	}

	/**
	 * {@code name} is {@code DB01\EX01}; {@code status} uses Exchange's words (Mounted, Healthy, ServiceDown, Failed…).
	 */
	public record Copy(String name, String databaseName, ServerName mailboxServer, String status, boolean activeCopy,
			int activationPreference, int copyQueueLength, int replayQueueLength, String contentIndexState) {

		public boolean isMounted() {
			return "Mounted".equals(status);
		}

		public boolean isHealthyPassive() {
			return "Healthy".equals(status);
		}
	}

	public List<Copy> active() {
		return copies.stream().filter(Copy::activeCopy).toList();
	}
}
