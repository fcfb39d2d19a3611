package dev.runbook.lab;

import java.util.List;
import java.util.Optional;

import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ServerName;

/** The lab's directory: reads the simulated organisation without running (or journaling) a command. */
public class LabDirectory implements ExchangeDirectory {

	private final LabOrganisation organisation;

	public LabDirectory(LabOrganisation organisation) {
		this.organisation = organisation;
	}

	@Override
	public Optional<ExchangeServerInfo> findServer(ServerName name) {
		return organisation.describe(name);
	}

	@Override
	public Optional<String> dagOf(ServerName name) {
		return organisation.server(name).map(LabServerView::dag);
	}

	@Override
	public List<ServerName> dagMembers(String dag) {
		return organisation.servers().stream().filter(s -> dag != null && dag.equalsIgnoreCase(s.dag()))
				.map(s -> ServerName.of(s.name())).toList();
	}
}
