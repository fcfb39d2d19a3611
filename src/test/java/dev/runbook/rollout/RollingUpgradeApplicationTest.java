package dev.runbook.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;

/**
 * The "done when", with the application as it ships: processes and forms deployed by the process application,
 * the job executor on, the lab at 3600 simulated seconds per real second. The operator starts the rolling upgrade of
 * DAG01 through the engine's REST API and answers the checklist and the load-balancer tasks there, the manager
 * approves there, each with HTTP Basic. The engine keeps its name "default", which /engine-rest looks it up by; the
 * context is closed after the class, so that no other test meets an engine of that name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:rolling-upgrade-application-test;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.wait-time-in-millis=200",
		"camunda.bpm.job-execution.max-wait=1000",
		"runbook.lab.time-scale=3600" })
@DirtiesContext
class RollingUpgradeApplicationTest {

	static final String TARGET = RolloutRehearsal.TARGET;
	/** Waits are floored at one real second; the whole window takes a few dozen of them per server. */
	static final Duration DEADLINE = Duration.ofMinutes(6);

	@Autowired
	TestRestTemplate rest;
	@Autowired
	LabOrganisation lab;
	@Autowired
	HistoryService history;
	@Autowired
	ManagementService management;

	TestRestTemplate operator;
	/** Watches the run: with authorization on, an operator sees only the tasks offered to operators. */
	TestRestTemplate admin;
	TestRestTemplate manager;

	@BeforeEach
	void aFreshLab() {
		operator = rest.withBasicAuth("operator", "operator");
		admin = rest.withBasicAuth("admin", "admin");
		manager = rest.withBasicAuth("manager", "manager");
		lab.reset(Topology.bundledDefault());
	}

	@Test
	void operatorAndManagerUpgradeDag01AndBothClientAccessServersThroughTheRestApi() throws InterruptedException {
		String id = start(Map.of("dag", "DAG01", "targetBuild", TARGET, "setupPath", RolloutRehearsal.SETUP_PATH,
				"loadBalancer", "manual", "order", "mailbox-first", "dryRun", false));
		String businessKey = "DAG01-" + TARGET;

		Map<String, Object> checklist = waitForTask(businessKey, "PlanningChecklist");
		assertThat(lab.journal()).noneMatch(JournalEntry::changesState);
		complete(operator, checklist, Map.of("maintenanceWindowScheduled", true, "backupDone", true,
				"permissionsConfirmed", true, "antivirusConfirmed", true, "clusterHeartbeatConfirmed", true));
		Map<String, Object> approval = waitForTask(businessKey, "ApproveRollout");
		complete(manager, approval, Map.of("approved", true, "approvalComment", "Approved for Saturday's window."));

		// The operators answer the load-balancer tasks as they come; the journal's length marks when they did.
		Map<String, Integer> blockedAt = new LinkedHashMap<>();
		Map<String, Integer> unblockedAt = new LinkedHashMap<>();
		boolean refusedOnce = false;
		Instant deadline = Instant.now().plus(DEADLINE);
		while (!ended(id)) {
			assertThat(management.createJobQuery().withException().noRetriesLeft().list()).as("incidents").isEmpty();
			assertThat(Instant.now()).as("rollout ended within " + DEADLINE).isBefore(deadline);
			for (Map<String, Object> task : tasks(businessKey)) {
				String name = (String) task.get("name");
				String server = name.split(" ")[1];
				if ("BlockInLoadBalancer".equals(task.get("taskDefinitionKey"))) {
					if (!refusedOnce) {
						ResponseEntity<String> refused = post(operator, "/engine-rest/task/" + task.get("id") + "/complete",
								Map.of("variables", variables(Map.of("nlbBlocked", false))), String.class);
						assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
						assertThat(refused.getBody()).contains("nlbBlocked must be confirmed (true)");
						refusedOnce = true;
					}
					blockedAt.put(server, lab.journal().size());
					complete(operator, task, Map.of("nlbBlocked", true));
				} else if ("UnblockInLoadBalancer".equals(task.get("taskDefinitionKey"))) {
					unblockedAt.put(server, lab.journal().size());
					complete(operator, task, Map.of("nlbUnblocked", true));
				}
			}
			Thread.sleep(250);
		}

		assertThat(variable(id, "outcome")).isEqualTo("completed");
		assertThat(variable(id, "requestedBy")).isEqualTo("operator");
		assertThat(variable(id, "serversDone")).isEqualTo(6);
		JournalChecks.assertDag01RolledOut(lab, TARGET, blockedAt, unblockedAt);
	}

	@Test
	void aDryRunThroughTheRestApiYieldsThePlanAndTouchesNothing() throws InterruptedException {
		String id = start(Map.of("dag", "DAG01", "targetBuild", TARGET, "setupPath", RolloutRehearsal.SETUP_PATH,
				"dryRun", true));
		Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
		while (!ended(id)) {
			assertThat(Instant.now()).isBefore(deadline);
			Thread.sleep(200);
		}

		assertThat(variable(id, "outcome")).isEqualTo("dry-run");
		assertThat((String) variable(id, "plan")).contains("6 servers, one at a time");
		assertThat(lab.journal()).isNotEmpty().noneMatch(JournalEntry::changesState);
	}

	@Test
	void aBadRequestIsRefusedWithItsReasonAndNothingRuns() {
		ResponseEntity<Map<String, Object>> response = operator.exchange(
				"/engine-rest/process-definition/key/exchange-rolling-upgrade/start", HttpMethod.POST,
				new org.springframework.http.HttpEntity<>(Map.of("variables", variables(Map.of("dag", "DAG09",
						"targetBuild", TARGET, "setupPath", RolloutRehearsal.SETUP_PATH)))),
				new ParameterizedTypeReference<>() {
				});

		// The refusal is the caller's mistake: 400 with the refusal's own words (RefusedRequestMapper).
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat((String) response.getBody().get("message")).contains("Request refused: DAG09 is not a database availability group");
		assertThat(history.createHistoricProcessInstanceQuery().processDefinitionKey(RolloutRequest.PROCESS_KEY)
				.unfinished().count()).isZero();
		assertThat(lab.journal()).isEmpty();
	}

	// ---- REST ------------------------------------------------------------------------------------------------

	/**
	 * Operators and managers may not correlate messages over /engine-rest (that needs UPDATE on the instance, which
	 * would also let them change its variables); they abort over /api/rollouts, and the run records who asked.
	 */
	@Test
	void anOperatorAbortsOverTheRunbooksApiNotOverTheEngines() throws InterruptedException {
		String id = start(Map.of("dag", "DAG01", "targetBuild", TARGET, "setupPath", RolloutRehearsal.SETUP_PATH,
				"loadBalancer", "manual", "order", "mailbox-first", "dryRun", false));
		String businessKey = "DAG01-" + TARGET;
		waitForTask(businessKey, "PlanningChecklist");
		String abort = "/api/rollouts/" + businessKey + "/abort";

		assertThat(post(operator, "/engine-rest/message", Map.of("messageName", "AbortRollout", "businessKey", businessKey),
				String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(post(rest, abort, Map.of(), String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(post(rest.withBasicAuth("auditor", "auditor"), abort, Map.of(), String.class).getStatusCode())
				.isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(post(operator, "/api/rollouts/DAG09-" + TARGET + "/abort", Map.of(), String.class).getStatusCode())
				.isEqualTo(HttpStatus.NOT_FOUND);
		ResponseEntity<String> tooLong = post(operator, abort, Map.of("reason", "x".repeat(501)), String.class);
		assertThat(tooLong.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(tooLong.getBody()).contains("at most 500 characters");
		ResponseEntity<String> noServerYet = post(operator, "/api/rollouts/" + businessKey + "/fail-current-server",
				Map.of(), String.class);
		assertThat(noServerYet.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(noServerYet.getBody()).contains("cannot take FailCurrentServer now");
		assertThat(ended(id)).as("nothing above reached the rollout").isFalse();

		ResponseEntity<String> aborted = post(operator, abort, Map.of("reason", "Storage alarm on the SAN"), String.class);

		assertThat(aborted.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(aborted.getBody()).contains("\"requestedBy\":\"operator\"", "\"processInstanceId\":\"" + id + "\"");
		Instant deadline = Instant.now().plusSeconds(30);
		while (!ended(id)) {
			assertThat(Instant.now()).as("before the approval the run ends at once").isBefore(deadline);
			Thread.sleep(100);
		}
		assertThat(variable(id, "outcome")).isEqualTo("aborted");
		assertThat(variable(id, "abortRequestedBy")).isEqualTo("operator");
		assertThat(variable(id, "abortReason")).isEqualTo("Storage alarm on the SAN");
		assertThat(lab.journal()).noneMatch(JournalEntry::changesState);
		assertThat(post(manager, abort, Map.of(), String.class).getStatusCode()).as("no longer running")
				.isEqualTo(HttpStatus.NOT_FOUND);
	}

	String start(Map<String, Object> variables) {
		ResponseEntity<Map<String, Object>> response = operator.exchange(
				"/engine-rest/process-definition/key/exchange-rolling-upgrade/start", HttpMethod.POST,
				new org.springframework.http.HttpEntity<>(Map.of("variables", variables(variables))),
				new ParameterizedTypeReference<>() {
				});
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return (String) response.getBody().get("id");
	}

	static Map<String, Object> variables(Map<String, Object> values) {
		Map<String, Object> variables = new HashMap<>();
		values.forEach((name, value) -> variables.put(name, Map.of("value", value)));
		return variables;
	}

	<T> ResponseEntity<T> post(TestRestTemplate as, String path, Object body, Class<T> type) {
		return as.postForEntity(path, body, type);
	}

	void complete(TestRestTemplate as, Map<String, Object> task, Map<String, Object> values) {
		ResponseEntity<String> response = post(as, "/engine-rest/task/" + task.get("id") + "/complete",
				Map.of("variables", variables(values)), String.class);
		assertThat(response.getStatusCode()).as(task.get("name") + ": " + response.getBody()).isEqualTo(HttpStatus.NO_CONTENT);
	}

	List<Map<String, Object>> tasks(String businessKey) {
		return admin.exchange("/engine-rest/task?processInstanceBusinessKey=" + businessKey, HttpMethod.GET, null,
				new ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).getBody();
	}

	Map<String, Object> waitForTask(String businessKey, String key) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
		while (true) {
			for (Map<String, Object> task : tasks(businessKey)) {
				if (key.equals(task.get("taskDefinitionKey"))) {
					return task;
				}
			}
			assertThat(Instant.now()).as("task " + key + " within a minute").isBefore(deadline);
			Thread.sleep(200);
		}
	}

	boolean ended(String id) {
		return history.createHistoricProcessInstanceQuery().processInstanceId(id).finished().count() == 1;
	}

	Object variable(String id, String name) {
		return history.createHistoricVariableInstanceQuery().processInstanceId(id).variableName(name).list().stream()
				.filter(v -> id.equals(v.getActivityInstanceId())).findFirst().map(v -> v.getValue()).orElse(null);
	}

}
