package dev.runbook.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.springframework.stereotype.Component;

/**
 * Refuses to complete a user task whose form was not answered as the BPMN requires, so that an operator who did not
 * tick "blocked in the load balancer" cannot let the process go on. A complete listener
 * ({@code camunda:delegateExpression="${formAnswers}"}) that reads the task's own properties:
 * <ul>
 * <li>{@code mustConfirm}: comma-separated boolean variables that must be true;
 * <li>{@code mustAnswer}: comma-separated variables that must be present and not blank, each optionally with its
 * allowed values ({@code serverDecision=retry|skip|abort});
 * <li>{@code mustExplain}: comma-separated variables that must be present and not blank when a decision takes a value
 * ({@code acceptReason if restoreDecision=accept}): what a form asks only for that answer.
 * </ul>
 * The task stays open and the caller gets the refusal's message: over the engine's REST API a 400 (see
 * {@code dev.runbook.rest.RefusedRequestMapper}), in Tasklist the form's own required fields refuse it first.
 */
@Component("formAnswers")
public class FormAnswers implements TaskListener {

	@Override
	public void notify(DelegateTask task) {
		List<String> problems = new ArrayList<>();
		for (String name : property(task, "mustConfirm")) {
			if (!Boolean.TRUE.equals(task.getVariable(name))) {
				problems.add(name + " must be confirmed (true)");
			}
		}
		for (String entry : property(task, "mustAnswer")) {
			String[] parts = entry.split("=", 2);
			Object value = task.getVariable(parts[0]);
			if (value == null || value.toString().isBlank()) {
				problems.add(parts[0] + " must be answered");
			} else if (parts.length == 2 && !Arrays.asList(parts[1].split("\\|")).contains(value.toString())) {
				problems.add(parts[0] + " must be one of " + parts[1].replace("|", ", ") + ", not '" + value + "'");
			}
		}
		for (String entry : property(task, "mustExplain")) {
			String[] parts = entry.split("\\s+if\\s+|=", 3);
			if (parts.length != 3) {
				throw new IllegalStateException("mustExplain entry '" + entry + "' is not 'reason if decision=value'");
			}
			Object reason = task.getVariable(parts[0]);
			if (parts[2].equals(String.valueOf(task.getVariable(parts[1]))) && (reason == null || reason.toString().isBlank())) {
				problems.add(parts[0] + " must be given when " + parts[1] + " is " + parts[2]);
			}
		}
		if (!problems.isEmpty()) {
			throw new BadUserRequestException("'" + task.getName() + "' cannot be completed: " + String.join("; ", problems) + ".");
		}
	}

	private static List<String> property(DelegateTask task, String name) {
		UserTask element = (UserTask) task.getBpmnModelElementInstance();
		return Optional.ofNullable(element.getExtensionElements()).map(ExtensionElements::getElementsQuery)
				.map(q -> q.filterByType(CamundaProperties.class).list()).orElse(List.of()).stream()
				.flatMap(p -> p.getCamundaProperties().stream()).filter(p -> name.equals(p.getCamundaName()))
				.map(CamundaProperty::getCamundaValue).flatMap(v -> Arrays.stream(v.split(",")))
				.map(String::trim).filter(v -> !v.isEmpty()).toList();
	}
}
