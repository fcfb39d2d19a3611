package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The hardening 7.24.0 CE needs in front of its APIs: task queries with expressions are refused wherever they hide,
 * on /engine-rest and on the webapps' API, and the Admin webapp's first-run setup stays closed even when no direct
 * camunda-admin member is left.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:hardening;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.enabled=false" })
@DirtiesContext
class HardeningTest {

	private static final String EXPRESSION = "${''.getClass().forName('java.lang.Runtime')}";

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	FilterService filters;

	ApiClient api;

	@BeforeEach
	void client() {
		api = new ApiClient(port);
	}

	@Test
	void plainTaskQueriesPass() {
		assertThat(status(HttpMethod.GET, "/engine-rest/task?assignee=operator", null)).isEqualTo(200);
		assertThat(status(HttpMethod.POST, "/engine-rest/task", "{\"orQueries\": [{\"assignee\": \"operator\"},"
				+ " {\"candidateGroup\": \"operators\"}]}")).isEqualTo(200);
		assertThat(status(HttpMethod.POST, "/engine-rest/task/count", "{\"candidateGroup\": \"operators\"}")).isEqualTo(200);
	}

	@Test
	void expressionsAreRefusedInTheQueryString() throws Exception {
		ResponseEntity<String> refused = api.get("/engine-rest/task?assigneeExpression=currentUser", "operator:operator");
		assertThat(refused.getStatusCode().value()).isEqualTo(400);
		assertThat(ApiClient.json(refused).get("message").asText()).contains("assigneeExpression");
		assertThat(status(HttpMethod.GET, "/engine-rest/task/count?candidateGroupExpression=x", null)).isEqualTo(400);
		// path parameters and encoded names do not get round it
		assertThat(status(HttpMethod.GET, "/engine-rest/task;v=1?dueBeforeExpression=x", null)).isEqualTo(400);
		assertThat(raw("/engine-rest/task?assignee%45xpression=x")).isEqualTo(400);
		assertThat(raw("/engine-rest/task?assignee%45xpression=x".replace("%45", "E"))).isEqualTo(400);
	}

	@Test
	void expressionsAreRefusedInTheBodyAndInsideOrQueries() {
		assertThat(status(HttpMethod.POST, "/engine-rest/task", "{\"assigneeExpression\": \"" + EXPRESSION + "\"}"))
				.isEqualTo(400);
		ResponseEntity<String> refused = api.send(HttpMethod.POST, "/engine-rest/task", "operator:operator",
				"{\"orQueries\": [{\"candidateGroup\": \"operators\"}, {\"assigneeExpression\": \"" + EXPRESSION + "\"}]}");
		assertThat(refused.getStatusCode().value()).isEqualTo(400);
		assertThat(ApiClient.json(refused).get("message").asText()).contains("assigneeExpression");
		// a JSON escape spells the same key
		assertThat(status(HttpMethod.POST, "/engine-rest/task/count",
				"{\"orQueries\": [{\"assignee\\u0045xpression\": \"x\"}]}")).isEqualTo(400);
		// what cannot be read is not passed on for the API to read differently
		assertThat(status(HttpMethod.POST, "/engine-rest/task", "{\"orQueries\": [")).isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/engine-rest/task",
				"{\"assignee\": \"a\", \"assignee\": \"b\"}")).isEqualTo(400);
	}

	@Test
	void storedFiltersCannotCarryThemEitherNorBeExtendedWithThem() {
		String body = "{\"resourceType\": \"Task\", \"name\": \"Mine\", \"query\": {\"assigneeExpression\": \""
				+ EXPRESSION + "\"}}";
		assertThat(api.send(HttpMethod.POST, "/engine-rest/filter/create", "admin:admin", body).getStatusCode().value())
				.isEqualTo(400);
		String myTasks = filters.createFilterQuery().filterName(TasklistFilters.MY_TASKS).singleResult().getId();
		assertThat(status(HttpMethod.POST, "/engine-rest/filter/" + myTasks + "/list",
				"{\"orQueries\": [{\"ownerExpression\": \"x\"}]}")).isEqualTo(400);
		assertThat(status(HttpMethod.POST, "/engine-rest/filter/" + myTasks + "/list", "{}")).isEqualTo(200);
	}

	@Test
	void theWebappsApiRefusesThemToo() {
		String tasks = "/camunda/api/engine/engine/default/task";
		assertThat(api.send(HttpMethod.POST, tasks, null, "{\"orQueries\": [{\"assigneeExpression\": \"x\"}]}")
				.getStatusCode().value()).isEqualTo(400);
		assertThat(api.get(tasks + "?candidateUserExpression=x", null).getStatusCode().value()).isEqualTo(400);
		assertThat(api.get("/camunda/api/engine/engine/default/filter/x/list?assigneeExpression=x", null)
				.getStatusCode().value()).isEqualTo(400);
	}

	@Test
	void theFirstRunAdminSetupStaysClosedWithoutAnAdministrator() {
		String create = "{\"profile\": {\"id\": \"intruder\", \"firstName\": \"I\", \"lastName\": \"N\", \"email\": \"i@n\"},"
				+ " \"credentials\": {\"password\": \"intruder-Pa55word!\"}}";
		identity.deleteMembership("admin", Groups.CAMUNDA_ADMIN);
		try {
			assertThat(identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count()).isZero();

			ResponseEntity<String> setup = api.send(HttpMethod.POST, "/camunda/api/admin/setup/default/user/create",
					null, create);

			assertThat(setup.getStatusCode().value()).isEqualTo(403);
			assertThat(ApiClient.json(setup).get("message").asText()).contains("setup is closed");
			assertThat(identity.createUserQuery().userId("intruder").count()).isZero();
		} finally {
			identity.createMembership("admin", Groups.CAMUNDA_ADMIN);
		}
	}

	/** A GET sent exactly as written, without the client encoding it again. */
	private int raw(String pathAndQuery) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:operator".getBytes()))
				.GET().build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private int status(HttpMethod method, String path, String json) {
		return api.send(method, path, "operator:operator", json).getStatusCode().value();
	}
}
