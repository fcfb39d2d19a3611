package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What each group may do, through REST and through the Java API with the user's authentication: start a process,
 * complete an operator task, approve, read history, read the audit views, use the lab API, retry a failed job. The
 * engine keeps its name "default", which /engine-rest needs; the context is closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:access-matrix;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.enabled=false" })
@DirtiesContext
class AccessMatrixTest {

	@LocalServerPort
	int port;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	@Autowired
	ManagementService management;

	@Autowired
	IdentityService identity;

	ApiClient api;

	@BeforeEach
	void setUp() {
		api = new ApiClient(port);
		if (repository.createProcessDefinitionQuery().processDefinitionKey("access-matrix").count() == 0) {
			repository.createDeployment().addClasspathResource("security/access-matrix.bpmn").deploy();
		}
	}

	@AfterEach
	void signOut() {
		identity.clearAuthentication();
	}

	/** user, then: start, work an operator task, approve, see history, audit views, lab API, retry a job. */
	@ParameterizedTest(name = "{0} over REST")
	@CsvSource({
			"operator, 200, 204, 403, false, 403, 200, 403",
			"manager,  403, 403, 204, true,  200, 403, 204",
			"auditor,  403, 403, 403, true,  200, 403, 403",
			"admin,    200, 204, 204, true,  200, 200, 204" })
	void overRest(String user, int start, int work, int approve, boolean seesHistory, int audit, int lab, int retry) {
		String credentials = user + ":" + user;

		assertThat(api.send(HttpMethod.POST, "/engine-rest/process-definition/key/access-matrix/start", credentials, "{}")
				.getStatusCode().value()).as("start").isEqualTo(start);

		String atPrepare = startedBy("requester");
		assertThat(complete(taskOf(atPrepare), credentials).getStatusCode().value()).as("work").isEqualTo(work);

		String atApproval = atApproval("requester");
		assertThat(complete(taskOf(atApproval), credentials).getStatusCode().value()).as("approve").isEqualTo(approve);

		ResponseEntity<String> seen = api.get("/engine-rest/history/process-instance?processInstanceId=" + atApproval,
				credentials);
		assertThat(seen.getStatusCode().value()).isEqualTo(200);
		assertThat(ApiClient.json(seen).size()).as("history").isEqualTo(seesHistory ? 1 : 0);

		assertThat(api.get("/api/audit/upgrades", credentials).getStatusCode().value()).as("audit").isEqualTo(audit);
		assertThat(api.get("/audit/" + atApproval, credentials).getStatusCode().value()).as("audit page").isEqualTo(audit);
		assertThat(api.get("/api/lab/servers", credentials).getStatusCode().value()).as("lab").isEqualTo(lab);

		String job = failedJob();
		assertThat(api.send(HttpMethod.PUT, "/engine-rest/job/" + job + "/retries", credentials, "{\"retries\": 1}")
				.getStatusCode().value()).as("retry").isEqualTo(retry);
	}

	@ParameterizedTest(name = "{0} through the Java API")
	@CsvSource({
			"operator, true,  true,  false, false, false",
			"manager,  false, false, true,  true,  true",
			"auditor,  false, false, false, true,  false",
			"admin,    true,  true,  true,  true,  true" })
	void throughTheJavaApi(String user, boolean start, boolean work, boolean approve, boolean seesHistory,
			boolean retry) {
		String prepare = taskOf(startedBy("requester"));
		String atApproval = atApproval("requester");
		String approval = taskOf(atApproval);
		String job = failedJob();
		signIn(user);

		allowed(start, () -> runtime.startProcessInstanceByKey("access-matrix"));
		allowed(work, () -> tasks.complete(prepare));
		allowed(approve, () -> tasks.complete(approval));
		assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(atApproval).count())
				.as("history").isEqualTo(seesHistory ? 1 : 0);
		allowed(retry, () -> management.setJobRetries(job, 1));
	}

	@Test
	void anonymousCallsGet401() {
		String task = taskOf(startedBy("requester"));
		assertThat(api.send(HttpMethod.POST, "/engine-rest/process-definition/key/access-matrix/start", null, "{}")
				.getStatusCode().value()).isEqualTo(401);
		assertThat(complete(task, null).getStatusCode().value()).isEqualTo(401);
		assertThat(api.get("/engine-rest/history/process-instance", null).getStatusCode().value()).isEqualTo(401);
		assertThat(api.get("/api/audit/upgrades", null).getStatusCode().value()).isEqualTo(401);
		assertThat(api.get("/api/lab/servers", null).getStatusCode().value()).isEqualTo(401);
	}

	@Test
	void theStarterWhoMayApproveIsRefusedWithAClearMessageAndSomeoneElseApproves() {
		// admin may do everything, including approving: except what they asked for themselves
		ResponseEntity<String> started = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/access-matrix/start", "admin:admin", "{}");
		String pi = ApiClient.json(started).get("id").asText();
		assertThat(complete(taskOf(pi), "admin:admin").getStatusCode().value()).isEqualTo(204);

		ResponseEntity<String> refused = complete(taskOf(pi), "admin:admin");

		assertThat(refused.getStatusCode().value()).isEqualTo(403);
		assertThat(ApiClient.json(refused).get("message").asText())
				.contains("admin requested this change and cannot approve it").contains("Approve the change");
		ResponseEntity<String> claim = api.send(HttpMethod.POST, "/engine-rest/task/" + taskOf(pi) + "/claim",
				"admin:admin", "{\"userId\": \"admin\"}");
		assertThat(claim.getStatusCode().value()).isEqualTo(403);

		assertThat(complete(taskOf(pi), "manager:manager").getStatusCode().value()).isEqualTo(204);
		assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pi)
				.variableName(FourEyesApproval.APPROVED_BY).singleResult().getValue()).isEqualTo("manager");
	}

	@Test
	void aUserInBothGroupsCannotApproveTheirOwnRequest() {
		if (identity.createUserQuery().userId("dual").count() == 0) {
			var dual = identity.newUser("dual");
			dual.setPassword("dual-Pa55");
			identity.saveUser(dual);
			identity.createMembership("dual", AuthorizationGrants.OPERATORS);
			identity.createMembership("dual", AuthorizationGrants.MANAGERS);
		}
		ResponseEntity<String> started = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/access-matrix/start", "dual:dual-Pa55", "{}");
		String pi = ApiClient.json(started).get("id").asText();
		assertThat(complete(taskOf(pi), "dual:dual-Pa55").getStatusCode().value()).isEqualTo(204);

		ResponseEntity<String> refused = api.send(HttpMethod.POST, "/engine-rest/task/" + taskOf(pi) + "/submit-form",
				"dual:dual-Pa55", "{\"variables\": {\"approved\": {\"value\": true}}}");

		assertThat(refused.getStatusCode().value()).isEqualTo(403);
		assertThat(ApiClient.json(refused).get("message").asText()).contains("dual requested this change");
		assertThat(tasks.createTaskQuery().processInstanceId(pi).taskDefinitionKey("approve").count()).isOne();
	}

	// ---- Fixtures, made as the engine (no authentication) ------------------------------------------------------------

	/** An instance waiting at the operator task, requested by {@code requester}. */
	private String startedBy(String requester) {
		return runtime.startProcessInstanceByKey("access-matrix", Map.of("requestedBy", requester)).getId();
	}

	/** An instance waiting at the approval, requested by {@code requester}. */
	private String atApproval(String requester) {
		String pi = startedBy(requester);
		tasks.setAssignee(taskOf(pi), "operator");
		tasks.complete(taskOf(pi));
		return pi;
	}

	private String taskOf(String pi) {
		return tasks.createTaskQuery().processInstanceId(pi).singleResult().getId();
	}

	/** The job of a step that failed until it raised an incident. */
	private String failedJob() {
		String pi = runtime.startProcessInstanceByKey("failing-step").getId();
		Job job = management.createJobQuery().processInstanceId(pi).singleResult();
		management.setJobRetries(job.getId(), 0);
		assertThat(runtime.createIncidentQuery().processInstanceId(pi).count()).isOne();
		return job.getId();
	}

	private ResponseEntity<String> complete(String task, String credentials) {
		return api.send(HttpMethod.POST, "/engine-rest/task/" + task + "/complete", credentials, "{}");
	}

	private void signIn(String user) {
		List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
		identity.setAuthentication(user, groups);
	}

	private static void allowed(boolean expected, org.assertj.core.api.ThrowableAssert.ThrowingCallable action) {
		if (expected) {
			assertThatCode(action).doesNotThrowAnyException();
		} else {
			assertThatThrownBy(action).isInstanceOf(AuthorizationException.class);
		}
	}
}
