package dev.runbook.rollout;

import static dev.runbook.rollout.RolloutRehearsal.SETUP_PATH;
import static dev.runbook.rollout.RolloutRehearsal.TARGET;
import static dev.runbook.rollout.RolloutRehearsal.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.StartNlbClusterNode;
import dev.runbook.command.ExchangeCommand.StopNlbClusterNode;
import dev.runbook.command.Requester;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabServerView;
import dev.runbook.lab.Topology;
import dev.runbook.process.LabRehearsal;
import dev.runbook.quality.CoveredProcessEngine;

/** cas-server-upgrade on its own, with an operator's load balancer and with Windows NLB. */
@Deployment(resources = { "processes/cas-server-upgrade.bpmn", "processes/exchange-setup.bpmn",
		"processes/server-restart.bpmn" })
class CasServerUpgradeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final String OFFLINE = "Set-ServerComponentState -Identity 'CAS01' -Component 'ServerWideOffline' -State 'Inactive' -Requester 'Maintenance'";
	static final String SETUP = "Set-Location -LiteralPath 'D:\\Media\\Exchange2013-CU23'; .\\Setup.exe /m:upgrade /IAcceptExchangeServerLicenseTerms";
	static final String RESTART = "Restart-Computer -ComputerName 'CAS01' -Force";
	static final String ONLINE = "Set-ServerComponentState -Identity 'CAS01' -Component 'ServerWideOffline' -State 'Active' -Requester 'Maintenance'";
	static final String DRAIN = "Stop-NlbClusterNode -HostName 'CAS01' -Drain -Timeout 10";
	static final String SUSPEND = "Suspend-NlbClusterNode -HostName 'CAS01'";
	static final String RESUME = "Resume-NlbClusterNode -HostName 'CAS01'";
	static final String START_NLB = "Start-NlbClusterNode -HostName 'CAS01'";

	ProcessEngine engine;
	RolloutRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		this.engine = engine;
		init(engine);
		rehearsal = new RolloutRehearsal(engine);
	}

	void useTopology(Topology topology) {
		LabRehearsal.reset();
		rehearsal = new RolloutRehearsal(engine, topology);
	}

	@AfterEach
	void tearDown() {
		LabRehearsal.reset();
	}

	ProcessInstance start(String server, String loadBalancer) {
		Map<String, Object> variables = new HashMap<>(Map.of("server", server, "setupPath", SETUP_PATH, "targetBuild",
				TARGET, "loadBalancer", loadBalancer, "nlbCluster", "nlb01"));
		return runtimeService().startProcessInstanceByKey("cas-server-upgrade", "CHG-7", variables);
	}

	LabServerView cas01() {
		return rehearsal.lab.lab.server(name("CAS01")).orElseThrow();
	}

	/** The activities an instance passed, in the order they began (loops and called instances' own left out). */
	static List<String> passed(ProcessInstance pi) {
		return historyService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
				.orderPartiallyByOccurrence().asc().list().stream().map(a -> a.getActivityId()).toList();
	}

	/**
	 * An upgrade the operator stopped: ended where it was stopped, nothing more reaches the lab however long one waits,
	 * and CAS01 is what the end event says: offline (ServerWideOffline Inactive) and out of its pool (NLB node
	 * Suspended, so that a restart does not let it rejoin).
	 */
	void assertStoppedOfflineOutOfItsPool(ProcessInstance pi, String endEvent, String... changes) {
		assertThat(pi).isEnded().hasPassed(endEvent).hasNotPassed("BringServerOnline", "StartNlbNode", "Upgraded");
		assertThat(runtimeService().createProcessInstanceQuery().count()).as("called instances ended too").isZero();
		List<JournalEntry> journal = rehearsal.lab.lab.journal();
		rehearsal.lab.advance(Duration.ofHours(2));
		assertThat(rehearsal.lab.lab.journal()).as("nothing reaches the lab after the stop").isEqualTo(journal);
		assertThat(rehearsal.changesByServer().get("CAS01")).containsExactly(changes);
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Inactive");
		assertThat(cas01().nlbNode()).isEqualTo("Suspended");
	}

	@Test
	void withAManualBalancerAnOperatorBlocksTheServerFirstAndUnblocksItLast() {
		ProcessInstance pi = start("cas01", "manual");
		rehearsal.lab.runDueJobs();

		assertThat(pi).isWaitingAt("BlockInLoadBalancer");
		assertThat(rehearsal.openTask("BlockInLoadBalancer")).hasCandidateGroup("operators")
				.hasName("Block CAS01 in the load balancer");
		assertThat(pi).variables().containsEntry("server", "CAS01").containsEntry("nlbCluster", "NLB01");
		assertThatThrownBy(() -> complete(rehearsal.openTask("BlockInLoadBalancer"), withVariables("nlbBlocked", false)))
				.isInstanceOf(ProcessEngineException.class).hasMessageContaining("nlbBlocked must be confirmed (true)");
		rehearsal.lab.advance(Duration.ofMinutes(30));
		assertThat(rehearsal.changeEntries()).as("nothing changes before the operator confirms").isEmpty();

		complete(rehearsal.openTask("BlockInLoadBalancer"), withVariables("nlbBlocked", true));
		rehearsal.lab.advance(Duration.ofHours(2));
		assertThat(pi).isWaitingAt("UnblockInLoadBalancer");
		assertThat(cas01().build()).isEqualTo(TARGET);
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Active");
		complete(rehearsal.openTask("UnblockInLoadBalancer"), withVariables("nlbUnblocked", true));
		rehearsal.lab.advance(Duration.ofMinutes(5));

		assertThat(pi).isEnded().hasPassedInOrder("CheckSetupMedia", "BlockInLoadBalancer", "TakeServerOffline", "TestPendingReboot",
				"RunSetup", "RestartAfterSetup", "BringServerOnline", "VerifyComponents", "UnblockInLoadBalancer",
				"CheckHealthPages", "Upgraded");
		assertThat(rehearsal.changesByServer().get("CAS01")).containsExactly(OFFLINE, SETUP, RESTART, ONLINE);
		assertThat(pi).variables().containsEntry("healthPagesHealthy", true);
	}

	@Test
	void mediaOfAnotherBuildIsRefusedBeforeTheServerLeavesItsPool() {
		// The media at SETUP_PATH holds the target 15.0.1497.2; the request names a later security update of that CU.
		ProcessInstance pi = runtimeService().startProcessInstanceByKey("cas-server-upgrade", "CHG-7", Map.of("server",
				"CAS01", "setupPath", SETUP_PATH, "targetBuild", "15.0.1497.3", "loadBalancer", "windows-nlb"));
		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassedInOrder("CheckSetupMedia", "SetupMediaUsable", "UpgradeRefused")
				.hasNotPassed("LoadBalancerBefore");
		assertThat(rehearsal.changeEntries()).as("nothing changed").isEmpty();
		assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
				.variableName("setupMediaProblem").singleResult().getValue()).asString()
				.contains("installs 15.0.1497.2, not the target build 15.0.1497.3").endsWith("CAS01 was not touched.");
		assertThat(cas01().nlbNode()).isEqualTo("Converged");
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Active");
	}

	@Test
	void withWindowsNlbTheNodeIsDrainedSuspendedAcrossTheRebootAndStartedAgain() {
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofMinutes(3));
		assertThat(cas01().nlbNode()).as("draining").isEqualTo("Draining");
		assertThat(pi).isWaitingAt("NlbStopPoll");

		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassedInOrder("DrainStopNlbNode", "ReadNlbNode", "SuspendNlbNode",
				"TakeServerOffline", "RunSetup", "RestartAfterSetup", "BringServerOnline", "StartNlbNode",
				"CheckHealthPages", "Upgraded").hasNotPassed("BlockInLoadBalancer");
		assertThat(rehearsal.changesByServer().get("CAS01")).containsExactly(
				"Stop-NlbClusterNode -HostName 'CAS01' -Drain -Timeout 10", "Suspend-NlbClusterNode -HostName 'CAS01'",
				OFFLINE, SETUP, RESTART, ONLINE, "Resume-NlbClusterNode -HostName 'CAS01'",
				"Start-NlbClusterNode -HostName 'CAS01'");
		assertThat(cas01().nlbNode()).isEqualTo("Converged");
		assertThat(cas01().build()).isEqualTo(TARGET);
	}

	@Test
	void healthPagesThatDoNotAnswerGoToAnOperatorAfterTheTimeout() {
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.HEALTHCHECK_FAILS, 1);
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isWaitingAt("HealthPagesNotAnswering");
		assertThat(rehearsal.openTask("HealthPagesNotAnswering")).hasCandidateGroup("operators");
		assertThat(pi).variables().containsEntry("healthPagesHealthy", false);
		assertThat((String) runtimeService().getVariable(pi.getId(), "healthPageAnswers"))
				.contains("https://cas01/owa/healthcheck.htm: 503");

		rehearsal.lab.lab.clearFaults();
		complete(rehearsal.openTask("HealthPagesNotAnswering"), withVariables("healthDecision", "check"));
		rehearsal.lab.advance(Duration.ofMinutes(5));
		assertThat(pi).isEnded().hasPassed("Upgraded");
	}

	@Test
	void anOperatorCanStopWhileTheHealthPagesFail() {
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.HEALTHCHECK_FAILS, 1);
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));
		complete(rehearsal.openTask("HealthPagesNotAnswering"), withVariables("healthDecision", "stop"));

		assertThat(pi).isEnded().hasPassed("StoppedNotHealthy").hasNotPassed("Upgraded");
	}

	@Test
	void anOperatorMayAcceptHealthPagesThatFailWithAReasonAndTheServerStaysInItsPool() {
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.HEALTHCHECK_FAILS, 1);
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));
		assertThat(pi).isWaitingAt("HealthPagesNotAnswering");
		int checks = checksOfHealthPages(pi);

		complete(rehearsal.openTask("HealthPagesNotAnswering"), withVariables("healthDecision", "accept", "acceptReason",
				"The balancer in front of CAS01 does not probe healthcheck.htm; OWA answers through it."));
		rehearsal.lab.advance(Duration.ofMinutes(30));

		assertThat(pi).isEnded().hasPassed("HealthDecision", "UpgradedMerge", "Upgraded").hasNotPassed("StoppedNotHealthy");
		assertThat(checksOfHealthPages(pi)).as("accepted without checking again").isEqualTo(checks);
		assertThat(RolloutRehearsal.variable(pi, "healthPagesHealthy")).isEqualTo(false);
		assertThat((String) RolloutRehearsal.variable(pi, "acceptReason")).startsWith("The balancer in front of CAS01");
		assertThat(cas01().nlbNode()).as("left in its pool as accepted").isEqualTo("Converged");
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Active");
		assertThat(cas01().build()).isEqualTo(TARGET);
	}

	static int checksOfHealthPages(ProcessInstance pi) {
		return (int) historyService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
				.activityId("CheckHealthPages").count();
	}

	@Test
	void aServerAlreadyAtTheTargetGoesThroughWithoutSetup() {
		ProcessInstance first = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));
		assertThat(first).isEnded();
		int before = rehearsal.changeEntries().size();

		ProcessInstance again = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(1));

		assertThat(again).isEnded().hasPassed("Upgraded");
		List<String> rerun = rehearsal.changeEntries().subList(before, rehearsal.changeEntries().size()).stream()
				.map(e -> e.command()).toList();
		assertThat(rerun).doesNotContain(SETUP);
	}

	@Test
	void onlyAClientAccessServerThatIsNoDagMemberIsAccepted() {
		assertThatThrownBy(() -> start("EX02", "manual")).isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("Server EX02 (Mailbox) is not a Client Access server.");
		assertThatThrownBy(() -> start("CAS01", "round-robin")).isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("Load balancer 'round-robin' is not known");
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(rehearsal.lab.lab.journal()).isEmpty();
	}

	// ---- Windows NLB: a node that does not stop ----------------------------------------------------------------

	/**
	 * Someone starts CAS01's node again in NLB Manager while it drains: it reads Converged, never Stopped, and after
	 * the stop timeout an operator is asked. Nothing but the drain has changed on CAS01 by then.
	 */
	ProcessInstance nlbNodeStartedAgainWhileDraining() {
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofMinutes(2));
		assertThat(cas01().nlbNode()).isEqualTo("Draining");
		rehearsal.lab.lab.execute(new StartNlbClusterNode(name("CAS01")));
		rehearsal.lab.advance(Duration.ofMinutes(12));
		assertThat(pi).as("still polling 14 minutes after the drain").isWaitingAt("NlbStopPoll");

		rehearsal.lab.advance(Duration.ofMinutes(2));

		assertThat(pi).isWaitingAt("NlbNodeNotStopped").hasPassed("NlbStopTimeout").hasNotPassed("SuspendNlbNode");
		assertThat(rehearsal.openTask("NlbNodeNotStopped")).hasCandidateGroup("operators")
				.hasName("NLB node CAS01 does not stop");
		assertThat(pi).variables().containsEntry("nlbNodeState", "Converged").containsEntry("nlbNodeStopped", false);
		assertThat(rehearsal.changesByServer().get("CAS01")).as("nothing else has changed on CAS01 yet")
				.containsExactly(DRAIN, START_NLB);
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Active");
		return pi;
	}

	@Test
	void anNlbNodeThatDoesNotStopGoesToAnOperatorWhoseWaitLetsTheUpgradeGoOnOnceItStops() {
		ProcessInstance pi = nlbNodeStartedAgainWhileDraining();

		// The operator drains the node by hand, then waits again: the process polls again and sends no second drain.
		rehearsal.lab.lab.execute(new StopNlbClusterNode(name("CAS01"), 10));
		complete(rehearsal.openTask("NlbNodeNotStopped"), withVariables("nlbDecision", "wait"));
		rehearsal.lab.advance(Duration.ofMinutes(3));
		assertThat(pi).isWaitingAt("NlbStopPoll");
		assertThat(cas01().nlbNode()).isEqualTo("Draining");
		assertThat(rehearsal.changesByServer().get("CAS01")).containsExactly(DRAIN, START_NLB, DRAIN);

		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassed("Upgraded").hasNotPassed("StoppedWhileDraining");
		assertThat(passed(pi)).containsSubsequence("NlbStopTimeout", "NlbNodeNotStopped", "NlbDecision", "NlbWaitMerge",
				"WaitForNlbStop", "SuspendNlbNode", "TakeServerOffline", "RunSetup", "StartNlbNode", "Upgraded");
		assertThat(rehearsal.changesByServer().get("CAS01")).containsExactly(DRAIN, START_NLB, DRAIN, SUSPEND, OFFLINE,
				SETUP, RESTART, ONLINE, RESUME, START_NLB);
		assertThat(cas01().build()).isEqualTo(TARGET);
		assertThat(cas01().nlbNode()).isEqualTo("Converged");
	}

	@Test
	void anOperatorCanStopWhileTheNlbNodeDoesNotStopAndNothingMoreIsChanged() {
		ProcessInstance pi = nlbNodeStartedAgainWhileDraining();
		List<JournalEntry> journal = rehearsal.lab.lab.journal();

		complete(rehearsal.openTask("NlbNodeNotStopped"), withVariables("nlbDecision", "stop"));
		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassed("StoppedWhileDraining").hasNotPassed("SuspendNlbNode", "TakeServerOffline",
				"Upgraded");
		assertThat(rehearsal.lab.lab.journal()).as("nothing reaches the lab after the stop").isEqualTo(journal);
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Active");
		assertThat(cas01().nlbNode()).as("as the operator left it").isEqualTo("Converged");
		assertThat(cas01().build()).isEqualTo(RolloutRehearsal.INSTALLED);
	}

	// ---- Reboots and setup: restarts first, stops leave the server offline and out of its pool ---------------

	@Test
	void aPendingRebootIsRestartedAwayAndTestedAgainBeforeSetup() {
		useTopology(Topologies.withConditions(new Topology.ServerCondition("CAS01", null, true)));
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassed("Upgraded");
		assertThat(passed(pi)).containsSubsequence("TakeServerOffline", "TestPendingReboot", "RebootPending",
				"RestartBeforeSetup", "PendingMerge", "TestPendingReboot", "RebootPending", "RunSetup", "RestartAfterSetup",
				"Upgraded");
		assertThat(passed(pi).stream().filter("TestPendingReboot"::equals)).hasSize(2);
		assertThat(rehearsal.changesByServer().get("CAS01")).as("restarted offline and out of its pool, then set up once")
				.containsExactly(DRAIN, SUSPEND, OFFLINE, RESTART, SETUP, RESTART, ONLINE, RESUME, START_NLB);
		assertThat(rehearsal.lab.lab.journal()).noneMatch(e -> !e.succeeded() && e.command().contains("Setup.exe"));
		assertThat(cas01().build()).isEqualTo(TARGET);
		assertThat(cas01().pendingReboot()).isFalse();
	}

	@Test
	void stoppingWhileTheServerDoesNotComeBackBeforeSetupLeavesItOfflineWithoutSetup() {
		useTopology(Topologies.withConditions(new Topology.ServerCondition("CAS01", null, true)));
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(1));

		assertThat(pi).isWaitingAt("RestartBeforeSetup");
		assertThat(rehearsal.openTask("ServerNotAnswering")).hasName("CAS01 does not answer after the restart");
		complete(rehearsal.openTask("ServerNotAnswering"), withVariables("restartDecision", "stop"));

		assertThat(pi).hasPassed("RestartBeforeSetupStopped").hasNotPassed("RunSetup");
		assertStoppedOfflineOutOfItsPool(pi, "StoppedBeforeSetup", DRAIN, SUSPEND, OFFLINE, RESTART);
		assertThat(cas01().reachable()).isFalse();
		assertThat(cas01().build()).isEqualTo(RolloutRehearsal.INSTALLED);
	}

	@Test
	void stoppingAfterAFailedSetupLeavesTheServerOfflineAtItsOldBuild() {
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.SETUP_FAILS, 1);
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isWaitingAt("RunSetup");
		assertThat(rehearsal.openTask("SetupFailedOnServer")).hasName("Setup failed on CAS01");
		complete(rehearsal.openTask("SetupFailedOnServer"), withVariables("setupDecision", "stop"));

		assertThat(pi).hasPassed("SetupStopped").hasNotPassed("RestartAfterSetup");
		assertStoppedOfflineOutOfItsPool(pi, "StoppedInSetup", DRAIN, SUSPEND, OFFLINE, SETUP);
		assertThat(cas01().setup()).isEqualTo("Failed");
		assertThat(cas01().build()).isEqualTo(RolloutRehearsal.INSTALLED);
		assertThat(cas01().reachable()).isTrue();
	}

	@Test
	void stoppingWhileTheServerDoesNotComeBackAfterSetupLeavesItOfflineAtTheTarget() {
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advance(Duration.ofHours(2));

		assertThat(pi).isWaitingAt("RestartAfterSetup");
		complete(rehearsal.openTask("ServerNotAnswering"), withVariables("restartDecision", "stop"));

		assertThat(pi).hasPassed("RunSetup", "RestartAfterSetupStopped");
		assertStoppedOfflineOutOfItsPool(pi, "StoppedAfterSetup", DRAIN, SUSPEND, OFFLINE, SETUP, RESTART);
		assertThat(cas01().reachable()).isFalse();
		assertThat(cas01().build()).as("setup went through before the restart").isEqualTo(TARGET);
	}

	// ---- Components not Active after the restore ---------------------------------------------------------------

	/**
	 * Managed availability takes ImapProxy offline (requester HealthApi) while CAS01 is in maintenance: once
	 * ServerWideOffline is Active again the check finds it and asks an operator, with the NLB node still suspended.
	 */
	ProcessInstance imapProxyHeldInactiveByHealthApi() {
		ProcessInstance pi = start("CAS01", "windows-nlb");
		rehearsal.lab.advanceUntilJobAt("BringServerOnline", Duration.ofHours(2));
		rehearsal.lab.lab.execute(new SetServerComponentState(name("CAS01"), Component.ImapProxy, ComponentState.Inactive,
				Requester.HealthApi));
		rehearsal.lab.advance(Duration.ofMinutes(10));

		assertThat(pi).isWaitingAt("ServiceNotRestored").hasPassed("ComponentsNotActive").hasNotPassed("StartNlbNode");
		assertThat(rehearsal.openTask("ServiceNotRestored")).hasCandidateGroup("operators")
				.hasName("Service of CAS01 not restored");
		assertThat(pi).variables().containsEntry("verificationFailure",
				"Get-ServerComponentState: components not Active on CAS01: ImapProxy.");
		assertThat(cas01().components()).containsEntry("ServerWideOffline", "Active").containsEntry("ImapProxy", "Inactive");
		assertThat(cas01().nlbNode()).as("not back in its pool while a component is not Active").isEqualTo("Suspended");
		return pi;
	}

	@Test
	void componentsNotActiveAfterTheRestoreGoToAnOperatorWhoChecksAgainOnceFixed() {
		ProcessInstance pi = imapProxyHeldInactiveByHealthApi();

		rehearsal.lab.lab.execute(new SetServerComponentState(name("CAS01"), Component.ImapProxy, ComponentState.Active,
				Requester.HealthApi));
		complete(rehearsal.openTask("ServiceNotRestored"), withVariables("restoreDecision", "check"));
		rehearsal.lab.advance(Duration.ofMinutes(10));

		assertThat(pi).isEnded().hasPassed("Upgraded");
		assertThat(passed(pi)).containsSubsequence("VerifyComponents", "ServiceNotRestored", "RestoreDecision",
				"VerifyMerge", "VerifyComponents", "ComponentsMerge", "StartNlbNode", "Upgraded");
		assertThat(cas01().components()).containsEntry("ImapProxy", "Active");
		assertThat(cas01().nlbNode()).isEqualTo("Converged");
	}

	@Test
	void anOperatorMayAcceptComponentsNotActiveOnlyWithAReason() {
		ProcessInstance pi = imapProxyHeldInactiveByHealthApi();

		assertThatThrownBy(() -> complete(rehearsal.openTask("ServiceNotRestored"), withVariables("restoreDecision", "accept")))
				.isInstanceOf(ProcessEngineException.class);
		assertThat(pi).isWaitingAt("ServiceNotRestored");
		assertThat(cas01().nlbNode()).isEqualTo("Suspended");

		complete(rehearsal.openTask("ServiceNotRestored"), withVariables("restoreDecision", "accept", "acceptReason",
				"IMAP is not offered to users; managed availability's probe is being looked at."));
		rehearsal.lab.advance(Duration.ofMinutes(10));

		assertThat(pi).isEnded().hasPassed("Upgraded");
		assertThat(passed(pi).stream().filter("VerifyComponents"::equals)).as("accepted without checking again").hasSize(1);
		assertThat(passed(pi)).containsSubsequence("ServiceNotRestored", "RestoreDecision", "ComponentsMerge",
				"StartNlbNode", "Upgraded");
		assertThat(cas01().components()).containsEntry("ImapProxy", "Inactive").containsEntry("OwaProxy", "Active");
		assertThat(cas01().nlbNode()).isEqualTo("Converged");
		assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
				.variableName("acceptReason").singleResult().getValue()).asString().startsWith("IMAP is not offered");
	}
}
