package dev.runbook.process;

/**
 * One step of a runbook, as a service task calls it: the commands it runs against the instance's server, the state
 * check that makes running it twice harmless, and the process variables it records. Command failures propagate, so
 * that the job's retry cycle applies; business outcomes are {@link org.camunda.bpm.engine.delegate.BpmnError}s.
 */
@FunctionalInterface
public interface Step {

	void run(StepContext step);
}
