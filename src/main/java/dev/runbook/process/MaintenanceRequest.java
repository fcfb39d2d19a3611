package dev.runbook.process;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;

/**
 * Refuses a maintenance start or stop before anything runs: {@code server} must name a DAG member the directory
 * knows. Asks the directory, never the shell, so a refused request leaves no trace on any server. A start listener
 * ({@code camunda:delegateExpression="${maintenanceRequest}"}), so that the refusal reaches the caller as thrown and
 * no instance is left behind.
 */
@Component("maintenanceRequest")
public class MaintenanceRequest implements ExecutionListener {

	private final ExchangeDirectory directory;

	public MaintenanceRequest(ExchangeDirectory directory) {
		this.directory = directory;
	}

	@Override
	public void notify(DelegateExecution execution) {
		execution.setVariable("server", dagMember(execution).name().value());
	}

	/** Parses and checks {@code server}; the directory's entry for it, with the name in its canonical form. */
	ExchangeServerInfo dagMember(DelegateExecution execution) {
		ServerName name = parse(() -> ServerName.of(text(execution, "server")));
		ExchangeServerInfo server = directory.findServer(name)
				.orElseThrow(() -> refuse("Server " + name + " is not a server of this Exchange organisation."));
		if (directory.dagOf(name).isEmpty()) {
			throw refuse("Server " + name + " (" + String.join(", ", server.serverRole())
					+ ") is not a member of a database availability group; this runbook is for DAG members.");
		}
		return server;
	}

	/** A text variable, or a refusal when the caller sent something else. Public: every request listener uses it. */
	public static String text(DelegateExecution execution, String variable) {
		Object value = execution.getVariable(variable);
		if (value != null && !(value instanceof String)) {
			throw refuse("Variable '" + variable + "' must be text, not " + value.getClass().getSimpleName() + ".");
		}
		return (String) value;
	}

	/** Runs a value type's parser and turns its refusal into the caller's 400. */
	public static <T> T parse(java.util.function.Supplier<T> parser) {
		try {
			return parser.get();
		} catch (InvalidInputException e) {
			throw refuse(e.getMessage());
		}
	}

	public static BadUserRequestException refuse(String reason) {
		return new BadUserRequestException("Request refused: " + reason);
	}
}
