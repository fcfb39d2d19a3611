package dev.runbook.winrm.script;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ServerName;

/** Runs a fixed script on a server: over WinRM, or through a local PowerShell that reaches the server. */
public interface ScriptRunner {

	/**
	 * Runs the script on {@code server} and answers what it wrote and its exit code, whatever that code is.
	 *
	 * @throws CommandFailedException when the script could not be run or its answer not received; transient when
	 *         trying again later may help (the server did not answer, a timeout)
	 */
	ScriptOutput run(ServerName server, Script script);
}
