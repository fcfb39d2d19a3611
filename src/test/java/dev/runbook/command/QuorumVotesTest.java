package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.ClusterQuorum.QuorumType;
import dev.runbook.command.ClusterQuorum.ResourceState;

class QuorumVotesTest {

	private static final ClusterQuorum WITNESS_ONLINE = new ClusterQuorum("DAG01", QuorumType.NodeAndFileShareMajority,
			"File Share Witness (\\\\FS01\\DAG01.contoso.local)", ResourceState.Online);
	private static final ClusterQuorum WITNESS_FAILED = new ClusterQuorum("DAG01", QuorumType.NodeAndFileShareMajority,
			"File Share Witness (\\\\FS01\\DAG01.contoso.local)", ResourceState.Failed);
	private static final ClusterQuorum NODE_MAJORITY = new ClusterQuorum("DAG01", QuorumType.NodeMajority, null, null);

	private static ClusterNodes nodes(ClusterNodeState... states) {
		List<ClusterNode> list = new java.util.ArrayList<>();
		for (int i = 0; i < states.length; i++) {
			list.add(new ClusterNode("EX0" + (i + 1), "DAG01", states[i]));
		}
		return new ClusterNodes("DAG01", list);
	}

	private static final ServerName EX01 = ServerName.of("ex01.contoso.local");
	private static final ServerName EX02 = ServerName.of("EX02");

	@Test
	void fourMembersAndAWitnessSurviveOneMemberDown() {
		QuorumVotes votes = QuorumVotes.withMemberDown(nodes(ClusterNodeState.Up, ClusterNodeState.Up, ClusterNodeState.Up,
				ClusterNodeState.Up), WITNESS_ONLINE, EX01);

		assertThat(votes.configured()).isEqualTo(5);
		assertThat(votes.present()).isEqualTo(4);
		assertThat(votes.majority()).isEqualTo(3);
		assertThat(votes.hasMajority()).isTrue();
		assertThat(votes).hasToString("4 of 5 votes (3 needed)");
	}

	@Test
	void aPausedNodeStillVotesButADownOneDoesNot() {
		ClusterNodes twoAwayOneDown = nodes(ClusterNodeState.Paused, ClusterNodeState.Down, ClusterNodeState.Up,
				ClusterNodeState.Up);

		assertThat(QuorumVotes.now(twoAwayOneDown, WITNESS_ONLINE).present()).isEqualTo(4);
		// EX01 paused, EX02 down, and now EX03 reboots: 1 node + paused EX01 + witness = 3 of 5.
		assertThat(QuorumVotes.withMemberDown(twoAwayOneDown, WITNESS_ONLINE, ServerName.of("EX03")).hasMajority()).isTrue();
		// Rebooting the paused EX01 instead leaves 2 nodes + witness = 3 of 5 as well; without the witness it is lost.
		assertThat(QuorumVotes.withMemberDown(twoAwayOneDown, WITNESS_FAILED, EX01).hasMajority()).isFalse();
	}

	@Test
	void twoMembersWithAnOfflineWitnessLoseQuorumWhenOneGoesDown() {
		ClusterNodes two = nodes(ClusterNodeState.Up, ClusterNodeState.Up);

		assertThat(QuorumVotes.now(two, WITNESS_FAILED).hasMajority()).isTrue();
		assertThat(QuorumVotes.withMemberDown(two, WITNESS_FAILED, EX02)).isEqualTo(new QuorumVotes(3, 1));
		assertThat(QuorumVotes.withMemberDown(two, WITNESS_FAILED, EX02).hasMajority()).isFalse();
		assertThat(QuorumVotes.withMemberDown(two, WITNESS_ONLINE, EX02).hasMajority()).isTrue();
	}

	@Test
	void anOddDagHasNoWitnessVote() {
		ClusterNodes three = nodes(ClusterNodeState.Up, ClusterNodeState.Up, ClusterNodeState.Up);

		assertThat(QuorumVotes.withMemberDown(three, NODE_MAJORITY, EX01)).isEqualTo(new QuorumVotes(3, 2));
		ClusterNodes oneAlreadyDown = nodes(ClusterNodeState.Up, ClusterNodeState.Down, ClusterNodeState.Up);
		assertThat(QuorumVotes.withMemberDown(oneAlreadyDown, NODE_MAJORITY, EX01).hasMajority()).isFalse();
		// A quorum resource reported with NodeMajority still does not vote.
		assertThat(QuorumVotes.now(three, new ClusterQuorum("DAG01", QuorumType.NodeMajority, "x", ResourceState.Online))
				.configured()).isEqualTo(3);
	}

	@Test
	void aNodeWithoutAVoteCountsForNothing() {
		ClusterNodes withStandby = new ClusterNodes("DAG01", List.of(new ClusterNode("EX01", "DAG01", ClusterNodeState.Up),
				new ClusterNode("EX02", "DAG01", ClusterNodeState.Up), new ClusterNode("EX03", "DAG01", ClusterNodeState.Up),
				new ClusterNode("DR01", "DAG01", ClusterNodeState.Up, 0)));

		assertThat(QuorumVotes.now(withStandby, NODE_MAJORITY)).isEqualTo(new QuorumVotes(3, 3));
		assertThat(QuorumVotes.withMemberDown(withStandby, NODE_MAJORITY, ServerName.of("DR01"))).isEqualTo(new QuorumVotes(3, 3));
		assertThat(new ClusterNode("DR01", "DAG01", ClusterNodeState.Up, 0).votesNow()).isFalse();
	}

	@Test
	void aDownMemberThatIsNotInTheClusterChangesNothing() {
		ClusterNodes two = nodes(ClusterNodeState.Up, ClusterNodeState.Up);

		assertThat(QuorumVotes.withMemberDown(two, WITNESS_ONLINE, ServerName.of("CAS01"))).isEqualTo(QuorumVotes.now(two, WITNESS_ONLINE));
	}

	@Test
	void noVotesIsNoMajority() {
		assertThat(new QuorumVotes(0, 0).hasMajority()).isFalse();
		assertThat(QuorumVotes.now(new ClusterNodes("DAG01", List.of()), NODE_MAJORITY).hasMajority()).isFalse();
	}
}
