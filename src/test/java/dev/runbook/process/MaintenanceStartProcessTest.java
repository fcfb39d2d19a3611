package dev.runbook.process;

import static dev.runbook.process.LabRehearsal.EX02;
import static dev.runbook.process.LabRehearsal.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.MoveActiveMailboxDatabase;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabServerView;
import dev.runbook.quality.CoveredProcessEngine;

@Deployment(resources = { "processes/mailbox-server-maintenance-start.bpmn", "forms/queues-not-drained.form",
		"forms/databases-not-moved.form", "forms/maintenance-not-verified.form" })
class MaintenanceStartProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension extension = CoveredProcessEngine.extension();

	static final ServerName EX01 = ServerName.of("EX01");
	static final ServerName EX03 = ServerName.of("EX03");
	static final ServerName EX04 = ServerName.of("EX04");

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
		assertThat(pi).variables().containsEntry("server", "EX02").containsEntry("redirectTarget", "EX01.CONTOSO.LOCAL");
		assertThat(rehearsal.changes()).isEqualTo(SeedSteps.maintenance(EX02, EX01));
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

	// ---- Queues that do not drain ------------------------------------------------------------------------------

	ProcessInstance waitingForDrainDecision() {
		rehearsal.lab.injectFault(EX02, LabFault.QUEUE_STUCK, 1000);
		ProcessInstance pi = start("EX02");
		rehearsal.advance(Duration.ofMinutes(14));
		assertThat(pi).isWaitingAt("QueueDrainPoll");
		rehearsal.advance(Duration.ofMinutes(2));
		assertThat(pi).isWaitingAt("QueuesNotDrained");
		assertThat(task()).hasCandidateGroup("operators").hasName("Queues on EX02 did not drain");
		assertThat(pi).variables().containsEntry("messagesToDrain", LabOrganisation.STUCK_MESSAGES);
		try (InputStream form = formService().getDeployedTaskForm(task().getId())) {
			assertThat(new String(form.readAllBytes(), StandardCharsets.UTF_8)).contains("\"id\": \"queues-not-drained\"");
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return pi;
	}

	long redirects() {
		return rehearsal.changes().stream().filter(c -> c.startsWith("Redirect-Message")).count();
	}

	@Test
	void drainTimeoutThenWaitLongerWaitsAnotherTimeoutBeforeAskingAgain() {
		ProcessInstance pi = waitingForDrainDecision();

		complete(task(), withVariables("drainDecision", "wait"));
		rehearsal.advance(Duration.ofMinutes(14));
		assertThat(pi).isWaitingAt("QueueDrainPoll");
		rehearsal.lab.clearFaults();
		rehearsal.advance(Duration.ofMinutes(5));

		assertThat(pi).isEnded().hasPassed("InMaintenance");
		assertThat(redirects()).isEqualTo(1);
		assertThat(historyService().createHistoricTaskInstanceQuery().taskDefinitionKey("QueuesNotDrained").count()).isEqualTo(1);
	}

	@Test
	void drainTimeoutThenRedirectAgainRunsRedirectMessageAgainAndWaits() {
		ProcessInstance pi = waitingForDrainDecision();

		complete(task(), withVariables("drainDecision", "redirect"));
		rehearsal.runDueJobs();

		assertThat(redirects()).isEqualTo(2);
		assertThat(pi).isWaitingAt("QueueDrainPoll");
		rehearsal.advance(Duration.ofMinutes(16));
		assertThat(pi).isWaitingAt("QueuesNotDrained");
	}

	@Test
	void drainTimeoutThenContinueAnywayRecordsTheQueuedMessagesAndPassesVerification() {
		ProcessInstance pi = waitingForDrainDecision();

		complete(task(), withVariables("drainDecision", "continue"));
		rehearsal.advance(Duration.ofMinutes(10));

		assertThat(pi).isEnded().hasPassedInOrder("QueuesNotDrained", "SuspendClusterNode", "VerifyQueues", "InMaintenance");
		assertThat(pi).variables().containsEntry("messagesLeftInQueues", LabOrganisation.STUCK_MESSAGES);
		assertThat(rehearsal.lab.server(EX02).orElseThrow().clusterNode()).isEqualTo("Paused");
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	@Test
	void drainTimeoutThenAbortEndsWithMaintenanceAbortedBeforeTheNodeIsTouched() {
		ProcessInstance pi = waitingForDrainDecision();

		complete(task(), withVariables("drainDecision", "abort"));

		assertThat(pi).isEnded().hasPassed("AbortedWhileDraining").hasNotPassed("SuspendClusterNode");
		assertThat(rehearsal.changes()).noneMatch(c -> c.startsWith("Suspend-ClusterNode"));
		assertThat(rehearsal.lab.server(EX02).orElseThrow().clusterNode()).isEqualTo("Up");
	}

	// ---- Databases that do not move ----------------------------------------------------------------------------

	/** EX03 and EX04 hold DB02's other copies; with both blocked, DB02 has nowhere to go. */
	void blockDb02sOtherCopies() {
		shell(new SetDatabaseCopyAutoActivationPolicy(EX03, AutoActivationPolicy.Blocked));
		shell(new SetDatabaseCopyAutoActivationPolicy(EX04, AutoActivationPolicy.Blocked));
	}

	void shell(ExchangeCommand<?> command) {
		rehearsal.shell.run(command);
	}

	@Test
	void moveTimeoutMovesTheStragglersWithMoveActiveMailboxDatabase() {
		blockDb02sOtherCopies();
		ProcessInstance pi = start("EX02");
		rehearsal.advance(Duration.ofMinutes(5));
		assertThat(pi).isWaitingAt("DatabaseMovePoll");
		assertThat(pi).variables().containsEntry("activeDatabases", "DB02");
		// A colleague lets EX03 host active copies again; only an explicit move uses it now.
		shell(new SetDatabaseCopyAutoActivationPolicy(EX03, AutoActivationPolicy.Unrestricted));

		rehearsal.advance(Duration.ofMinutes(10));

		assertThat(pi).isEnded().hasPassedInOrder("MoveDatabasesNow", "MoveActiveDatabases", "CountStragglers",
				"BlockAutoActivation", "InMaintenance").hasNotPassed("DatabasesNotMoved");
		assertThat(rehearsal.changes()).contains(line(new MoveActiveMailboxDatabase(EX02)));
		assertThat(rehearsal.lab.databases()).filteredOn(db -> db.name().equals("DB02"))
				.singleElement().satisfies(db -> assertThat(db.mountedOn()).isEqualTo("EX03"));
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	ProcessInstance waitingForMoveDecision() {
		blockDb02sOtherCopies();
		ProcessInstance pi = start("EX02");
		rehearsal.advance(Duration.ofMinutes(20));
		assertThat(pi).isWaitingAt("DatabasesNotMoved");
		assertThat(task()).hasCandidateGroup("operators").hasName("Active databases remain on EX02");
		assertThat(pi).variables().containsEntry("activeCopies", 1).containsEntry("activeDatabases", "DB02");
		assertThat((String) runtimeService().getVariable(pi.getId(), "moveFailure")).contains("DB02");
		return pi;
	}

	@Test
	void stragglersThatCannotMoveGoToAnOperatorWhoMayAbort() {
		ProcessInstance pi = waitingForMoveDecision();

		complete(task(), withVariables("moveDecision", "abort"));

		assertThat(pi).isEnded().hasPassed("AbortedWhileMoving").hasNotPassed("BlockAutoActivation");
		assertThat(rehearsal.lab.server(EX02).orElseThrow().activeDatabases()).containsExactly("DB02");
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	@Test
	void stragglersAfterWaitAgainAreMovedOnceACopyMayBeActivated() {
		ProcessInstance pi = waitingForMoveDecision();
		shell(new SetDatabaseCopyAutoActivationPolicy(EX04, AutoActivationPolicy.Unrestricted));

		complete(task(), withVariables("moveDecision", "wait"));
		rehearsal.advance(Duration.ofMinutes(15));

		assertThat(pi).isEnded().hasPassed("InMaintenance");
		assertThat(rehearsal.lab.server(EX02).orElseThrow().activeDatabases()).isEmpty();
		assertThat(rehearsal.changes().stream().filter(c -> c.startsWith("Move-ActiveMailboxDatabase")).count()).isEqualTo(1);
		assertThat(rehearsal.lab.outages()).isEmpty();
	}

	// ---- Verification ------------------------------------------------------------------------------------------

	ProcessInstance notVerifiedBecauseAColleagueUnblockedActivation() {
		ProcessInstance pi = start("EX02");
		rehearsal.advanceUntilJobAt("VerifyMailboxServer", Duration.ofMinutes(30));
		shell(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Unrestricted));
		rehearsal.runDueJobs();
		assertThat(pi).isWaitingAt("MaintenanceNotVerified");
		assertThat(task()).hasCandidateGroup("operators").hasName("Maintenance of EX02 not verified");
		assertThat((String) runtimeService().getVariable(pi.getId(), "verificationFailure"))
				.contains("Get-MailboxServer", "EX02", "Unrestricted");
		return pi;
	}

	@Test
	void failedVerificationStopsWithTheReasonAndChecksAgainWhenAsked() {
		ProcessInstance pi = notVerifiedBecauseAColleagueUnblockedActivation();
		shell(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked));

		complete(task(), withVariables("verificationDecision", "check"));
		rehearsal.runDueJobs();

		assertThat(pi).isEnded().hasPassed("InMaintenance");
		assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
				.activityId("VerifyComponents").count()).isEqualTo(2);
	}

	@Test
	void failedVerificationThenAbortEndsWithMaintenanceAborted() {
		ProcessInstance pi = notVerifiedBecauseAColleagueUnblockedActivation();

		complete(task(), withVariables("verificationDecision", "abort"));

		assertThat(pi).isEnded().hasPassed("AbortedUnverified").hasNotPassed("InMaintenance");
	}

	// ---- Faults ------------------------------------------------------------------------------------------------

	@Test
	void aTransientFaultIsRetriedByTheJobAndTheStepRunsOnce() {
		rehearsal.lab.injectFault(EX02, LabFault.TRANSIENT_ERROR, 1);
		ProcessInstance pi = start("EX02");

		rehearsal.advance(Duration.ofMinutes(30));

		assertThat(rehearsal.failures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("EX02"));
		assertThat(pi).isEnded().hasPassed("InMaintenance");
		assertThat(rehearsal.lab.journal().get(0).outcome()).startsWith("Failed");
		assertThat(rehearsal.changes()).first().isEqualTo(line(new SetServerComponentState(EX02, Component.HubTransport,
				ComponentState.Draining, Requester.Maintenance)));
		assertThat(rehearsal.changes()).hasSize(7);
	}

	@Test
	void exhaustedRetriesLeaveAnIncidentThatNamesServerAndCause() {
		rehearsal.lab.injectFault(EX02, LabFault.TRANSIENT_ERROR, 10);
		ProcessInstance pi = start("EX02");

		rehearsal.advance(Duration.ofMinutes(30));

		assertThat(rehearsal.failures).hasSize(3);
		assertThat(pi).isActive().isWaitingAt("DrainHubTransport");
		Incident incident = runtimeService().createIncidentQuery().processInstanceId(pi.getId()).singleResult();
		assertThat(incident.getActivityId()).isEqualTo("DrainHubTransport");
		assertThat(incident.getIncidentMessage()).contains("EX02", "WS-Management service cannot process the request");
		assertThat(rehearsal.changes()).isEmpty();
	}

	// ---- Refusals ----------------------------------------------------------------------------------------------

	@Test
	void aClientAccessServerIsRefusedBeforeAnythingRuns() {
		assertThatThrownBy(() -> start("CAS01")).isInstanceOf(BadUserRequestException.class)
				.hasMessageContaining("CAS01").hasMessageContaining("not a member of a database availability group");

		assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();
		assertThat(rehearsal.lab.journal()).isEmpty();
	}
}
