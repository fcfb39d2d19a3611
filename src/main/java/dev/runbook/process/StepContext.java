package dev.runbook.process;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * What a step works with: the server the process instance acts on, the shell, and the instance's variables. Values
 * read back from variables are parsed again by the value types, so that nothing unvalidated reaches a command.
 */
public final class StepContext {

	/** Thrown by a verification step; the process shows {@code verificationFailure} to an operator. */
	public static final String VERIFICATION_FAILED = "VerificationFailed";

	private final DelegateExecution execution;
	private final ExchangeShell shell;

	StepContext(DelegateExecution execution, ExchangeShell shell) {
		this.execution = execution;
		this.shell = shell;
	}

	/** The server the instance acts on: its {@code server} variable. */
	public ServerName server() {
		return ServerName.of(text("server"));
	}

	public <R> R run(ExchangeCommand<R> command) {
		return shell.run(command);
	}

	public String text(String name) {
		Object value = execution.getVariable(name);
		return value == null ? null : value.toString();
	}

	public ExchangeBuild build(String name) {
		return ExchangeBuild.parse(text(name));
	}

	public WindowsPath path(String name) {
		return WindowsPath.of(text(name));
	}

	public void set(String name, Object value) {
		execution.setVariable(name, value);
	}

	public void remove(String name) {
		execution.removeVariable(name);
	}

	/** A verification found the server not as it should be: records why and hands the process to an operator. */
	public BpmnError verificationFailed(String reason) {
		set("verificationFailure", reason);
		return new BpmnError(VERIFICATION_FAILED, reason);
	}
}
