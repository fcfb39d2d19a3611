package dev.runbook.process;

import static dev.runbook.process.LabRehearsal.EX02;
import static dev.runbook.process.LabRehearsal.INSTALLED_BUILD;
import static dev.runbook.process.LabRehearsal.SETUP_PATH;
import static dev.runbook.process.LabRehearsal.TARGET_BUILD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runbook.RunbookProperties;
import dev.runbook.command.Component;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabServerView;
import dev.runbook.lab.Topology;
import dev.runbook.quality.CoveredProcessEngine;

@Deployment(resources = { "processes/mailbox-server-upgrade.bpmn", "processes/mailbox-server-maintenance-start.bpmn",
		"processes/mailbox-server-maintenance-stop.bpmn", "processes/exchange-setup.bpmn", "processes/server-restart.bpmn",
		"forms/queues-not-drained.form", "forms/databases-not-moved.form", "forms/maintenance-not-verified.form",
		"forms/service-not-restored.form", "forms/setup-failed.form", "forms/setup-overdue.form",
		"forms/server-not-answering.form" })
class UpgradeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final ServerName EX01 = ServerName.of("EX01");
	static final String SETUP = SeedSteps.setup(EX02, SETUP_PATH);
	static final String RESTART = SeedSteps.restart(EX02);

	ProcessEngine engine;
	LabRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		this.engine = engine;
		init(engine);
		rehearsal = new LabRehearsal(engine);
	}

	@AfterEach
	void tearDown() {
		LabRehearsal.reset();
	}

	/** The bundled lab with EX02 starting in {@code condition}. */
	void useCondition(Topology.ServerCondition condition) {
		LabRehearsal.reset();
		Topology t = Topology.bundledDefault();
		rehearsal = new LabRehearsal(engine, new Topology(t.organisation(), t.domain(), t.build(), t.media(), t.dags(),
				t.clientAccess(), List.of(condition)));
	}

	/** The bundled lab, with the runbook's setup timeout at {@code timeout} (the lab's setup takes an hour). */
	void useSetupTimeout(Duration timeout) {
		LabRehearsal.reset();
		RunbookProperties.Timing timing = new RunbookProperties.Timing(null, null, null, null, null, timeout, null, null);
		rehearsal = new LabRehearsal(engine, Topology.bundledDefault(), new RunbookProperties(null, null, timing, null));
	}

	ProcessInstance start() {
		return start("EX02", SETUP_PATH, TARGET_BUILD);
	}

	ProcessInstance start(String server, String setupPath, String targetBuild) {
		return runtimeService().startProcessInstanceByKey("mailbox-server-upgrade", "CHG-3",
				Map.of("server", server, "setupPath", setupPath, "targetBuild", targetBuild));
	}

	Task operatorTask(String taskDefinitionKey) {
		Task task = taskService().createTaskQuery().taskDefinitionKey(taskDefinitionKey).singleResult();
		assertThat(task).as("open task " + taskDefinitionKey).isNotNull();
		return task;
	}

	long count(String command) {
		return rehearsal.changes().stream().filter(command::equals).count();
	}

	LabServerView ex02() {
		return rehearsal.lab.server(EX02).orElseThrow();
	}

	void assertInService(String build) {
		LabServerView ex02 = ex02();
		assertThat(ex02.build()).isEqualTo(build);
		assertThat(ex02.components()).allSatisfy((component, state) -> assertThat(state).as(component)
				.isEqualTo(Component.valueOf(component).inactiveByDefault() ? "Inactive" : "Active"));
		assertThat(ex02.clusterNode()).isEqualTo("Up");
		assertThat(ex02.autoActivationPolicy()).isEqualTo("Unrestricted");
		assertThat(ex02.activationDisabledAndMoveNow()).isFalse();
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	void assertInMaintenance() {
		assertThat(ex02().components().get("ServerWideOffline")).isEqualTo("Inactive");
		assertThat(ex02().autoActivationPolicy()).isEqualTo("Blocked");
		assertThat(ex02().activeDatabases()).isEmpty();
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	// ---- Happy path --------------------------------------------------------------------------------------------

	@Test
	void upgradesTheServerInTheSeedsOrderAndBringsItBackIntoService() {
		ProcessInstance pi = start();

		rehearsal.advance(Duration.ofHours(3));

		assertThat(pi).isEnded().hasPassedInOrder("EnterMaintenance", "ReadInstalledBuild", "TestPendingReboot",
				"RunSetup", "RestartAfterSetup", "LeaveMaintenance", "Upgraded").hasNotPassed("RestartBeforeSetup");
		assertThat(rehearsal.changes()).isEqualTo(SeedSteps.upgrade(EX02, EX01, SETUP_PATH));
		assertInService(TARGET_BUILD);
		assertThat(ex02().pendingReboot()).isFalse();
		assertThat(pi).variables().containsEntry("installedBuild", TARGET_BUILD);
		assertThat(rehearsal.failures).isEmpty();
	}

	@Test
	void everyCalledProcessCarriesTheBusinessKey() {
		start();

		rehearsal.advance(Duration.ofHours(3));

		assertThat(historyService().createHistoricProcessInstanceQuery().processInstanceBusinessKey("CHG-3").list())
				.extracting(HistoricProcessInstance::getProcessDefinitionKey)
				.containsExactlyInAnyOrder("mailbox-server-upgrade", "mailbox-server-maintenance-start", "exchange-setup",
						"server-restart", "mailbox-server-maintenance-stop");
		assertThat(historyService().createHistoricProcessInstanceQuery().count()).isEqualTo(5);
	}

	// ---- Setup -------------------------------------------------------------------------------------------------

	Task setupFailed() {
		rehearsal.lab.injectFault(EX02, LabFault.SETUP_FAILS, 1);
		start();
		rehearsal.advance(Duration.ofHours(2));
		Task task = operatorTask("SetupFailedOnServer");
		assertThat(task).hasCandidateGroup("operators").hasName("Setup failed on EX02");
		assertThat((String) runtimeService().getVariable(task.getExecutionId(), "setupErrors"))
				.startsWith("[ERROR]").contains("Install-ExchangeCertificate");
		return task;
	}

	@Test
	void aFailedSetupGoesToAnOperatorAndARetrySucceeds() {
		Task task = setupFailed();
		assertInMaintenance();

		complete(task, withVariables("setupDecision", "retry"));
		rehearsal.advance(Duration.ofHours(3));

		ProcessInstance pi = runtimeService().createProcessInstanceQuery().processDefinitionKey("mailbox-server-upgrade")
				.singleResult();
		assertThat(pi).isNull();
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("Upgraded").count()).isOne();
		assertThat(count(SETUP)).isEqualTo(2);
		assertInService(TARGET_BUILD);
	}

	@Test
	void aFailedSetupThatTheOperatorStopsLeavesTheServerInMaintenance() {
		Task task = setupFailed();

		complete(task, withVariables("setupDecision", "stop"));

		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("StoppedInSetup").count()).isOne();
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("LeaveMaintenance").count()).isZero();
		assertInMaintenance();
		assertThat(ex02().build()).isEqualTo(INSTALLED_BUILD);
	}

	@Test
	void setupThatOutlastsItsTimeoutAsksTheOperatorAndWaitsAgain() {
		useSetupTimeout(Duration.ofMinutes(30));
		start();

		rehearsal.advance(Duration.ofMinutes(45));
		Task task = operatorTask("SetupOverdue");
		assertThat(task).hasName("Setup on EX02 is taking longer than expected");
		assertThat(runtimeService().getVariable(task.getExecutionId(), "setupState")).isEqualTo("Running");

		complete(task, withVariables("setupOverdueDecision", "wait"));
		rehearsal.advance(Duration.ofHours(2));

		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("Upgraded").count()).isOne();
		assertThat(count(SETUP)).as("waiting again does not start setup again").isOne();
		assertInService(TARGET_BUILD);
	}

	@Test
	void setupThatOutlastsItsTimeoutMayBeStoppedAndTheServerStaysInMaintenance() {
		useSetupTimeout(Duration.ofMinutes(30));
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofMinutes(45));

		complete(operatorTask("SetupOverdue"), withVariables("setupOverdueDecision", "stop"));

		assertThat(pi).isEnded().hasPassedInOrder("RunSetup", "StoppedInSetup").hasNotPassed("RestartAfterSetup",
				"LeaveMaintenance");
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("StoppedWhileRunning").count())
				.isOne();
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		// Stopping the runbook does not stop Setup.exe: the server is reported as it is, still in maintenance.
		assertThat(ex02().setup()).isEqualTo("Running");
		assertInMaintenance();
		assertThat(count(SETUP)).isOne();
		assertThat(count(RESTART)).isZero();
	}

	@Test
	void mediaThatInstallsAnotherBuildIsRefusedBeforeTheServerLeavesService() {
		// The media at SETUP_PATH holds 15.0.1497.2; the request names a later security update of that CU.
		ProcessInstance pi = start("EX02", SETUP_PATH, "15.0.1497.3");
		rehearsal.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassedInOrder("CheckSetupMedia", "SetupMediaUsable", "UpgradeRefused")
				.hasNotPassed("EnterMaintenance");
		assertThat(rehearsal.lab.journal()).extracting(JournalEntry::command).containsExactly(
				"Test-Path -LiteralPath 'D:\\Media\\Exchange2013-CU23\\Setup.exe' -PathType 'Leaf'",
				"Get-Item -LiteralPath 'D:\\Media\\Exchange2013-CU23\\Setup.exe'");
		assertThat(rehearsal.changes()).isEmpty();
		assertThat(historyVariable(pi, "setupMediaBuild")).isEqualTo(TARGET_BUILD);
		assertThat(historyVariable(pi, "setupMediaProblem")).isEqualTo("D:\\Media\\Exchange2013-CU23\\Setup.exe installs "
				+ "15.0.1497.2, not the target build 15.0.1497.3: this is another update's media. Point setupPath at the"
				+ " media of 15.0.1497.3. EX02 was not touched.");
		assertInService(INSTALLED_BUILD);
	}

	@Test
	void mediaTheServerCannotReachIsRefusedBeforeTheServerLeavesService() {
		useCondition(new Topology.ServerCondition("EX02", null, null, null, null, null, null, true, null));
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassed("UpgradeRefused").hasNotPassed("EnterMaintenance");
		assertThat(rehearsal.lab.journal()).hasSize(1);
		assertThat(historyVariable(pi, "setupMediaProblem")).isEqualTo("D:\\Media\\Exchange2013-CU23\\Setup.exe cannot be "
				+ "reached from EX02 (Test-Path): copy the update there or use a share the server can read. EX02 was not touched.");
		assertInService(INSTALLED_BUILD);
	}

	@Test
	void mediaReplacedAfterTheCheckIsFoundByTheBuildCheckAndGoesToAnOperator() {
		ProcessInstance pi = start();
		rehearsal.advanceUntilJobAt("ReadInstalledBuild", Duration.ofHours(1));
		// While EX02 drains, someone copies a later security update of the CU over the share.
		rehearsal.lab.replaceMedia(WindowsPath.of(SETUP_PATH), ExchangeBuild.parse("15.0.1497.3"));
		rehearsal.advance(Duration.ofHours(2));

		Task task = operatorTask("SetupFailedOnServer");
		assertThat((String) runtimeService().getVariable(task.getExecutionId(), "setupErrors"))
				.isEqualTo("Get-ExchangeServer: EX02 is at build 15.0.1497.3, not the target 15.0.1497.2.");
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("WrongBuild").count()).isOne();
		assertThat(ex02().setup()).isEqualTo("Succeeded");
		complete(task, withVariables("setupDecision", "stop"));

		assertThat(pi).isEnded().hasPassed("StoppedInSetup").hasNotPassed("RestartAfterSetup", "LeaveMaintenance");
		assertInMaintenance();
		assertThat(ex02().build()).isEqualTo("15.0.1497.3");
	}

	static Object historyVariable(ProcessInstance pi, String name) {
		return historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).variableName(name)
				.singleResult().getValue();
	}

	@Test
	void setupIsNeverStartedTwiceWhileItRuns() {
		start();
		rehearsal.advanceUntilJobAt("ReadSetupStatus", Duration.ofHours(1));
		rehearsal.advance(Duration.ofMinutes(10));
		ProcessInstance setup = runtimeService().createProcessInstanceQuery().processDefinitionKey("exchange-setup").singleResult();
		assertThat(ex02().setup()).isEqualTo("Running");

		// An operator sends the instance back to Setup.exe, as Cockpit's modification allows.
		runtimeService().createProcessInstanceModification(setup.getId()).cancelAllForActivity("WaitForSetup")
				.startBeforeActivity("StartSetup").execute();
		rehearsal.advance(Duration.ofHours(3));

		assertThat(count(SETUP)).isOne();
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("StartSetup").count()).isEqualTo(2);
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("Upgraded").count()).isOne();
		assertInService(TARGET_BUILD);
	}

	@Test
	void aServerAlreadyAtTheTargetSkipsSetup() {
		ProcessInstance pi = start();
		rehearsal.advanceUntilJobAt("RestartIfPending", Duration.ofHours(3));
		assertThat(ex02().build()).isEqualTo(TARGET_BUILD);

		// A rerun from Get-ExchangeServer, as an operator would do it with process instance modification.
		runtimeService().createProcessInstanceModification(pi.getId()).cancelAllForActivity("RestartAfterSetup")
				.startBeforeActivity("ReadInstalledBuild").execute();
		rehearsal.advance(Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassed("Upgraded");
		assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
				.activityId("ReadInstalledBuild").count()).isEqualTo(2);
		assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
				.activityId("RunSetup").count()).isOne();
		assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
				.variableName("atTargetBuild").singleResult().getValue()).isEqualTo(true);
		assertThat(count(SETUP)).isOne();
		assertInService(TARGET_BUILD);
	}

	// ---- Reboots -----------------------------------------------------------------------------------------------

	@Test
	void aPendingRebootIsHandledBeforeSetup() {
		useCondition(new Topology.ServerCondition("EX02", null, true));
		ProcessInstance pi = start();

		rehearsal.advance(Duration.ofHours(3));

		assertThat(pi).isEnded().hasPassedInOrder("TestPendingReboot", "RestartBeforeSetup", "RunSetup",
				"RestartAfterSetup", "Upgraded");
		List<String> changes = rehearsal.changes();
		assertThat(changes.indexOf(RESTART)).isLessThan(changes.indexOf(SETUP));
		assertThat(count(RESTART)).isEqualTo(2);
		assertThat(count(SETUP)).as("setup ran once, after the reboot").isOne();
		assertInService(TARGET_BUILD);
	}

	@Test
	void aServerThatDoesNotComeBackGoesToAnOperatorWhoMayStop() {
		rehearsal.lab.injectFault(EX02, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = start();

		rehearsal.advance(Duration.ofHours(3));
		Task task = operatorTask("ServerNotAnswering");
		assertThat(task).hasCandidateGroup("operators").hasName("EX02 does not answer after the restart");
		complete(task, withVariables("restartDecision", "stop"));

		assertThat(pi).isEnded().hasPassed("StoppedAfterSetup").hasNotPassed("LeaveMaintenance");
		assertThat(ex02().reachable()).isFalse();
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	@Test
	void aServerThatDoesNotComeBackBeforeSetupMayBeStoppedBeforeSetupRuns() {
		useCondition(new Topology.ServerCondition("EX02", null, true));
		rehearsal.lab.injectFault(EX02, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofHours(1));

		complete(operatorTask("ServerNotAnswering"), withVariables("restartDecision", "stop"));

		assertThat(pi).isEnded().hasPassedInOrder("TestPendingReboot", "RestartBeforeSetup", "StoppedBeforeSetup")
				.hasNotPassed("RunSetup", "LeaveMaintenance");
		assertThat(rehearsal.changes()).contains(RESTART).doesNotContain(SETUP);
		assertThat(ex02().reachable()).isFalse();
		assertThat(ex02().build()).isEqualTo(INSTALLED_BUILD);
	}

	@Test
	void anOperatorWhoBringsTheServerBackMayWaitAgainAndTheUpgradeGoesOn() {
		rehearsal.lab.injectFault(EX02, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofHours(3));
		Task task = operatorTask("ServerNotAnswering");
		assertThat(ex02().reachable()).isFalse();

		// Someone starts the server from its console, then the operator waits again.
		rehearsal.lab.clearFaults();
		complete(task, withVariables("restartDecision", "wait"));
		rehearsal.advance(Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassedInOrder("RestartAfterSetup", "LeaveMaintenance", "Upgraded");
		assertThat(historyService().createHistoricActivityInstanceQuery().activityId("WaitForServer").count())
				.as("waited, asked, waited again").isEqualTo(2);
		assertThat(count(RESTART)).as("waiting again does not restart the server again").isOne();
		assertInService(TARGET_BUILD);
	}

	// ---- Aborted maintenance -----------------------------------------------------------------------------------

	@Test
	void anAbortedMaintenanceIsUndoneAndTheUpgradeEndsAborted() {
		rehearsal.lab.injectFault(EX02, LabFault.QUEUE_STUCK, 1000);
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofMinutes(20));

		complete(operatorTask("QueuesNotDrained"), withVariables("drainDecision", "abort"));
		rehearsal.advance(Duration.ofMinutes(10));

		assertThat(pi).isEnded().hasPassedInOrder("EnterMaintenance", "UndoMaintenance", "UpgradeAborted")
				.hasNotPassed("ReadInstalledBuild");
		assertThat(rehearsal.changes()).doesNotContain(SETUP);
		assertInService(INSTALLED_BUILD);
	}

	// ---- Refusals ----------------------------------------------------------------------------------------------

	static Stream<Arguments> refusedRequests() {
		return Stream.of(
				Arguments.of("EX01; Remove-Item C:\\", SETUP_PATH, TARGET_BUILD, "is not a valid host name"),
				Arguments.of("EX99", SETUP_PATH, TARGET_BUILD, "EX99 is not a server of this Exchange organisation"),
				Arguments.of("CAS01", SETUP_PATH, TARGET_BUILD, "not a member of a database availability group"),
				Arguments.of("EX02", SETUP_PATH, INSTALLED_BUILD, "is not newer than the build installed on EX02"),
				Arguments.of("EX02", SETUP_PATH, "15.0.847.32", "is not newer than the build installed on EX02"),
				Arguments.of("EX02", SETUP_PATH, "15.1.2507.6", "is not a build of the version installed on EX02"),
				Arguments.of("EX02", SETUP_PATH, "latest", "is not an Exchange build number"),
				Arguments.of("EX02", "D:\\Media\\Exchange2013-CU23\\setup.msi", TARGET_BUILD, "must name Setup.exe"),
				Arguments.of("EX02", "D:\\Media\\$(Remove-Item C:\\)\\Setup.exe", TARGET_BUILD, "is not accepted"));
	}

	@ParameterizedTest
	@MethodSource("refusedRequests")
	void aBadRequestIsRefusedBeforeAnythingRuns(String server, String setupPath, String targetBuild, String reason) {
		assertThatThrownBy(() -> start(server, setupPath, targetBuild)).isInstanceOf(BadUserRequestException.class)
				.hasMessageStartingWith("Request refused: ").hasMessageContaining(reason);

		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(historyService().createHistoricProcessInstanceQuery().count()).isZero();
		assertThat(engine.getManagementService().createJobQuery().count()).isZero();
		assertThat(rehearsal.lab.journal()).isEmpty();
	}

	@Test
	void anAcceptedRequestIsStoredInCanonicalForm() {
		ProcessInstance pi = start(" ex02 ", " " + SETUP_PATH + " ", " " + TARGET_BUILD + " ");

		assertThat(pi).variables().containsEntry("server", "EX02").containsEntry("setupPath", SETUP_PATH)
				.containsEntry("targetBuild", TARGET_BUILD);
		assertThat(rehearsal.lab.journal()).as("nothing runs until the job executor takes the first step").isEmpty();
		assertThat(new ArrayList<>(rehearsal.failures)).isEmpty();
	}
}
