package dev.runbook.rollout;

import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.MessageCorrelationBuilder;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;

/**
 * Stopping a running rolling upgrade from outside it: AbortRollout (stop at the next safe point) and FailCurrentServer
 * (give up the server whose upgrade is stuck). Correlating a message needs UPDATE on the instance, which would also let
 * operators and managers change its variables (the target build, the approval) over /engine-rest; so they are not
 * granted it, and these two messages go through here instead, for the groups of runbook.security.rollout-control-groups.
 * The caller is the engine's authenticated user while the message is correlated, so that the process records who
 * asked (abortRequestedBy); the authorization check is lifted for that one correlation only.
 */
@Service
public class RolloutControl {

	static final String PROCESS = "exchange-rolling-upgrade";
	static final int MAX_REASON = 500;

	/** What happened, for the caller. */
	public record Outcome(String processInstanceId, String businessKey, String message, String requestedBy) {
	}

	/** The request is wrong: 400. */
	public static class Refused extends RuntimeException {
		Refused(String message) {
			super(message);
		}
	}

	/** No rollout with that key runs: 404. */
	public static class NotRunning extends RuntimeException {
		NotRunning(String message) {
			super(message);
		}
	}

	/** The rollout runs but cannot take the message now: 409. */
	public static class NotNow extends RuntimeException {
		NotNow(String message) {
			super(message);
		}
	}

	private final ProcessEngine engine;

	public RolloutControl(ProcessEngine engine) {
		this.engine = engine;
	}

	public Outcome abort(String businessKey, String reason, String user) {
		String why = reason(reason);
		ProcessInstance rollout = running(businessKey);
		correlate(rollout, "AbortRollout", user, why, "It has already ended its upgrade of servers.");
		return new Outcome(rollout.getId(), rollout.getBusinessKey(), "AbortRollout", user);
	}

	public Outcome failCurrentServer(String businessKey, String user) {
		ProcessInstance rollout = running(businessKey);
		correlate(rollout, "FailCurrentServer", user, null, "No server's upgrade is running in it now.");
		return new Outcome(rollout.getId(), rollout.getBusinessKey(), "FailCurrentServer", user);
	}

	private ProcessInstance running(String businessKey) {
		String key = businessKey == null ? "" : businessKey.trim();
		if (key.isEmpty() || key.length() > 255 || key.chars().anyMatch(Character::isISOControl)) {
			throw new Refused("A rollout's business key is 1 to 255 printable characters, e.g. DAG01-15.0.1497.2.");
		}
		return Optional.ofNullable(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(PROCESS)
				.processInstanceBusinessKey(key).singleResult())
				.orElseThrow(() -> new NotRunning("No rolling upgrade with business key " + key + " is running."));
	}

	private static String reason(String reason) {
		if (reason == null || reason.isBlank()) {
			return null;
		}
		String why = reason.strip();
		if (why.length() > MAX_REASON || why.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
			throw new Refused("The reason is at most " + MAX_REASON + " characters of text.");
		}
		return why;
	}

	private void correlate(ProcessInstance rollout, String message, String user, String reason, String notNow) {
		IdentityService identity = engine.getIdentityService();
		List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
		MessageCorrelationBuilder correlation = engine.getRuntimeService().createMessageCorrelation(message)
				.processInstanceId(rollout.getId());
		if (reason != null) {
			correlation.setVariable("abortReason", reason);
		}
		identity.setAuthentication(user, groups);
		try {
			((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired()
					.execute(context -> {
						context.disableAuthorizationCheck();
						try {
							return correlation.correlateWithResult();
						} finally {
							context.enableAuthorizationCheck();
						}
					});
		} catch (MismatchingMessageCorrelationException mismatch) {
			throw new NotNow("Rolling upgrade " + rollout.getBusinessKey() + " cannot take " + message + " now. " + notNow);
		} finally {
			identity.clearAuthentication();
		}
	}
}
