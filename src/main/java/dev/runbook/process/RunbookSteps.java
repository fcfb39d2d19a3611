package dev.runbook.process;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeShell;

/**
 * The one place BPMN meets commands: a service task calls {@code ${steps.run(execution, 'suspend-cluster-node')}} and
 * the step registered under that key runs through the configured {@link ExchangeShell}.
 */
@Component("steps")
public class RunbookSteps {

	private final Map<String, Step> steps = new TreeMap<>();
	private final ExchangeShell shell;

	public RunbookSteps(List<StepFamily> families, ExchangeShell shell) {
		this.shell = shell;
		for (StepFamily family : families) {
			family.steps().forEach((key, step) -> {
				if (steps.putIfAbsent(key, step) != null) {
					throw new IllegalStateException("Step '" + key + "' is registered twice; the second is in "
							+ family.getClass().getSimpleName() + ".");
				}
			});
		}
	}

	public void run(DelegateExecution execution, String key) {
		Step step = steps.get(key);
		if (step == null) {
			throw new IllegalArgumentException("No step '" + key + "'. Known steps: " + String.join(", ", steps.keySet()) + ".");
		}
		step.run(new StepContext(execution, shell));
	}

	public Set<String> keys() {
		return Set.copyOf(steps.keySet());
	}
}
