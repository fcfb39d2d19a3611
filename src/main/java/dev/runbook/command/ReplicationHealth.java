package dev.runbook.command;

import java.util.List;

/**
 * Test-ReplicationHealth on one DAG member: Microsoft's own checks of the cluster, the replication services, quorum
 * (QuorumGroup, FileShareQuorum) and database redundancy (DatabaseRedundancy, DatabaseAvailability).
 */
public record ReplicationHealth(ServerName server, List<Check> checks) {

	public enum Result {
		Passed, Warning, Failed
	}

	/** One row: {@code check} is Exchange's name for it, e.g. QuorumGroup; {@code error} is empty when it passed. */
	public record Check(String check, Result result, String error) {
	}

	public ReplicationHealth {
		checks = List.copyOf(checks);
	}

	public List<Check> failed() {
		return checks.stream().filter(c -> c.result() == Result.Failed).toList();
	}
}
