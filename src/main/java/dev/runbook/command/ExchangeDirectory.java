package dev.runbook.command;

import java.util.List;
import java.util.Optional;

/**
 * What the organisation's directory says about its servers, as Get-ExchangeServer and Get-MailboxServer answer it.
 * Used to refuse a request before a process starts, so it never changes anything.
 */
public interface ExchangeDirectory {

	Optional<ExchangeServerInfo> findServer(ServerName name);

	/** The DAG a mailbox server belongs to, if any. */
	Optional<String> dagOf(ServerName name);

	/** The members of a DAG, in the directory's order; empty if there is no such DAG. */
	List<ServerName> dagMembers(String dag);
}
