package dev.runbook.security;

import static org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured groups, users and memberships when the engine starts. Idempotent: whatever exists is left as
 * it is, so a restart neither fails nor duplicates, and changes made in Admin survive.
 */
public class IdentitySetup extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(IdentitySetup.class);

	private final IdentityProperties identity;

	/**
	 * @param adminUserId {@code camunda.bpm.admin-user.id}, created by the Camunda starter; null when not configured
	 * @throws IllegalStateException when no administrator is configured, a user has no password, or a user names a
	 *         group that is not declared: refused before the engine starts
	 */
	public IdentitySetup(IdentityProperties identity, String adminUserId) {
		this.identity = identity;
		check(identity, adminUserId);
	}

	private static void check(IdentityProperties identity, String adminUserId) {
		Set<String> declared = new HashSet<>(List.of(CAMUNDA_ADMIN));
		identity.groups().forEach(g -> {
			if (g.id() == null || g.id().isBlank()) {
				throw new IllegalStateException("A group under runbook.identity.groups has no id.");
			}
			declared.add(g.id());
		});
		for (IdentityProperties.User user : identity.users()) {
			if (user.id() == null || user.id().isBlank()) {
				throw new IllegalStateException("A user under runbook.identity.users has no id.");
			}
			if (user.password() == null || user.password().isBlank()) {
				throw new IllegalStateException("User " + user.id() + " has no password: set runbook.identity.users[n].password,"
						+ " from the environment (e.g. RUNBOOK_IDENTITY_USERS_0_PASSWORD).");
			}
			for (String group : user.groups()) {
				if (!declared.contains(group)) {
					throw new IllegalStateException("User " + user.id() + " is in group " + group
							+ ", which runbook.identity.groups does not declare (declared: " + declared + ").");
				}
			}
		}
		boolean adminConfigured = (adminUserId != null && !adminUserId.isBlank())
				|| identity.users().stream().anyMatch(u -> u.groups().contains(CAMUNDA_ADMIN));
		if (!adminConfigured) {
			// Without a direct camunda-admin member the Admin webapp offers anyone to create the first administrator.
			throw new IllegalStateException("No administrator is configured. Set camunda.bpm.admin-user.id and .password, or"
					+ " add a user in group " + CAMUNDA_ADMIN + " under runbook.identity.users, with the password taken from"
					+ " the environment. Demo users exist only in the lab profile.");
		}
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		IdentityService identityService = engine.getIdentityService();
		for (IdentityProperties.Group group : identity.groups()) {
			ensureGroup(identityService, group.id(), group.name(), Groups.GROUP_TYPE_WORKFLOW);
		}
		if (identity.users().stream().anyMatch(u -> u.groups().contains(CAMUNDA_ADMIN))) {
			ensureGroup(identityService, CAMUNDA_ADMIN, "camunda BPM Administrators", Groups.GROUP_TYPE_SYSTEM);
			grantAdministratorsEverything(engine.getAuthorizationService());
		}
		for (IdentityProperties.User user : identity.users()) {
			ensureUser(identityService, user);
			for (String group : user.groups()) {
				ensureMembership(identityService, user.id(), group);
			}
		}
	}

	private static void ensureGroup(IdentityService identityService, String id, String name, String type) {
		if (identityService.createGroupQuery().groupId(id).count() > 0) {
			return;
		}
		Group group = identityService.newGroup(id);
		group.setName(name);
		group.setType(type);
		identityService.saveGroup(group);
		log.info("Created group {}", id);
	}

	private static void ensureUser(IdentityService identityService, IdentityProperties.User configured) {
		if (identityService.createUserQuery().userId(configured.id()).count() > 0) {
			return;
		}
		User user = identityService.newUser(configured.id());
		user.setFirstName(configured.firstName());
		user.setLastName(configured.lastName());
		user.setEmail(configured.email());
		user.setPassword(configured.password());
		identityService.saveUser(user);
		log.info("Created user {}", configured.id());
	}

	private static void ensureMembership(IdentityService identityService, String userId, String groupId) {
		if (identityService.createGroupQuery().groupId(groupId).groupMember(userId).count() == 0) {
			identityService.createMembership(userId, groupId);
			log.info("Added user {} to group {}", userId, groupId);
		}
	}

	/**
	 * What the Camunda starter grants camunda-admin when it creates the group for {@code camunda.bpm.admin-user}; needed
	 * here too when the only administrators come from runbook.identity.users, or Admin and Cockpit lock them out once
	 * authorization is enabled.
	 */
	private static void grantAdministratorsEverything(AuthorizationService authorizations) {
		for (Resources resource : Resources.values()) {
			boolean granted = authorizations.createAuthorizationQuery().groupIdIn(CAMUNDA_ADMIN).resourceType(resource)
					.resourceId(Authorization.ANY).count() > 0;
			if (!granted) {
				Authorization all = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
				all.setGroupId(CAMUNDA_ADMIN);
				all.setResource(resource);
				all.setResourceId(Authorization.ANY);
				all.addPermission(Permissions.ALL);
				authorizations.saveAuthorization(all);
			}
		}
	}
}
