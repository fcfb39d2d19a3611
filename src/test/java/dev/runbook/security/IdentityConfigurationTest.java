package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.runbook.RunbookApplication;

/** Outside the lab profile nobody is created by default, and the application refuses to start without an administrator. */
class IdentityConfigurationTest {

	@Configuration
	@EnableConfigurationProperties({ IdentityProperties.class, CamundaBpmProperties.class })
	@Import(IdentityConfiguration.class)
	static class Identity {
	}

	private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Identity.class)
			.withPropertyValues("runbook.identity.groups[0].id=operators");

	@Test
	void refusesToStartWithoutAnAdministrator() {
		context.withPropertyValues("runbook.identity.users[0].id=olga", "runbook.identity.users[0].password=s3cret",
				"runbook.identity.users[0].groups=operators").run(started -> {
					assertThat(started).hasFailed();
					assertThat(rootCause(started.getStartupFailure())).hasMessageContaining("No administrator is configured");
				});
	}

	@Test
	void acceptsTheStarterAdminUser() {
		context.withPropertyValues("camunda.bpm.admin-user.id=root", "camunda.bpm.admin-user.password=s3cret")
				.run(started -> assertThat(started).hasNotFailed().hasSingleBean(IdentitySetup.class));
	}

	@Test
	void acceptsAConfiguredMemberOfCamundaAdmin() {
		context.withPropertyValues("runbook.identity.users[0].id=root", "runbook.identity.users[0].password=s3cret",
				"runbook.identity.users[0].groups=camunda-admin,operators")
				.run(started -> assertThat(started).hasNotFailed());
	}

	@Test
	void refusesAUserWithoutPassword() {
		context.withPropertyValues("runbook.identity.users[0].id=root", "runbook.identity.users[0].password=",
				"runbook.identity.users[0].groups=camunda-admin").run(started -> {
					assertThat(started).hasFailed();
					assertThat(rootCause(started.getStartupFailure())).hasMessageContaining("User root has no password");
				});
	}

	@Test
	void refusesAGroupNobodyDeclared() {
		context.withPropertyValues("camunda.bpm.admin-user.id=root", "camunda.bpm.admin-user.password=s3cret",
				"runbook.identity.users[0].id=olga", "runbook.identity.users[0].password=s3cret",
				"runbook.identity.users[0].groups=operaters").run(started -> {
					assertThat(started).hasFailed();
					assertThat(rootCause(started.getStartupFailure())).hasMessageContaining("group operaters");
				});
	}

	@Test
	void theConfiguredPasswordNeverShowsInToString() {
		var user = new IdentityProperties.User("root", "s3cret", null, null, null, null);
		assertThat(user.toString()).contains("root").doesNotContain("s3cret");
	}

	/** The whole application, outside the lab profile: the demo users are not there, so it stops before the engine. */
	@Test
	void theApplicationOutsideTheLabProfileHasNoDemoUsers() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(RunbookApplication.class).profiles("production")
				.properties("spring.datasource.url=jdbc:h2:mem:no-admin;DB_CLOSE_DELAY=-1", "server.port=0",
						"camunda.bpm.generate-unique-process-engine-name=true",
						"camunda.bpm.generate-unique-process-application-name=true")
				.run().close())
				.satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("No administrator is configured"));
	}

	private static Throwable rootCause(Throwable e) {
		Throwable cause = e;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}
}
