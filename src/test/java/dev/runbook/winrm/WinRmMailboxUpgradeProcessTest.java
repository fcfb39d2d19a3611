package dev.runbook.winrm;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ServerName;
import dev.runbook.lab.LabServerView;
import dev.runbook.process.ClusterSteps;
import dev.runbook.process.ComponentSteps;
import dev.runbook.process.DatabaseSteps;
import dev.runbook.process.LabRehearsal;
import dev.runbook.process.MaintenanceRequest;
import dev.runbook.process.RestartSteps;
import dev.runbook.process.RunbookSteps;
import dev.runbook.process.SeedSteps;
import dev.runbook.process.SetupSteps;
import dev.runbook.process.TransportSteps;
import dev.runbook.process.UpgradeRequest;
import dev.runbook.quality.CoveredProcessEngine;
import dev.runbook.winrm.script.ScriptedDirectory;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * The real {@code mailbox-server-upgrade} process, every step and every start check sent through the WinRM client to
 * the WS-Management double, which answers from the lab: the production path end to end, in simulated time.
 */
@Deployment(resources = { "processes/mailbox-server-upgrade.bpmn", "processes/mailbox-server-maintenance-start.bpmn",
		"processes/mailbox-server-maintenance-stop.bpmn", "processes/exchange-setup.bpmn", "processes/server-restart.bpmn",
		"forms/queues-not-drained.form", "forms/databases-not-moved.form", "forms/maintenance-not-verified.form",
		"forms/service-not-restored.form", "forms/setup-failed.form", "forms/setup-overdue.form",
		"forms/server-not-answering.form" })
class WinRmMailboxUpgradeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final ServerName EX01 = ServerName.of("EX01");
	static final ServerName EX02 = ServerName.of("EX02");
	static final String PASSWORD = "Process-Pass-31";

	LabRehearsal rehearsal;
	WsmanDouble wsman;

	@BeforeEach
	void overWinRm(ProcessEngine engine) {
		init(engine);
		rehearsal = new LabRehearsal(engine);
		wsman = new WsmanDouble("CONTOSO", "svc-runbook", PASSWORD, new LabPowerShell(rehearsal.lab));
		WinRmRunner runner = new WinRmRunner(WinRmShellTest.properties(wsman.endpoint(), Duration.ofSeconds(20)),
				new WinRmCredentials("CONTOSO", "svc-runbook", PASSWORD));
		ScriptedShell shell = new ScriptedShell(runner);
		ScriptedDirectory directory = new ScriptedDirectory(runner, EX01);
		RunbookProperties properties = new RunbookProperties(null, null, null, null);
		// The application's step families, but on the WinRM shell and directory instead of the lab's.
		Mocks.register("steps", new RunbookSteps(List.of(new ComponentSteps(), new TransportSteps(directory),
				new ClusterSteps(), new DatabaseSteps(), new SetupSteps(properties), new RestartSteps()), shell));
		MaintenanceRequest maintenanceRequest = new MaintenanceRequest(directory);
		Mocks.register("maintenanceRequest", maintenanceRequest);
		Mocks.register("upgradeRequest", new UpgradeRequest(maintenanceRequest));
	}

	@AfterEach
	void stop() {
		wsman.close();
		LabRehearsal.reset();
	}

	@Test
	void upgradesEx02ThroughWinRmInTheSeedsOrder() {
		ProcessInstance pi = runtimeService().startProcessInstanceByKey("mailbox-server-upgrade", "CHG-WINRM",
				Map.of("server", "EX02", "setupPath", LabRehearsal.SETUP_PATH, "targetBuild", LabRehearsal.TARGET_BUILD));

		rehearsal.advance(Duration.ofHours(3));

		assertThat(pi).isEnded().hasPassedInOrder("EnterMaintenance", "ReadInstalledBuild", "TestPendingReboot",
				"RunSetup", "RestartAfterSetup", "LeaveMaintenance", "Upgraded");
		org.assertj.core.api.Assertions.assertThat(rehearsal.failures).isEmpty();
		org.assertj.core.api.Assertions.assertThat(rehearsal.changes())
				.isEqualTo(SeedSteps.upgrade(EX02, EX01, LabRehearsal.SETUP_PATH));
		LabServerView ex02 = rehearsal.lab.server(EX02).orElseThrow();
		org.assertj.core.api.Assertions.assertThat(ex02.build()).isEqualTo(LabRehearsal.TARGET_BUILD);
		org.assertj.core.api.Assertions.assertThat(ex02.clusterNode()).isEqualTo("Up");
		org.assertj.core.api.Assertions.assertThat(ex02.autoActivationPolicy()).isEqualTo("Unrestricted");
		org.assertj.core.api.Assertions.assertThat(rehearsal.lab.outages()).isEmpty();
	}
}
