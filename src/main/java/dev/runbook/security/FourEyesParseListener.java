package dev.runbook.security;

import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Gives every user task that carries the extension property {@code fourEyes} its {@link FourEyesApproval}. The
 * property's value names the variable that holds the requester ({@code requestedBy}); an optional
 * {@code fourEyesComment} names the form field with the approver's comment ({@value FourEyesApproval#APPROVAL_COMMENT}
 * by default). Modellers mark the task; the rule is the engine's, whichever API completes the task.
 */
class FourEyesParseListener extends AbstractBpmnParseListener {

	static final String PROPERTY = "fourEyes";
	static final String COMMENT_PROPERTY = "fourEyesComment";

	@Override
	public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
		String requesterVariable = property(userTaskElement, PROPERTY);
		if (requesterVariable == null) {
			return;
		}
		if (requesterVariable.isBlank()) {
			throw new IllegalArgumentException("User task '" + activity.getId() + "' has an empty " + PROPERTY
					+ " property: it must name the variable that holds the requester, e.g. requestedBy.");
		}
		String commentVariable = property(userTaskElement, COMMENT_PROPERTY);
		FourEyesApproval rule = new FourEyesApproval(requesterVariable.trim(),
				commentVariable == null || commentVariable.isBlank() ? FourEyesApproval.APPROVAL_COMMENT : commentVariable.trim());
		// Built in: runs before the modeller's own complete listeners, so that a refusal comes first
		((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition()
				.addBuiltInTaskListener(TaskListener.EVENTNAME_COMPLETE, rule);
	}

	private static String property(Element element, String name) {
		Element extensions = element.element("extensionElements");
		if (extensions == null) {
			return null;
		}
		for (Element properties : extensions.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "properties")) {
			for (Element property : properties.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "property")) {
				if (name.equals(property.attribute("name"))) {
					return property.attribute("value");
				}
			}
		}
		return null;
	}
}
