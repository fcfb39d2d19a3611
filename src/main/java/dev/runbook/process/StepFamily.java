package dev.runbook.process;

import java.util.Map;

/**
 * Steps that belong together (server components, transport, cluster…), registered under their keys. A later process
 * (a CAS upgrade, Exchange 2003 clusters) adds its steps with one more family bean; {@link RunbookSteps} finds it.
 */
public interface StepFamily {

	/** Step key, as BPMN names it in {@code ${steps.run(execution, 'key')}}, to step. */
	Map<String, Step> steps();
}
