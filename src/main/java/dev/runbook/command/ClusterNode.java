package dev.runbook.command;

/**
 * Get-ClusterNode. {@code nodeWeight} is 1 for a node that votes in the quorum and 0 for one whose vote was removed
 * (a standby datacentre, for instance).
 */
public record ClusterNode(String name, String cluster, ClusterNodeState state, int nodeWeight) {

	/** A voting node. */
	public ClusterNode(String name, String cluster, ClusterNodeState state) {
		this(name, cluster, state, 1);
	}

	/** A paused node still runs the cluster service and votes; a node that is down or still joining does not. */
	public boolean votesNow() {
		return nodeWeight > 0 && (state == ClusterNodeState.Up || state == ClusterNodeState.Paused);
	}
}
