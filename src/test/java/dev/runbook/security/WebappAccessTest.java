package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The webapps with authorization on: signing in to Tasklist, Cockpit or Admin as the login page does (session, CSRF
 * token) succeeds only for the groups granted that application. The engine keeps its name "default"; the context is
 * closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:webapp-access;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.enabled=false" })
@DirtiesContext
class WebappAccessTest {

	@LocalServerPort
	int port;

	@ParameterizedTest(name = "{0}: tasklist {1}, cockpit {2}, admin {3}")
	@CsvSource({
			"operator, 200, 403, 403",
			"manager,  200, 200, 403",
			"auditor,  403, 200, 403",
			"admin,    200, 200, 200" })
	void eachGroupSignsInToItsApplicationsOnly(String user, int tasklist, int cockpit, int admin) throws Exception {
		assertThat(signIn(user, "tasklist")).as("tasklist").isEqualTo(tasklist);
		assertThat(signIn(user, "cockpit")).as("cockpit").isEqualTo(cockpit);
		assertThat(signIn(user, "admin")).as("admin").isEqualTo(admin);
	}

	/** The login page's request, in a fresh browser session: the status of the login. */
	private int signIn(String user, String application) throws Exception {
		CookieManager cookies = new CookieManager();
		HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
		String base = "http://localhost:" + port;
		browser.send(HttpRequest.newBuilder(URI.create(base + "/camunda/app/" + application + "/default/")).build(),
				HttpResponse.BodyHandlers.discarding());
		String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
				.map(HttpCookie::getValue).findFirst().orElseThrow();
		String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(user, StandardCharsets.UTF_8);
		HttpRequest login = HttpRequest.newBuilder(
				URI.create(base + "/camunda/api/admin/auth/user/default/login/" + application))
				.header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", csrf)
				.POST(HttpRequest.BodyPublishers.ofString(form)).build();
		return browser.send(login, HttpResponse.BodyHandlers.discarding()).statusCode();
	}
}
