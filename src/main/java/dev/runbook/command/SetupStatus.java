package dev.runbook.command;

import java.util.List;

/**
 * Where Exchange setup stands on a server. Success needs all three signs: exit code 0, no setup watermark left in the
 * registry, and the success line in ExchangeSetup.log. {@code errors} are the log's [ERROR] lines.
 */
public record SetupStatus(State state, Integer exitCode, boolean watermarkPresent, boolean successLineLogged,
		List<String> errors) {

	public enum State {
		NotStarted, Running, Succeeded, Failed
	}

	public SetupStatus {
		errors = List.copyOf(errors);
	}
}
