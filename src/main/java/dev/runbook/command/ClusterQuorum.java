package dev.runbook.command;

import java.util.Objects;

/**
 * Get-ClusterQuorum. A DAG with an even number of members uses a file share witness (NodeAndFileShareMajority); with
 * an odd number, Exchange switches the cluster to NodeMajority and {@code quorumResource} is null.
 * {@code witnessState} is the witness resource's state, null without a witness.
 */
public record ClusterQuorum(String cluster, QuorumType quorumType, String quorumResource, ResourceState witnessState) {

	public enum QuorumType {
		NodeMajority, NodeAndFileShareMajority, NodeAndDiskMajority, DiskOnly, Majority
	}

	public enum ResourceState {
		Online, Offline, Failed, Pending, Unknown
	}

	public ClusterQuorum {
		Objects.requireNonNull(quorumType, "quorumType");
	}

	/** Whether a witness holds a vote of its own. */
	public boolean hasWitness() {
		return quorumResource != null && quorumType != QuorumType.NodeMajority;
	}

	public boolean witnessOnline() {
		return hasWitness() && witnessState == ResourceState.Online;
	}
}
