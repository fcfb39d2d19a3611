package dev.runbook.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may sign in ({@code runbook.identity.*}): the groups the processes hand work to, and the users created at start.
 * The lab profile configures demo users; anywhere else users come from configuration, their passwords from the
 * environment.
 */
@ConfigurationProperties("runbook.identity")
public record IdentityProperties(List<Group> groups, List<User> users) {

	public IdentityProperties {
		groups = groups == null ? List.of() : List.copyOf(groups);
		users = users == null ? List.of() : List.copyOf(users);
	}

	/** A group the processes name as candidate group; Tasklist gets a filter of its tasks. */
	public record Group(String id, String name) {

		public Group {
			name = name == null || name.isBlank() ? id : name;
		}
	}

	/** A user created at start if missing; an existing user keeps the password it has (it may have been changed in Admin). */
	public record User(String id, String password, String firstName, String lastName, String email, List<String> groups) {

		public User {
			groups = groups == null ? List.of() : List.copyOf(groups);
		}

		/** Never shows the password: configuration objects end up in logs and failure reports. */
		@Override
		public String toString() {
			return "User[id=" + id + ", groups=" + groups + ", password=******]";
		}
	}
}
