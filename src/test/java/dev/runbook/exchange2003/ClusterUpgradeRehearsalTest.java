package dev.runbook.exchange2003;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
 * A rehearsal in the lab, as operators and a manager would run it: started, planned, approved and reported through
 * the REST API, the virtual server upgraded through the lab API, the job executor running every step in scaled time.
 * The engine keeps its name "default", which /engine-rest looks it up by; the context is closed after the class, so
 * that no other test meets this engine under that name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:ex2003-rehearsal;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"runbook.lab.time-scale=600",
		"camunda.bpm.job-execution.wait-time-in-millis=200", "camunda.bpm.job-execution.max-wait=500" })
@DirtiesContext
class ClusterUpgradeRehearsalTest {

	static final String OPERATOR = "operator:operator";
	static final String MANAGER = "manager:manager";
	/** Watches the run: with authorization on, an operator cannot count instances or see managers' tasks. */
	static final String ADMIN = "admin:admin";
	static final Duration DEADLINE = Duration.ofMinutes(4);

	@LocalServerPort
	int port;

	@Autowired
	LabOrganisation lab;

	@Test
	void takesExclusterToServicePack1WithTheSeedsOrderOneVirtualServerAtATime() {
		lab.reset(Topology.bundledDefault());
		ApiClient api = new ApiClient(port);
		String start = """
				{"businessKey": "CHG-2003-SP1", "variables": {
				  "cluster": {"value": "EXCLUSTER", "type": "String"},
				  "targetBuild": {"value": "6.5.7226", "type": "String"},
				  "installerPath": {"value": "D:\\\\Media\\\\E2K3SP1\\\\setup\\\\i386\\\\update.exe", "type": "String"}}}""";

		ResponseEntity<String> started = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/exchange2003-cluster-upgrade/start", OPERATOR, start);
		assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(200);
		String id = ApiClient.json(started).get("id").asText();

		ResponseEntity<String> second = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/exchange2003-cluster-upgrade/start", OPERATOR, start.replace("EXCLUSTER", "excluster"));
		// Refused by the start listener: 400 with the refusal's own words.
		assertThat(second.getStatusCode().value()).as(second.getBody()).isEqualTo(400);
		assertThat(ApiClient.json(second).get("message").asText())
				.contains("Request refused: An upgrade of EXCLUSTER is already running").contains(id);
		assertThat(ApiClient.json(api.get("/engine-rest/process-instance/count?processDefinitionKey=exchange2003-cluster-upgrade", ADMIN))
				.get("count").asInt()).isEqualTo(1);

		complete(api, OPERATOR, task(api, id, "PlanUpgrade"), """
				{"variables": {"downtimeScheduled": {"value": true}, "permissionsConfirmed": {"value": true},
				 "backupDone": {"value": true}, "frontEndPlan": {"value": "runbook"},
				 "planningDecision": {"value": "ready"}}}""");
		complete(api, MANAGER, task(api, id, "ApproveUpgrade"), """
				{"variables": {"approved": {"value": true}, "approvalComment": {"value": "Saturday 22:00, announced"}}}""");

		String upgradeTask = await("the Upgrade Exchange Virtual Server task", () -> taskOrNull(api, id, "UpgradeExchangeVirtualServer"));
		String targetNode = ApiClient.json(api.get("/engine-rest/process-instance/" + id + "/variables/targetNode", ADMIN))
				.get("value").asText();
		ResponseEntity<String> upgraded = api.send(HttpMethod.POST,
				"/api/lab/clusters/EXCLUSTER/virtual-servers/EVS1/upgrade", OPERATOR, "{\"node\": \"" + targetNode + "\"}");
		assertThat(upgraded.getStatusCode().value()).as(upgraded.getBody()).isEqualTo(200);
		await("the upgrade of EVS1 to end", () -> lab.describeCluster(dev.runbook.command.ServerName.of("EXCLUSTER")).orElseThrow()
				.virtualServers().get(0).version().toString().equals("6.5.7226") ? "done" : null);
		complete(api, OPERATOR, upgradeTask, "{\"variables\": {\"virtualServerUpgradeDecision\": {\"value\": \"upgraded\"}}}");

		await("the instance to end", () -> {
			JsonNode history = ApiClient.json(api.get("/engine-rest/history/process-instance/" + id, ADMIN));
			return "COMPLETED".equals(history.get("state").asText()) ? "ended" : null;
		});

		JsonNode clusters = ApiClient.json(api.get("/api/lab/clusters", OPERATOR));
		assertThat(clusters.get(0).get("nodes").findValuesAsText("build")).containsOnly("6.5.7226");
		assertThat(clusters.get(0).get("frontEnds").findValuesAsText("build")).containsOnly("6.5.7226");
		assertThat(clusters.get(0).get("groups").get(0).get("owner").asText()).isEqualTo("NODE2");
		assertThat(clusters.get(0).get("groups").get(0).get("resources").findValuesAsText("state")).containsOnly("Online");

		List<JsonNode> journal = new ArrayList<>();
		ApiClient.json(api.get("/api/lab/journal", OPERATOR)).forEach(journal::add);
		int passiveHotfix = index(journal, e -> on(e, "NODE2", "KB831464"));
		int passiveServicePack = index(journal, e -> on(e, "NODE2", "update.exe"));
		int offline = index(journal, e -> on(e, "NODE1", "'Exchange System Attendant - (EVS1)' /offline"));
		int move = index(journal, e -> on(e, "NODE1", "cluster group 'EVS1' /moveto:NODE2"));
		int evsUpgrade = index(journal, e -> on(e, "NODE2", "Upgrade Exchange Virtual Server"));
		List<JsonNode> onlines = journal.stream().filter(e -> e.get("command").asText().contains("/online")).toList();
		int firstOnline = journal.indexOf(onlines.get(0));
		int lastOnline = journal.indexOf(onlines.get(onlines.size() - 1));
		int otherNode = index(journal, e -> on(e, "NODE1", "update.exe"));
		assertThat(List.of(passiveHotfix, passiveServicePack, offline, move, evsUpgrade, firstOnline, lastOnline, otherNode)).isSorted();
		assertThat(onlines).hasSize(8).allMatch(e -> e.get("server").asText().equals("NODE2")
				&& e.get("outcome").asText().equals("Succeeded"));
		assertThat(journal.stream().filter(e -> e.get("command").asText().contains("Upgrade Exchange Virtual Server"))).hasSize(1);

		JsonNode downtime = ApiClient.json(api.get("/engine-rest/history/variable-instance?processInstanceId=" + id
				+ "&variableName=failoverDowntime_EVS1", ADMIN));
		long measured = Duration.between(Instant.parse(journal.get(offline).get("time").asText()),
				Instant.parse(journal.get(lastOnline).get("time").asText())).toSeconds();
		assertThat(downtime.get(0).get("value").asLong()).isEqualTo(measured).isPositive();
	}

	static boolean on(JsonNode entry, String server, String commandPart) {
		return entry.get("server").asText().equals(server) && entry.get("command").asText().contains(commandPart)
				&& entry.get("outcome").asText().equals("Succeeded");
	}

	static int index(List<JsonNode> journal, Predicate<JsonNode> entry) {
		for (int i = 0; i < journal.size(); i++) {
			if (entry.test(journal.get(i))) {
				return i;
			}
		}
		throw new AssertionError("No such journal entry");
	}

	static String taskOrNull(ApiClient api, String instance, String key) {
		JsonNode tasks = ApiClient.json(api.get("/engine-rest/task?processInstanceId=" + instance + "&taskDefinitionKey=" + key, ADMIN));
		return tasks.isEmpty() ? null : tasks.get(0).get("id").asText();
	}

	static String task(ApiClient api, String instance, String key) {
		return await("task " + key, () -> taskOrNull(api, instance, key));
	}

	static void complete(ApiClient api, String user, String taskId, String variables) {
		ResponseEntity<String> done = api.send(HttpMethod.POST, "/engine-rest/task/" + taskId + "/complete", user, variables);
		assertThat(done.getStatusCode().value()).as(done.getBody()).isEqualTo(204);
	}

	/** The one bounded wait: the job executor runs the steps in real time, scaled. */
	static String await(String what, Supplier<String> probe) {
		Instant deadline = Instant.now().plus(DEADLINE);
		while (Instant.now().isBefore(deadline)) {
			String found = probe.get();
			if (found != null) {
				return found;
			}
			try {
				Thread.sleep(250);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new AssertionError(e);
			}
		}
		throw new AssertionError("Gave up waiting for " + what + " after " + DEADLINE);
	}
}
