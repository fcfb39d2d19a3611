package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** What the production profile refuses to start with. */
class ProductionGuardTest {

	private static final IdentityProperties.User STRONG = new IdentityProperties.User("jdoe", "Jd0e-Operat0r-Pa55!",
			null, null, null, List.of("camunda-admin"));

	@Test
	void startsWithConfiguredUsersAndStrongPasswords() {
		assertThatCode(() -> guard(new MockEnvironment().withProperty("x", "y"), List.of(STRONG), null, null)
				.preInit(null)).doesNotThrowAnyException();
	}

	@Test
	void refusesTheLabProfileBesideIt() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles("production", "lab");

		assertThatThrownBy(() -> guard(environment, List.of(STRONG), null, null).preInit(null))
				.hasMessageContaining("the lab profile is active beside production");
	}

	@Test
	void refusesAccountsWhosePasswordIsTheirName() {
		var demo = new IdentityProperties.User("operator", "Operator", null, null, null, List.of("operators"));

		assertThatThrownBy(() -> guard(new MockEnvironment(), List.of(STRONG, demo), "admin", "admin").preInit(null))
				.hasMessageContaining("user operator has its name as password")
				.hasMessageContaining("camunda.bpm.admin-user admin has its name as password");
	}

	private static ProductionGuard guard(MockEnvironment environment, List<IdentityProperties.User> users,
			String adminId, String adminPassword) {
		CamundaBpmProperties camunda = new CamundaBpmProperties();
		camunda.getAdminUser().setId(adminId);
		camunda.getAdminUser().setPassword(adminPassword);
		return new ProductionGuard(environment, new IdentityProperties(List.of(), users), camunda);
	}
}
