package dev.runbook.command;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An Exchange build number: {@code 15.0.1497.2} (2013 CU23) or {@code 6.5.7226} (2003 SP1).
 * Compared part by part, numerically.
 */
public record ExchangeBuild(int[] parts) implements Comparable<ExchangeBuild> {

	private static final Pattern FORM = Pattern.compile("[0-9]{1,5}(\\.[0-9]{1,5}){2,3}");
	/** Exchange 2003 adds the service pack: {@code Version 6.5 (Build 7638.2: Service Pack 2)}. */
	private static final Pattern ADMIN_DISPLAY_VERSION = Pattern
			.compile("Version (\\d+)\\.(\\d+) \\(Build (\\d+)\\.(\\d+)(?:: [^()]*)?\\)");

	public ExchangeBuild {
		parts = parts.clone();
		if (parts.length < 3 || parts.length > 4) {
			throw new InvalidInputException("An Exchange build has three or four parts, not " + parts.length + ".");
		}
		if (Arrays.stream(parts).anyMatch(p -> p < 0)) {
			throw new InvalidInputException("An Exchange build has no negative parts: " + Arrays.toString(parts) + ".");
		}
	}

	/** A copy: the build itself never changes. */
	@Override
	public int[] parts() {
		return parts.clone();
	}

	public static ExchangeBuild parse(String raw) {
		if (raw == null || raw.isBlank()) {
			throw new InvalidInputException("A build number is required, for example 15.0.1497.2.");
		}
		String text = raw.trim();
		if (!FORM.matcher(text).matches()) {
			throw new InvalidInputException("Build '" + RawInput.printable(raw)
					+ "' is not an Exchange build number: expected three or four numbers separated by dots, for example 15.0.1497.2.");
		}
		return new ExchangeBuild(Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray());
	}

	/** Reads {@code Get-ExchangeServer}'s AdminDisplayVersion, e.g. {@code Version 15.0 (Build 1497.2)}; it names the CU, not later updates. */
	public static ExchangeBuild fromAdminDisplayVersion(String adminDisplayVersion) {
		Matcher m = ADMIN_DISPLAY_VERSION.matcher(adminDisplayVersion == null ? "" : adminDisplayVersion);
		if (!m.find()) {
			throw new InvalidInputException("AdminDisplayVersion '" + RawInput.printable(String.valueOf(adminDisplayVersion))
					+ "' is not of the form 'Version 15.0 (Build 1497.2)'.");
		}
		return parse(m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4));
	}

	public String adminDisplayVersion() {
		return "Version " + parts[0] + "." + parts[1] + " (Build " + part(2) + "." + part(3) + ")";
	}

	public int major() {
		return parts[0];
	}

	public int minor() {
		return parts[1];
	}

	public int part(int index) {
		return index < parts.length ? parts[index] : 0;
	}

	/** Same product line (15.0 = Exchange 2013, 15.1 = 2016, 15.2 = 2019, 6.5 = 2003). */
	public boolean sameVersionAs(ExchangeBuild other) {
		return major() == other.major() && minor() == other.minor();
	}

	public boolean isNewerThan(ExchangeBuild other) {
		return compareTo(other) > 0;
	}

	@Override
	public int compareTo(ExchangeBuild other) {
		for (int i = 0; i < Math.max(parts.length, other.parts.length); i++) {
			int c = Integer.compare(part(i), other.part(i));
			if (c != 0) {
				return c;
			}
		}
		return 0;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof ExchangeBuild b && compareTo(b) == 0;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(Arrays.copyOf(parts, 4));
	}

	@Override
	public String toString() {
		return Arrays.stream(parts).mapToObj(Integer::toString).collect(Collectors.joining("."));
	}
}
