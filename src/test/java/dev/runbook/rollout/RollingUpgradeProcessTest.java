package dev.runbook.rollout;

import static dev.runbook.rollout.RolloutRehearsal.CLIENT_ACCESS;
import static dev.runbook.rollout.RolloutRehearsal.TARGET;
import static dev.runbook.rollout.RolloutRehearsal.request;
import static dev.runbook.rollout.RolloutRehearsal.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabServerView;
import dev.runbook.process.LabRehearsal;
import dev.runbook.quality.CoveredProcessEngine;

/** The whole window in the lab: every server of DAG01 and both Client Access servers, one at a time. */
@Deployment(resources = { "processes/exchange-rolling-upgrade.bpmn", "processes/rollout-preflight.bpmn",
		"processes/cas-server-upgrade.bpmn", "processes/mailbox-server-upgrade.bpmn",
		"processes/mailbox-server-maintenance-start.bpmn", "processes/mailbox-server-maintenance-stop.bpmn",
		"processes/exchange-setup.bpmn", "processes/server-restart.bpmn" })
class RollingUpgradeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final Pattern COMMAND = Pattern.compile("^\\d+\\. `([^`]+)`$");

	RolloutRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		init(engine);
		rehearsal = new RolloutRehearsal(engine);
	}

	@AfterEach
	void tearDown() {
		LabRehearsal.reset();
	}

	@Test
	void upgradesEveryServerOneAtATimeThenVerifiesAndRebalances() {
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		assertThat(pi).isWaitingAt("PlanningChecklist");
		assertThat(rehearsal.changeEntries()).as("nothing changes before the approval").isEmpty();
		rehearsal.completeChecklist();
		assertThat(pi).isWaitingAt("ApproveRollout");
		rehearsal.approve();

		rehearsal.runRollout(pi, Duration.ofHours(16));

		assertThat(pi).isEnded().hasPassedInOrder("RunPreflight", "BuildPlan", "PlanningChecklist", "ApproveRollout",
				"PrepareSchema", "PrepareAd", "AdReplication", "VerifyActiveDirectory", "UpgradeEachServer",
				"VerifyRollout", "RebalanceDatabases", "SummariseRollout", "RolloutComplete");
		assertThat(rehearsal.lab.failures).isEmpty();
		assertThat(rehearsal.lab.lab.servers()).extracting(LabServerView::build).containsOnly(TARGET);
		assertThat(variable(pi, "outcome")).isEqualTo("completed");
		assertThat(variable(pi, "serversDone")).isEqualTo(6);
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("EX01,EX02,EX03,EX04,CAS01,CAS02");
		assertThat((String) variable(pi, "summary")).contains("completed, 6 of 6 servers upgraded")
				.contains("every server at the target and in service")
				.contains("every one on its activation-preference-1 copy");

		// Mailbox first, then Client Access; each server's changes all happen before the next server's first one.
		List<String> order = new ArrayList<>(serverChanges().stream().map(JournalEntry::server).distinct().toList());
		assertThat(order).containsExactly("EX01", "EX02", "EX03", "EX04", "CAS01", "CAS02");
		assertOneServerAtATime();
		// Active Directory was prepared once, from the first server, before any server was touched.
		List<JournalEntry> changes = rehearsal.changeEntries();
		assertThat(changes.get(0).command()).contains("/PrepareSchema");
		assertThat(changes.get(1).command()).contains("/PrepareAD");
		assertThat(changes.stream().filter(e -> e.command().contains("/Prepare"))).hasSize(2);
		// Rebalanced: every database is mounted on its activation-preference-1 copy, and never was without one.
		assertThat(rehearsal.lab.lab.databases()).allSatisfy(db -> assertThat(db.mountedOn()).as(db.name())
				.isEqualTo(JournalChecks.preferred(db)));
		assertThat(rehearsal.lab.lab.outages()).isEmpty();
	}

	@Test
	void thePlanShowsExactlyTheCommandsTheServersThenRun() {
		ProcessInstance pi = rehearsal.start(request("servers", "EX02,CAS01"));
		rehearsal.prepare();
		String plan = (String) variable(pi, "planCommands");
		assertThat((String) variable(pi, "plan")).contains("1. EX02: DAG member").contains("2. CAS01: Client Access");
		rehearsal.completeChecklist();
		rehearsal.approve();
		rehearsal.runRollout(pi, Duration.ofHours(6));

		assertThat(pi).isEnded();
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("EX02,CAS01");
		Map<String, List<String>> journal = rehearsal.changesByServer();
		assertThat(plannedChanges(plan, "On each DAG member")).containsExactlyElementsOf(
				journal.get("EX02").stream().filter(c -> !c.contains("/Prepare") && !c.contains("-ActivateOnServer")).toList());
		assertThat(plannedChanges(plan, "On each Client Access server")).containsExactlyElementsOf(journal.get("CAS01"));
		assertThat(journal).doesNotContainKeys("EX03", "EX04", "CAS02");
	}

	@Test
	void eachClientAccessServerIsBlockedBeforeItsSetupAndUnblockedAfter() {
		ProcessInstance pi = rehearsal.start(request("servers", "CAS01,CAS02"));
		rehearsal.prepare();
		rehearsal.completeChecklist();
		rehearsal.approve();
		rehearsal.runRollout(pi, Duration.ofHours(6));

		assertThat(pi).isEnded();
		for (String cas : CLIENT_ACCESS) {
			List<JournalEntry> changes = serverChanges().stream().filter(e -> e.server().equals(cas)).toList();
			Instant offline = changes.get(0).time();
			Instant online = changes.get(changes.size() - 1).time();
			assertThat(changes.get(0).command()).contains("-Component 'ServerWideOffline' -State 'Inactive'");
			assertThat(changes.get(changes.size() - 1).command()).contains("-Component 'ServerWideOffline' -State 'Active'");
			assertThat(changes).anySatisfy(e -> assertThat(e.command()).contains("Setup.exe /m:upgrade"));
			// The lab's clock and the engine's are one: an operator's answer and the job it releases share an instant.
			assertThat(completedAt("BlockInLoadBalancer", cas)).as(cas + " blocked before anything changed on it")
					.isBeforeOrEqualTo(offline);
			assertThat(completedAt("UnblockInLoadBalancer", cas)).as(cas + " unblocked after it was back online")
					.isAfterOrEqualTo(online);
		}
		var casRuns = historyService().createHistoricProcessInstanceQuery().processDefinitionKey("cas-server-upgrade").list();
		assertThat(casRuns).hasSize(2).allSatisfy(run -> {
			assertThat(run.getBusinessKey()).isEqualTo(pi.getBusinessKey());
			assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(run.getId())
					.orderPartiallyByOccurrence().asc().list()).extracting(a -> a.getActivityId())
					.containsSubsequence("BlockInLoadBalancer", "TakeServerOffline", "RunSetup", "RestartAfterSetup",
							"BringServerOnline", "UnblockInLoadBalancer", "WaitForHealthPages", "Upgraded");
		});
	}

	// ---- helpers -----------------------------------------------------------------------------------------------

	List<JournalEntry> serverChanges() {
		return JournalChecks.serverChanges(rehearsal.lab.lab.journal());
	}

	void assertOneServerAtATime() {
		JournalChecks.assertOneServerAtATime(rehearsal.lab.lab.journal());
	}

	static List<String> plannedChanges(String plan, String section) {
		List<String> commands = new ArrayList<>();
		boolean in = false;
		for (String line : plan.split("\n")) {
			if (line.startsWith("#### ")) {
				in = line.startsWith("#### " + section);
				continue;
			}
			Matcher m = COMMAND.matcher(line);
			if (in && m.matches() && !m.group(1).startsWith("Invoke-WebRequest")) {
				commands.add(m.group(1));
			}
		}
		return commands;
	}


	Instant completedAt(String taskKey, String server) {
		List<HistoricTaskInstance> tasks = historyService().createHistoricTaskInstanceQuery().taskDefinitionKey(taskKey)
				.finished().list();
		return tasks.stream().filter(t -> t.getName().contains(server)).findFirst().orElseThrow().getEndTime().toInstant();
	}
}
