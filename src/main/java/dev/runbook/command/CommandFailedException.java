package dev.runbook.command;

/**
 * A command that ran and failed, or could not run. {@code transient} failures (a server that does not answer, a
 * timeout) are worth retrying; the others are not, because running the same command again would fail the same way.
 */
public class CommandFailedException extends RuntimeException {

	private final ServerName server;
	private final boolean transientFailure;

	public CommandFailedException(ServerName server, String message, boolean transientFailure) {
		super(message);
		this.server = server;
		this.transientFailure = transientFailure;
	}

	public ServerName server() {
		return server;
	}

	public boolean isTransient() {
		return transientFailure;
	}
}
