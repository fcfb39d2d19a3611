package dev.runbook.command;

/**
 * A failover cluster's vote arithmetic, as the pre-flight needs it: the cluster runs while more than half of its
 * configured votes (voting nodes plus the witness) are present. Paused nodes still vote; a node that reboots does not.
 * Windows' dynamic quorum can survive more than this static count; the runbook does not rely on it.
 */
public record QuorumVotes(int configured, int present) {

	/** The votes as the cluster stands now. */
	public static QuorumVotes now(ClusterNodes nodes, ClusterQuorum quorum) {
		return count(nodes, quorum, null);
	}

	/** The votes while one member is down, for instance rebooting after its setup. */
	public static QuorumVotes withMemberDown(ClusterNodes nodes, ClusterQuorum quorum, ServerName member) {
		return count(nodes, quorum, member);
	}

	private static QuorumVotes count(ClusterNodes nodes, ClusterQuorum quorum, ServerName down) {
		boolean nodesVote = quorum.quorumType() != ClusterQuorum.QuorumType.DiskOnly;
		int configured = 0;
		int present = 0;
		if (nodesVote) {
			for (ClusterNode node : nodes.nodes()) {
				configured += Math.max(0, node.nodeWeight());
				boolean isDown = down != null && node.name().equalsIgnoreCase(down.shortName());
				if (node.votesNow() && !isDown) {
					present += node.nodeWeight();
				}
			}
		}
		if (quorum.hasWitness()) {
			configured++;
			if (quorum.witnessOnline()) {
				present++;
			}
		}
		return new QuorumVotes(configured, present);
	}

	/** The smallest number of votes that keeps the cluster running. */
	public int majority() {
		return configured / 2 + 1;
	}

	public boolean hasMajority() {
		return configured > 0 && present >= majority();
	}

	@Override
	public String toString() {
		return present + " of " + configured + " votes (" + majority() + " needed)";
	}
}
