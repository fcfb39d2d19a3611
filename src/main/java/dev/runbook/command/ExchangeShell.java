package dev.runbook.command;

/**
 * Runs commands against Exchange: the lab in rehearsal, remote PowerShell in production. The processes never know
 * which one is behind it.
 */
public interface ExchangeShell {

	/**
	 * Runs one command and answers its structured result.
	 *
	 * @throws CommandFailedException when the command failed or the server could not be reached
	 */
	<R> R run(ExchangeCommand<R> command);

	/**
	 * How much faster than real time this shell's world moves: 1 for real servers; the lab's time scale in rehearsal.
	 * The processes divide their waits by it.
	 */
	default double timeScale() {
		return 1.0;
	}
}
