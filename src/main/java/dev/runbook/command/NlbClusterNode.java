package dev.runbook.command;

/** Get-NlbClusterNode: one host of a Windows NLB cluster. */
public record NlbClusterNode(String name, String cluster, NlbNodeState state) {

	/** The node takes new client connections. */
	public boolean handlesTraffic() {
		return state == NlbNodeState.Converged || state == NlbNodeState.Converging;
	}
}
