package dev.runbook.command;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a database availability group. A DAG is also a failover cluster whose cluster name object is a
 * computer account, so its name follows NetBIOS rules: at most 15 letters, digits and hyphens, not all digits.
 * Normalised to upper case, as Windows compares it.
 */
public record DagName(String value) {

	private static final Pattern FORM = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,13}[A-Za-z0-9])?");
	private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

	public DagName {
		value = check(value);
	}

	public static DagName of(String value) {
		return new DagName(value);
	}

	private static String check(String raw) {
		RawInput.Candidate candidate = RawInput.candidate(raw, "A DAG name is required, for example DAG01.", "DAG name");
		String refusal = candidate.refusal();
		String name = candidate.text();
		if (!FORM.matcher(name).matches()) {
			throw new InvalidInputException(refusal
					+ "a DAG is named like a computer: 1 to 15 letters, digits and hyphens, not starting or ending with a hyphen.");
		}
		if (ALL_DIGITS.matcher(name).matches()) {
			throw new InvalidInputException(refusal + "it cannot be all digits.");
		}
		return name.toUpperCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return value;
	}
}
