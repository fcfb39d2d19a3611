package dev.runbook.command;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a cluster group or resource as Cluster Administrator shows it, e.g. {@code EVS1} or
 * {@code Exchange Information Store Instance - (EVS1)}. Compared without regard to case, as the cluster service does.
 * Only characters that need no escaping are accepted; anything else is refused, not escaped.
 */
public record ClusterObjectName(String value) {

	private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._():,-]{0,126}");

	public ClusterObjectName {
		value = check(value);
	}

	public static ClusterObjectName of(String value) {
		return new ClusterObjectName(value);
	}

	public boolean sameAs(ClusterObjectName other) {
		return value.equalsIgnoreCase(other.value);
	}

	private static String check(String raw) {
		RawInput.Candidate candidate = RawInput.candidate(raw, "A cluster group or resource name is required.", "Cluster name");
		String refusal = candidate.refusal();
		String name = candidate.text();
		if (!FORM.matcher(name).matches() || name.contains("  ")) {
			throw new InvalidInputException(refusal
					+ "use at most 127 letters, digits, single spaces, dots, hyphens, underscores, commas, colons and parentheses, starting with a letter or digit.");
		}
		return name;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof ClusterObjectName n && sameAs(n);
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
