package dev.runbook.rollout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Records that the rollout is to stop at its next safe point: {@code abortRequested}, with who asked
 * ({@code abortRequestedBy}: the authenticated user who sent AbortRollout or chose "abort"; the engine knows them
 * because this listener runs in their request) and why ({@code abortReason}, sent with the message or the decision).
 * The process does the rest: a waiting approval or checklist ends, the current server finishes with its restore,
 * and no further server starts.
 */
@Component("rolloutAbort")
public class RolloutAbort implements ExecutionListener {

	@Override
	public void notify(DelegateExecution execution) {
		if (Boolean.TRUE.equals(execution.getVariable("abortRequested"))) {
			return;
		}
		Authentication user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
		execution.setVariable("abortRequestedBy", user == null ? "an unauthenticated request" : user.getUserId());
		execution.setVariable("abortRequested", true);
	}
}
