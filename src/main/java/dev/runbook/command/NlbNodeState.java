package dev.runbook.command;

/**
 * Get-NlbClusterNode's State. Draining: a drain-stop is under way (no new connections, existing ones finish).
 * Suspended survives a reboot; Stopped does not (the node comes back in its initial host state, Started by default).
 */
public enum NlbNodeState {
	Converged, Converging, Draining, Stopped, Suspended, Unknown
}
