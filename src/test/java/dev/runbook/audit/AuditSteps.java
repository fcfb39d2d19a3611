package dev.runbook.audit;

import java.util.Map;
import java.util.function.Function;

import org.camunda.bpm.engine.delegate.DelegateExecution;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;

/** Test steps for audit/audited-change.bpmn: each runs one command on the {@code server} variable's server. */
public class AuditSteps {

	private static final Map<String, Function<ServerName, ExchangeCommand<?>>> COMMANDS = Map.of(
			"read", ExchangeCommand.GetQueue::new,
			"drain", s -> new ExchangeCommand.SetServerComponentState(s, Component.HubTransport, ComponentState.Draining,
					Requester.Maintenance),
			"check", ExchangeCommand.GetServerComponentState::new);

	private final ExchangeShell shell;

	public AuditSteps(ExchangeShell shell) {
		this.shell = shell;
	}

	public void run(DelegateExecution execution, String step) {
		shell.run(COMMANDS.get(step).apply(ServerName.of((String) execution.getVariable("server"))));
	}
}
