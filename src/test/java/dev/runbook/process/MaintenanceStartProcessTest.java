package dev.runbook.process;

import static dev.runbook.process.LabRehearsal.EX02;
import static dev.runbook.process.LabRehearsal.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsService;
import dev.runbook.lab.LabServerView;

@Deployment(resources = { "processes/mailbox-server-maintenance-start.bpmn", "forms/queues-not-drained.form",
		"forms/databases-not-moved.form", "forms/maintenance-not-verified.form" })
class MaintenanceStartProcessTest {

	@RegisterExtension
	static ProcessEngineExtension extension = ProcessEngineExtension.builder()
			.configurationResource("camunda-test.cfg.xml").build();

	static final ServerName EX01 = ServerName.of("EX01");

	LabRehearsal rehearsal;

	@BeforeEach
	void setUp(ProcessEngine engine) {
		init(engine);
		rehearsal = new LabRehearsal(engine);
	}

	@AfterEach
	void tearDown() {
		LabRehearsal.reset();
	}

	ProcessInstance start(String server) {
		return runtimeService().startProcessInstanceByKey("mailbox-server-maintenance-start", "CHG-1",
				Map.of("server", server));
	}

	@Test
	void putsTheServerIntoMaintenanceInTheSeedsOrderAndVerifiesIt() {
		ProcessInstance pi = start("ex02");

		rehearsal.advance(Duration.ofMinutes(30));

		assertThat(pi).isEnded().hasPassedInOrder("DrainHubTransport", "RestartTransport", "RedirectMessages",
				"CountQueuedMessages", "SuspendClusterNode", "MoveDatabasesNow", "CountActiveCopies",
				"BlockAutoActivation", "TakeServerOffline", "VerifyComponents", "VerifyMailboxServer",
				"VerifyClusterNode", "VerifyQueues", "InMaintenance");
		assertThat(pi).variables().containsEntry("server", "EX02").containsEntry("redirectTarget", "EX01");
		assertThat(rehearsal.changes()).containsExactly(
				line(new SetServerComponentState(EX02, Component.HubTransport, ComponentState.Draining, Requester.Maintenance)),
				line(new RestartService(EX02, WindowsService.MSExchangeTransport)),
				line(new RedirectMessage(EX02, EX01)),
				line(new SuspendClusterNode(EX02)),
				line(new SetDatabaseCopyActivationDisabledAndMoveNow(EX02, true)),
				line(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked)),
				line(new SetServerComponentState(EX02, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance)));
		LabServerView ex02 = rehearsal.lab.server(EX02).orElseThrow();
		assertThat(ex02.components()).allSatisfy((component, state) -> assertThat(state).as(component)
				.isEqualTo(Component.valueOf(component).survivesServerWideOffline() ? "Active" : "Inactive"));
		assertThat(ex02.clusterNode()).isEqualTo("Paused");
		assertThat(ex02.autoActivationPolicy()).isEqualTo("Blocked");
		assertThat(ex02.activationDisabledAndMoveNow()).isTrue();
		assertThat(ex02.activeDatabases()).isEmpty();
		assertThat(ex02.queuedMessages()).isZero();
		assertThat(rehearsal.lab.outages()).isEmpty();
		assertThat(rehearsal.failures).isEmpty();
	}
}
