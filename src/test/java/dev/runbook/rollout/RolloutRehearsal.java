package dev.runbook.rollout;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.mock.Mocks;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ServerName;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.Topology;
import dev.runbook.process.CasUpgradeRequest;
import dev.runbook.process.FormAnswers;
import dev.runbook.process.HealthPageSteps;
import dev.runbook.process.LabRehearsal;
import dev.runbook.process.NlbSteps;
import dev.runbook.process.RunbookSteps;
import dev.runbook.process.StepFamily;

/**
 * The rollout's processes rehearsed against the lab in simulated time: the mailbox processes' harness with the
 * rollout's step families and listeners added, wired as the application wires them.
 */
final class RolloutRehearsal {

	static final String DAG = "DAG01";
	static final String TARGET = "15.0.1497.2";
	static final String INSTALLED = "15.0.1473.3";
	static final String SETUP_PATH = "D:\\Media\\Exchange2013-CU23\\Setup.exe";
	static final List<String> CLIENT_ACCESS = List.of("CAS01", "CAS02");


	final LabRehearsal lab;
	final RunbookProperties properties;

	RolloutRehearsal(ProcessEngine engine) {
		this(engine, Topology.bundledDefault());
	}

	RolloutRehearsal(ProcessEngine engine, Topology topology) {
		properties = new RunbookProperties(null, null, null, null);
		lab = new LabRehearsal(engine, topology, properties);
		List<StepFamily> families = new ArrayList<>(lab.families);
		families.addAll(rolloutFamilies(lab, properties));
		Mocks.register("steps", new RunbookSteps(families, lab.shell));
		Mocks.register("rolloutRequest", new RolloutRequest(lab.directory));
		Mocks.register("casUpgradeRequest", new CasUpgradeRequest(lab.directory));
		Mocks.register("formAnswers", new FormAnswers());
		Mocks.register("rolloutServers", new RolloutServers());
		Mocks.register("rolloutAbort", new RolloutAbort());
		Mocks.register("failureDescription", new ServerFailure());
	}

	static List<StepFamily> rolloutFamilies(LabRehearsal lab, RunbookProperties properties) {
		return List.of(new NlbSteps(properties), new HealthPageSteps(), new DiscoverySteps(lab.directory),
				new ServerStateChecks(), new ReplicationChecks(), new PracticeChecks(),
				new ActiveDirectorySteps(properties), new PlanSteps(properties), new ExecutionSteps(),
				new CompletionSteps());
	}

	static Map<String, Object> request(Object... more) {
		Map<String, Object> variables = new HashMap<>(Map.of("dag", DAG, "targetBuild", TARGET, "setupPath", SETUP_PATH,
				"loadBalancer", "manual", "order", "mailbox-first", "dryRun", false));
		for (int i = 0; i < more.length; i += 2) {
			variables.put((String) more[i], more[i + 1]);
		}
		return variables;
	}

	ProcessInstance start(Map<String, Object> variables) {
		return runtimeService().startProcessInstanceByKey("exchange-rolling-upgrade", variables);
	}

	/** Runs the preparation: pre-flight and plan, up to the task it stops at (or the end). */
	void prepare() {
		lab.advance(Duration.ofMinutes(5));
	}

	Task openTask(String taskDefinitionKey) {
		return taskQuery().taskDefinitionKey(taskDefinitionKey).singleResult();
	}

	void completeChecklist() {
		complete(openTask("PlanningChecklist"), withVariables("maintenanceWindowScheduled", true, "backupDone", true,
				"permissionsConfirmed", true, "antivirusConfirmed", true, "clusterHeartbeatConfirmed", true));
	}

	void approve(Object... more) {
		Map<String, Object> answer = new HashMap<>(Map.of("approved", true, "approvalComment", "Window agreed with the service owners."));
		for (int i = 0; i < more.length; i += 2) {
			answer.put((String) more[i], more[i + 1]);
		}
		complete(openTask("ApproveRollout"), answer);
	}

	/**
	 * Lets the rollout run for up to {@code limit} of simulated time, answering the load-balancer tasks as an operator
	 * does; stops early when the instance ends or waits at a task that is not a load-balancer task.
	 */
	void runRollout(ProcessInstance pi, Duration limit) {
		Duration step = Duration.ofMinutes(10);
		for (Duration passed = Duration.ZERO; passed.compareTo(limit) < 0; passed = passed.plus(step)) {
			lab.advance(step);
			if (ended(pi)) {
				return;
			}
			for (Task task : taskQuery().list()) {
				switch (task.getTaskDefinitionKey()) {
					case "BlockInLoadBalancer" -> complete(task, withVariables("nlbBlocked", true));
					case "UnblockInLoadBalancer" -> complete(task, withVariables("nlbUnblocked", true));
					default -> {
						return;
					}
				}
			}
		}
	}

	/** A process-level variable of the instance, running or ended (from history, which is full in these tests). */
	static Object variable(ProcessInstance pi, String name) {
		return historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).variableName(name)
				.list().stream().filter(v -> pi.getId().equals(v.getActivityInstanceId())).findFirst()
				.map(v -> v.getValue()).orElse(null);
	}

	static boolean ended(ProcessInstance pi) {
		return runtimeService().createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0;
	}

	/** The successful state changes, by server, in journal order. */
	Map<String, List<String>> changesByServer() {
		Map<String, List<String>> byServer = new LinkedHashMap<>();
		changeEntries().forEach(e -> byServer.computeIfAbsent(e.server(), k -> new ArrayList<>()).add(e.command()));
		return byServer;
	}

	/** The servers in the order their own upgrade began: AD preparation and rebalancing left out. */
	List<String> serverOrder() {
		return JournalChecks.serverChanges(lab.lab.journal()).stream().map(JournalEntry::server).distinct().toList();
	}

	List<JournalEntry> changeEntries() {
		return lab.lab.journal().stream().filter(JournalEntry::changesState).filter(JournalEntry::succeeded).toList();
	}

	static ServerName name(String server) {
		return ServerName.of(server);
	}
}
