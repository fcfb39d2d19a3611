package dev.runbook.rollout;

import static dev.runbook.rollout.RolloutRehearsal.INSTALLED;
import static dev.runbook.rollout.RolloutRehearsal.SETUP_PATH;
import static dev.runbook.rollout.RolloutRehearsal.TARGET;
import static dev.runbook.rollout.RolloutRehearsal.name;
import static dev.runbook.rollout.RolloutRehearsal.request;
import static dev.runbook.rollout.RolloutRehearsal.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.WindowsPath;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabServerView;
import dev.runbook.lab.Topology;
import dev.runbook.process.LabRehearsal;
import dev.runbook.quality.CoveredProcessEngine;

/** The upgrade of the servers: failures and the operator's choices, aborts at safe points, NLB, AD preparation. */
@Deployment(resources = { "processes/exchange-rolling-upgrade.bpmn", "processes/rollout-preflight.bpmn",
		"processes/cas-server-upgrade.bpmn", "processes/mailbox-server-upgrade.bpmn",
		"processes/mailbox-server-maintenance-start.bpmn", "processes/mailbox-server-maintenance-stop.bpmn",
		"processes/exchange-setup.bpmn", "processes/server-restart.bpmn" })
class RolloutExecutionTest {

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

	ProcessInstance approved(Object... request) {
		ProcessInstance pi = rehearsal.start(request(request));
		rehearsal.prepare();
		rehearsal.completeChecklist();
		rehearsal.approve();
		return pi;
	}

	/** Setup fails on the server; the operator of exchange-setup stops, so mailbox-server-upgrade ends UpgradeStopped. */
	void setupFailsAndIsStopped(ProcessInstance pi, String server) {
		rehearsal.lab.lab.injectFault(name(server), LabFault.SETUP_FAILS, 1);
		rehearsal.runRollout(pi, Duration.ofHours(4));
		complete(rehearsal.openTask("SetupFailedOnServer"), withVariables("setupDecision", "stop"));
		rehearsal.lab.runDueJobs();
	}

	LabServerView server(String name) {
		return rehearsal.lab.lab.server(name(name)).orElseThrow();
	}

	void useTopology(Topology topology) {
		LabRehearsal.reset();
		rehearsal = new RolloutRehearsal(engine, topology);
	}

	/** CAS01 alone, behind Windows NLB, Active Directory already prepared: the shortest way into a CAS upgrade. */
	ProcessInstance approvedCas01() {
		useTopology(Topologies.adPreparedFor(TARGET));
		return approved("servers", "CAS01", "loadBalancer", "windows-nlb");
	}

	/** How often a process's activity ran, in every instance of it. */
	static long runs(String processKey, String activityId) {
		return historyService().createHistoricActivityInstanceQuery().activityId(activityId).list().stream()
				.filter(a -> processKey.equals(a.getProcessDefinitionKey())).count();
	}

	/** Left as its upgrade stood: ServerWideOffline Inactive and the NLB node suspended, out of its pool. */
	void assertOfflineOutOfItsPool(String server) {
		assertThat(server(server).components()).containsEntry("ServerWideOffline", "Inactive");
		assertThat(server(server).nlbNode()).isEqualTo("Suspended");
	}

	// ---- A server that fails -----------------------------------------------------------------------------------

	@Test
	void aFailedServerStopsTheRolloutUntilAnOperatorRetriesIt() {
		ProcessInstance pi = approved("servers", "EX02,EX03");
		setupFailsAndIsStopped(pi, "EX02");

		assertThat(pi).isWaitingAt("ServerFailed");
		assertThat(rehearsal.openTask("ServerFailed")).hasCandidateGroup("operators").hasName("Upgrade of EX02 failed");
		assertThat((String) variable(pi, "serverFailure")).contains("An operator stopped the upgrade of EX02");
		assertThat(rehearsal.changesByServer()).doesNotContainKey("EX03");

		complete(rehearsal.openTask("ServerFailed"), withVariables("serverDecision", "retry"));
		rehearsal.runRollout(pi, Duration.ofHours(6));

		assertThat(pi).isEnded().hasPassed("RolloutComplete");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("EX02,EX03");
		assertThat(server("EX02").build()).isEqualTo(TARGET);
		assertThat(server("EX03").build()).isEqualTo(TARGET);
		assertThat(rehearsal.lab.lab.outages()).isEmpty();
	}

	@Test
	void mediaReplacedAfterThePreflightIsRefusedOnTheServerBeforeItLeavesService() {
		useTopology(Topologies.adPreparedFor(TARGET));
		ProcessInstance pi = approved("servers", "EX02,EX03");
		// After the pre-flight read its version, someone copies a later security update of the CU over the media.
		WindowsPath media = WindowsPath.of(SETUP_PATH);
		rehearsal.lab.lab.replaceMedia(media, ExchangeBuild.parse("15.0.1497.3"));
		rehearsal.runRollout(pi, Duration.ofHours(2));

		assertThat(pi).isWaitingAt("ServerFailed");
		assertThat(rehearsal.openTask("ServerFailed")).hasName("Upgrade of EX02 failed");
		assertThat(variable(pi, "serverErrorCode")).isEqualTo("UpgradeRefused");
		assertThat((String) variable(pi, "serverFailure"))
				.startsWith(SETUP_PATH + " installs 15.0.1497.3, not the target build " + TARGET + ": this is another update's media.")
				.endsWith("EX02 was not touched.");
		assertThat(rehearsal.changeEntries()).as("no server changed").isEmpty();
		assertThat(server("EX02").components()).containsEntry("ServerWideOffline", "Active");

		// The operator copies the right media back and retries.
		rehearsal.lab.lab.replaceMedia(media, ExchangeBuild.parse(TARGET));
		complete(rehearsal.openTask("ServerFailed"), withVariables("serverDecision", "retry"));
		rehearsal.runRollout(pi, Duration.ofHours(6));

		assertThat(pi).isEnded().hasPassed("RolloutComplete");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("EX02,EX03");
		assertThat(rehearsal.lab.lab.outages()).isEmpty();
	}

	@Test
	void aSkippedServerIsLeftAsItIsAndTheNextOneGoesOn() {
		ProcessInstance pi = approved("servers", "EX04,CAS01");
		setupFailsAndIsStopped(pi, "EX04");
		complete(rehearsal.openTask("ServerFailed"), withVariables("serverDecision", "skip"));
		rehearsal.runRollout(pi, Duration.ofHours(4));

		assertThat(pi).isEnded().hasPassed("ServerSkipped", "RolloutComplete");
		assertThat(variable(pi, "serversSkipped")).isEqualTo("EX04");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("CAS01");
		assertThat(variable(pi, "serversNotVerified")).isEqualTo("EX04");
		assertThat(server("CAS01").build()).isEqualTo(TARGET);
		assertThat((String) variable(pi, "summary")).contains("1 of 2 servers upgraded", "Skipped by an operator: EX04");
	}

	@Test
	void aServerLeftInMaintenanceKeepsTheNextMemberUpThenAnAbortEndsTheRollout() {
		ProcessInstance pi = approved("servers", "EX02,EX03");
		setupFailsAndIsStopped(pi, "EX02");
		complete(rehearsal.openTask("ServerFailed"), withVariables("serverDecision", "skip"));
		rehearsal.runRollout(pi, Duration.ofHours(1));

		assertThat(rehearsal.lab.failures).isEmpty();
		assertThat(pi).isWaitingAt("ServerFailed");
		assertThat(rehearsal.openTask("ServerFailed")).hasName("Upgrade of EX03 failed");
		assertThat((String) variable(pi, "serverFailure")).startsWith("Not taking EX03 down now: EX02 is not in service")
				.contains("would leave two servers of its DAG out at once");
		assertThat(rehearsal.changesByServer()).doesNotContainKey("EX03");

		complete(rehearsal.openTask("ServerFailed"), withVariables("serverDecision", "abort", "abortReason", "EX02 needs a look first."));
		rehearsal.runRollout(pi, Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassed("ServerAbandoned", "RolloutAborted").hasNotPassed("RolloutComplete");
		assertThat(variable(pi, "outcome")).isEqualTo("aborted");
		assertThat(rehearsal.changesByServer()).doesNotContainKey("EX03");
		assertThat((String) variable(pi, "summary")).contains("aborted, 0 of 2 servers upgraded", "EX02 needs a look first.");
	}

	@Test
	void anAbortWhileAnOperatorDecidesEndsTheRolloutThere() {
		ProcessInstance pi = approved("servers", "EX02,EX03");
		setupFailsAndIsStopped(pi, "EX02");

		runtimeService().createMessageCorrelation("AbortRollout").processInstanceBusinessKey(pi.getBusinessKey())
				.correlate();
		rehearsal.runRollout(pi, Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassed("LeftAfterFailure", "VerifyRollout", "RolloutAborted");
		assertThat(rehearsal.changesByServer()).doesNotContainKey("EX03");
	}

	/** The server's setup step times out until it is an incident; then FailCurrentServer, and the server answers again. */
	void giveUpOnSetupStuckInAnIncident(ProcessInstance pi, String server) {
		rehearsal.lab.advanceUntilJobAt("StartSetup", Duration.ofHours(2));
		rehearsal.lab.lab.injectFault(name(server), LabFault.TIMEOUT, 10);
		rehearsal.lab.advance(Duration.ofMinutes(10));
		assertThat(runtimeService().createIncidentQuery().list())
				.filteredOn(i -> i.getId().equals(i.getRootCauseIncidentId())).singleElement()
				.satisfies(i -> assertThat(i.getActivityId()).isEqualTo("StartSetup"));

		runtimeService().createMessageCorrelation("FailCurrentServer").processInstanceBusinessKey(pi.getBusinessKey())
				.correlate();
		rehearsal.lab.lab.clearFaults();
	}

	@Test
	void anOperatorTurnsAnIncidentIntoAFailureWithFailCurrentServer() {
		ProcessInstance pi = approved("servers", "EX02,EX03");
		// The runbook cannot finish EX02; an operator gives up on it (cancelling the called instance in Cockpit would
		// end the whole rollout: Camunda deletes the calling instance with it).
		giveUpOnSetupStuckInAnIncident(pi, "EX02");

		assertThat(pi).isWaitingAt("ServerFailed").hasPassed("DagMemberGivenUp");
		assertThat((String) variable(pi, "serverFailure")).contains("An operator gave up on the upgrade of EX02");
		assertThat(runtimeService().createProcessInstanceQuery().processDefinitionKey("mailbox-server-upgrade").count())
				.as("the stuck upgrade is cancelled").isZero();
		assertThat(runtimeService().createIncidentQuery().count()).isZero();
		assertThat(rehearsal.changesByServer()).doesNotContainKey("EX03");

		complete(rehearsal.openTask("ServerFailed"), withVariables("serverDecision", "retry"));
		rehearsal.runRollout(pi, Duration.ofHours(6));
		assertThat(pi).isEnded().hasPassed("RolloutComplete");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("EX02,EX03");
	}

	@Test
	void aClientAccessServerWhoseUpgradeAnOperatorStoppedGoesToTheRetrySkipOrAbortDecision() {
		ProcessInstance pi = approvedCas01();
		setupFailsAndIsStopped(pi, "CAS01");

		assertThat(pi).isWaitingAt("ServerFailed").hasPassed("ClientAccessFailed").hasNotPassed("WaitUntilServing");
		assertThat(rehearsal.openTask("ServerFailed")).hasCandidateGroup("operators").hasName("Upgrade of CAS01 failed");
		assertThat(runs("cas-server-upgrade", "StoppedInSetup")).isOne();
		assertThat(variable(pi, "serverErrorCode")).isEqualTo("UpgradeStopped");
		assertThat((String) variable(pi, "serverFailure")).startsWith("An operator stopped the upgrade of CAS01")
				.contains("in maintenance, out of its pool");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("");
		assertOfflineOutOfItsPool("CAS01");
		assertThat(server("CAS01").build()).isEqualTo(INSTALLED);
		assertThat(rehearsal.changesByServer().get("CAS01")).noneMatch(c -> c.contains("'Active'") || c.contains("Start-Nlb"));
	}

	@Test
	void anOperatorGivesUpOnAStuckClientAccessUpgradeWithFailCurrentServer() {
		ProcessInstance pi = approvedCas01();
		giveUpOnSetupStuckInAnIncident(pi, "CAS01");
		List<JournalEntry> journal = rehearsal.lab.lab.journal();
		rehearsal.lab.advance(Duration.ofHours(1));

		assertThat(pi).isWaitingAt("ServerFailed").hasPassed("ClientAccessGivenUp").hasNotPassed("ClientAccessFailed");
		assertThat(variable(pi, "serverErrorCode")).isEqualTo("FailedByOperator");
		assertThat((String) variable(pi, "serverFailure")).contains("An operator gave up on the upgrade of CAS01");
		assertThat(runtimeService().createProcessInstanceQuery().processDefinitionKey("cas-server-upgrade").count())
				.as("the stuck upgrade is cancelled").isZero();
		assertThat(runtimeService().createProcessInstanceQuery().processDefinitionKey("exchange-setup").count()).isZero();
		assertThat(runtimeService().createIncidentQuery().count()).isZero();
		assertThat(rehearsal.lab.lab.journal()).as("nothing more reaches the lab").isEqualTo(journal);
		assertOfflineOutOfItsPool("CAS01");
		assertThat(server("CAS01").setup()).as("setup never started").isEqualTo("NotStarted");
		assertThat(server("CAS01").build()).isEqualTo(INSTALLED);
	}

	@Test
	void aClientAccessServerAcceptedWithFailingHealthPagesIsNotCountedAsServing() {
		ProcessInstance pi = approvedCas01();
		rehearsal.lab.lab.injectFault(name("CAS01"), LabFault.HEALTHCHECK_FAILS, 1);
		rehearsal.runRollout(pi, Duration.ofHours(3));
		assertThat(rehearsal.openTask("HealthPagesNotAnswering")).hasName("Health pages of CAS01 do not answer 200");

		complete(rehearsal.openTask("HealthPagesNotAnswering"), withVariables("healthDecision", "accept", "acceptReason",
				"Probe blocked by the new URL rewrite rule; users reach OWA."));
		rehearsal.lab.advance(Duration.ofMinutes(9));
		assertThat(pi).isWaitingAt("VerifyPoll").hasNotPassed("NotServing");
		assertThat(runs("cas-server-upgrade", "Upgraded")).as("the CAS upgrade itself ended as accepted").isOne();
		rehearsal.lab.advance(Duration.ofMinutes(2));

		assertThat(pi).isWaitingAt("ServerFailed").hasPassed("NotServing").hasNotPassed("ServerUpgraded");
		assertThat(variable(pi, "serverErrorCode")).isEqualTo("ServerNotServing");
		assertThat(variable(pi, "serverFailure")).isEqualTo(
				"CAS01 is not upgraded and back in service: /owa/healthcheck.htm answers 503; /ecp/healthcheck.htm answers 503.");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("");
		assertThat(server("CAS01").build()).isEqualTo(TARGET);
		assertThat(server("CAS01").nlbNode()).as("back in its pool, as the operator accepted").isEqualTo("Converged");
	}

	// ---- Abort at a safe point ---------------------------------------------------------------------------------

	@Test
	void anAbortDuringAnUpgradeLetsThatServerFinishWithItsRestoreAndStartsNoOther() {
		ProcessInstance pi = approved("servers", "EX01,EX02,EX03");
		while (!"EX02".equals(variable(pi, "currentServer"))) {
			rehearsal.lab.advance(Duration.ofMinutes(5));
		}
		rehearsal.lab.advance(Duration.ofMinutes(20));
		assertThat(server("EX02").components().get("ServerWideOffline")).as("EX02 in maintenance").isEqualTo("Inactive");

		engine.getIdentityService().setAuthenticatedUserId("omar");
		runtimeService().createMessageCorrelation("AbortRollout").processInstanceBusinessKey(pi.getBusinessKey())
				.setVariable("abortReason", "Storage alarm in the datacentre.").correlate();
		engine.getIdentityService().clearAuthentication();
		rehearsal.runRollout(pi, Duration.ofHours(4));

		assertThat(pi).isEnded().hasPassed("AbortRecorded", "VerifyRollout", "RebalanceDatabases", "RolloutAborted");
		assertThat(variable(pi, "abortRequestedBy")).isEqualTo("omar");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("EX01,EX02");
		assertThat(server("EX02").build()).isEqualTo(TARGET);
		assertThat(server("EX02").components()).containsEntry("ServerWideOffline", "Active").containsEntry("HubTransport", "Active");
		assertThat(server("EX02").clusterNode()).isEqualTo("Up");
		assertThat(rehearsal.changesByServer()).doesNotContainKey("EX03");
		assertThat((String) variable(pi, "summary")).contains("aborted, 2 of 3 servers upgraded", "Not started: EX03",
				"Abort requested by omar: Storage alarm in the datacentre.");
	}

	@Test
	void anAbortDuringTheActiveDirectoryPreparationLetsItFinishAndStartsNoServer() {
		ProcessInstance pi = approved("servers", "CAS01", "loadBalancer", "windows-nlb");
		rehearsal.lab.advanceUntilJobAt("AdReplication", Duration.ofHours(1));
		assertThat(rehearsal.lab.lab.schemaPreparedFor()).hasToString(TARGET);

		engine.getIdentityService().setAuthenticatedUserId("omar");
		runtimeService().createMessageCorrelation("AbortRollout").processInstanceBusinessKey(pi.getBusinessKey())
				.setVariable("abortReason", "Change freeze called by the service desk.").correlate();
		engine.getIdentityService().clearAuthentication();
		rehearsal.runRollout(pi, Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassedInOrder("PrepareAd", "AbortRecorded", "VerifyActiveDirectory",
				"NoServerStarted", "VerifyRollout", "SummariseRollout", "RolloutAborted")
				.hasNotPassed("UpgradeEachServer", "CheckServerCanGoDown");
		assertThat(variable(pi, "outcome")).isEqualTo("aborted");
		assertThat(JournalChecks.serverChanges(rehearsal.lab.lab.journal())).as("no server touched").isEmpty();
		assertThat(rehearsal.lab.lab.organizationPreparedFor()).hasToString(TARGET);
		assertThat((String) variable(pi, "summary")).contains("aborted, 0 of 1 servers upgraded", "Not started: CAS01",
				"Abort requested by omar: Change freeze called by the service desk.");
	}

	// ---- Order, Windows NLB, Active Directory ------------------------------------------------------------------

	@Test
	void casFirstWithWindowsNlbDrainsAndStartsEachNodeAroundItsUpgrade() {
		ProcessInstance pi = approved("servers", "EX02,CAS01", "order", "cas-first", "loadBalancer", "windows-nlb");
		rehearsal.runRollout(pi, Duration.ofHours(6));

		assertThat(pi).isEnded().hasPassed("RolloutComplete");
		assertThat(variable(pi, "serversUpgraded")).isEqualTo("CAS01,EX02");
		List<String> cas = rehearsal.changesByServer().get("CAS01").stream().filter(c -> !c.contains("/Prepare")).toList();
		assertThat(cas).containsExactly("Stop-NlbClusterNode -HostName 'CAS01' -Drain -Timeout 10",
				"Suspend-NlbClusterNode -HostName 'CAS01'",
				"Set-ServerComponentState -Identity 'CAS01' -Component 'ServerWideOffline' -State 'Inactive' -Requester 'Maintenance'",
				"Set-Location -LiteralPath 'D:\\Media\\Exchange2013-CU23'; .\\Setup.exe /m:upgrade /IAcceptExchangeServerLicenseTerms",
				"Restart-Computer -ComputerName 'CAS01' -Force",
				"Set-ServerComponentState -Identity 'CAS01' -Component 'ServerWideOffline' -State 'Active' -Requester 'Maintenance'",
				"Resume-NlbClusterNode -HostName 'CAS01'", "Start-NlbClusterNode -HostName 'CAS01'");
		assertThat(RollingUpgradeProcessTest.plannedChanges((String) variable(pi, "planCommands"),
				"On each Client Access server")).as("the approved plan").containsExactlyElementsOf(cas);
		assertThat(server("CAS01").nlbNode()).isEqualTo("Converged");
		assertThat(rehearsal.serverOrder()).containsExactly("CAS01", "EX02");
	}

	@Test
	void activeDirectoryAlreadyPreparedIsNotPreparedAgain() {
		LabRehearsal.reset();
		rehearsal = new RolloutRehearsal(engine, Topologies.adPreparedFor(TARGET));
		ProcessInstance pi = approved("servers", "EX02");
		rehearsal.runRollout(pi, Duration.ofHours(3));

		assertThat(pi).isEnded().hasNotPassed("PrepareSchema", "AdReplication").hasPassed("RolloutComplete");
		assertThat(rehearsal.changeEntries()).noneMatch(e -> e.command().contains("/Prepare"));
	}

	@Test
	void aForestOfSeveralDomainsIsPreparedWithPrepareAllDomainsAfterTheSchemaAndTheOrganisation() {
		LabRehearsal.reset();
		rehearsal = new RolloutRehearsal(engine, Topologies.twoDomains());
		ProcessInstance pi = approved("servers", "EX02");
		assertThat((String) variable(pi, "plan")).contains("/PrepareAllDomains");
		rehearsal.runRollout(pi, Duration.ofHours(3));

		assertThat(pi).isEnded().hasPassed("RolloutComplete");
		assertThat(rehearsal.changeEntries().subList(0, 3)).extracting(e -> e.command().replaceAll(".*Setup.exe (/\\w+).*", "$1"))
				.containsExactly("/PrepareSchema", "/PrepareAD", "/PrepareAllDomains");
		assertThat(rehearsal.changeEntries().subList(0, 3)).allMatch(e -> e.server().equals("EX02"));
	}

	@Test
	void activeDirectoryStillNotPreparedGoesToAnOperatorWhoMayPrepareAgainOrAbortBeforeAnyServer() {
		// /PrepareSchema and /PrepareAD run, but the domain controller the Exchange servers read from never receives
		// them: the verification after the replication wait still finds the old levels.
		rehearsal.lab.lab.servers().forEach(s -> rehearsal.lab.lab.injectFault(name(s.name()), LabFault.AD_NOT_REPLICATED, 1000));
		ProcessInstance pi = approved("servers", "CAS01", "loadBalancer", "windows-nlb");
		rehearsal.runRollout(pi, Duration.ofHours(1));

		assertThat(pi).isWaitingAt("AdNotPrepared").hasPassed("AdReplication", "AdNotVerified");
		assertThat(rehearsal.openTask("AdNotPrepared")).hasCandidateGroup("operators")
				.hasName("Active Directory not prepared for " + TARGET);
		assertThat((String) variable(pi, "verificationFailure"))
				.isEqualTo("Active Directory is still not prepared for " + TARGET
						+ ": /PrepareSchema, /PrepareAD still needed after the preparation and the replication wait.");
		assertThat(preparations()).containsExactly("/PrepareSchema", "/PrepareAD");

		complete(rehearsal.openTask("AdNotPrepared"), withVariables("adDecision", "retry"));
		rehearsal.runRollout(pi, Duration.ofHours(1));
		assertThat(pi).as("prepared and verified again, with the same result").isWaitingAt("AdNotPrepared");
		assertThat(preparations()).containsExactly("/PrepareSchema", "/PrepareAD", "/PrepareSchema", "/PrepareAD");
		assertThat(runs("exchange-rolling-upgrade", "VerifyActiveDirectory")).isEqualTo(2);

		engine.getIdentityService().setAuthenticatedUserId("omar");
		complete(rehearsal.openTask("AdNotPrepared"), withVariables("adDecision", "abort"));
		engine.getIdentityService().clearAuthentication();
		rehearsal.runRollout(pi, Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassedInOrder("AdDecision", "AbortChosenAtAd", "AbortedAtAd", "VerifyRollout",
				"RolloutAborted").hasNotPassed("AdPrepared", "NoServerStarted", "UpgradeEachServer");
		assertThat(variable(pi, "outcome")).isEqualTo("aborted");
		assertThat(variable(pi, "abortRequestedBy")).isEqualTo("omar");
		assertThat(JournalChecks.serverChanges(rehearsal.lab.lab.journal())).as("no server touched").isEmpty();
		assertThat(rehearsal.lab.lab.schemaPreparedFor()).as("prepared; only the domain controller the servers read did not see it")
				.hasToString(TARGET);
		assertThat((String) variable(pi, "summary")).contains("aborted, 0 of 1 servers upgraded", "Not started: CAS01",
				"Abort requested by omar");
	}

	/** The Active Directory preparations that ran, in order: the setup mode of each. */
	List<String> preparations() {
		return rehearsal.changeEntries().stream().map(JournalEntry::command).filter(c -> c.contains("/Prepare"))
				.map(c -> c.replaceAll(".*Setup.exe (/\\w+).*", "$1")).toList();
	}

	@Test
	void jobsLeftNoIncidents() {
		ProcessInstance pi = approved("servers", "EX02");
		rehearsal.runRollout(pi, Duration.ofHours(3));
		assertThat(pi).isEnded();
		assertThat(managementService().createJobQuery().count()).isZero();
		assertThat(runtimeService().createIncidentQuery().count()).isZero();
	}
}
