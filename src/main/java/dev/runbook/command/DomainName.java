package dev.runbook.command;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An Active Directory domain's DNS name, such as {@code contoso.local}: RFC 1123 labels only, so that its
 * distinguished name ({@code DC=contoso,DC=local}) needs no escaping. Normalised to lower case.
 */
public record DomainName(String value) {

	private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	public DomainName {
		value = check(value);
	}

	public static DomainName of(String value) {
		return new DomainName(value);
	}

	/** {@code DC=contoso,DC=local}: the domain naming context, and for the forest root the base of the others. */
	public String distinguishedName() {
		return Arrays.stream(value.split("\\.")).map(label -> "DC=" + label).collect(Collectors.joining(","));
	}

	private static String check(String raw) {
		RawInput.Candidate candidate = RawInput.candidate(raw, "A domain name is required, for example contoso.local.", "Domain name");
		String refusal = candidate.refusal();
		String name = candidate.text();
		if (name.length() > 253) {
			throw new InvalidInputException(refusal + "it is longer than 253 characters.");
		}
		for (String label : name.split("\\.", -1)) {
			if (!LABEL.matcher(label).matches()) {
				throw new InvalidInputException(refusal
						+ "use only letters, digits and hyphens, in dot-separated labels of 1 to 63 characters that do not start or end with a hyphen.");
			}
		}
		return name.toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return value;
	}
}
