package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import dev.runbook.lab.LabOrganisation;

/**
 * Who gets into /engine-rest and /api/lab with the lab profile's demo users. The engine keeps its name "default":
 * /engine-rest (and its authentication filter) look the engine up by that name and answer 404 under a generated one;
 * the context is closed after the class, so that no other test meets this engine under that name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:rest-security;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.enabled=false" })
@DirtiesContext
class RestSecurityTest {

	@LocalServerPort
	int port;

	@Autowired
	LabOrganisation lab;

	@Autowired
	IdentityService identity;

	ApiClient api;

	@BeforeEach
	void client() {
		api = new ApiClient(port);
		lab.clearFaults();
	}

	@Test
	void anonymousCallsAreRefusedWith401() {
		for (String path : new String[] { "/engine-rest/process-definition", "/engine-rest/task", "/api/lab/servers",
				"/api/lab/journal" }) {
			assertThat(api.get(path, null).getStatusCode().value()).as(path).isEqualTo(401);
		}
		ResponseEntity<String> lab = api.get("/api/lab/servers", null);
		assertThat(lab.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
		assertThat(ApiClient.json(lab).get("message").asText()).contains("HTTP Basic");
	}

	@Test
	void wrongPasswordsAndUnknownUsersAreRefusedWith401() {
		try {
			assertThat(api.get("/engine-rest/process-definition", "operator:admin").getStatusCode().value()).isEqualTo(401);
			assertThat(api.get("/api/lab/servers", "operator:admin").getStatusCode().value()).isEqualTo(401);
			// The identity service locks a user for seconds after a failed login, and for good after ten.
			assertThat(api.get("/api/lab/servers", "operator:operator").getStatusCode().value()).isEqualTo(401);
			assertThat(api.get("/api/lab/servers", "nobody:nobody").getStatusCode().value()).isEqualTo(401);
		} finally {
			identity.unlockUser("operator");
		}
	}

	@Test
	void operatorUsesBothApis() {
		ResponseEntity<String> definitions = api.get("/engine-rest/process-definition", "operator:operator");
		assertThat(definitions.getStatusCode().value()).isEqualTo(200);
		assertThat(ApiClient.json(definitions).isArray()).isTrue();

		ResponseEntity<String> servers = api.get("/api/lab/servers", "operator:operator");
		assertThat(servers.getStatusCode().value()).isEqualTo(200);
		assertThat(ApiClient.json(servers)).hasSize(lab.servers().size());
	}

	@Test
	void adminUsesTheLabApi() {
		assertThat(api.get("/api/lab/servers", "admin:admin").getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void usersOutsideTheLabGroupsAreRefusedWith403() {
		for (String user : new String[] { "auditor:auditor", "manager:manager" }) {
			ResponseEntity<String> answer = api.get("/api/lab/servers", user);
			assertThat(answer.getStatusCode().value()).as(user).isEqualTo(403);
			assertThat(ApiClient.json(answer).get("message").asText()).contains("camunda-admin, operators");
		}
		// Authorization is not enabled yet: any signed-in user may read the engine API.
		assertThat(api.get("/engine-rest/process-definition", "auditor:auditor").getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void aRefusedChangeChangesNothing() {
		String order = "{\"server\": \"EX02\", \"fault\": \"queue-stuck\", \"times\": 1}";
		assertThat(api.send(HttpMethod.POST, "/api/lab/faults", "auditor:auditor", order).getStatusCode().value())
				.isEqualTo(403);
		assertThat(api.send(HttpMethod.POST, "/api/lab/faults", null, order).getStatusCode().value()).isEqualTo(401);
		assertThat(lab.faults()).isEmpty();
	}
}
