package dev.runbook.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.GetCamundaFormDefinitionCmd;
import org.camunda.bpm.engine.impl.form.CamundaFormRefImpl;
import org.camunda.bpm.engine.repository.CamundaFormDefinition;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.xml.instance.DomElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What Tasklist needs from the forms: every form reference of a start event or user task resolves, in a deployment
 * made as the process application makes it, to a form of {@code forms/}; every field an operator fills in is a
 * variable the process goes on to read, every variable a form shows is one the process holds, and every answer the
 * process requires is required by the form, so that Tasklist refuses an incomplete answer before the engine does. (The
 * start form's required fields are checked against the request's refusals in RolloutPreparationTest.)
 */
class FormsTest {

	@RegisterExtension
	static ProcessEngineExtension extension = ProcessEngineExtension.builder()
			.configurationResource("camunda-test.cfg.xml").build();

	/** Field types whose value the operator gives (text, markdown and the like only show). */
	static final Set<String> INPUTS = Set.of("textfield", "textarea", "number", "checkbox", "checklist", "radio",
			"select", "datetime", "taglist");
	/** {{...}} in a text component: a variable or a FEEL expression over variables. */
	static final Pattern SHOWN = Pattern.compile("\\{\\{([^}]*)}}");
	/** FEEL's and the template's own words, and string literals, name no variable. */
	static final Set<String> FEEL_WORDS = Set.of("if", "then", "else", "null", "and", "or", "not", "true", "false",
			"this", "each", "loop", "in", "some", "every", "satisfies", "for", "return");
	static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
	static final Pattern WORD = Pattern.compile("[A-Za-z_]\\w*");

	Deployment deployment;

	@AfterEach
	void undeploy(ProcessEngine engine) {
		if (deployment != null) {
			engine.getRepositoryService().deleteDeployment(deployment.getId(), true);
		}
	}

	record FormUse(String process, FlowNode node, String formRef) {
	}

	static List<FormUse> formUses() throws IOException {
		List<FormUse> uses = new ArrayList<>();
		for (BpmnModelInstance model : ProcessModelTest.processes()) {
			String process = processId(model);
			model.getModelElementsByType(StartEvent.class).stream().filter(e -> e.getCamundaFormRef() != null)
					.forEach(e -> uses.add(new FormUse(process, e, e.getCamundaFormRef())));
			model.getModelElementsByType(UserTask.class).stream().filter(t -> t.getCamundaFormRef() != null)
					.forEach(t -> uses.add(new FormUse(process, t, t.getCamundaFormRef())));
		}
		return uses;
	}

	@Test
	void everyFormReferenceResolvesToAFormOfTheSameDeployment(ProcessEngine engine) throws IOException {
		DeploymentBuilder builder = engine.getRepositoryService().createDeployment().name("forms-test");
		for (String folder : List.of("processes", "forms")) {
			try (Stream<Path> files = Files.list(Path.of(folder))) {
				for (Path file : files.sorted().toList()) {
					builder.addInputStream(folder + "/" + file.getFileName(), Files.newInputStream(file));
				}
			}
		}
		deployment = builder.deploy();
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine
				.getProcessEngineConfiguration();
		List<FormUse> uses = formUses();
		assertThat(uses).as("user tasks and start events with a form").hasSizeGreaterThanOrEqualTo(25);

		for (FormUse use : uses) {
			assertThat(((BaseElement) use.node()).getAttributeValueNs("http://camunda.org/schema/1.0/bpmn",
					"formRefBinding")).as(use.node().getId() + " binds its form to its deployment").isEqualTo("deployment");
			CamundaFormDefinition form = configuration.getCommandExecutorTxRequired().execute(
					new GetCamundaFormDefinitionCmd(new CamundaFormRefImpl(use.formRef(), "deployment"), deployment.getId()));
			assertThat(form).as("%s/%s: form %s in the deployment", use.process(), use.node().getId(), use.formRef())
					.isNotNull();
			assertThat(form.getResourceName()).isEqualTo("forms/" + use.formRef() + ".form");
			try (InputStream resource = engine.getRepositoryService().getResourceAsStream(deployment.getId(),
					form.getResourceName())) {
				assertThat(new ObjectMapper().readTree(resource).path("id").asText()).isEqualTo(use.formRef());
			}
		}
	}

	@Test
	void everyFieldIsAVariableTheProcessReads() throws IOException {
		Map<String, JsonNode> forms = ProcessModelTest.forms();
		String steps = mainSources();
		Map<String, Set<String>> expressionWords = expressionWordsPerProcess();

		for (FormUse use : formUses()) {
			Set<String> readByProcess = new LinkedHashSet<>(expressionWords.get(use.process()));
			readByProcess.addAll(taskProperties(use.node()));
			for (JsonNode field : inputs(forms.get(use.formRef()))) {
				String key = field.get("key").asText();
				assertThat(readByProcess.contains(key) || steps.contains("\"" + key + "\""))
						.as("%s, field %s: read by %s (an expression, a mustConfirm/mustAnswer property or a step)",
								use.formRef(), key, use.process())
						.isTrue();
			}
		}
	}

	@Test
	void everyVariableAFormShowsIsOneTheProcessHolds() throws IOException {
		Map<String, JsonNode> forms = ProcessModelTest.forms();
		String steps = mainSources();
		Map<String, Set<String>> expressionWords = expressionWordsPerProcess();

		for (FormUse use : formUses()) {
			for (String shown : shown(forms.get(use.formRef()))) {
				assertThat(expressionWords.get(use.process()).contains(shown) || steps.contains("\"" + shown + "\""))
						.as("%s shows {{%s}}, which %s never sets or receives", use.formRef(), shown, use.process())
						.isTrue();
			}
		}
	}

	@Test
	void everyAnswerTheProcessRequiresIsRequiredByTheForm() throws IOException {
		Map<String, JsonNode> forms = ProcessModelTest.forms();

		for (FormUse use : formUses()) {
			JsonNode form = forms.get(use.formRef());
			Set<String> required = new LinkedHashSet<>(taskProperties(use.node()));
			required.addAll(ProcessModelTest.choicesAfter(use.node()).keySet());
			// A yes-or-no decision is a checkbox: unticked is an answer (no), so it is not "required" in form-js.
			required.removeAll(ProcessModelTest.approvalsAfter(use.node()));
			for (String variable : required) {
				JsonNode field = ProcessModelTest.field(form, variable);
				assertThat(field).as("%s: a field for %s, which %s requires", use.formRef(), variable, use.node().getId())
						.isNotNull();
				assertThat(field.at("/validate/required").asBoolean())
						.as("%s: %s is required in the form", use.formRef(), variable).isTrue();
			}
		}
	}

	/**
	 * Over REST nothing stops a caller from completing a task with an answer the form would refuse: the FormAnswers
	 * listener must refuse the same, so each form's required fields are mirrored in its task's properties.
	 */
	@Test
	void everyTaskRefusesOverRestWhatItsFormRefuses() throws IOException {
		Map<String, JsonNode> forms = ProcessModelTest.forms();
		Pattern hiddenUnless = Pattern.compile("^=(\\w+) != \"(\\w+)\"$");

		for (FormUse use : formUses()) {
			if (!(use.node() instanceof UserTask task)) {
				continue;
			}
			assertThat(task.getExtensionElements() == null ? List.of()
					: task.getExtensionElements().getElementsQuery()
							.filterByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener.class).list()
							.stream().filter(l -> "complete".equals(l.getCamundaEvent())
									&& "${formAnswers}".equals(l.getCamundaDelegateExpression()))
							.toList())
					.as("%s has the ${formAnswers} complete listener", task.getId()).hasSize(1);
			Map<String, String> properties = listenerProperties(task);
			Set<String> confirm = Set.of(properties.getOrDefault("mustConfirm", "").split(","));
			Set<String> answer = Set.of(properties.getOrDefault("mustAnswer", "").split(","));
			Set<String> explain = Set.of(properties.getOrDefault("mustExplain", "").split(","));

			ProcessModelTest.choicesAfter(task).forEach((variable, values) -> assertThat(answer)
					.as("%s: mustAnswer %s with the values its gateway handles", task.getId(), variable)
					.anyMatch(entry -> entry.startsWith(variable + "=")
							&& Set.of(entry.substring(variable.length() + 1).split("\\|")).equals(values)));
			for (JsonNode field : inputs(forms.get(use.formRef()))) {
				if (!field.at("/validate/required").asBoolean()) {
					continue;
				}
				String key = field.get("key").asText();
				Matcher hidden = hiddenUnless.matcher(field.at("/conditional/hide").asText());
				if (field.at("/conditional/hide").isTextual()) {
					assertThat(hidden.matches()).as("%s: %s is hidden unless one answer", use.formRef(), key).isTrue();
					assertThat(explain).as("%s: mustExplain %s", task.getId(), key)
							.contains(key + " if " + hidden.group(1) + "=" + hidden.group(2));
				} else if (field.get("type").asText().equals("checkbox")) {
					assertThat(confirm).as("%s: mustConfirm %s", task.getId(), key).contains(key);
				} else {
					assertThat(answer).as("%s: mustAnswer %s", task.getId(), key)
							.anyMatch(entry -> entry.equals(key) || entry.startsWith(key + "="));
				}
			}
		}
	}

	static Map<String, String> listenerProperties(FlowNode node) {
		Map<String, String> properties = new java.util.HashMap<>();
		Optional.ofNullable(node.getExtensionElements()).map(ExtensionElements::getElementsQuery)
				.map(q -> q.filterByType(CamundaProperties.class).list()).orElse(List.of()).stream()
				.flatMap(p -> p.getCamundaProperties().stream())
				.forEach(p -> properties.put(p.getCamundaName(), p.getCamundaValue()));
		return properties;
	}

	// ---- Reading the models and forms -------------------------------------------------------------------------

	static String processId(BpmnModelInstance model) {
		return model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Process.class).iterator().next().getId();
	}

	/**
	 * The words in a process's expressions and variable mappings: conditions, names, listeners, camunda:in/out,
	 * input/output parameters. Documentation does not count: it reads nothing.
	 */
	static Map<String, Set<String>> expressionWordsPerProcess() throws IOException {
		Map<String, Set<String>> words = new java.util.HashMap<>();
		for (BpmnModelInstance model : ProcessModelTest.processes()) {
			Set<String> found = new LinkedHashSet<>();
			collectWords(model.getDocument().getRootElement(), found);
			words.put(processId(model), found);
		}
		return words;
	}

	private static void collectWords(DomElement element, Set<String> words) {
		if ("documentation".equals(element.getLocalName()) || "text".equals(element.getLocalName())) {
			return;
		}
		for (String attribute : List.of("name", "source", "target", "sourceExpression", "value", "expression",
				"collection", "elementVariable", "delegateExpression", "calledElement", "initiator")) {
			addWords(element.getAttribute("http://camunda.org/schema/1.0/bpmn", attribute), words);
			addExpressionWords(element.getAttribute(attribute), words);
		}
		if (element.getChildElements().isEmpty()) {
			addExpressionWords(element.getTextContent(), words);
			if ("inputParameter".equals(element.getLocalName()) || "outputParameter".equals(element.getLocalName())) {
				addWords(element.getAttribute("name"), words);
			}
		}
		element.getChildElements().forEach(child -> collectWords(child, words));
	}

	/** Words of ${...} and #{...} expressions only: a task's name "Block CAS01" does not read a variable "Block". */
	private static void addExpressionWords(String text, Set<String> words) {
		if (text == null) {
			return;
		}
		Matcher expression = Pattern.compile("[$#]\\{([^}]*)}").matcher(text);
		while (expression.find()) {
			addWords(expression.group(1), words);
		}
	}

	private static void addWords(String text, Set<String> words) {
		if (text != null) {
			Matcher word = WORD.matcher(text);
			while (word.find()) {
				words.add(word.group());
			}
		}
	}

	/** The variables a complete listener insists on: mustConfirm, mustAnswer and mustExplain (see FormAnswers). */
	static Set<String> taskProperties(FlowNode node) {
		Set<String> variables = new LinkedHashSet<>();
		listenerProperties(node).forEach((name, value) -> {
			if (List.of("mustConfirm", "mustAnswer", "mustExplain").contains(name)) {
				Stream.of(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).map(v -> v.split("=| if ", 2)[0])
						.forEach(variables::add);
			}
		});
		return variables;
	}

	static List<JsonNode> inputs(JsonNode form) {
		List<JsonNode> inputs = new ArrayList<>();
		collectInputs(form.get("components"), inputs);
		return inputs;
	}

	private static void collectInputs(JsonNode components, List<JsonNode> inputs) {
		for (JsonNode component : components) {
			if (INPUTS.contains(component.path("type").asText()) && component.hasNonNull("key")) {
				inputs.add(component);
			}
			if (component.has("components")) {
				collectInputs(component.get("components"), inputs);
			}
		}
	}

	static Set<String> shown(JsonNode form) {
		Set<String> shown = new LinkedHashSet<>();
		for (String text : texts(form)) {
			Matcher template = SHOWN.matcher(text);
			while (template.find()) {
				Matcher word = WORD.matcher(STRING_LITERAL.matcher(template.group(1)).replaceAll(" "));
				while (word.find()) {
					if (!FEEL_WORDS.contains(word.group())) {
						shown.add(word.group());
					}
				}
			}
		}
		return shown;
	}

	/** The text the form shows: text components and labels, as written (not JSON-escaped). */
	static List<String> texts(JsonNode form) {
		List<String> texts = new ArrayList<>();
		form.findValues("text").forEach(t -> texts.add(t.asText()));
		form.findValues("label").forEach(t -> texts.add(t.asText()));
		return texts;
	}

	static String mainSources() throws IOException {
		StringBuilder sources = new StringBuilder();
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
				sources.append(Files.readString(file));
			}
		}
		return sources.toString();
	}
}
