package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.security.ApiClient;

/**
 * The application as it ships, rehearsing the rolling upgrade of DAG01 in the lab (job executor on, lab at 3600
 * simulated seconds per real second): an operator requests it, works the checklist and takes Client Access servers out of the load balancer
 * and back over REST, a manager approves
 * it over REST, and the runbook does the rest. Afterwards the audit report lists every command of the lab's journal,
 * in the journal's order, with the journal's outcomes, and names a requester who is not the approver. The engine
 * keeps its name "default", which /engine-rest needs; the context is closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:rolling-upgrade-audit;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.wait-time-in-millis=200",
		"camunda.bpm.job-execution.max-wait=1000",
		"runbook.lab.time-scale=3600" })
@DirtiesContext
class RollingUpgradeAuditTest {

	static final String ROLLOUT = "exchange-rolling-upgrade";
	/** Polls are floored at one real second; the whole window takes some dozens of them per server. */
	static final Duration DEADLINE = Duration.ofMinutes(8);

	@LocalServerPort
	int port;

	@Autowired
	LabOrganisation lab;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	@Autowired
	ManagementService management;

	@Test
	void theReportOfADag01RehearsalListsEveryJournalCommandInOrderAndARequesterWhoIsNotTheApprover()
			throws InterruptedException {
		assumeTrue(repository.createProcessDefinitionQuery().processDefinitionKey(ROLLOUT).count() > 0,
				"the rolling upgrade is not deployed in this build");
		ApiClient api = new ApiClient(port);
		lab.reset(Topology.bundledDefault());

		ResponseEntity<String> started = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/" + ROLLOUT + "/start", "operator:operator",
				"{\"businessKey\": \"CHG-DAG01-CU23\", \"variables\": {"
						+ "\"dag\": {\"value\": \"DAG01\"}, \"targetBuild\": {\"value\": \"15.0.1497.2\"},"
						+ "\"setupPath\": {\"value\": \"D:\\\\Media\\\\Exchange2013-CU23\\\\Setup.exe\"},"
						+ "\"loadBalancer\": {\"value\": \"manual\"}, \"dryRun\": {\"value\": false}}}");
		assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(200);
		String pi = ApiClient.json(started).get("id").asText();

		Instant deadline = Instant.now().plus(DEADLINE);
		while (runtime.createProcessInstanceQuery().processInstanceId(pi).count() > 0) {
			assertThat(management.createJobQuery().withException().noRetriesLeft().list()).as("incidents").isEmpty();
			assertThat(Instant.now()).as("the rollout ended within " + DEADLINE).isBefore(deadline);
			for (Task task : tasks.createTaskQuery().list()) {
				answer(api, task);
			}
			Thread.sleep(250);
		}

		JsonNode report = ApiClient.json(api.get("/api/audit/upgrades/" + pi, "auditor:auditor"));
		JsonNode journal = ApiClient.json(api.get("/api/lab/journal", "operator:operator"));

		assertThat(report.at("/upgrade/outcome").asText()).startsWith("Completed");
		JsonNode commands = report.get("commands");
		assertThat(journal.size()).as("commands the lab ran").isGreaterThan(100);
		assertThat(commands.size()).isEqualTo(journal.size());
		for (int i = 0; i < journal.size(); i++) {
			JsonNode entry = journal.get(i);
			JsonNode record = commands.get(i);
			assertThat(record.get("commandLine").asText()).as("command %d", i).isEqualTo(entry.get("command").asText());
			assertThat(record.get("server").asText()).as("server of command %d", i).isEqualTo(entry.get("server").asText());
			String outcome = record.get("outcome").asText();
			assertThat(outcome.equals("Succeeded") ? "Succeeded" : "Failed: " + record.get("message").asText())
					.as("outcome of command %d", i).isEqualTo(entry.get("outcome").asText());
		}

		assertThat(report.at("/upgrade/startedBy").asText()).isEqualTo("operator");
		assertThat(report.get("approvals")).hasSize(1);
		JsonNode approval = report.at("/approvals/0");
		assertThat(approval.get("requestedBy").asText()).isEqualTo("operator");
		assertThat(approval.get("approvedBy").asText()).isEqualTo("manager").isNotEqualTo(approval.get("requestedBy").asText());
		assertThat(report.get("processes").size()).as("the rollout and the processes it called").isGreaterThan(1);

		JsonNode list = ApiClient.json(api.get("/api/audit/upgrades", "auditor:auditor"));
		assertThat(list.get(0).get("processInstanceId").asText()).isEqualTo(pi);
		assertThat(list.get(0).at("/variables/dag").asText()).isEqualTo("DAG01");
		assertThat(list.get(0).at("/variables/targetBuild").asText()).isEqualTo("15.0.1497.2");
	}

	/**
	 * Answers the rollout's tasks as their groups would: the checklist and the load balancer as operator, the approval as
	 * manager.
	 */
	private void answer(ApiClient api, Task task) {
		String path = "/engine-rest/task/" + task.getId() + "/complete";
		ResponseEntity<String> answered = switch (task.getTaskDefinitionKey()) {
		case "PlanningChecklist" -> api.send(HttpMethod.POST, path, "operator:operator", variables(Map.of(
				"maintenanceWindowScheduled", true, "backupDone", true, "permissionsConfirmed", true,
				"antivirusConfirmed", true, "clusterHeartbeatConfirmed", true)));
		case "ApproveRollout" -> api.send(HttpMethod.POST, path, "manager:manager", variables(Map.of(
				"downtimeAccepted", true, "approved", true, "approvalComment", "Window agreed with the service owners.")));
		case "BlockInLoadBalancer" -> api.send(HttpMethod.POST, path, "operator:operator",
				variables(Map.of("nlbBlocked", true)));
		case "UnblockInLoadBalancer" -> api.send(HttpMethod.POST, path, "operator:operator",
				variables(Map.of("nlbUnblocked", true)));
		case "EscalateApproval" -> api.send(HttpMethod.POST, path, "manager:manager",
				variables(Map.of("overdueDecision", "wait")));
		default -> fail("The rollout stopped at an unexpected task: " + task.getName());
		};
		assertThat(answered.getStatusCode().value()).as(task.getName() + ": " + answered.getBody()).isEqualTo(204);
	}

	private static String variables(Map<String, Object> values) {
		StringBuilder json = new StringBuilder("{\"variables\": {");
		List<String> entries = values.entrySet().stream().map(e -> "\"" + e.getKey() + "\": {\"value\": "
				+ (e.getValue() instanceof String text ? "\"" + text + "\"" : e.getValue()) + "}").toList();
		return json.append(String.join(", ", entries)).append("}}").toString();
	}
}
