package dev.runbook.rollout;

import static dev.runbook.rollout.RolloutRehearsal.SETUP_PATH;
import static dev.runbook.rollout.RolloutRehearsal.TARGET;
import static dev.runbook.rollout.RolloutRehearsal.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
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

import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabServerView;
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

	ProcessInstance start(String server, String loadBalancer) {
		Map<String, Object> variables = new HashMap<>(Map.of("server", server, "setupPath", SETUP_PATH, "targetBuild",
				TARGET, "loadBalancer", loadBalancer, "nlbCluster", "nlb01"));
		return runtimeService().startProcessInstanceByKey("cas-server-upgrade", "CHG-7", variables);
	}

	LabServerView cas01() {
		return rehearsal.lab.lab.server(name("CAS01")).orElseThrow();
	}

	@Test
	void withAManualBalancerAnOperatorBlocksTheServerFirstAndUnblocksItLast() {
		ProcessInstance pi = start("cas01", "manual");

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

		assertThat(pi).isEnded().hasPassedInOrder("BlockInLoadBalancer", "TakeServerOffline", "TestPendingReboot",
				"RunSetup", "RestartAfterSetup", "BringServerOnline", "VerifyComponents", "UnblockInLoadBalancer",
				"CheckHealthPages", "Upgraded");
		assertThat(rehearsal.changesByServer().get("CAS01")).containsExactly(OFFLINE, SETUP, RESTART, ONLINE);
		assertThat(pi).variables().containsEntry("healthPagesHealthy", true);
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
}
