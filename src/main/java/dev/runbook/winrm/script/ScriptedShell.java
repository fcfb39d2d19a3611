package dev.runbook.winrm.script;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.Reachability;

/** The production executor: each command runs as its fixed script on its own server. */
public class ScriptedShell implements ExchangeShell {

	private final ScriptRunner runner;

	public ScriptedShell(ScriptRunner runner) {
		this.runner = runner;
	}

	@Override
	public <R> R run(ExchangeCommand<R> command) {
		if (command instanceof ExchangeCommand.TestWSMan) {
			return command.resultType().cast(reachability(command));
		}
		ScriptOutput output = runner.run(command.server(), ExchangeScripts.forCommand(command));
		return ResultReader.read(command, output);
	}

	/**
	 * Whether the server answers remote management: a server that does not answer is the expected state while it
	 * restarts, so only failures that retrying cannot cure (credentials, configuration) are thrown.
	 */
	private Reachability reachability(ExchangeCommand<?> command) {
		try {
			ResultReader.result(command.server(), "Test-WSMan", runner.run(command.server(), ExchangeScripts.reachable()));
			return new Reachability(command.server(), true);
		} catch (CommandFailedException e) {
			if (e.isTransient()) {
				return new Reachability(command.server(), false);
			}
			throw e;
		}
	}
}
