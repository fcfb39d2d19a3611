package dev.runbook.rollout;

import static dev.runbook.rollout.RolloutRehearsal.DAG;
import static dev.runbook.rollout.RolloutRehearsal.TARGET;
import static dev.runbook.rollout.RolloutRehearsal.request;
import static dev.runbook.rollout.RolloutRehearsal.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.Requester;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.Topology;
import dev.runbook.process.LabRehearsal;
import dev.runbook.quality.CoveredProcessEngine;

/**
 * Everything before the first change: the request, discovery and pre-flight, the plan, the checklist and the
 * approval. None of these paths may change anything on any server.
 */
@Deployment(resources = { "processes/exchange-rolling-upgrade.bpmn", "processes/rollout-preflight.bpmn",
		"processes/cas-server-upgrade.bpmn", "processes/mailbox-server-upgrade.bpmn",
		"processes/mailbox-server-maintenance-start.bpmn", "processes/mailbox-server-maintenance-stop.bpmn",
		"processes/exchange-setup.bpmn", "processes/server-restart.bpmn" })
class RolloutPreparationTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	ProcessEngine engine;
	RolloutRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		this.engine = engine;
		init(engine);
		rehearsal = new RolloutRehearsal(engine);
	}

	@AfterEach
	void tearDown() {
		engine.getIdentityService().clearAuthentication();
		LabRehearsal.reset();
	}

	void useTopology(Topology topology) {
		LabRehearsal.reset();
		rehearsal = new RolloutRehearsal(engine, topology);
	}

	// ---- Dry run, rejection, nothing to do ---------------------------------------------------------------------

	@Test
	void aDryRunYieldsThePlanAndTheReportAndOnlyReads() {
		ProcessInstance pi = rehearsal.start(request("dryRun", true));
		rehearsal.prepare();

		assertThat(pi).isEnded().hasPassedInOrder("RunPreflight", "BuildPlan", "DryRunDone", "EndedWithoutChange")
				.hasNotPassed("PlanningChecklist");
		assertThat(variable(pi, "outcome")).isEqualTo("dry-run");
		assertThat(rehearsal.lab.lab.journal()).isNotEmpty().noneMatch(JournalEntry::changesState);
		assertThat((String) variable(pi, "plan")).contains("1. EX01: DAG member", "4. EX04: DAG member",
				"5. CAS01: Client Access, NLB cluster NLB01", "6. CAS02");
		assertThat((String) variable(pi, "planCommands")).contains("`Suspend-ClusterNode -Name 'EX01'`",
				"`Set-Location -LiteralPath 'D:\\Media\\Exchange2013-CU23'; .\\Setup.exe /m:upgrade /IAcceptExchangeServerLicenseTerms`",
				"By hand: an operator takes CAS01 out of NLB cluster NLB01");
		assertThat((String) variable(pi, "planCommands")).as("Redirect-Message's target by FQDN, from Get-ExchangeServer")
				.containsIgnoringCase("`Redirect-Message -Server 'EX01' -Target 'EX02.contoso.local' -Confirm:$false`");
		assertThat((String) variable(pi, "preflightReport")).startsWith("**Pre-flight: 12 checks")
				.contains("#### Quorum while one member is down: passed");
	}

	/** Tasklist's start form must refuse, before the engine does, every request the process would refuse. */
	@Test
	void theStartFormRequiresEverythingTheRequestCannotDoWithout() throws IOException {
		JsonNode form = new ObjectMapper().readTree(Path.of("forms", "rollout-request.form").toFile());
		Map<String, Boolean> requiredInForm = new TreeMap<>();
		Map<String, Boolean> refusedWithout = new TreeMap<>();
		for (JsonNode field : form.get("components")) {
			if (!field.hasNonNull("key")) {
				continue;
			}
			String key = field.get("key").asText();
			requiredInForm.put(key, field.at("/validate/required").asBoolean());
			Map<String, Object> request = request();
			request.remove(key);
			try {
				ProcessInstance accepted = rehearsal.start(request);
				runtimeService().deleteProcessInstance(accepted.getId(), "only the start was tested");
				refusedWithout.put(key, false);
			} catch (BadUserRequestException refused) {
				refusedWithout.put(key, true);
			}
		}

		assertThat(requiredInForm).containsOnlyKeys("dag", "targetBuild", "setupPath", "loadBalancer", "servers",
				"order", "dryRun");
		assertThat(refusedWithout).as("the request refuses a start without these").containsEntry("dag", true)
				.containsEntry("targetBuild", true).containsEntry("setupPath", true);
		// The form may require more (a select with a default), never less.
		refusedWithout.forEach((key, refused) -> assertThat(!refused || requiredInForm.get(key))
				.as("%s: refused without it, so required in the form", key).isTrue());
	}

	@Test
	void aRejectionEndsTheRunWithItsReason() {
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		rehearsal.completeChecklist();
		rehearsal.approve("approved", false, "approvalComment", "Not during the quarter close.");

		assertThat(pi).isEnded().hasPassed("Rejected", "EndedWithoutChange").hasNotPassed("UpgradeServers");
		assertThat(variable(pi, "outcome")).isEqualTo("rejected");
		assertThat(variable(pi, "approvalComment")).isEqualTo("Not during the quarter close.");
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	@Test
	void serversAlreadyAtTheTargetAreLeftOutOfThePlan() {
		useTopology(Topologies.withConditions(new Topology.ServerCondition("EX03", TARGET, null)));
		ProcessInstance pi = rehearsal.start(request("servers", "EX02,EX03"));
		rehearsal.prepare();

		assertThat(variable(pi, "plannedServers")).isEqualTo("EX02");
		assertThat(variable(pi, "serversAtTarget")).isEqualTo("EX03");
		assertThat((String) variable(pi, "plan")).contains("Already at " + TARGET + ", left out: EX03.");
		rehearsal.completeChecklist();
		rehearsal.approve();
		rehearsal.runRollout(pi, Duration.ofHours(4));

		assertThat(pi).isEnded().hasPassed("RolloutComplete");
		assertThat(rehearsal.changesByServer()).containsKey("EX02").doesNotContainKey("EX03");
		assertThat((String) variable(pi, "summary")).contains("Already at the target, left out: EX03");
	}

	@Test
	void aRunWithEveryServerAtTheTargetEndsWithNothingToDo() {
		useTopology(Topologies.withConditions(new Topology.ServerCondition("EX03", TARGET, null)));
		ProcessInstance pi = rehearsal.start(request("servers", "EX03"));
		rehearsal.prepare();

		assertThat(pi).isEnded().hasPassed("NothingToUpgrade");
		assertThat(variable(pi, "outcome")).isEqualTo("nothing-to-upgrade");
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	// ---- Pre-flight refusals -----------------------------------------------------------------------------------

	@Test
	void aDagThatWouldLoseQuorumIsRefusedAtPreflight() {
		useTopology(Topologies.twoMembersWitnessOffline());
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();

		assertThat(pi).isEnded().hasPassed("RefusedAtPreflight").hasNotPassed("BuildPlan", "PlanningChecklist");
		assertThat(variable(pi, "outcome")).isEqualTo("refused");
		assertThat((String) variable(pi, "preflightRefusal"))
				.contains("Quorum while one member is down: While EX01 restarts, DAG01 would have 1 of 3 votes (2 needed)")
				.contains("While EX02 restarts");
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	@Test
	void aMemberAlreadyInMaintenanceIsRefusedAtPreflight() {
		rehearsal.lab.lab.execute(new SetServerComponentState(RolloutRehearsal.name("EX03"), Component.ServerWideOffline,
				ComponentState.Inactive, Requester.Maintenance));
		long before = rehearsal.changeEntries().size();
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();

		assertThat(pi).isEnded().hasPassed("RefusedAtPreflight");
		assertThat((String) variable(pi, "preflightRefusal"))
				.contains("Servers already in maintenance: EX03: ServerWideOffline Inactive, HubTransport Inactive.");
		assertThat(rehearsal.changeEntries()).hasSize((int) before);
	}

	@Test
	void setupMediaNoServerCanReachIsRefusedAtPreflight() {
		ProcessInstance pi = rehearsal.start(request("setupPath", "\\\\FILES01\\Media$\\CU23\\Setup.exe"));
		rehearsal.prepare();

		assertThat(pi).isEnded().hasPassed("RefusedAtPreflight");
		assertThat((String) variable(pi, "preflightRefusal")).contains(
				"Setup media: \\\\FILES01\\Media$\\CU23\\Setup.exe cannot be reached from EX01, EX02, EX03, EX04, CAS01, CAS02");
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	@Test
	void setupMediaOfAnotherUpdateIsRefusedAtPreflightBeforeAnyServerLeavesService() {
		String cu22 = "D:\\Media\\Exchange2013-CU22\\Setup.exe";
		useTopology(Topologies.withMedia(cu22, "15.0.1473.3"));
		ProcessInstance pi = rehearsal.start(request("setupPath", cu22));
		rehearsal.prepare();

		assertThat(pi).isEnded().hasPassed("RefusedAtPreflight").hasNotPassed("BuildPlan", "PlanningChecklist");
		assertThat((String) variable(pi, "preflightRefusal")).contains("Setup media: " + cu22
				+ " is reachable from every server to upgrade, and its product version is 15.0.1473.3, not the target build "
				+ TARGET + ": this is another update's media.");
		assertThat(rehearsal.lab.lab.journal()).anyMatch(e -> e.command().startsWith("Get-Item -LiteralPath '" + cu22 + "'"));
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	@Test
	void databasesThatWouldLoseTheirCopiesStopTheRunUnlessTheApproverAcceptsTheirDowntime() {
		rehearsal.lab.lab.injectFault(RolloutRehearsal.name("EX03"), LabFault.COPY_FAILED, 1);
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();

		assertThat(pi).isWaitingAt("PlanningChecklist");
		assertThat(variable(pi, "databasesAtRisk")).isEqualTo("DB01,DB02,DB05,DB08");
		assertThat((String) variable(pi, "preflightReport")).contains(
				"#### Database copies while one member is down: refused unless the approver accepts downtime",
				"DB01 would keep 1 healthy copy (EX02) while EX01 is down; 2 are needed");
		rehearsal.completeChecklist();
		rehearsal.approve();

		assertThat(pi).isEnded().hasPassed("DowntimeNotAccepted").hasNotPassed("UpgradeServers");
		assertThat(variable(pi, "outcome")).isEqualTo("refused");
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	@Test
	void anApproverWhoAcceptsTheDowntimeLetsTheRunGoOn() {
		rehearsal.lab.lab.injectFault(RolloutRehearsal.name("EX03"), LabFault.COPY_FAILED, 1);
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		rehearsal.completeChecklist();
		rehearsal.approve("downtimeAccepted", true);
		rehearsal.lab.advance(Duration.ofMinutes(30));

		assertThat(pi).hasPassed("DowntimeAccepted", "CheckServerCanGoDown").isWaitingAt("UpgradeEachServer");
		assertThat(rehearsal.changesByServer().get("EX01")).anySatisfy(
				c -> assertThat(c).contains("-Component 'HubTransport' -State 'Draining'"));
	}

	// ---- Checklist, approval, escalation, abort ----------------------------------------------------------------

	@Test
	void theChecklistCannotBeCompletedWithoutEveryConfirmation() {
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		assertThat(rehearsal.openTask("PlanningChecklist")).hasCandidateGroup("operators");

		assertThatThrownBy(() -> complete(rehearsal.openTask("PlanningChecklist"), withVariables("maintenanceWindowScheduled", true, "backupDone", false,
				"permissionsConfirmed", true, "antivirusConfirmed", true)))
				.isInstanceOf(ProcessEngineException.class)
				.hasMessageContaining("'Planning checklist: DAG01 to 15.0.1497.2' cannot be completed")
				.hasMessageContaining("backupDone must be confirmed (true)")
				.hasMessageContaining("clusterHeartbeatConfirmed must be confirmed (true)");
		assertThat(pi).isWaitingAt("PlanningChecklist");
	}

	@Test
	void theApprovalGoesToManagersRecordsTheRequesterForFourEyesAndKeepsTheBusinessKey() {
		engine.getIdentityService().setAuthenticatedUserId("olivia");
		ProcessInstance pi = rehearsal.start(request());
		engine.getIdentityService().clearAuthentication();
		rehearsal.prepare();
		rehearsal.completeChecklist();

		assertThat(pi.getBusinessKey()).isEqualTo(DAG + "-" + TARGET);
		assertThat(variable(pi, "requestedBy")).isEqualTo("olivia");
		assertThat(rehearsal.openTask("ApproveRollout")).hasCandidateGroup("managers")
				.hasName("Approve the rolling upgrade of DAG01 to 15.0.1497.2");
		UserTask approval = repositoryService().getBpmnModelInstance(pi.getProcessDefinitionId())
				.getModelElementById("ApproveRollout");
		assertThat(approval.getExtensionElements().getElementsQuery().filterByType(
				org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties.class).singleResult().getCamundaProperties())
				.extracting(CamundaProperty::getCamundaName, CamundaProperty::getCamundaValue)
				.contains(org.assertj.core.groups.Tuple.tuple("fourEyes", "requestedBy"));
		assertThat(historyService().createHistoricProcessInstanceQuery().processDefinitionKey("rollout-preflight")
				.singleResult().getBusinessKey()).isEqualTo(pi.getBusinessKey());
	}

	@Test
	void anApprovalThatWaitsTooLongEscalatesToManagersAndStaysOpen() {
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		rehearsal.completeChecklist();
		rehearsal.lab.advance(Duration.ofHours(23));
		assertThat(taskQuery().taskDefinitionKey("EscalateApproval").count()).isZero();

		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isWaitingAt("ApproveRollout", "EscalateApproval");
		assertThat(taskQuery().taskDefinitionKey("EscalateApproval").singleResult()).hasCandidateGroup("managers")
				.hasName("Approval of DAG01 to 15.0.1497.2 is overdue");
		complete(rehearsal.openTask("EscalateApproval"), withVariables("overdueDecision", "wait"));
		assertThat(pi).isWaitingAt("ApproveRollout");
		assertThat(taskQuery().taskDefinitionKey("EscalateApproval").count()).isZero();

		rehearsal.approve();
		assertThat(pi).hasPassed("StillWaiting", "ReadyToUpgrade");
	}

	@Test
	void aManagerCanCancelAnOverdueApproval() {
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		rehearsal.completeChecklist();
		rehearsal.lab.advance(Duration.ofHours(25));
		complete(rehearsal.openTask("EscalateApproval"), withVariables("overdueDecision", "cancel"));

		assertThat(pi).isEnded().hasPassed("RolloutCancelled", "EndedWithoutChange");
		assertThat(variable(pi, "outcome")).isEqualTo("cancelled");
		assertThat(taskQuery().count()).isZero();
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	@Test
	void anAbortBeforeTheApprovalEndsTheRunAtOnce() {
		ProcessInstance pi = rehearsal.start(request());
		rehearsal.prepare();
		rehearsal.completeChecklist();

		engine.getIdentityService().setAuthenticatedUserId("omar");
		runtimeService().createMessageCorrelation("AbortRollout").processInstanceBusinessKey(pi.getBusinessKey())
				.setVariable("abortReason", "The window moved to Sunday.").correlate();

		assertThat(pi).isEnded().hasPassed("AbortedBeforeChange", "EndedWithoutChange").hasNotPassed("Approved", "UpgradeServers");
		assertThat(variable(pi, "outcome")).isEqualTo("aborted");
		assertThat(variable(pi, "abortRequestedBy")).isEqualTo("omar");
		assertThat(variable(pi, "abortReason")).isEqualTo("The window moved to Sunday.");
		assertThat(taskQuery().count()).isZero();
		assertThat(rehearsal.changeEntries()).isEmpty();
	}

	// ---- The request ----------------------------------------------------------------------------------------

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"dag         | DAG09                  | DAG09 is not a database availability group of this organisation",
			"dag         | DAG 01                 | DAG name 'DAG 01' is not accepted",
			"targetBuild | 15.0                   | is not an Exchange build number",
			"targetBuild | 15.0.1000.1            | older than the build of EX01 (15.0.1473.3)",
			"targetBuild | 15.1.2507.6            | is not a build of the version installed on EX01",
			"setupPath   | D:\\Media\\CU23\\update.exe | must name Setup.exe",
			"loadBalancer | f5                    | Load balancer 'f5' is not known: use manual or windows-nlb",
			"order       | random                 | Order 'random' is not known",
			"servers     | EX09                   | EX09 is not a server of this Exchange organisation",
			"dryRun      | maybe                  | Variable 'dryRun' must be true or false" })
	void aBadRequestIsRefusedBeforeAnythingRuns(String variable, String value, String reason) {
		assertThatThrownBy(() -> rehearsal.start(request(variable, value)))
				.isInstanceOf(BadUserRequestException.class).hasMessageContaining(reason);
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(rehearsal.lab.lab.journal()).isEmpty();
	}

	@Test
	void aSecondRolloutOfTheSameDagIsRefusedWhileTheFirstRuns() {
		rehearsal.start(request());
		rehearsal.prepare();

		assertThatThrownBy(() -> rehearsal.start(request("targetBuild", "15.0.1497.2")))
				.isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("A rolling upgrade of DAG01 is already running (business key DAG01-15.0.1497.2");
		assertThat(rehearsal.start(request("dryRun", true))).as("a dry run changes nothing and may run alongside").isNotNull();
	}

	@Test
	void theRequestIsStoredInCanonicalForm() {
		ProcessInstance pi = rehearsal.start(Map.of("dag", " dag01 ", "targetBuild", "15.0.1497.2", "setupPath",
				"D:\\Media\\Exchange2013-CU23\\Setup.exe", "servers", "ex02, cas01", "dryRun", "true"));

		assertThat(pi.getBusinessKey()).isEqualTo("DAG01-15.0.1497.2");
		rehearsal.prepare();
		assertThat(variable(pi, "dag")).isEqualTo("DAG01");
		assertThat(variable(pi, "servers")).isEqualTo("EX02,CAS01");
		assertThat(variable(pi, "loadBalancer")).isEqualTo("manual");
		assertThat(variable(pi, "order")).isEqualTo("mailbox-first");
		assertThat(variable(pi, "dryRun")).isEqualTo(true);
		assertThat(variable(pi, "plannedServers")).isEqualTo("EX02,CAS01");
	}
}
