package dev.runbook.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.Arrays;
import java.util.List;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.UserOperationLogCategoryPermissions;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each group may do once authorization is on, written when the engine starts. Idempotent: a grant that exists is
 * completed with any permission it lacks, never duplicated, and permissions an administrator added are left alone.
 * camunda-admin needs nothing here: the engine lets its members do everything.
 *
 * <p>Tasks are granted per task by the engine itself: a task offered to a group (candidate group) may be read and
 * worked on by that group's members. Four-eyes tasks additionally refuse their requester ({@link FourEyesApproval}).
 */
public class AuthorizationGrants extends AbstractProcessEnginePlugin {

	/** The groups the processes name as candidate groups (runbook.identity.groups). */
	public static final String OPERATORS = "operators";
	public static final String MANAGERS = "managers";
	public static final String AUDITORS = "auditors";

	private static final Logger log = LoggerFactory.getLogger(AuthorizationGrants.class);

	/** One GRANT authorization: a group, a resource, and what the group may do with it. */
	record Grant(String group, Resource resource, String resourceId, List<Permission> permissions) {

		Grant(String group, Resource resource, String resourceId, Permission... permissions) {
			this(group, resource, resourceId, Arrays.asList(permissions));
		}
	}

	static final List<Grant> GRANTS = List.of(
			// operators: Tasklist, start upgrades, work the tasks offered to them (the lab API is checked by group)
			new Grant(OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
			new Grant(OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
					ProcessDefinitionPermissions.CREATE_INSTANCE),
			new Grant(OPERATORS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE),

			// managers: follow progress in Cockpit, approve in Tasklist, retry failed steps
			new Grant(MANAGERS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
			new Grant(MANAGERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
			new Grant(MANAGERS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
					ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
					ProcessDefinitionPermissions.RETRY_JOB),
			new Grant(MANAGERS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.READ,
					ProcessInstancePermissions.RETRY_JOB),
			new Grant(MANAGERS, Resources.DEPLOYMENT, ANY, Permissions.READ),
			new Grant(MANAGERS, Resources.OPERATION_LOG_CATEGORY, ANY, UserOperationLogCategoryPermissions.READ),

			// auditors: history and the operation log, read only; no task work, no starting, no changes
			new Grant(AUDITORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
			new Grant(AUDITORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
					ProcessDefinitionPermissions.READ_HISTORY),
			new Grant(AUDITORS, Resources.DEPLOYMENT, ANY, Permissions.READ),
			new Grant(AUDITORS, Resources.OPERATION_LOG_CATEGORY, ANY, UserOperationLogCategoryPermissions.READ));

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		AuthorizationService authorizations = engine.getAuthorizationService();
		GRANTS.forEach(grant -> ensure(authorizations, grant));
	}

	private static void ensure(AuthorizationService authorizations, Grant grant) {
		Authorization authorization = authorizations.createAuthorizationQuery().authorizationType(AUTH_TYPE_GRANT)
				.groupIdIn(grant.group()).resourceType(grant.resource()).resourceId(grant.resourceId()).list().stream()
				.findFirst().orElse(null);
		boolean created = authorization == null;
		if (created) {
			authorization = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
			authorization.setGroupId(grant.group());
			authorization.setResource(grant.resource());
			authorization.setResourceId(grant.resourceId());
		}
		boolean changed = created;
		for (Permission permission : grant.permissions()) {
			if (!authorization.isPermissionGranted(permission)) {
				authorization.addPermission(permission);
				changed = true;
			}
		}
		if (changed) {
			authorizations.saveAuthorization(authorization);
			log.info("Granted group {} {} on {} {}", grant.group(), grant.permissions(), grant.resource().resourceName(),
					grant.resourceId());
		}
	}
}
