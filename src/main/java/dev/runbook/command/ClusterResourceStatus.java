package dev.runbook.command;

/** A cluster resource's or group's state as cluster.exe prints it. */
public enum ClusterResourceStatus {
	Online, Offline, Failed, PartiallyOnline
}
