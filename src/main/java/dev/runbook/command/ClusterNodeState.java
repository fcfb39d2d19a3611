package dev.runbook.command;

/** Get-ClusterNode's State. */
public enum ClusterNodeState {
	Up, Paused, Down, Joining
}
