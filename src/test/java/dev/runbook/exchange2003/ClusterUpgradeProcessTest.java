package dev.runbook.exchange2003;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ServerName;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabClusterView;
import dev.runbook.lab.LabExchange2003Directory;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.Topology;
import dev.runbook.process.LabRehearsal;
import dev.runbook.process.RestartSteps;
import dev.runbook.process.RunbookSteps;
import dev.runbook.quality.CoveredProcessEngine;

/** The Exchange 2003 cluster upgrade, rehearsed against the lab in simulated time. */
@Deployment(resources = { "processes/exchange2003-cluster-upgrade.bpmn", "processes/exchange2003-server-upgrade.bpmn",
		"processes/server-restart.bpmn", "forms/exchange2003-planning.form", "forms/exchange2003-approval.form",
		"forms/exchange2003-front-end-not-upgraded.form", "forms/exchange2003-upgrade-virtual-server.form",
		"forms/exchange2003-resource-failed.form", "forms/exchange2003-application-log-errors.form",
		"forms/exchange2003-service-pack-failed.form", "forms/exchange2003-service-pack-overdue.form",
		"forms/server-not-answering.form" })
class ClusterUpgradeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final String SP1 = "D:\\Media\\E2K3SP1\\setup\\i386\\update.exe";
	static final String HOTFIX = "D:\\Media\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe";
	static final ServerName NODE1 = ServerName.of("NODE1");
	static final ServerName NODE2 = ServerName.of("NODE2");
	static final ServerName EVS1 = ServerName.of("EVS1");
	static final ServerName FE01 = ServerName.of("FE01");
	/** Long enough for hotfix, restart and service pack on a server, and every wait in between. */
	static final Duration SERVER_UPGRADE = Duration.ofHours(2);

	ProcessEngine engine;
	LabRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		this.engine = engine;
		init(engine);
		wire(Topology.bundledDefault());
	}

	/** The application's wiring for this process: its steps beside the restart steps, and its start check. */
	void wire(Topology topology) {
		rehearsal = new LabRehearsal(engine, topology);
		LabExchange2003Directory directory = new LabExchange2003Directory(rehearsal.lab);
		Mocks.register("steps", new RunbookSteps(List.of(new RestartSteps(), new ClusterSteps2003(Optional.of(directory)),
				new ServerUpgradeSteps2003()), rehearsal.shell));
		Mocks.register("clusterUpgradeRequest", new ClusterUpgradeRequest(Optional.of(directory), HOTFIX));
	}

	@AfterEach
	void tearDown() {
		LabRehearsal.reset();
	}

	ProcessInstance start(String cluster, String targetBuild, String installerPath) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("cluster", cluster);
		variables.put("targetBuild", targetBuild);
		variables.put("installerPath", installerPath);
		return runtimeService().startProcessInstanceByKey("exchange2003-cluster-upgrade", "CHG-2003", variables);
	}

	ProcessInstance start() {
		return start("EXCLUSTER", "6.5.7226", SP1);
	}

	void plan(ProcessInstance pi, String frontEndPlan) {
		assertThat(pi).isWaitingAt("PlanUpgrade").task().hasCandidateGroup("operators");
		complete(task(pi), withVariables("downtimeScheduled", true, "permissionsConfirmed", true, "backupDone", true,
				"frontEndPlan", frontEndPlan, "planningDecision", "ready"));
	}

	void approve(ProcessInstance pi) {
		assertThat(pi).isWaitingAt("ApproveUpgrade").task().hasCandidateGroup("managers");
		complete(task(pi), withVariables("approved", true, "approvalComment", "Window Saturday 22:00"));
	}

	/** Started on EXCLUSTER, planned with that front-end plan and approved: the upgrade goes on by itself. */
	ProcessInstance planAndApprove(String frontEndPlan) {
		ProcessInstance pi = start();
		plan(pi, frontEndPlan);
		approve(pi);
		return pi;
	}

	/** The operator in Cluster Administrator on the node, then in Tasklist once the upgrade has ended. */
	void upgradeVirtualServer(ProcessInstance pi, ServerName evs, ServerName node) {
		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer").task().hasCandidateGroup("operators");
		rehearsal.lab.upgradeExchangeVirtualServer(node, evs);
		rehearsal.advance(Duration.ofMinutes(3));
		complete(task("UpgradeExchangeVirtualServer", pi), withVariables("virtualServerUpgradeDecision", "upgraded"));
	}

	/** Planned, approved, front-end server and passive node upgraded: waiting for the operator's EVS upgrade. */
	ProcessInstance upToTheVirtualServerUpgrade() {
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE.multipliedBy(2));
		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer");
		return pi;
	}

	List<JournalEntry> journal() {
		return rehearsal.lab.journal();
	}

	int indexOf(Predicate<JournalEntry> entry) {
		List<JournalEntry> journal = journal();
		for (int i = 0; i < journal.size(); i++) {
			if (entry.test(journal.get(i))) {
				return i;
			}
		}
		throw new AssertionError("No such journal entry in " + journal);
	}

	static Predicate<JournalEntry> on(String server, String commandPart) {
		return e -> e.server().equals(server) && e.command().contains(commandPart) && e.succeeded();
	}

	/** A variable's last value in history, also after the next virtual server's turn removed it. */
	Object variable(ProcessInstance pi, String name) {
		return historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).variableName(name)
				.includeDeleted().list().stream().max(Comparator.comparing(HistoricVariableInstance::getCreateTime))
				.map(HistoricVariableInstance::getValue).orElse(null);
	}

	@Test
	void upgradesTheClusterInTheSeedsOrderAndRecordsTheFailoverDowntime() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassedInOrder("PlanUpgrade", "ApproveUpgrade", "NextFrontEnd", "UpgradeFrontEnd",
				"NextVirtualServer", "UpgradeTargetNode", "TakeSystemAttendantOffline", "MoveGroup",
				"UpgradeExchangeVirtualServer", "VerifyVirtualServer", "BringNextResourceOnline", "CheckApplicationLog",
				"NextVirtualServer", "NextNode", "UpgradeNode", "NextNode", "ClusterUpgraded");
		LabClusterView cluster = rehearsal.lab.clusters().get(0);
		assertThat(cluster.nodes()).extracting("build").containsOnly("6.5.7226");
		assertThat(cluster.frontEnds()).extracting("build").containsOnly("6.5.7226");
		assertThat(cluster.groups().get(0).owner()).isEqualTo("NODE2");
		assertThat(cluster.groups().get(0).resources()).extracting("state").containsOnly("Online");
		assertThat(rehearsal.lab.describeCluster(ServerName.of("EXCLUSTER")).orElseThrow().virtualServers())
				.extracting("version").containsOnly(ExchangeBuild.parse("6.5.7226"));

		// The seed's order: front-end first; the passive node (hotfix, restart, service pack) before anything moves;
		// System Attendant offline before the move; the upgrade on the upgraded node; each resource brought online;
		// the Application log; then the other node.
		int frontEnd = indexOf(on("FE01", "update.exe"));
		int hotfixPassive = indexOf(on("NODE2", "KB831464"));
		int restartPassive = indexOf(on("NODE2", "Restart-Computer"));
		int servicePackPassive = indexOf(on("NODE2", "update.exe"));
		int offline = indexOf(on("NODE1", "cluster res 'Exchange System Attendant - (EVS1)' /offline"));
		int move = indexOf(on("NODE1", "cluster group 'EVS1' /moveto:NODE2"));
		int upgrade = indexOf(on("NODE2", "Upgrade Exchange Virtual Server"));
		List<JournalEntry> onlines = journal().stream().filter(e -> e.command().contains("/online")).toList();
		int lastOnline = indexOf(e -> e == onlines.get(onlines.size() - 1));
		int log = indexOf(on("NODE2", "Get-EventLog"));
		int otherNode = indexOf(on("NODE1", "update.exe"));
		assertThat(List.of(frontEnd, hotfixPassive, restartPassive, servicePackPassive, offline, move, upgrade, lastOnline, log, otherNode))
				.isSorted();
		assertThat(onlines).extracting(JournalEntry::server).containsOnly("NODE2");
		assertThat(onlines).extracting(JournalEntry::command).containsExactly(
				"cluster res 'Exchange System Attendant - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'Exchange Information Store Instance - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'Exchange Message Transfer Agent Instance - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'Exchange Routing Service Instance - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'SMTP Virtual Server Instance - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'Exchange HTTP Virtual Server Instance 100 - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'Exchange IMAP4 Virtual Server Instance - (EVS1)' /online; Get-Date -Format 'o'",
				"cluster res 'Exchange POP3 Virtual Server Instance - (EVS1)' /online; Get-Date -Format 'o'");
		assertThat(onlines).allMatch(JournalEntry::succeeded);

		long measured = Duration.between(journal().get(offline).time(), onlines.get(onlines.size() - 1).time()).toSeconds();
		assertThat(measured).isPositive();
		assertThat(variable(pi, "failoverDowntime_EVS1")).isEqualTo(measured);
		assertThat(variable(pi, "failoverDowntimes")).isEqualTo("EVS1 " + Duration.ofSeconds(measured));
		assertThat(rehearsal.failures).isEmpty();
	}

	@Test
	void aResourceThatFailsToComeOnlineGoesToTheOperatorAndARetryBringsTheRestOnline() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		rehearsal.lab.injectFault(EVS1, LabFault.CLUSTER_RESOURCE_FAILS, 1);
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(Duration.ofMinutes(5));

		assertThat(pi).isWaitingAt("ResourceDidNotComeOnline").task().hasCandidateGroup("operators");
		assertThat(task(pi).getName()).isEqualTo("Exchange System Attendant - (EVS1) did not come online");
		assertThat((String) runtimeService().getVariable(pi.getId(), "resourceFailure")).contains("failed to come online on NODE2");
		assertThat(rehearsal.lab.clusters().get(0).groups().get(0).resources()).extracting("state").contains("Failed");
		complete(task(pi), withVariables("resourceDecision", "retry"));
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassed("ResourceDidNotComeOnline", "CheckApplicationLog", "ClusterUpgraded");
		assertThat(rehearsal.lab.clusters().get(0).groups().get(0).resources()).extracting("state").containsOnly("Online");
		assertThat(journal()).filteredOn(e -> e.command().contains("Exchange System Attendant - (EVS1)' /online"))
				.extracting(JournalEntry::succeeded).containsExactly(false, true);
	}

	@Test
	void stoppingAtAFailedResourceLeavesTheOtherNodeAlone() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		rehearsal.lab.injectFault(EVS1, LabFault.CLUSTER_RESOURCE_FAILS, 1);
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(Duration.ofMinutes(5));

		complete(task(pi), withVariables("resourceDecision", "stop"));
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassed("StoppedAtResource").hasNotPassed("CheckApplicationLog", "NextNode");
		assertThat(rehearsal.lab.clusters().get(0).nodes()).extracting("name", "build")
				.containsExactly(tuple("NODE1", "6.5.6944"), tuple("NODE2", "6.5.7226"));
	}

	@Test
	void errorsInTheApplicationLogAreShownToTheOperatorWhoContinues() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		rehearsal.lab.injectFault(EVS1, LabFault.APPLICATION_LOG_ERRORS, 1);
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(Duration.ofMinutes(10));

		assertThat(pi).isWaitingAt("ApplicationLogErrors").task().hasCandidateGroup("operators");
		assertThat(runtimeService().getVariable(pi.getId(), "applicationLogErrorCount")).isEqualTo(2);
		assertThat((String) runtimeService().getVariable(pi.getId(), "applicationLogErrors"))
				.contains("MSExchangeIS 9518").contains("MSExchangeSA 1005");
		complete(task(pi), withVariables("applicationLogDecision", "continue"));
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassedInOrder("CheckApplicationLog", "ApplicationLogErrors", "NextNode", "UpgradeNode", "ClusterUpgraded");
	}

	@Test
	void errorsInTheApplicationLogLetTheOperatorStopBeforeTheOtherNode() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		rehearsal.lab.injectFault(EVS1, LabFault.APPLICATION_LOG_ERRORS, 1);
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(Duration.ofMinutes(10));

		complete(task(pi), withVariables("applicationLogDecision", "stop"));
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassed("StoppedAtApplicationLog").hasNotPassed("NextNode");
		assertThat(journal()).noneMatch(on("NODE1", "update.exe"));
	}

	@Test
	void aCleanApplicationLogNeedsNoOperator() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasNotPassed("ApplicationLogErrors");
		assertThat(variable(pi, "applicationLogErrorCount")).isEqualTo(0);
	}

	@Test
	void aSecondUpgradeOfTheSameClusterIsRefusedWhileOneRuns() {
		ProcessInstance first = start();
		int journaled = journal().size();

		assertThatThrownBy(() -> start("excluster", "6.5.7638", SP1.replace("SP1", "SP2")))
				.isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("An upgrade of EXCLUSTER is already running").hasMessageContaining(first.getId());
		assertThat(runtimeService().createProcessInstanceQuery().processDefinitionKey("exchange2003-cluster-upgrade").count()).isEqualTo(1);
		assertThat(journal()).hasSize(journaled);

		runtimeService().deleteProcessInstance(first.getId(), "test");
		assertThat(start()).isWaitingAt("PlanUpgrade");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"EXCLUSTER; calc|6.5.7226|D:\\Media\\E2K3SP1\\setup\\i386\\update.exe|is not a valid host name",
			"NOCLUSTER|6.5.7226|D:\\Media\\E2K3SP1\\setup\\i386\\update.exe|NOCLUSTER is not an Exchange 2003 cluster",
			"EX01|6.5.7226|D:\\Media\\E2K3SP1\\setup\\i386\\update.exe|EX01 is not an Exchange 2003 cluster",
			"EXCLUSTER|15.0.1497.2|D:\\Media\\E2K3SP1\\setup\\i386\\update.exe|is not an Exchange 2003 build",
			"EXCLUSTER|6.5.6944|D:\\Media\\E2K3SP1\\setup\\i386\\update.exe|is already at 6.5.6944",
			"EXCLUSTER|6.5.6944.1$(calc)|D:\\Media\\E2K3SP1\\setup\\i386\\update.exe|is not an Exchange build number",
			"EXCLUSTER|6.5.7226|D:\\Media\\E2K3SP1\\setup.exe|must name update.exe",
			"EXCLUSTER|6.5.7226|D:\\Media\\E2K3SP1'; calc\\update.exe|is not accepted" })
	void aBadRequestIsRefusedBeforeAnythingRuns(String cluster, String targetBuild, String installerPath, String reason) {
		assertThatThrownBy(() -> start(cluster, targetBuild, installerPath)).isInstanceOf(BadUserRequestException.class)
				.hasMessageStartingWith("Request refused: ").hasMessageContaining(reason);
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(journal()).isEmpty();
	}

	@Test
	void aTargetOlderThanAServerIsRefused() throws Exception {
		wire(topology("""
				"conditions": [{"server": "FE01", "build": "6.5.7638"}]"""));

		assertThatThrownBy(this::start).isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("Target build 6.5.7226 is older than FE01 (6.5.7638)");
	}

	@Test
	void aClusterWithoutAPassiveNodeIsRefused() throws Exception {
		wire(Topology.read(new ByteArrayInputStream("""
				{"build": "15.0.1473.3", "exchange2003": {
				 "media": [{"path": "D:\\\\Media\\\\E2K3SP1\\\\setup\\\\i386\\\\update.exe", "build": "6.5.7226"}],
				 "clusters": [{"name": "EXCLUSTER", "build": "6.5.6944", "nodes": ["NODE1", "NODE2"],
				   "virtualServers": [{"name": "EVS1", "owner": "NODE1"}, {"name": "EVS2", "owner": "NODE2"}]}]}}"""
				.getBytes(StandardCharsets.UTF_8))));

		assertThatThrownBy(this::start).isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("Every node of EXCLUSTER owns a virtual server");
	}

	@Test
	void aRejectionEndsWithTheManagersReasonAndTouchesNothing() {
		ProcessInstance pi = start();
		plan(pi, "runbook");
		complete(task(pi), withVariables("approved", false, "approvalComment", "Not during the quarter close"));

		assertThat(pi).isEnded().hasPassed("UpgradeRejected").hasNotPassed("NextFrontEnd");
		assertThat(variable(pi, "approvalComment")).isEqualTo("Not during the quarter close");
		assertThat(journal()).isEmpty();
	}

	@Test
	void anIncompleteChecklistPostponesTheUpgrade() {
		ProcessInstance pi = start();
		complete(task(pi), withVariables("downtimeScheduled", true, "permissionsConfirmed", true, "backupDone", false,
				"frontEndPlan", "runbook", "planningDecision", "ready"));

		assertThat(pi).isEnded().hasPassed("PlanningIncomplete").hasNotPassed("ApproveUpgrade");
	}

	@Test
	void theStartStoresTheRequestInCanonicalFormWithDefaultsAndTheClustersLayout() {
		ProcessInstance pi = start("excluster", " 6.5.7226 ", SP1);

		assertThat(pi).variables().containsEntry("cluster", "EXCLUSTER").containsEntry("targetBuild", "6.5.7226")
				.containsEntry("unattendFile", "D:\\Media\\E2K3SP1\\setup\\i386\\unattend.ini")
				.containsEntry("hotfixPath", HOTFIX).containsEntry("clusterNodes", "NODE1, NODE2")
				.containsEntry("virtualServers", "EVS1").containsEntry("frontEndServers", "FE01");
	}

	@Test
	void anUpgradeReportedButNotDoneIsShownToTheOperatorAgain() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		complete(task(pi), withVariables("virtualServerUpgradeDecision", "upgraded"));
		rehearsal.advance(Duration.ofMinutes(2));

		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer");
		assertThat((String) runtimeService().getVariable(pi.getId(), "verificationFailure"))
				.contains("Not upgraded yet").contains("EVS1 at Version 6.5 (Build 6944.0)");
		assertThat(journal()).noneMatch(e -> e.command().contains("/online"));

		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(SERVER_UPGRADE);
		assertThat(pi).isEnded().hasPassed("ClusterUpgraded");
		assertThat(variable(pi, "verificationFailure")).isEqualTo("");
	}

	@Test
	void frontEndServersPlannedAsDoneButNotAreShownToTheOperatorFirst() {
		ProcessInstance pi = planAndApprove("done");
		rehearsal.advance(Duration.ofMinutes(5));

		assertThat(pi).isWaitingAt("FrontEndNotUpgraded");
		assertThat(task(pi).getName()).isEqualTo("FE01 is below 6.5.7226");
		assertThat(journal()).noneMatch(JournalEntry::changesState);
		complete(task(pi), withVariables("frontEndDecision", "upgrade"));
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer").hasPassedInOrder("FrontEndNotUpgraded", "UpgradeFrontEnd", "UpgradeTargetNode");
	}

	@Test
	void frontEndServersAlreadyAtTheTargetAreLeftAlone() throws Exception {
		wire(topology("""
				"conditions": [{"server": "FE01", "build": "6.5.7226", "hotfixes": ["KB831464"]}]"""));
		ProcessInstance pi = planAndApprove("done");
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer").hasNotPassed("UpgradeFrontEnd", "FrontEndNotUpgraded");
		assertThat(journal()).noneMatch(e -> e.server().equals("FE01") && e.changesState());
	}

	@Test
	void aFailedServicePackOnThePassiveNodeIsRetriedByTheOperatorWhileTheVirtualServerStaysOnline() {
		rehearsal.lab.injectFault(NODE2, LabFault.SETUP_FAILS, 1);
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE.multipliedBy(2));

		ProcessInstance node2 = calledInstance(pi, "NODE2");
		assertThat(node2).isWaitingAt("ServicePackFailedOnServer");
		assertThat((String) runtimeService().getVariable(node2.getId(), "servicePackErrors")).startsWith("[ERROR]");
		assertThat(rehearsal.lab.clusters().get(0).groups().get(0)).extracting("owner").isEqualTo("NODE1");
		assertThat(rehearsal.lab.clusters().get(0).groups().get(0).resources()).extracting("state").containsOnly("Online");
		complete(task(node2), withVariables("servicePackDecision", "retry"));
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer");
		assertThat(journal()).filteredOn(on("NODE2", "update.exe")).hasSize(2);
	}

	@Test
	void aHotfixAlreadyInPlaceIsNeitherInstalledNorFollowedByARestart() throws Exception {
		wire(topology("""
				"conditions": [{"server": "NODE2", "hotfixes": ["KB831464"]}]"""));
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE.multipliedBy(2));

		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer");
		assertThat(journal()).noneMatch(on("NODE2", "Start-Process")).noneMatch(on("NODE2", "Restart-Computer"))
				.anyMatch(on("NODE2", "update.exe"));
	}

	@Test
	void twoVirtualServersAreUpgradedStrictlyOneAfterTheOther() throws Exception {
		wire(Topology.read(new ByteArrayInputStream("""
				{"build": "15.0.1473.3", "exchange2003": {
				 "media": [{"path": "D:\\\\Media\\\\E2K3SP1\\\\setup\\\\i386\\\\update.exe", "build": "6.5.7226"}],
				 "hotfixes": [{"path": "D:\\\\Media\\\\KB831464\\\\WindowsServer2003-KB831464-x86-ENU.exe", "hotfix": "KB831464"}],
				 "clusters": [{"name": "EXCLUSTER", "build": "6.5.6944", "nodes": ["NODE1", "NODE2", "NODE3"],
				   "virtualServers": [{"name": "EVS1", "owner": "NODE1"}, {"name": "EVS2", "owner": "NODE2"}]}]}}"""
				.getBytes(StandardCharsets.UTF_8))));
		ServerName node3 = ServerName.of("NODE3");
		ServerName evs2 = ServerName.of("EVS2");
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE);
		assertThat(runtimeService().getVariable(pi.getId(), "targetNode")).isEqualTo("NODE3");
		upgradeVirtualServer(pi, EVS1, node3);
		rehearsal.advance(SERVER_UPGRADE);
		assertThat(runtimeService().getVariable(pi.getId(), "virtualServer")).isEqualTo("EVS2");
		assertThat(runtimeService().getVariable(pi.getId(), "targetNode")).isEqualTo("NODE1");
		upgradeVirtualServer(pi, evs2, NODE1);
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassed("ClusterUpgraded");
		LabClusterView cluster = rehearsal.lab.clusters().get(0);
		assertThat(cluster.nodes()).extracting("build").containsOnly("6.5.7226");
		assertThat(cluster.groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE3"), tuple("EVS2", "NODE1"));
		int evs1Upgraded = indexOf(on("NODE3", "Upgrade Exchange Virtual Server"));
		int evs1LastOnline = indexOf(on("NODE3", "Exchange POP3 Virtual Server Instance - (EVS1)' /online"));
		int evs2Offline = indexOf(on("NODE2", "Exchange System Attendant - (EVS2)' /offline"));
		int evs2Upgraded = indexOf(on("NODE1", "Upgrade Exchange Virtual Server"));
		assertThat(List.of(evs1Upgraded, evs1LastOnline, evs2Offline, evs2Upgraded)).isSorted();
		assertThat(journal()).filteredOn(e -> e.command().contains("Upgrade Exchange Virtual Server")).hasSize(2);
		assertThat(variable(pi, "failoverDowntimes")).asString().matches("EVS1 PT.*, EVS2 PT.*");
	}

	// ---- An operator's stop: the run ends where it stopped, and nothing after the stop reaches the lab -------------

	@Test
	void stoppingAtAFrontEndPlannedAsDoneButNotTouchesNothing() {
		ProcessInstance pi = planAndApprove("done");
		rehearsal.advance(Duration.ofMinutes(5));
		assertThat(pi).isWaitingAt("FrontEndNotUpgraded");

		complete(task(pi), withVariables("frontEndDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassedInOrder("NextFrontEnd", "FrontEndNotUpgraded", "StoppedAtFrontEnds")
				.hasNotPassed("UpgradeFrontEnd", "NextVirtualServer", "ClusterUpgraded");
		assertThat(journal()).hasSize(journaled).noneMatch(JournalEntry::changesState);
		assertUntouched(rehearsal.lab.clusters().get(0));
		assertThat(rehearsal.lab.clusters().get(0).frontEnds()).extracting("build").containsOnly("6.5.6944");
	}

	@Test
	void stoppingAfterTheFrontEndsServicePackFailedLeavesTheClusterUntouched() {
		rehearsal.lab.injectFault(FE01, LabFault.SETUP_FAILS, 1);
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE);

		ProcessInstance fe01 = calledInstance(pi, "FE01");
		assertThat(fe01).isWaitingAt("ServicePackFailedOnServer");
		assertThat(task(fe01).getName()).isEqualTo("The service pack failed on FE01");
		complete(task(fe01), withVariables("servicePackDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(fe01).isEnded().hasPassed("StoppedAfterFailure").hasNotPassed("RestartAfterServicePack");
		assertThat(pi).isEnded().hasPassedInOrder("UpgradeFrontEnd", "FrontEndUpgradeStopped", "StoppedAtFrontEnd")
				.hasNotPassed("NextVirtualServer", "UpgradeTargetNode", "ClusterUpgraded");
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(journal()).hasSize(journaled).filteredOn(on("FE01", "update.exe")).hasSize(1);
		assertThat(journal()).noneMatch(e -> e.changesState() && !e.server().equals("FE01"));
		assertThat(rehearsal.lab.clusters().get(0).frontEnds()).extracting("build").containsOnly("6.5.6944");
		assertUntouched(rehearsal.lab.clusters().get(0));
	}

	@Test
	void stoppingWhileThePassiveNodeDoesNotComeBackLeavesTheVirtualServerOnline() {
		rehearsal.lab.injectFault(NODE2, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE.multipliedBy(2));

		ProcessInstance node2 = calledInstance(pi, "NODE2");
		assertThat(node2).isWaitingAt("RestartAfterHotfix");
		ProcessInstance restart = runtimeService().createProcessInstanceQuery().superProcessInstanceId(node2.getId()).singleResult();
		assertThat(restart).isWaitingAt("ServerNotAnswering");
		assertThat(task(restart).getName()).isEqualTo("NODE2 does not answer after the restart");
		assertThat(rehearsal.lab.clusters().get(0).nodes()).extracting("name", "state")
				.containsExactly(tuple("NODE1", "Up"), tuple("NODE2", "Down"));
		complete(task(restart), withVariables("restartDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(restart).isEnded().hasPassed("RestartStopped");
		assertThat(node2).isEnded().hasPassedInOrder("RestartAfterHotfixStopped", "StoppedAfterHotfix")
				.hasNotPassed("StartServicePack");
		assertThat(pi).isEnded().hasPassedInOrder("UpgradeFrontEnd", "UpgradeTargetNode", "TargetNodeUpgradeStopped",
				"StoppedAtPassiveNode").hasNotPassed("TakeSystemAttendantOffline", "MoveGroup");
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(journal()).hasSize(journaled).noneMatch(on("NODE2", "update.exe"))
				.noneMatch(e -> e.command().contains("/offline") || e.command().contains("/moveto"));
		LabClusterView cluster = rehearsal.lab.clusters().get(0);
		assertThat(cluster.groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE1"));
		assertThat(cluster.groups().get(0).resources()).extracting("state").containsOnly("Online");
		assertThat(cluster.nodes()).extracting("name", "build").containsExactly(tuple("NODE1", "6.5.6944"), tuple("NODE2", "6.5.6944"));
	}

	@Test
	void stoppingAtTheVirtualServerUpgradeLeavesItOfflineOnTheUpgradedNode() {
		ProcessInstance pi = upToTheVirtualServerUpgrade();

		complete(task("UpgradeExchangeVirtualServer", pi), withVariables("virtualServerUpgradeDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassedInOrder("MoveGroup", "UpgradeExchangeVirtualServer", "StoppedAtVirtualServerUpgrade")
				.hasNotPassed("VerifyVirtualServer", "BringNextResourceOnline", "NextNode");
		assertThat(variable(pi, "targetNode")).isEqualTo("NODE2");
		assertThat(variable(pi, "formerOwner")).isEqualTo("NODE1");
		assertThat(journal()).hasSize(journaled).noneMatch(e -> e.command().contains("/online"))
				.noneMatch(on("NODE1", "update.exe"));
		LabClusterView cluster = rehearsal.lab.clusters().get(0);
		assertThat(cluster.groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE2"));
		assertThat(cluster.groups().get(0).resources()).filteredOn(r -> r.name().contains("(EVS1)"))
				.extracting("state").containsOnly("Offline");
		assertThat(cluster.groups().get(0).resources()).filteredOn(r -> !r.name().contains("(EVS1)"))
				.extracting("state").containsOnly("Online");
		assertThat(cluster.nodes()).extracting("name", "build").containsExactly(tuple("NODE1", "6.5.6944"), tuple("NODE2", "6.5.7226"));
		assertThat(rehearsal.lab.describeCluster(ServerName.of("EXCLUSTER")).orElseThrow().virtualServers())
				.extracting("version").containsOnly(ExchangeBuild.parse("6.5.6944"));
	}

	@Test
	void stoppingAfterTheLastNodesServicePackFailedLeavesTheUpgradedVirtualServerRunning() {
		rehearsal.lab.injectFault(NODE1, LabFault.SETUP_FAILS, 1);
		ProcessInstance pi = upToTheVirtualServerUpgrade();
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(SERVER_UPGRADE);

		ProcessInstance node1 = calledInstance(pi, "NODE1");
		assertThat(node1).isWaitingAt("ServicePackFailedOnServer");
		assertThat((String) runtimeService().getVariable(node1.getId(), "servicePackErrors")).startsWith("[ERROR]");
		complete(task(node1), withVariables("servicePackDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(node1).isEnded().hasPassed("StoppedAfterFailure");
		assertThat(pi).isEnded().hasPassedInOrder("CheckApplicationLog", "NextNode", "UpgradeNode", "NodeUpgradeStopped",
				"StoppedAtNode").hasNotPassed("ClusterUpgraded");
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(journal()).hasSize(journaled).filteredOn(on("NODE1", "update.exe")).hasSize(1);
		assertThat(variable(pi, "failoverDowntimes")).asString().startsWith("EVS1 PT");
		LabClusterView cluster = rehearsal.lab.clusters().get(0);
		assertThat(cluster.nodes()).extracting("name", "build").containsExactly(tuple("NODE1", "6.5.6944"), tuple("NODE2", "6.5.7226"));
		assertThat(cluster.groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE2"));
		assertThat(cluster.groups().get(0).resources()).extracting("state").containsOnly("Online");
	}

	// ---------------------------------------------------------------------------------------------------------------

	@Test
	void aPassiveNodeAlreadyAtTheTargetTakesTheVirtualServerWithoutAServicePackOfItsOwn() throws Exception {
		wire(topology("""
				"conditions": [{"server": "NODE2", "build": "6.5.7226", "hotfixes": ["KB831464"]}]"""));
		ProcessInstance pi = planAndApprove("runbook");
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isWaitingAt("UpgradeExchangeVirtualServer").hasPassedInOrder("UpgradeFrontEnd", "NextVirtualServer",
				"TakeSystemAttendantOffline", "MoveGroup").hasNotPassed("UpgradeTargetNode");
		assertThat(runtimeService().getVariable(pi.getId(), "targetNode")).isEqualTo("NODE2");
		assertThat(runtimeService().getVariable(pi.getId(), "targetNodeReady")).isEqualTo(true);
		assertThat(journal()).noneMatch(e -> e.server().equals("NODE2") && e.changesState());
		upgradeVirtualServer(pi, EVS1, NODE2);
		rehearsal.advance(SERVER_UPGRADE);

		assertThat(pi).isEnded().hasPassed("ClusterUpgraded");
		assertThat(journal()).noneMatch(on("NODE2", "update.exe")).noneMatch(on("NODE2", "Restart-Computer"))
				.filteredOn(on("NODE1", "update.exe")).hasSize(1);
		assertThat(rehearsal.lab.clusters().get(0).nodes()).extracting("build").containsOnly("6.5.7226");
		assertThat(rehearsal.lab.clusters().get(0).groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE2"));
	}

	/** Nothing of the cluster changed: both nodes at RTM, EVS1 online on NODE1. */
	static void assertUntouched(LabClusterView cluster) {
		assertThat(cluster.nodes()).extracting("name", "build", "state")
				.containsExactly(tuple("NODE1", "6.5.6944", "Up"), tuple("NODE2", "6.5.6944", "Up"));
		assertThat(cluster.groups()).extracting("name", "owner").containsExactly(tuple("EVS1", "NODE1"));
		assertThat(cluster.groups().get(0).resources()).extracting("state").containsOnly("Online");
	}

	/** The called server upgrade working on a server. */
	ProcessInstance calledInstance(ProcessInstance parent, String server) {
		return runtimeService().createProcessInstanceQuery().superProcessInstanceId(parent.getId()).list().stream()
				.filter(p -> server.equals(runtimeService().getVariable(p.getId(), "server"))).findFirst().orElseThrow();
	}

	/** The bundled topology with its Exchange 2003 conditions replaced. */
	static Topology topology(String conditions) throws Exception {
		String json = new String(Topology.class.getClassLoader().getResourceAsStream(Topology.BUNDLED).readAllBytes(),
				StandardCharsets.UTF_8);
		int exchange2003 = json.indexOf("\"exchange2003\"");
		int last = json.lastIndexOf("\"conditions\": []");
		assertThat(last).isGreaterThan(exchange2003);
		return Topology.read(new ByteArrayInputStream((json.substring(0, last) + conditions + json.substring(last + "\"conditions\": []".length()))
				.getBytes(StandardCharsets.UTF_8)));
	}
}
