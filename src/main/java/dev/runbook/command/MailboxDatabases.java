package dev.runbook.command;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Get-MailboxDatabase -Status: every mailbox database of the organisation. */
public record MailboxDatabases(List<MailboxDatabase> databases) {

	public MailboxDatabases {
		databases = List.copyOf(databases);
	}

	/**
	 * One database. {@code masterServerOrAvailabilityGroup} is the DAG (or the single server) it belongs to;
	 * {@code server} hosts the active copy, and {@code mounted} says whether it is mounted there;
	 * {@code activationPreference} lists the servers with a copy, preference 1 first.
	 */
	public record MailboxDatabase(DatabaseName name, String masterServerOrAvailabilityGroup, ServerName server,
			boolean mounted, List<ServerName> activationPreference, String edbFilePath, String logFolderPath) {

		public MailboxDatabase {
			Objects.requireNonNull(name, "name");
			activationPreference = List.copyOf(activationPreference);
		}

		/** The server the database should be mounted on when the DAG is balanced. */
		public ServerName preferredServer() {
			return activationPreference.get(0);
		}

		/** Mounted somewhere other than its activation-preference-1 copy: what a rebalance moves back. */
		public boolean awayFromPreferredServer() {
			return server != null && !server.equals(preferredServer());
		}

		/** The folders an antivirus scanner must leave alone: the database file's folder and the log folder. */
		public List<String> folders() {
			return List.of(edbFilePath.substring(0, edbFilePath.lastIndexOf('\\')), logFolderPath);
		}
	}

	public List<MailboxDatabase> inAvailabilityGroup(DagName dag) {
		return databases.stream().filter(db -> dag.value().equalsIgnoreCase(db.masterServerOrAvailabilityGroup()))
				.toList();
	}

	public Optional<MailboxDatabase> named(DatabaseName name) {
		return databases.stream().filter(db -> db.name().equals(name)).findFirst();
	}
}
