package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabShell;
import dev.runbook.lab.Topology;

/** A run is its root instance and every instance it called: any of their ids leads to the one report of the run. */
class AuditTrailTest {

	private static ProcessEngine engine;

	private LabOrganisation lab;
	private AuditTrail trail;

	@BeforeAll
	static void startEngine() {
		engine = TestEngines.build("audit-trail");
		engine.getRepositoryService().createDeployment()
				.addModelInstance("run.bpmn", Bpmn.createExecutableProcess("run").name("Run").camundaHistoryTimeToLive(1)
						.startEvent("requested").camundaInitiator("requestedBy")
						.callActivity("eachServer").name("Each server").calledElement("server-change")
						.camundaIn("server", "server")
						.multiInstance().sequential().camundaCollection("${servers}").camundaElementVariable("server")
						.multiInstanceDone().endEvent("done").done())
				.addModelInstance("server-change.bpmn", Bpmn.createExecutableProcess("server-change").name("Server change")
						.camundaHistoryTimeToLive(1).startEvent()
						.serviceTask("read").name("Read the queues").camundaAsyncBefore()
						.camundaExpression("${auditSteps.run(execution, 'read')}")
						.serviceTask("check").name("Check the components").camundaAsyncBefore()
						.camundaExpression("${auditSteps.run(execution, 'check')}").endEvent().done())
				.deploy();
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@BeforeEach
	void setUp() {
		BpmnAwareTests.init(engine);
		lab = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
		Mocks.register("auditSteps", new AuditSteps(new RecordingShell(new LabShell(lab))));
		trail = new AuditTrail(engine.getHistoryService(), engine.getTaskService(),
				new CommandHistory(engine.getTaskService()), new AuditProperties(null, null, List.of("servers")));
	}

	@AfterEach
	void tearDown() {
		Mocks.reset();
		engine.getIdentityService().clearAuthentication();
	}

	@Test
	void theReportOfARunCoversTheCalledInstancesInTheOrderTheCommandsRan() {
		engine.getIdentityService().setAuthenticatedUserId("operator");
		ProcessInstance run = engine.getRuntimeService().startProcessInstanceByKey("run",
				Map.of("servers", new java.util.ArrayList<>(List.of("EX01", "EX03"))));
		engine.getIdentityService().clearAuthentication();
		for (Job job = next(); job != null; job = next()) {
			engine.getManagementService().executeJob(job.getId());
		}
		assertThat(run).isEnded();
		String calledFirst = engine.getHistoryService().createHistoricProcessInstanceQuery()
				.superProcessInstanceId(run.getId()).orderByProcessInstanceStartTime().asc().list().get(0).getId();

		AuditReport report = trail.report(calledFirst).orElseThrow();

		assertThat(report.upgrade().processInstanceId()).isEqualTo(run.getId());
		assertThat(report.upgrade().startedBy()).isEqualTo("operator");
		// named, never deserialized
		assertThat(report.upgrade().variables()).containsEntry("servers", "(java.util.ArrayList, Java-serialized)");
		assertThat(report.processes()).extracting(AuditReport.Process::processDefinitionKey)
				.containsExactly("run", "server-change", "server-change");
		assertThat(report.processes()).filteredOn(p -> p.calledBy() != null)
				.allSatisfy(p -> assertThat(p.calledBy()).isEqualTo(run.getId()));
		assertThat(report.commands()).extracting(CommandRecord::commandLine)
				.containsExactlyElementsOf(lab.journal().stream().map(e -> e.command()).toList())
				.containsExactly("Get-Queue -Server 'EX01'", "Get-ServerComponentState -Identity 'EX01'",
						"Get-Queue -Server 'EX03'", "Get-ServerComponentState -Identity 'EX03'");
		assertThat(report.commands()).allSatisfy(c -> assertThat(c.rootProcessInstanceId()).isEqualTo(run.getId()));
		assertThat(report.steps()).extracting(AuditReport.Step::activityId).contains("requested", "eachServer", "read",
				"check", "done");
		assertThat(trail.upgrades(0, 10)).extracting(AuditReport.Upgrade::processInstanceId).containsExactly(run.getId());
	}

	private static Job next() {
		return engine.getManagementService().createJobQuery().executable().list().stream().findFirst().orElse(null);
	}
}
