package dev.runbook.lab;

import java.util.Optional;

import dev.runbook.command.Exchange2003ClusterInfo;
import dev.runbook.command.Exchange2003Directory;
import dev.runbook.command.ServerName;

/** The lab's directory of Exchange 2003 clusters: reads the simulated organisation without running a command. */
public class LabExchange2003Directory implements Exchange2003Directory {

	private final LabOrganisation organisation;

	public LabExchange2003Directory(LabOrganisation organisation) {
		this.organisation = organisation;
	}

	@Override
	public Optional<Exchange2003ClusterInfo> findCluster(ServerName name) {
		return organisation.describeCluster(name);
	}
}
