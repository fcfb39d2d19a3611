package dev.runbook.command;

import java.util.Optional;

/**
 * What the directory says about Exchange 2003 clusters. Used to refuse a request before a process starts, so it never
 * runs (or journals) a command.
 */
public interface Exchange2003Directory {

	Optional<Exchange2003ClusterInfo> findCluster(ServerName name);
}
