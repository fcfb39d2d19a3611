package dev.runbook.process;

import static dev.runbook.process.LabRehearsal.EX02;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.ResumeClusterNode;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsService;
import dev.runbook.lab.LabServerView;
import dev.runbook.quality.CoveredProcessEngine;

@Deployment(resources = { "processes/mailbox-server-maintenance-stop.bpmn", "forms/service-not-restored.form" })
class MaintenanceStopProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

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

	void shell(ExchangeCommand<?> command) {
		rehearsal.shell.run(command);
	}

	/** The seed's seven maintenance steps, typed by an administrator. */
	void putIntoMaintenanceByHand() {
		SeedSteps.maintenanceCommands(EX02, ServerName.of("EX01")).forEach(this::shell);
		rehearsal.advance(Duration.ofMinutes(5));
	}

	ProcessInstance start() {
		return runtimeService().startProcessInstanceByKey("mailbox-server-maintenance-stop", "CHG-2", Map.of("server", "EX02"));
	}

	void assertBackInService() {
		LabServerView ex02 = rehearsal.lab.server(EX02).orElseThrow();
		assertThat(ex02.components()).allSatisfy((component, state) -> assertThat(state).as(component)
				.isEqualTo(Component.valueOf(component).inactiveByDefault() ? "Inactive" : "Active"));
		assertThat(ex02.clusterNode()).isEqualTo("Up");
		assertThat(ex02.autoActivationPolicy()).isEqualTo("Unrestricted");
		assertThat(ex02.activationDisabledAndMoveNow()).isFalse();
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	@Test
	void restoresTheServerInTheSeedsOrderAndVerifiesItServesAgain() {
		putIntoMaintenanceByHand();
		int before = rehearsal.changes().size();
		ProcessInstance pi = start();

		rehearsal.advance(Duration.ofMinutes(5));

		assertThat(pi).isEnded().hasPassedInOrder("BringServerOnline", "ResumeClusterNode", "EnableActivation",
				"UnrestrictAutoActivation", "ActivateHubTransport", "RestartTransport", "VerifyComponents",
				"VerifyClusterNode", "VerifyMailboxServer", "VerifyCopies", "BackInService");
		assertThat(rehearsal.changes().subList(before, rehearsal.changes().size())).isEqualTo(SeedSteps.restore(EX02));
		assertBackInService();
		assertThat(rehearsal.failures).isEmpty();
	}

	@Test
	void restoresAServerThatIsOnlyPartlyInMaintenance() {
		// An aborted start: transport draining, nothing else.
		shell(new SetServerComponentState(EX02, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		shell(new RestartService(EX02, WindowsService.MSExchangeTransport));
		ProcessInstance pi = start();

		rehearsal.advance(Duration.ofMinutes(5));

		assertThat(pi).isEnded().hasPassed("BackInService");
		assertBackInService();
		assertThat(rehearsal.lab.server(EX02).orElseThrow().queuedMessages())
				.as("mail flows into EX02 again").isPositive();
		assertThat(rehearsal.failures).isEmpty();
	}

	ProcessInstance notRestoredBecauseHealthApiHoldsImapProxy() {
		putIntoMaintenanceByHand();
		shell(new SetServerComponentState(EX02, Component.ImapProxy, ComponentState.Inactive, Requester.HealthApi));
		ProcessInstance pi = start();
		rehearsal.advance(Duration.ofMinutes(5));
		assertThat(pi).isWaitingAt("ServiceNotRestored");
		assertThat(task()).hasCandidateGroup("operators").hasName("Service of EX02 not restored");
		assertThat((String) runtimeService().getVariable(pi.getId(), "verificationFailure"))
				.contains("Get-ServerComponentState", "ImapProxy").doesNotContain("HubTransport");
		return pi;
	}

	@Test
	void failedVerificationIsCheckedAgainWhenTheOperatorAsks() {
		ProcessInstance pi = notRestoredBecauseHealthApiHoldsImapProxy();
		shell(new SetServerComponentState(EX02, Component.ImapProxy, ComponentState.Active, Requester.HealthApi));

		complete(task(), withVariables("restoreDecision", "check"));
		rehearsal.runDueJobs();

		assertThat(pi).isEnded().hasPassed("BackInService").hasNotPassed("AcceptedByOperator");
		assertBackInService();
	}

	@Test
	void failedVerificationIsAcceptedOnlyWithAReason() {
		ProcessInstance pi = notRestoredBecauseHealthApiHoldsImapProxy();
		String taskId = task().getId();

		assertThatThrownBy(() -> complete(task(), withVariables("restoreDecision", "accept")))
				.rootCause().isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("acceptReason must be given when restoreDecision is accept");
		assertThat(pi).isWaitingAt("ServiceNotRestored");
		assertThat(task().getId()).isEqualTo(taskId);

		complete(task(), withVariables("restoreDecision", "accept", "acceptReason", "IMAP is not used at this site"));

		assertThat(pi).isEnded().hasPassed("AcceptedByOperator").hasNotPassed("BackInService");
		assertThat(pi).variables().containsEntry("acceptReason", "IMAP is not used at this site");
	}
}
