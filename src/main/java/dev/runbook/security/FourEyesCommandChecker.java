package dev.runbook.security;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.camunda.bpm.engine.impl.cfg.CommandChecker;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;

/**
 * The four-eyes rule at the engine's permission checks: before a signed-in user claims, completes, submits the form
 * of, or throws an error from a four-eyes task, the requester is refused. Exceptions from task listeners reach REST
 * callers as 500 Internal Server Error; a refusal here is an authorization failure, 403 Forbidden with its message.
 *
 * <p>The engine's {@link CommandChecker} has a method per permission; only {@code checkTaskWork} matters here, so the
 * checker is a proxy that answers every other check with "no objection".
 */
final class FourEyesCommandChecker implements InvocationHandler {

	private FourEyesCommandChecker() {
	}

	static CommandChecker create() {
		return (CommandChecker) Proxy.newProxyInstance(CommandChecker.class.getClassLoader(),
				new Class<?>[] { CommandChecker.class }, new FourEyesCommandChecker());
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) {
		switch (method.getName()) {
		case "checkTaskWork" -> checkTaskWork((TaskEntity) args[0]);
		case "toString" -> {
			return "FourEyesCommandChecker";
		}
		case "hashCode" -> {
			return System.identityHashCode(proxy);
		}
		case "equals" -> {
			return proxy == args[0];
		}
		default -> {
			// every other permission check: no objection (all of them answer void in 7.24)
			if (method.getReturnType() != void.class) {
				throw new IllegalStateException("CommandChecker." + method.getName() + " answers a value: "
						+ FourEyesCommandChecker.class.getSimpleName() + " needs updating for this engine version.");
			}
		}
		}
		return null;
	}

	private static void checkTaskWork(TaskEntity task) {
		CommandContext command = Context.getCommandContext();
		String user = command == null ? null : command.getAuthenticatedUserId();
		if (user != null) {
			FourEyesApproval.of(task).ifPresent(rule -> rule.refuseRequester(task, user));
		}
	}
}
