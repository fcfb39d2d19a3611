package dev.runbook.command;

import java.util.List;

/** Get-ExchangeServer for the whole organisation. */
public record ExchangeServers(List<ExchangeServerInfo> servers) {

	public static final String MAILBOX = "Mailbox";
	public static final String CLIENT_ACCESS = "ClientAccess";

	public ExchangeServers {
		servers = List.copyOf(servers);
	}

	/** The servers that hold a role, in the directory's order; multi-role servers appear under each role. */
	public List<ExchangeServerInfo> withRole(String role) {
		return servers.stream().filter(s -> s.serverRole().contains(role)).toList();
	}
}
