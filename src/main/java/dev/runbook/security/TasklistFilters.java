package dev.runbook.security;

import java.util.LinkedHashMap;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.AuthorizationQuery;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.task.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasklist filters created when the engine starts: "My tasks", and one per group with the tasks offered to it. Each
 * filter carries a READ grant for its audience, which takes effect once authorization is enabled. A filter that exists
 * by name is left alone, so that edits in Tasklist survive a restart.
 */
public class TasklistFilters extends AbstractProcessEnginePlugin {

	public static final String MY_TASKS = "My tasks";

	private static final Logger log = LoggerFactory.getLogger(TasklistFilters.class);

	private final IdentityProperties identity;

	public TasklistFilters(IdentityProperties identity) {
		this.identity = identity;
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		FilterService filters = engine.getFilterService();
		AuthorizationService authorizations = engine.getAuthorizationService();

		TaskQuery mine = engine.getTaskService().createTaskQuery().taskAssigneeExpression("${currentUser()}");
		String myTasks = ensureFilter(filters, MY_TASKS, "Tasks assigned to me", -10, mine);
		grantRead(authorizations, myTasks, null);

		int priority = 0;
		for (IdentityProperties.Group group : identity.groups()) {
			// Assigned tasks stay visible to the group, so that colleagues see who took what.
			TaskQuery offered = engine.getTaskService().createTaskQuery().taskCandidateGroup(group.id())
					.includeAssignedTasks();
			String id = ensureFilter(filters, group.name(), "Tasks for the " + group.id() + " group", priority++, offered);
			grantRead(authorizations, id, group.id());
		}
	}

	private static String ensureFilter(FilterService filters, String name, String description, int priority,
			TaskQuery query) {
		Filter existing = filters.createFilterQuery().filterName(name).singleResult();
		if (existing != null) {
			return existing.getId();
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("description", description);
		properties.put("priority", priority);
		properties.put("refresh", true);
		Filter filter = filters.newTaskFilter(name).setQuery(query).setProperties(properties);
		filters.saveFilter(filter);
		log.info("Created Tasklist filter '{}'", name);
		return filter.getId();
	}

	/** READ on the filter for one group, or for every user when {@code groupId} is null. */
	private static void grantRead(AuthorizationService authorizations, String filterId, String groupId) {
		AuthorizationQuery granted = authorizations.createAuthorizationQuery().resourceType(Resources.FILTER)
				.resourceId(filterId);
		granted = groupId == null ? granted.authorizationType(Authorization.AUTH_TYPE_GLOBAL) : granted.groupIdIn(groupId);
		if (granted.count() > 0) {
			return;
		}
		Authorization read = authorizations.createNewAuthorization(
				groupId == null ? Authorization.AUTH_TYPE_GLOBAL : Authorization.AUTH_TYPE_GRANT);
		if (groupId == null) {
			read.setUserId(Authorization.ANY);
		} else {
			read.setGroupId(groupId);
		}
		read.setResource(Resources.FILTER);
		read.setResourceId(filterId);
		read.addPermission(Permissions.READ);
		authorizations.saveAuthorization(read);
	}
}
