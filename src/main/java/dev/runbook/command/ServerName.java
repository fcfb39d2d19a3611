package dev.runbook.command;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Windows host name: a NetBIOS name (at most 15 characters) or a DNS name whose labels follow RFC 1123.
 * Normalised to upper case, because Exchange and Windows compare host names without regard to case.
 */
public record ServerName(String value) implements Comparable<ServerName> {

	private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
	private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

	public ServerName {
		value = check(value);
	}

	public static ServerName of(String value) {
		return new ServerName(value);
	}

	/** The host part, which is also the cluster node and NetBIOS name. */
	public String shortName() {
		int dot = value.indexOf('.');
		return dot < 0 ? value : value.substring(0, dot);
	}

	private static String check(String raw) {
		if (raw == null || raw.isBlank()) {
			throw new InvalidInputException("A server name is required.");
		}
		String refusal = "Server name '" + RawInput.printable(raw) + "' is not a valid host name: ";
		RawInput.refuseControlCharacters(raw, refusal);
		String name = raw.trim();
		if (name.length() > 253) {
			throw new InvalidInputException(refusal + "it is longer than 253 characters.");
		}
		String[] labels = name.split("\\.", -1);
		for (String label : labels) {
			if (!LABEL.matcher(label).matches()) {
				throw new InvalidInputException(refusal
						+ "use only letters, digits and hyphens, in dot-separated labels of 1 to 63 characters that do not start or end with a hyphen.");
			}
		}
		if (labels[0].length() > 15) {
			throw new InvalidInputException(refusal + "the host part is longer than the 15 characters a NetBIOS name allows.");
		}
		if (ALL_DIGITS.matcher(labels[0]).matches()) {
			throw new InvalidInputException(refusal + "the host part cannot be all digits.");
		}
		return name.toUpperCase(Locale.ROOT);
	}

	@Override
	public int compareTo(ServerName other) {
		return value.compareTo(other.value);
	}

	@Override
	public String toString() {
		return value;
	}
}
