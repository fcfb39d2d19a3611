package dev.runbook.command;

import java.time.Instant;

/**
 * A resource's state after {@code cluster res ... /offline} or {@code /online} returned, and the node's clock at that
 * moment ({@code Get-Date}): the runbook measures each virtual server's downtime from these times.
 */
public record ClusterResourceState(ClusterObjectName resource, ClusterObjectName group, ServerName owner,
		ClusterResourceStatus state, Instant at) {
}
