package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;

import dev.runbook.audit.TestEngines;

/** The application refuses to run while no user is a direct member of camunda-admin. */
class AdministratorCheckTest {

	private static ProcessEngine engine;

	@BeforeAll
	static void startEngine() {
		engine = TestEngines.build("administrator-check");
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@Test
	void refusesWithoutADirectMemberAndRunsWithOne() {
		IdentityService identity = engine.getIdentityService();
		AdministratorCheck check = new AdministratorCheck(identity);
		var group = identity.newGroup(Groups.CAMUNDA_ADMIN);
		identity.saveGroup(group);
		identity.saveUser(identity.newUser("jdoe"));

		assertThatThrownBy(() -> check.run(new DefaultApplicationArguments()))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("No user is a member of camunda-admin");

		identity.createMembership("jdoe", Groups.CAMUNDA_ADMIN);
		assertThatCode(() -> check.run(new DefaultApplicationArguments())).doesNotThrowAnyException();
	}
}
