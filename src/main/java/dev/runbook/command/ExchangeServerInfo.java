package dev.runbook.command;

import java.util.List;

/** Get-ExchangeServer. {@code serverRole} uses Exchange's role names: Mailbox, ClientAccess. */
public record ExchangeServerInfo(ServerName name, String fqdn, List<String> serverRole, String adminDisplayVersion,
		String site) {

	public ExchangeServerInfo {
		serverRole = List.copyOf(serverRole);
	}

	public ExchangeBuild build() {
		return ExchangeBuild.fromAdminDisplayVersion(adminDisplayVersion);
	}
}
