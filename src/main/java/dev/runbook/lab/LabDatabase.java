package dev.runbook.lab;

import java.util.List;

import dev.runbook.command.ServerName;

/** A replicated mailbox database: its copies in activation-preference order, and where it is mounted. */
final class LabDatabase {

	final String name;
	final String dag;
	final List<ServerName> copies;
	/** The server with the mounted copy; null while the database is dismounted. */
	ServerName activeServer;

	LabDatabase(String name, String dag, List<ServerName> copies) {
		this.name = name;
		this.dag = dag;
		this.copies = List.copyOf(copies);
		this.activeServer = copies.get(0);
	}
}
