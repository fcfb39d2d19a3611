package dev.runbook.exchange2003;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ServerName;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabClusterView;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.Topology;
import dev.runbook.process.LabRehearsal;
import dev.runbook.process.RestartSteps;
import dev.runbook.process.RunbookSteps;
import dev.runbook.quality.CoveredProcessEngine;

/**
 * The server upgrade the cluster upgrade calls, run on its own on the passive node NODE2 against the lab in simulated
 * time: the waits that end with an operator's question, and what each answer leaves on the server.
 */
@Deployment(resources = { "processes/exchange2003-server-upgrade.bpmn", "processes/server-restart.bpmn",
		"forms/exchange2003-service-pack-failed.form", "forms/exchange2003-service-pack-overdue.form",
		"forms/server-not-answering.form" })
class ServerUpgradeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final ServerName NODE2 = ServerName.of("NODE2");
	/** Shorter than the lab's 25-minute service pack, so that the wait for it runs out while update.exe runs. */
	static final Duration SHORT_SETUP_TIMEOUT = Duration.ofMinutes(15);

	ProcessEngine engine;
	LabRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		this.engine = engine;
		init(engine);
		wire(Topology.bundledDefault(), new RunbookProperties(null, null, null, null));
	}

	@AfterEach
	void tearDown() {
		LabRehearsal.reset();
	}

	/** The application's wiring for this process: its steps beside the restart steps. */
	void wire(Topology topology, RunbookProperties properties) {
		LabRehearsal.reset();
		rehearsal = new LabRehearsal(engine, topology, properties);
		Mocks.register("steps", new RunbookSteps(List.of(new RestartSteps(), new ServerUpgradeSteps2003()), rehearsal.shell));
	}

	void wireWithShortSetupTimeout() {
		wire(Topology.bundledDefault(), new RunbookProperties(null, null,
				new RunbookProperties.Timing(null, null, null, null, null, SHORT_SETUP_TIMEOUT, null, null), null));
	}

	/** As the cluster upgrade calls it for a passive node. */
	ProcessInstance start() {
		Map<String, Object> variables = new HashMap<>();
		variables.put("server", "NODE2");
		variables.put("targetBuild", "6.5.7226");
		variables.put("installerPath", ClusterUpgradeProcessTest.SP1);
		variables.put("unattendFile", "D:\\Media\\E2K3SP1\\setup\\i386\\unattend.ini");
		variables.put("hotfixPath", ClusterUpgradeProcessTest.HOTFIX);
		return runtimeService().startProcessInstanceByKey("exchange2003-server-upgrade", "CHG-2003", variables);
	}

	List<JournalEntry> journal() {
		return rehearsal.lab.journal();
	}

	LabClusterView.Node node2() {
		return rehearsal.lab.clusters().get(0).nodes().stream().filter(n -> n.name().equals("NODE2")).findFirst().orElseThrow();
	}

	static Predicate<JournalEntry> on(String commandPart) {
		return e -> e.server().equals("NODE2") && e.command().contains(commandPart) && e.succeeded();
	}

	/** Hotfix, restart, update.exe started, and the wait for it run out while update.exe still runs. */
	Task overdue(ProcessInstance pi) {
		rehearsal.advance(Duration.ofMinutes(25));
		assertThat(pi).isWaitingAt("ServicePackOverdueOnServer").hasPassedInOrder("InstallHotfix", "RestartAfterHotfix",
				"StartServicePack", "ServicePackOverdue");
		Task task = task(pi);
		assertThat(task).hasName("The service pack on NODE2 is taking longer than expected").hasCandidateGroup("operators");
		JournalEntry started = journal().stream().filter(on("update.exe")).findFirst().orElseThrow();
		assertThat(Duration.between(started.time(), task.getCreateTime().toInstant())).isEqualTo(SHORT_SETUP_TIMEOUT);
		assertThat(runtimeService().getVariable(pi.getId(), "servicePackState")).isEqualTo("Running");
		assertThat(node2().build()).isEqualTo("6.5.6944");
		return task;
	}

	@Test
	void aServicePackThatOutlastsItsTimeoutAsksTheOperatorAndWaitingAgainFinishesWithoutASecondStart() {
		wireWithShortSetupTimeout();
		ProcessInstance pi = start();

		complete(overdue(pi), withVariables("servicePackOverdueDecision", "wait"));
		rehearsal.advance(Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassedInOrder("ServicePackOverdueOnServer", "OverdueDecision", "ReadServicePackStatus",
				"ServicePackInstalled", "RestartAfterServicePack", "ServerUpgraded");
		assertThat(journal()).as("waiting again does not start update.exe again").filteredOn(on("update.exe")).hasSize(1);
		assertThat(node2()).extracting("build", "state").containsExactly("6.5.7226", "Up");
	}

	@Test
	void stoppingAnOverdueServicePackEndsTheUpgradeAndNothingRunsOnTheServerAfterwards() {
		wireWithShortSetupTimeout();
		ProcessInstance pi = start();

		complete(overdue(pi), withVariables("servicePackOverdueDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(Duration.ofHours(1));

		assertThat(pi).isEnded().hasPassedInOrder("ServicePackOverdueOnServer", "OverdueDecision", "StoppedWhileWaiting")
				.hasNotPassed("RestartAfterServicePack", "ServerUpgraded");
		assertThat(journal()).as("no poll, no restart after the stop").hasSize(journaled);
		assertThat(journal()).filteredOn(on("update.exe")).hasSize(1);
		assertThat(journal()).filteredOn(on("Restart-Computer")).hasSize(1);
		// The runbook stopped waiting; update.exe was left to finish on its own, and the server was not restarted.
		assertThat(node2().state()).isEqualTo("Up");
	}

	@Test
	void aServicePackThatAsksForARestartGetsOne() {
		rehearsal.lab.injectFault(NODE2, LabFault.SERVICE_PACK_NEEDS_RESTART, 1);
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofHours(2));

		assertThat(pi).isEnded().hasPassedInOrder("StartServicePack", "ServicePackInstalled", "RestartAfterServicePack",
				"ServerUpgraded");
		List<JournalEntry> restarts = journal().stream().filter(on("Restart-Computer")).toList();
		assertThat(restarts).hasSize(2);
		assertThat(restarts.get(1).time()).isAfter(journal().stream().filter(on("update.exe")).findFirst().orElseThrow().time());
		assertThat(node2()).extracting("build", "state").containsExactly("6.5.7226", "Up");
	}

	@Test
	void stoppingWhileTheServerDoesNotComeBackFromTheServicePacksRestartEndsTheUpgradeWithTheBinariesAtTheTarget()
			throws Exception {
		// The hotfix in place: the restart the service pack asks for is the only one, and the server stays down after it.
		wire(ClusterUpgradeProcessTest.topology("""
				"conditions": [{"server": "NODE2", "hotfixes": ["KB831464"]}]"""), new RunbookProperties(null, null, null, null));
		rehearsal.lab.injectFault(NODE2, LabFault.SERVICE_PACK_NEEDS_RESTART, 1);
		rehearsal.lab.injectFault(NODE2, LabFault.NO_RETURN_AFTER_REBOOT, 1);
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofHours(2));

		assertThat(pi).isWaitingAt("RestartAfterServicePack").hasPassed("ServicePackInstalled");
		ProcessInstance restart = runtimeService().createProcessInstanceQuery().superProcessInstanceId(pi.getId()).singleResult();
		assertThat(restart).isWaitingAt("ServerNotAnswering");
		assertThat(task(restart)).hasName("NODE2 does not answer after the restart");
		assertThat(node2()).extracting("build", "state").containsExactly("6.5.7226", "Down");
		complete(task(restart), withVariables("restartDecision", "stop"));
		int journaled = journal().size();
		rehearsal.advance(Duration.ofHours(1));

		assertThat(restart).isEnded().hasPassed("RestartStopped");
		assertThat(pi).isEnded().hasPassedInOrder("RestartAfterServicePack", "RestartAfterServicePackStopped",
				"StoppedAfterServicePack").hasNotPassed("ServerUpgraded");
		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(journal()).hasSize(journaled).noneMatch(on("Start-Process"));
		assertThat(journal()).filteredOn(on("Restart-Computer")).singleElement()
				.matches(r -> r.time().isAfter(journal().stream().filter(on("update.exe")).findFirst().orElseThrow().time()));
		assertThat(rehearsal.lab.clusters().get(0).nodes()).extracting("name", "build", "state")
				.containsExactly(tuple("NODE1", "6.5.6944", "Up"), tuple("NODE2", "6.5.7226", "Down"));
	}
}
