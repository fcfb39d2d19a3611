package dev.runbook.lab;

import java.util.List;

import dev.runbook.command.DagName;
import dev.runbook.command.ServerName;

/** A simulated DAG: its members, its file share witness and which member holds the Primary Active Manager role. */
final class LabDag {

	final DagName name;
	final List<ServerName> members;
	final ServerName witnessServer;
	final String witnessDirectory;
	boolean witnessOnline;
	/** The member that owns the cluster core group; null while no member's cluster service runs. */
	ServerName primaryActiveManager;

	LabDag(DagName name, List<ServerName> members, ServerName witnessServer, String domain, boolean witnessOnline) {
		this.name = name;
		this.members = List.copyOf(members);
		this.witnessServer = witnessServer;
		// Exchange's default when the DAG is created without -WitnessDirectory.
		this.witnessDirectory = witnessServer == null ? null
				: "C:\\DAGFileShareWitnesses\\" + name.value() + "." + domain;
		this.witnessOnline = witnessServer != null && witnessOnline;
	}

	/** Exchange gives a DAG with an even number of members a file share witness, to break ties. */
	boolean usesWitness() {
		return witnessServer != null && members.size() % 2 == 0;
	}
}
