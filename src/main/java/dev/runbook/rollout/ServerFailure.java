package dev.runbook.rollout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Says, for the operator deciding between retry, skip and abort, why a server's upgrade did not end well
 * ({@code serverFailure}), from the BPMN error that ended it ({@code serverErrorCode}, {@code serverErrorMessage}).
 * The called processes end with an error code only; the rollout's own checks carry their reason as the message.
 * Named {@code failureDescription}, not after the variable it writes: a variable would hide a bean of the same name.
 */
@Component("failureDescription")
public class ServerFailure implements ExecutionListener {

	@Override
	public void notify(DelegateExecution execution) {
		String server = String.valueOf(execution.getVariable("server"));
		String code = (String) execution.getVariable("serverErrorCode");
		String message = (String) execution.getVariable("serverErrorMessage");
		execution.setVariable("serverFailure", describe(server, code, message));
	}

	static String describe(String server, String code, String message) {
		if (message != null && !message.isBlank()) {
			return message;
		}
		if (code == null) {
			return "The upgrade of " + server + " did not end as it should.";
		}
		return switch (code) {
			case "UpgradeRefused" -> "The upgrade of " + server
					+ " was refused before it began: its setup media could not be read or installs another build. The server was not touched.";
			case "UpgradeAborted" -> "An operator aborted the maintenance of " + server
					+ " before setup; it was taken out of maintenance and still runs its old build.";
			case "UpgradeStopped" -> "An operator stopped the upgrade of " + server
					+ " after it began; the server stays as it was left (in maintenance, out of its pool). Check it before you retry.";
			case "FailedByOperator" -> "An operator gave up on the upgrade of " + server
					+ " (message FailCurrentServer) and its process was cancelled where it stood: check the server before you retry.";
			default -> "The upgrade of " + server + " ended with the error " + code + ".";
		};
	}
}
