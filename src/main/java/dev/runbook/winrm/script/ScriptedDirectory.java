package dev.runbook.winrm.script;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DagName;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.GetDatabaseAvailabilityGroup;
import dev.runbook.command.ExchangeCommand.GetExchangeServer;
import dev.runbook.command.ExchangeCommand.GetMailboxServer;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;

/**
 * The organisation's directory as Exchange answers it, asked on one configured Exchange server (the directory
 * server) so that a server that is down can still be looked up. Read-only: it runs catalogue reads only.
 */
public class ScriptedDirectory implements ExchangeDirectory {

	/** How Exchange says that an identity does not exist. */
	private static final Pattern NOT_FOUND = Pattern.compile("(?i)couldn't be found|could not be found|cannot find");

	private final ScriptRunner runner;
	private final ServerName directoryServer;

	public ScriptedDirectory(ScriptRunner runner, ServerName directoryServer) {
		this.runner = runner;
		this.directoryServer = directoryServer;
	}

	@Override
	public Optional<ExchangeServerInfo> findServer(ServerName name) {
		// Get-ExchangeServer's script answers null for an unknown server rather than failing.
		JsonNode json = ResultReader.result(directoryServer, "Get-ExchangeServer",
				runner.run(directoryServer, ExchangeScripts.forCommand(new GetExchangeServer(name))));
		return json.isNull() ? Optional.empty() : Optional.of(ResultReader.exchangeServer(json));
	}

	@Override
	public Optional<String> dagOf(ServerName name) {
		if (findServer(name).filter(s -> s.serverRole().contains("Mailbox")).isEmpty()) {
			return Optional.empty();
		}
		return Optional.ofNullable(ask(new GetMailboxServer(name)).databaseAvailabilityGroup());
	}

	@Override
	public List<ServerName> dagMembers(String dag) {
		DagName name;
		try {
			name = DagName.of(dag);
		} catch (InvalidInputException e) {
			return List.of();
		}
		try {
			return ask(new GetDatabaseAvailabilityGroup(directoryServer, name)).servers();
		} catch (CommandFailedException e) {
			if (!e.isTransient() && NOT_FOUND.matcher(e.getMessage()).find()) {
				return List.of();
			}
			throw e;
		}
	}

	/** Runs a read on the directory server, whichever server it is about. */
	private <R> R ask(ExchangeCommand<R> read) {
		return ResultReader.read(read, runner.run(directoryServer, ExchangeScripts.forCommand(read)));
	}
}
