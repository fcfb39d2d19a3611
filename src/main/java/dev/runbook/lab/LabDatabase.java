package dev.runbook.lab;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.runbook.command.ServerName;

/** A replicated mailbox database: its copies in activation-preference order, and where it is mounted. */
final class LabDatabase {

	final String name;
	final String dag;
	final List<ServerName> copies;
	/** The server with the mounted copy; null while the database is dismounted. */
	ServerName activeServer;
	/** Logs each passive copy has yet to copy from the active one. */
	final Map<ServerName, Double> backlog = new HashMap<>();

	LabDatabase(String name, String dag, List<ServerName> copies) {
		this.name = name;
		this.dag = dag;
		this.copies = List.copyOf(copies);
		this.activeServer = copies.get(0);
	}

	/** Mounts the database on {@code server}: a switchover copies the remaining logs first, so its copy is current. */
	void activateOn(ServerName server) {
		activeServer = server;
		backlog.remove(server);
	}

	int copyQueueLength(ServerName server) {
		return (int) Math.ceil(backlog.getOrDefault(server, 0.0));
	}
}
