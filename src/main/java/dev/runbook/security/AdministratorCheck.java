package dev.runbook.security;

import static org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Refuses to run without a direct member of camunda-admin in the identity store, once users and groups are set up.
 * Configuration may name one that an administrator later deleted in Admin; without one, Admin's first-run setup would
 * offer the engine to anyone (see {@link AdminSetupBlock}).
 */
public class AdministratorCheck implements ApplicationRunner {

	private final IdentityService identity;

	public AdministratorCheck(IdentityService identity) {
		this.identity = identity;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (identity.createUserQuery().memberOfGroup(CAMUNDA_ADMIN).count() == 0) {
			throw new IllegalStateException("No user is a member of " + CAMUNDA_ADMIN + ". Configure one"
					+ " (camunda.bpm.admin-user, or runbook.identity.users with group " + CAMUNDA_ADMIN
					+ ") and restart.");
		}
	}
}
