package dev.runbook.winrm.script;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runbook.command.ExchangeCommand.GetMailboxServer;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ServerName;

/**
 * The organisation's directory as Exchange answers it, asked on one configured Exchange server (the directory
 * server) so that a server that is down can still be looked up. Read-only.
 */
public class ScriptedDirectory implements ExchangeDirectory {

	private final ScriptRunner runner;
	private final ServerName directoryServer;

	public ScriptedDirectory(ScriptRunner runner, ServerName directoryServer) {
		this.runner = runner;
		this.directoryServer = directoryServer;
	}

	@Override
	public Optional<ExchangeServerInfo> findServer(ServerName name) {
		JsonNode json = ask(ExchangeScripts.findServer(name), "Get-ExchangeServer");
		return json.isNull() ? Optional.empty() : Optional.of(ResultReader.exchangeServer(json));
	}

	@Override
	public Optional<String> dagOf(ServerName name) {
		if (findServer(name).filter(s -> s.serverRole().contains("Mailbox")).isEmpty()) {
			return Optional.empty();
		}
		return Optional.ofNullable(
				ResultReader.read(new GetMailboxServer(name), run(ExchangeScripts.forCommand(new GetMailboxServer(name))))
						.databaseAvailabilityGroup());
	}

	@Override
	public List<ServerName> dagMembers(String dag) {
		if (dag == null || dag.isBlank()) {
			return List.of();
		}
		JsonNode json = ask(ExchangeScripts.dagMembers(dag), "Get-DatabaseAvailabilityGroup");
		return ResultReader.elements(json).stream().map(n -> ServerName.of(n.asText())).toList();
	}

	private JsonNode ask(Script script, String what) {
		return ResultReader.result(directoryServer, what, run(script));
	}

	private ScriptOutput run(Script script) {
		return runner.run(directoryServer, script);
	}
}
