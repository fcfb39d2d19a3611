package dev.runbook.command;

/** Get-ClusterNode. */
public record ClusterNode(String name, String cluster, ClusterNodeState state) {
}
