package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The production profile: only the configured users exist, weak passwords are refused, cookies are Secure and HSTS
 * is sent. The engine keeps
 * its name "default"; the context is closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:production;DB_CLOSE_DELAY=-1",
		"spring.datasource.username=sa",
		"spring.datasource.password=",
		"runbook.identity.users[0].id=chief",
		"runbook.identity.users[0].password=Ch1ef-Adm1n-Pa55!",
		"runbook.identity.users[0].groups=camunda-admin",
		"runbook.identity.users[1].id=jdoe",
		"runbook.identity.users[1].password=Jd0e-Operat0r-Pa55!",
		"runbook.identity.users[1].groups=operators",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.enabled=false" })
@ActiveProfiles("production")
@DirtiesContext
class ProductionProfileTest {

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Test
	void onlyTheConfiguredUsersExist() {
		assertThat(identity.createUserQuery().list()).extracting(User::getId).containsExactlyInAnyOrder("chief", "jdoe");
		assertThat(identity.checkPassword("chief", "Ch1ef-Adm1n-Pa55!")).isTrue();
	}

	@Test
	void weakPasswordsAreRefusedByThePasswordPolicy() {
		User weak = identity.newUser("weakling");
		weak.setPassword("weakling1");

		assertThatThrownBy(() -> identity.saveUser(weak)).hasMessageContaining("Password does not match policy");
		assertThat(identity.createUserQuery().userId("weakling").count()).isZero();
	}

	@Test
	void sessionAndCsrfCookiesAreSecureAndHstsIsSent() {
		ResponseEntity<String> page = new ApiClient(port).get("/camunda/app/tasklist/default/", null);

		assertThat(page.getHeaders().getFirst("Strict-Transport-Security")).contains("max-age=31536000");
		List<String> cookies = page.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE);
		assertThat(cookies).filteredOn(c -> c.startsWith("XSRF-TOKEN=")).singleElement().asString().contains("Secure");
		// the webapps' session, opened by the CSRF protection
		assertThat(cookies).filteredOn(c -> c.startsWith("JSESSIONID=")).singleElement().asString()
				.contains("Secure", "HttpOnly");
	}
}
