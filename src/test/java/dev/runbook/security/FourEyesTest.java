package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runbook.audit.TestEngines;

/** The requester of a change cannot approve it, through any engine API; the approval records who, when and why. */
class FourEyesTest {

	private static ProcessEngine engine;

	@BeforeAll
	static void startEngine() {
		engine = TestEngines.build("four-eyes", new FourEyesPlugin());
		engine.getRepositoryService().createDeployment().addClasspathResource("security/four-eyes.bpmn").deploy();
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@BeforeEach
	void init() {
		BpmnAwareTests.init(engine);
	}

	@AfterEach
	void tearDown() {
		engine.getIdentityService().clearAuthentication();
		ClockUtil.reset();
	}

	@Test
	void theRequesterCannotCompleteTheApproval() {
		ProcessInstance pi = requestedBy("operator");
		Task approval = task(pi);

		as("operator");
		assertThatThrownBy(() -> engine.getTaskService().complete(approval.getId()))
				.isInstanceOf(FourEyesViolation.class).isInstanceOf(AuthorizationException.class)
				.hasMessageContaining("operator requested this change and cannot approve it")
				.hasMessageContaining("Approve change");
		assertThat(pi).isWaitingAt("approve");
		assertThat(engine.getRuntimeService().getVariable(pi.getId(), FourEyesApproval.APPROVED_BY)).isNull();
	}

	@Test
	void norClaimItNorSubmitItsFormNorDoesCaseMakeADifference() {
		ProcessInstance pi = requestedBy("operator");
		String approval = task(pi).getId();

		as("operator");
		assertThatThrownBy(() -> engine.getTaskService().claim(approval, "operator")).isInstanceOf(FourEyesViolation.class);
		assertThatThrownBy(() -> engine.getFormService().submitTaskForm(approval, Map.of("approved", true)))
				.isInstanceOf(FourEyesViolation.class);
		as("OPERATOR");
		assertThatThrownBy(() -> engine.getTaskService().complete(approval)).isInstanceOf(FourEyesViolation.class);
		assertThat(pi).isWaitingAt("approve");
	}

	@Test
	void anotherUserApprovesAndTheApprovalIsRecorded() {
		Date approvedAt = new Date(System.currentTimeMillis() / 1000 * 1000 + 3_600_000);
		ProcessInstance pi = requestedBy("operator");
		String approval = task(pi).getId();

		as("manager");
		ClockUtil.setCurrentTime(approvedAt);
		engine.getTaskService().claim(approval, "manager");
		engine.getTaskService().complete(approval, Map.of("approved", true, FourEyesApproval.APPROVAL_COMMENT, "CU23 tested in the lab"));

		assertThat(pi).isEnded().hasPassedInOrder("prepare", "approve");
		HistoricVariableUpdate approvedBy = update(pi, FourEyesApproval.APPROVED_BY);
		assertThat(approvedBy.getValue()).isEqualTo("manager");
		assertThat(update(pi, FourEyesApproval.APPROVED_AT).getValue()).isEqualTo(approvedAt);
		assertThat(update(pi, FourEyesApproval.APPROVAL_COMMENT).getValue()).isEqualTo("CU23 tested in the lab");
		String approveInstance = engine.getHistoryService().createHistoricActivityInstanceQuery()
				.processInstanceId(pi.getId()).activityId("approve").singleResult().getId();
		assertThat(approvedBy.getActivityInstanceId()).isEqualTo(approveInstance);
	}

	@Test
	void withoutACommentFieldTheApproversTaskCommentIsRecorded() {
		ProcessInstance pi = requestedBy("operator");
		String approval = task(pi).getId();

		as("manager");
		engine.getTaskService().createComment(approval, pi.getId(), "Checked the DAG health first");
		engine.getTaskService().complete(approval);

		assertThat(update(pi, FourEyesApproval.APPROVAL_COMMENT).getValue()).isEqualTo("Checked the DAG health first");
	}

	@Test
	void anApprovalNeedsSomeoneToRecord() {
		ProcessInstance pi = requestedBy("operator");
		String approval = task(pi).getId();

		assertThatThrownBy(() -> engine.getTaskService().complete(approval))
				.hasMessageContaining("can only be completed by a signed-in user");
		assertThat(pi).isWaitingAt("approve");

		// engine-internal completion of an assigned task: the assignee is the approver, and still not the requester
		engine.getTaskService().setAssignee(approval, "operator");
		assertThatThrownBy(() -> engine.getTaskService().complete(approval)).hasMessageContaining("cannot approve it");
		engine.getTaskService().setAssignee(approval, "manager");
		engine.getTaskService().complete(approval);
		assertThat(update(pi, FourEyesApproval.APPROVED_BY).getValue()).isEqualTo("manager");
	}

	@Test
	void tasksWithoutTheMarkAreTheRequestersToWork() {
		as("operator");
		ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("four-eyes-change");
		engine.getTaskService().claim(task(pi).getId(), "operator");
		engine.getTaskService().complete(task(pi).getId());

		assertThat(pi).isWaitingAt("approve");
	}

	/** Started by {@code user}, who also completes the preparation: the process now waits for approval. */
	private static ProcessInstance requestedBy(String user) {
		as(user);
		ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("four-eyes-change");
		engine.getTaskService().complete(task(pi).getId());
		engine.getIdentityService().clearAuthentication();
		assertThat(pi).isWaitingAt("approve").variables().containsEntry("requestedBy", user);
		return pi;
	}

	private static void as(String user) {
		engine.getIdentityService().setAuthenticatedUserId(user);
	}

	private static HistoricVariableUpdate update(ProcessInstance pi, String variable) {
		return engine.getHistoryService().createHistoricDetailQuery().processInstanceId(pi.getId()).variableUpdates()
				.list().stream().map(HistoricVariableUpdate.class::cast)
				.filter(u -> u.getVariableName().equals(variable)).reduce((first, second) -> second).orElseThrow();
	}
}
