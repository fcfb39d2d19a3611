package dev.runbook.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;

import dev.runbook.RunbookApplication;

/** The lab profile's users, groups and Tasklist filters, and that starting again duplicates none of them. */
@SpringBootTest(properties = { IdentitySetupTest.DATABASE, "camunda.bpm.generate-unique-process-engine-name=true",
		"camunda.bpm.generate-unique-process-application-name=true", "camunda.bpm.job-execution.enabled=false" })
class IdentitySetupTest {

	static final String DATABASE = "spring.datasource.url=jdbc:h2:mem:identity-setup;DB_CLOSE_DELAY=-1";

	@Autowired
	ProcessEngine engine;

	@Autowired
	IdentityService identity;

	@Autowired
	FilterService filters;

	@Autowired
	TaskService tasks;

	@Autowired
	AuthorizationService authorizations;

	@Autowired
	IdentitySetup identitySetup;

	@Autowired
	TasklistFilters tasklistFilters;

	@AfterEach
	void cleanUp() {
		identity.clearAuthentication();
		tasks.createTaskQuery().list().forEach(t -> tasks.deleteTask(t.getId(), true));
	}

	@Test
	void theFourDemoUsersSignInAndBelongToTheirGroups() {
		assertThat(groupsOf()).containsExactlyInAnyOrderEntriesOf(Map.of("admin", List.of("camunda-admin"), "operator",
				List.of("operators"), "manager", List.of("managers"), "auditor", List.of("auditors")));
		for (String user : List.of("admin", "operator", "manager", "auditor")) {
			assertThat(identity.checkPassword(user, user)).as(user).isTrue();
		}
		assertThat(identity.createGroupQuery().groupId("operators").singleResult().getName()).isEqualTo("Operators");
	}

	@Test
	void eachGroupHasAFilterOfTheTasksOfferedToIt() {
		Task forOperators = newTask("Drain EX02", "operators");
		newTask("Approve the upgrade", "managers");

		assertThat(names(filters.list(filterId("Operators")))).containsExactly("Drain EX02");
		assertThat(names(filters.list(filterId("Managers")))).containsExactly("Approve the upgrade");
		assertThat(filters.count(filterId("Auditors"))).isZero();

		// A claimed task stays in its group's filter and shows in the claimant's "My tasks" only.
		tasks.claim(forOperators.getId(), "operator");
		assertThat(names(filters.list(filterId("Operators")))).containsExactly("Drain EX02");
		identity.setAuthenticatedUserId("operator");
		assertThat(names(filters.list(filterId(TasklistFilters.MY_TASKS)))).containsExactly("Drain EX02");
		identity.setAuthenticatedUserId("manager");
		assertThat(filters.count(filterId(TasklistFilters.MY_TASKS))).isZero();
	}

	@Test
	void eachFilterIsGrantedToItsAudienceForWhenAuthorizationIsEnabled() {
		for (String group : List.of("operators", "managers", "auditors")) {
			String filter = filterId(group.substring(0, 1).toUpperCase() + group.substring(1));
			Authorization grant = authorizations.createAuthorizationQuery().resourceType(Resources.FILTER)
					.resourceId(filter).groupIdIn(group).singleResult();
			assertThat(grant).as(group).isNotNull();
			assertThat(grant.isPermissionGranted(Permissions.READ)).isTrue();
		}
		Authorization everyone = authorizations.createAuthorizationQuery().resourceType(Resources.FILTER)
				.resourceId(filterId(TasklistFilters.MY_TASKS)).authorizationType(Authorization.AUTH_TYPE_GLOBAL)
				.singleResult();
		assertThat(everyone.isPermissionGranted(Permissions.READ)).isTrue();
	}

	@Test
	void startingAgainOnTheSameDatabaseDuplicatesNothing() {
		Map<String, Long> before = census();
		assertThat(before.get("filters")).isEqualTo(5);

		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(RunbookApplication.class)
				.properties(DATABASE, "server.port=0", "camunda.bpm.generate-unique-process-engine-name=true",
						"camunda.bpm.generate-unique-process-application-name=true",
						"camunda.bpm.job-execution.enabled=false")
				.run()) {
			assertThat(second.getBean(ProcessEngine.class).getName()).isNotEqualTo(engine.getName());
		}
		assertThat(census()).isEqualTo(before);
		assertThat(groupsOf()).containsEntry("operator", List.of("operators"));
	}

	@Test
	void runningTheSetupAgainKeepsWhatAdminChanged() {
		User operator = identity.createUserQuery().userId("operator").singleResult();
		operator.setPassword("a changed password");
		identity.saveUser(operator);
		Map<String, Long> before = census();
		try {
			identitySetup.postProcessEngineBuild(engine);
			tasklistFilters.postProcessEngineBuild(engine);

			assertThat(census()).isEqualTo(before);
			assertThat(identity.checkPassword("operator", "a changed password")).isTrue();
			assertThat(identity.checkPassword("operator", "operator")).isFalse();
		} finally {
			// A failed sign-in updates the user (attempts, lock): read it again before restoring the password.
			identity.unlockUser("operator");
			User again = identity.createUserQuery().userId("operator").singleResult();
			again.setPassword("operator");
			identity.saveUser(again);
		}
	}

	/** How many of each thing the setup creates. */
	private Map<String, Long> census() {
		Map<String, Long> counts = new TreeMap<>();
		counts.put("users", identity.createUserQuery().count());
		counts.put("groups", identity.createGroupQuery().count());
		counts.put("memberships", identity.createUserQuery().list().stream()
				.mapToLong(u -> identity.createGroupQuery().groupMember(u.getId()).count()).sum());
		counts.put("filters", filters.createFilterQuery().count());
		counts.put("authorizations", authorizations.createAuthorizationQuery().count());
		return counts;
	}

	private Map<String, List<String>> groupsOf() {
		Map<String, List<String>> groups = new TreeMap<>();
		identity.createUserQuery().list().forEach(u -> groups.put(u.getId(),
				identity.createGroupQuery().groupMember(u.getId()).list().stream().map(Group::getId).sorted().toList()));
		return groups;
	}

	private String filterId(String name) {
		Filter filter = filters.createFilterQuery().filterName(name).singleResult();
		assertThat(filter).as("filter " + name).isNotNull();
		return filter.getId();
	}

	private Task newTask(String name, String candidateGroup) {
		Task task = tasks.newTask();
		task.setName(name);
		tasks.saveTask(task);
		tasks.addCandidateGroup(task.getId(), candidateGroup);
		return task;
	}

	private static List<String> names(List<Task> found) {
		return found.stream().map(Task::getName).toList();
	}
}
