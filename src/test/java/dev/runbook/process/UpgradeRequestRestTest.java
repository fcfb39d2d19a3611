package dev.runbook.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.security.ApiClient;

/**
 * Issue 2's refusal as a REST client meets it: an operator starting {@code mailbox-server-upgrade} with an injection
 * attempt, an unknown server, a server outside any DAG, or a build that is not newer gets 400 with a clear message,
 * and nothing runs: no instance, and the lab's journal is unchanged. The engine keeps the name "default" that
 * /engine-rest looks it up by, so the context is closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:upgrade-request-rest-test;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true" })
@DirtiesContext
class UpgradeRequestRestTest {

	@LocalServerPort
	int port;
	@Autowired
	LabOrganisation lab;

	ApiClient api;

	@BeforeEach
	void freshLab() {
		lab.reset(Topology.bundledDefault());
		api = new ApiClient(port);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"EX01; Remove-Item C:\\ | 15.0.1497.2 | is not a valid host name",
			"EX01' ; Stop-Computer  | 15.0.1497.2 | is not a valid host name",
			"EX99                   | 15.0.1497.2 | EX99",
			"CAS01                  | 15.0.1497.2 | CAS01",
			"EX02                   | 15.0.1473.3 | 15.0.1473.3" })
	void aRefusedStartIsABadRequestWithItsReasonAndNothingRuns(String server, String targetBuild, String reason) {
		ObjectNode body = JsonNodeFactory.instance.objectNode();
		ObjectNode variables = body.putObject("variables");
		variables.putObject("server").put("value", server);
		variables.putObject("setupPath").put("value", LabRehearsal.SETUP_PATH);
		variables.putObject("targetBuild").put("value", targetBuild);
		List<JournalEntry> before = lab.journal();

		ResponseEntity<String> answer = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/mailbox-server-upgrade/start", "operator:operator", body.toString());

		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(400);
		assertThat(ApiClient.json(answer).get("message").asText()).contains(reason);
		assertThat(ApiClient.json(api.get("/engine-rest/process-instance/count", "admin:admin")).get("count").asInt()).isZero();
		assertThat(lab.journal()).isEqualTo(before);
	}
}
