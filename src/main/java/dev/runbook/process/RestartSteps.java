package dev.runbook.process;

import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.TestPendingReboot;
import dev.runbook.command.ExchangeCommand.TestWSMan;
import dev.runbook.command.PendingReboot;

/**
 * Pending reboots and restarts. A server is restarted only while a reboot is pending, so that a step that runs again
 * after the restart went through does not restart it twice.
 *
 * <p>Variables: {@code rebootPending} and {@code rebootReasons}; {@code restarted}; {@code reachable}.
 */
@Component
public class RestartSteps implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"test-pending-reboot", RestartSteps::testPendingReboot,
				"restart-if-pending", RestartSteps::restartIfPending,
				"test-wsman", step -> step.set("reachable", step.run(new TestWSMan(step.server())).reachable()));
	}

	private static PendingReboot testPendingReboot(StepContext step) {
		PendingReboot pending = step.run(new TestPendingReboot(step.server()));
		step.set("rebootPending", pending.pending());
		step.set("rebootReasons", String.join(", ", pending.reasons()));
		return pending;
	}

	private static void restartIfPending(StepContext step) {
		boolean pending = testPendingReboot(step).pending();
		if (pending) {
			step.run(new RestartComputer(step.server()));
		}
		step.set("restarted", pending);
	}
}
