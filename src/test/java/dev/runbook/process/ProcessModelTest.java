package dev.runbook.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.RunbookProperties;
import dev.runbook.exchange2003.ClusterSteps2003;
import dev.runbook.exchange2003.ServerUpgradeSteps2003;
import dev.runbook.lab.LabDirectory;
import dev.runbook.lab.LabExchange2003Directory;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabShell;
import dev.runbook.lab.Topology;
import dev.runbook.rollout.ActiveDirectorySteps;
import dev.runbook.rollout.CompletionSteps;
import dev.runbook.rollout.DiscoverySteps;
import dev.runbook.rollout.ExecutionSteps;
import dev.runbook.rollout.PlanSteps;
import dev.runbook.rollout.PracticeChecks;
import dev.runbook.rollout.ReplicationChecks;
import dev.runbook.rollout.ServerStateChecks;

/**
 * Ties the BPMN to the code and the forms: every service task calls a registered step, every operator task has its
 * form, and every choice a form offers is one the process handles, and the other way round.
 */
class ProcessModelTest {

	static final Pattern STEP_CALL = Pattern.compile("\\$\\{steps\\.run\\(execution, '([a-z0-9-]+)'\\)}");
	static final Pattern CHOICE = Pattern.compile("(\\w+Decision) == '(\\w+)'");
	static final Pattern APPROVAL = Pattern.compile("\\$\\{!?(\\w+)}");

	static List<BpmnModelInstance> processes() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("processes"))) {
			return files.filter(p -> p.toString().endsWith(".bpmn")).sorted()
					.map(p -> Bpmn.readModelFromFile(p.toFile())).toList();
		}
	}

	static Map<String, JsonNode> forms() throws IOException {
		Map<String, JsonNode> forms = new HashMap<>();
		try (Stream<Path> files = Files.list(Path.of("forms"))) {
			for (Path file : files.filter(p -> p.toString().endsWith(".form")).toList()) {
				JsonNode form = new ObjectMapper().readTree(file.toFile());
				assertThat(file.getFileName().toString()).as("form file named for its id").isEqualTo(form.get("id").asText() + ".form");
				forms.put(form.get("id").asText(), form);
			}
		}
		return forms;
	}

	@Test
	void everyServiceTaskCallsARegisteredStep() throws IOException {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
		RunbookProperties properties = new RunbookProperties(null, null, null, null);
		LabDirectory directory = new LabDirectory(lab);
		RunbookSteps steps = new RunbookSteps(List.of(new ComponentSteps(), new TransportSteps(directory),
				new ClusterSteps(), new DatabaseSteps(), new SetupSteps(properties), new RestartSteps(),
				// The rolling upgrade's families (cas-server-upgrade, exchange-rolling-upgrade, rollout-preflight).
				new NlbSteps(properties), new HealthPageSteps(), new DiscoverySteps(directory), new ServerStateChecks(),
				new ReplicationChecks(), new PracticeChecks(), new ActiveDirectorySteps(properties),
				new PlanSteps(properties), new ExecutionSteps(), new CompletionSteps(),
				// Exchange 2003 clusters.
				new ClusterSteps2003(Optional.of(new LabExchange2003Directory(lab))), new ServerUpgradeSteps2003()),
				new LabShell(lab));
		Set<String> used = new LinkedHashSet<>();

		for (BpmnModelInstance model : processes()) {
			for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
				Matcher call = STEP_CALL.matcher(String.valueOf(task.getCamundaExpression()));
				assertThat(call.matches()).as(task.getId() + " calls ${steps.run(execution, '…')}").isTrue();
				used.add(call.group(1));
			}
		}

		assertThat(steps.keys()).containsAll(used);
		assertThat(used).as("every registered step is used by some process").containsAll(steps.keys());
	}

	@Test
	void everyOperatorTaskHasItsFormAndEveryChoiceIsHandled() throws IOException {
		Map<String, JsonNode> forms = forms();
		Set<String> referenced = new LinkedHashSet<>();

		for (BpmnModelInstance model : processes()) {
			model.getModelElementsByType(StartEvent.class).stream().map(StartEvent::getCamundaFormRef)
					.filter(java.util.Objects::nonNull).forEach(referenced::add);
			for (UserTask task : model.getModelElementsByType(UserTask.class)) {
				assertThat(task.getCamundaCandidateGroups()).as(task.getId() + " candidate groups").isIn("operators", "managers");
				assertThat(task.getCamundaFormRefBinding()).as(task.getId() + " form binding").isEqualTo("deployment");
				JsonNode form = forms.get(task.getCamundaFormRef());
				assertThat(form).as(task.getId() + " form " + task.getCamundaFormRef()).isNotNull();
				referenced.add(task.getCamundaFormRef());

				Map<String, Set<String>> handled = choicesAfter(task);
				// A form with a choice is followed by the decision on it; a confirmation is not.
				if (hasChoice(form)) {
					assertThat(handled).as(task.getId() + " is followed by a decision").isNotEmpty();
				}
				// A yes-or-no decision such as an approval is a checkbox the gateway after the task tests.
				approvalsAfter(task).forEach(variable -> {
					JsonNode field = field(form, variable);
					assertThat(field).as(task.getCamundaFormRef() + " has a field " + variable).isNotNull();
					assertThat(field.get("type").asText()).as(variable).isEqualTo("checkbox");
				});
				handled.forEach((variable, values) -> {
					JsonNode field = field(form, variable);
					assertThat(field).as(task.getCamundaFormRef() + " has a field " + variable).isNotNull();
					assertThat(field.get("type").asText()).isEqualTo("radio");
					assertThat(field.at("/validate/required").asBoolean()).as(variable + " required").isTrue();
					List<String> offered = new ArrayList<>();
					field.get("values").forEach(v -> offered.add(v.get("value").asText()));
					assertThat(offered).as(variable + ": the form offers exactly the choices the process handles")
							.containsExactlyInAnyOrderElementsOf(values);
				});
			}
		}

		assertThat(referenced).as("every form is used").containsExactlyInAnyOrderElementsOf(forms.keySet());
	}

	/** The decision variables and values tested on the gateways that follow a task, through chained gateways. */
	static Map<String, Set<String>> choicesAfter(FlowNode node) {
		Map<String, Set<String>> choices = new HashMap<>();
		for (SequenceFlow out : node.getOutgoing()) {
			if (!(out.getTarget() instanceof ExclusiveGateway gateway)) {
				continue;
			}
			for (SequenceFlow branch : gateway.getOutgoing()) {
				ConditionExpression condition = branch.getConditionExpression();
				Matcher m = CHOICE.matcher(condition == null ? "" : condition.getTextContent());
				while (m.find()) {
					choices.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>()).add(m.group(2));
				}
			}
			choicesAfter(gateway).forEach((k, v) -> choices.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
		}
		return choices;
	}

	static boolean hasChoice(JsonNode form) {
		for (JsonNode component : form.get("components")) {
			if ("radio".equals(component.path("type").asText())) {
				return true;
			}
		}
		return false;
	}

	/** Yes-or-no decisions such as an approval: a gateway right after the task tests ${variable} and ${!variable}. */
	static Set<String> approvalsAfter(FlowNode node) {
		Set<String> approvals = new LinkedHashSet<>();
		for (SequenceFlow out : node.getOutgoing()) {
			if (out.getTarget() instanceof ExclusiveGateway gateway) {
				for (SequenceFlow branch : gateway.getOutgoing()) {
					ConditionExpression condition = branch.getConditionExpression();
					Matcher m = APPROVAL.matcher(condition == null ? "" : condition.getTextContent().trim());
					if (m.matches()) {
						approvals.add(m.group(1));
					}
				}
			}
		}
		return approvals;
	}

	static JsonNode field(JsonNode form, String key) {
		for (JsonNode component : form.get("components")) {
			if (key.equals(component.path("key").asText())) {
				return component;
			}
		}
		return null;
	}
}
