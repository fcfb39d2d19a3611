package dev.runbook.command;

import java.util.List;
import java.util.Objects;

/**
 * Get-DatabaseAvailabilityGroup -Status. {@code operationalServers} are the members whose cluster service runs;
 * {@code primaryActiveManager} is null while no member holds the role; {@code replicationPort} is the TCP port log
 * copying and seeding use (64327 unless changed).
 */
public record DatabaseAvailabilityGroup(DagName name, List<ServerName> servers, ServerName witnessServer,
		String witnessDirectory, List<ServerName> operationalServers, ServerName primaryActiveManager,
		int replicationPort) {

	public static final int DEFAULT_REPLICATION_PORT = 64327;

	public DatabaseAvailabilityGroup {
		Objects.requireNonNull(name, "name");
		servers = List.copyOf(servers);
		operationalServers = List.copyOf(operationalServers);
	}

	/** Members whose cluster service does not run: each one already costs the DAG a vote. */
	public List<ServerName> notOperational() {
		return servers.stream().filter(s -> !operationalServers.contains(s)).toList();
	}
}
