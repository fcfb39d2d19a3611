package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.runbook.audit.TestEngines;

/** The grants are written once, completed when one lacks a permission, and never take away what an administrator added. */
class AuthorizationGrantsTest {

	private static ProcessEngine engine;

	@BeforeAll
	static void startEngine() {
		engine = TestEngines.build("grants", new AuthorizationGrants());
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@Test
	void aRestartChangesNothingCompletesWhatIsMissingAndKeepsWhatWasAdded() {
		AuthorizationService authorizations = engine.getAuthorizationService();
		long written = authorizations.createAuthorizationQuery().count();
		assertThat(written).isEqualTo(AuthorizationGrants.GRANTS.size());

		new AuthorizationGrants().postProcessEngineBuild(engine);
		assertThat(authorizations.createAuthorizationQuery().count()).isEqualTo(written);

		// an administrator gives managers more, and someone takes RETRY_JOB away
		Authorization managers = managersOnDefinitions(authorizations);
		managers.addPermission(ProcessDefinitionPermissions.SUSPEND_INSTANCE);
		managers.removePermission(ProcessDefinitionPermissions.RETRY_JOB);
		authorizations.saveAuthorization(managers);

		new AuthorizationGrants().postProcessEngineBuild(engine);

		Authorization after = managersOnDefinitions(authorizations);
		assertThat(after.isPermissionGranted(ProcessDefinitionPermissions.RETRY_JOB)).isTrue();
		assertThat(after.isPermissionGranted(ProcessDefinitionPermissions.SUSPEND_INSTANCE)).isTrue();
		assertThat(authorizations.createAuthorizationQuery().count()).isEqualTo(written);
	}

	private static Authorization managersOnDefinitions(AuthorizationService authorizations) {
		return authorizations.createAuthorizationQuery().groupIdIn(AuthorizationGrants.MANAGERS)
				.resourceType(Resources.PROCESS_DEFINITION).resourceId(Authorization.ANY).singleResult();
	}
}
