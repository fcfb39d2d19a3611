package dev.runbook.command;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a mailbox database, such as {@code DB01} or {@code Mailbox Database 0311695863}. Exchange allows more
 * characters than this; the runbook accepts only those that need no escaping and carry no meaning in an identity
 * ({@code DB01\*} names every copy of DB01, so backslashes and wildcards are refused). Case is kept as Exchange shows
 * it; two names are the same database whatever their case.
 */
public record DatabaseName(String value) {

	private static final Pattern FORM = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,62}[A-Za-z0-9_])?");

	public DatabaseName {
		value = check(value);
	}

	public static DatabaseName of(String value) {
		return new DatabaseName(value);
	}

	private static String check(String raw) {
		RawInput.Candidate candidate = RawInput.candidate(raw, "A database name is required, for example DB01.", "Database name");
		String refusal = candidate.refusal();
		String name = candidate.text();
		if (!FORM.matcher(name).matches()) {
			throw new InvalidInputException(refusal
					+ "use 1 to 64 letters, digits, spaces, dots, hyphens and underscores, starting with a letter or digit.");
		}
		return name;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof DatabaseName other && value.equalsIgnoreCase(other.value);
	}

	@Override
	public int hashCode() {
		return value.toUpperCase(Locale.ROOT).hashCode();
	}

	@Override
	public String toString() {
		return value;
	}
}
