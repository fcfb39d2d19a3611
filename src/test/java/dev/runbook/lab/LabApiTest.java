package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.ServerName;
import dev.runbook.security.ApiClient;

/** The lab API over HTTP, as an operator uses it, on the bundled DAG01 organisation. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:lab-api;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-engine-name=true",
		"camunda.bpm.generate-unique-process-application-name=true", "camunda.bpm.job-execution.enabled=false" })
class LabApiTest {

	private static final String OPERATOR = "operator:operator";
	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	LabOrganisation lab;

	@Autowired
	ExchangeShell shell;

	ApiClient api;

	@BeforeEach
	void freshLab() {
		api = new ApiClient(port);
		lab.reset(Topology.bundledDefault());
	}

	@Test
	void serversOfTheDefaultTopology() {
		JsonNode servers = get("/api/lab/servers");
		assertThat(names(servers)).containsExactly("EX01", "EX02", "EX03", "EX04", "CAS01", "CAS02");
		assertThat(fieldNames(servers.get(0))).containsExactlyInAnyOrder("name", "roles", "dag", "build", "components",
				"clusterNode", "autoActivationPolicy", "activationDisabledAndMoveNow", "activeDatabases", "queuedMessages",
				"pendingReboot", "nlbNode", "reachable", "setup");

		JsonNode ex01 = servers.get(0);
		assertThat(ex01.get("roles").toString()).isEqualTo("[\"Mailbox\"]");
		assertThat(ex01.get("dag").asText()).isEqualTo("DAG01");
		assertThat(ex01.get("build").asText()).isEqualTo("15.0.1473.3");
		assertThat(ex01.get("clusterNode").asText()).isEqualTo("Up");
		assertThat(ex01.get("components").get("ServerWideOffline").asText()).isEqualTo("Active");
		assertThat(ex01.get("activeDatabases").toString()).isEqualTo("[\"DB01\",\"DB05\"]");
		assertThat(ex01.get("nlbNode").isNull()).isTrue();

		for (JsonNode cas : List.of(servers.get(4), servers.get(5))) {
			assertThat(cas.get("roles").toString()).isEqualTo("[\"ClientAccess\"]");
			assertThat(cas.get("dag").isNull()).isTrue();
			assertThat(cas.get("clusterNode").isNull()).isTrue();
			assertThat(cas.get("nlbNode").asText()).isEqualTo("Converged");
		}
	}

	@Test
	void databasesOfTheDefaultTopology() {
		JsonNode databases = get("/api/lab/databases");
		assertThat(names(databases)).containsExactly("DB01", "DB02", "DB03", "DB04", "DB05", "DB06", "DB07", "DB08");
		for (JsonNode db : databases) {
			assertThat(db.get("dag").asText()).isEqualTo("DAG01");
			JsonNode copies = db.get("copies");
			assertThat(copies).as(db.get("name").asText()).hasSize(3);
			// Mounted where activation preference 1 is, every other copy healthy.
			assertThat(db.get("mountedOn").asText()).isEqualTo(copies.get(0).get("server").asText());
			assertThat(copies.get(0).get("activationPreference").asInt()).isEqualTo(1);
			assertThat(copies.get(0).get("status").asText()).isEqualTo("Mounted");
			assertThat(copies.get(1).get("status").asText()).isEqualTo("Healthy");
		}
		assertThat(databases.get(1).get("copies").get(2).get("server").asText()).isEqualTo("EX04");
	}

	@Test
	void theJournalShowsWhatTheRunbookRan() {
		assertThat(get("/api/lab/journal")).isEmpty();
		shell.run(new ExchangeCommand.GetServerComponentState(ServerName.of("EX02")));

		JsonNode journal = get("/api/lab/journal");
		assertThat(journal).hasSize(1);
		JsonNode line = journal.get(0);
		assertThat(line.get("seq").asLong()).isEqualTo(1);
		assertThat(Instant.parse(line.get("time").asText())).isNotNull();
		assertThat(line.get("server").asText()).isEqualTo("EX02");
		assertThat(line.get("command").asText()).startsWith("Get-ServerComponentState").contains("EX02");
		assertThat(line.get("outcome").asText()).isEqualTo("Succeeded");
	}

	@Test
	void outagesListDatabasesLeftWithoutAMountedCopy() throws Exception {
		assertThat(get("/api/lab/outages")).isEmpty();
		// DB01 only on EX01: restarting EX01 dismounts it.
		ObjectNode topology = defaultTopology();
		ArrayNode databases = (ArrayNode) topology.get("dags").get(0).get("databases");
		((ObjectNode) databases.get(0)).set("copies", JSON.createArrayNode().add("EX01"));
		assertThat(put(topology.toString()).getStatusCode().value()).isEqualTo(200);

		shell.run(new ExchangeCommand.RestartComputer(ServerName.of("EX01")));

		JsonNode outages = get("/api/lab/outages");
		assertThat(names(outages, "database")).containsExactly("DB01");
		assertThat(outages.get(0).get("reason").asText()).contains("EX01");
		assertThat(Instant.parse(outages.get(0).get("from").asText())).isNotNull();
	}

	@Test
	void aNewTopologyReplacesTheLab() throws Exception {
		ObjectNode topology = defaultTopology();
		JsonNode dag = topology.get("dags").get(0);
		((ArrayNode) dag.get("members")).add("EX05");
		((ArrayNode) dag.get("databases")).addObject().put("name", "DB09").set("copies",
				JSON.createArrayNode().add("EX05").add("EX01"));
		shell.run(new ExchangeCommand.GetQueue(ServerName.of("EX01")));

		ResponseEntity<String> answer = put(topology.toString());

		assertThat(answer.getStatusCode().value()).isEqualTo(200);
		assertThat(names(get("/api/lab/servers"))).containsExactly("EX01", "EX02", "EX03", "EX04", "EX05", "CAS01", "CAS02");
		JsonNode db09 = get("/api/lab/databases").get(8);
		assertThat(db09.get("name").asText()).isEqualTo("DB09");
		assertThat(db09.get("mountedOn").asText()).isEqualTo("EX05");
		assertThat(names(db09.get("copies"), "server")).containsExactly("EX05", "EX01");
		assertThat(get("/api/lab/topology").get("dags").get(0).get("members")).hasSize(5);
		assertThat(get("/api/lab/journal")).as("a reset starts a new journal").isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			copy outside its DAG   | {"build":"15.0.1473.3","dags":[{"name":"DAG01","members":["EX01"],"databases":[{"name":"DB01","copies":["EX02"]}]}]} | Database DB01 has a copy on EX02, which is not a member of DAG01.
			database without copy  | {"build":"15.0.1473.3","dags":[{"name":"DAG01","members":["EX01"],"databases":[{"name":"DB01","copies":[]}]}]}     | Database DB01 has no copies
			server twice           | {"build":"15.0.1473.3","dags":[{"name":"DAG01","members":["EX01","ex01"]}]}                                        | appears twice
			bad build              | {"build":"15.0.x","dags":[]}                                                                                       | Build '15.0.x' is not an Exchange build number
			no build               | {"dags":[]}                                                                                                        | A build number is required
			server name injection  | {"build":"15.0.1473.3","dags":[{"name":"DAG01","members":["EX01;Stop-Computer"]}]}                                 | is not a valid host name
			unknown field          | {"build":"15.0.1473.3","dag":[]}                                                                                   | Unrecognized field "dag"
			members missing        | {"build":"15.0.1473.3","dags":[{"name":"DAG01"}]}                                                                  | DAG DAG01 has no members
			not JSON               | <topology/>                                                                                                        | The JSON is not accepted
			JSON null              | null                                                                                                               | The topology document is empty.
			""")
	void aBadTopologyIsRefusedAndTheLabStaysAsItWas(String what, String document, String message) {
		shell.run(new ExchangeCommand.GetQueue(ServerName.of("EX01")));
		JsonNode topologyBefore = get("/api/lab/topology");
		List<String> serversBefore = names(get("/api/lab/servers"));
		List<String> mountedBefore = names(get("/api/lab/databases"), "mountedOn");

		ResponseEntity<String> answer = put(document);

		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		JsonNode body = ApiClient.json(answer);
		assertThat(fieldNames(body)).containsExactly("message");
		assertThat(body.get("message").asText()).contains(message).doesNotContain("\tat ");
		// Unchanged, and not rebuilt either: a reset would have emptied the journal.
		assertThat(get("/api/lab/topology")).isEqualTo(topologyBefore);
		assertThat(names(get("/api/lab/servers"))).isEqualTo(serversBefore);
		assertThat(names(get("/api/lab/databases"), "mountedOn")).isEqualTo(mountedBefore);
		assertThat(get("/api/lab/journal")).hasSize(1);
	}

	@Test
	void anInjectedFaultIsListedUntilCleared() {
		ResponseEntity<String> injected = post("{\"server\": \"ex02\", \"fault\": \"queue-stuck\", \"times\": 2}");
		assertThat(injected.getStatusCode().value()).isEqualTo(201);

		JsonNode faults = get("/api/lab/faults");
		assertThat(faults).hasSize(1);
		assertThat(faults.get(0).get("server").asText()).isEqualTo("EX02");
		assertThat(faults.get(0).get("fault").asText()).isEqualTo("queue-stuck");
		assertThat(faults.get(0).get("times").asInt()).isEqualTo(2);
		assertThat(lab.faults().get(ServerName.of("EX02"))).containsEntry(LabFault.QUEUE_STUCK, 2);

		assertThat(post("{\"server\": \"EX03\", \"fault\": \"setup-fails\"}").getStatusCode().value()).isEqualTo(201);
		assertThat(get("/api/lab/faults").get(1).get("times").asInt()).as("times defaults to 1").isEqualTo(1);

		assertThat(api.send(HttpMethod.DELETE, "/api/lab/faults", OPERATOR, null).getStatusCode().value()).isEqualTo(204);
		assertThat(get("/api/lab/faults")).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			unknown fault         | {"server": "EX02", "fault": "meteor-strike"}          | Unknown fault 'meteor-strike'. Known faults: queue-stuck,
			unknown server        | {"server": "EX09", "fault": "queue-stuck"}            | The lab has no server EX09.
			server name injection | {"server": "EX02'; Stop-Computer", "fault": "timeout"} | is not a valid host name
			no server             | {"fault": "timeout"}                                  | A fault needs a server and a fault
			times below one       | {"server": "EX02", "fault": "timeout", "times": 0}    | times must be at least 1
			times not a number    | {"server": "EX02", "fault": "timeout", "times": "x"}  | not a valid `java.lang.Integer` value (at times)
			""")
	void aBadFaultIsRefused(String what, String order, String message) {
		ResponseEntity<String> answer = post(order);

		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(ApiClient.json(answer).get("message").asText()).contains(message);
		assertThat(get("/api/lab/faults")).isEmpty();
	}

	private JsonNode get(String path) {
		ResponseEntity<String> answer = api.get(path, OPERATOR);
		assertThat(answer.getStatusCode().value()).as(path).isEqualTo(200);
		return ApiClient.json(answer);
	}

	private ResponseEntity<String> put(String topology) {
		return api.send(HttpMethod.PUT, "/api/lab/topology", OPERATOR, topology);
	}

	private ResponseEntity<String> post(String fault) {
		return api.send(HttpMethod.POST, "/api/lab/faults", OPERATOR, fault);
	}

	private static ObjectNode defaultTopology() throws Exception {
		return (ObjectNode) JSON.readTree(Files.readString(Path.of("src/main/resources", Topology.BUNDLED)));
	}

	private static List<String> names(JsonNode array) {
		return names(array, "name");
	}

	private static List<String> names(JsonNode array, String field) {
		return StreamSupport.stream(array.spliterator(), false).map(n -> n.get(field).asText()).toList();
	}

	private static List<String> fieldNames(JsonNode object) {
		List<String> names = new ArrayList<>();
		object.fieldNames().forEachRemaining(names::add);
		return names;
	}
}
