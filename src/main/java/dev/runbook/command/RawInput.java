package dev.runbook.command;

/**
 * A value as it arrived from a form or a request, before it is accepted: how a refusal shows it, and the characters
 * refused before any other rule runs.
 */
public final class RawInput {

	private RawInput() {
	}

	/** A value past the checks every name shares, with the start of any further refusal. */
	record Candidate(String text, String refusal) {
	}

	/**
	 * The checks every name starts with: present, no control characters, trimmed. {@code what} opens the refusal,
	 * e.g. "Database name" gives "Database name 'x' is not accepted: ".
	 */
	static Candidate candidate(String raw, String whenMissing, String what) {
		if (raw == null || raw.isBlank()) {
			throw new InvalidInputException(whenMissing);
		}
		String refusal = what + " '" + printable(raw) + "' is not accepted: ";
		refuseControlCharacters(raw, refusal);
		return new Candidate(raw.trim(), refusal);
	}

	/**
	 * Control characters are refused rather than trimmed away: a value that arrives with a line break is not what the
	 * operator typed.
	 */
	static void refuseControlCharacters(String raw, String refusal) {
		if (raw.codePoints().anyMatch(Character::isISOControl)) {
			throw new InvalidInputException(refusal + "it contains control characters (shown escaped).");
		}
	}

	/**
	 * Shows control characters, line separators and invisible formatting characters (such as a right-to-left
	 * override) escaped, so that a refusal message cannot forge or disguise log lines.
	 */
	public static String printable(String raw) {
		StringBuilder out = new StringBuilder();
		raw.codePoints().limit(120).forEach(c -> {
			if (invisible(c)) {
				out.append(String.format("\\u%04x", c));
			} else {
				out.appendCodePoint(c);
			}
		});
		return raw.codePointCount(0, raw.length()) > 120 ? out + "…" : out.toString();
	}

	private static boolean invisible(int c) {
		int type = Character.getType(c);
		return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
				|| type == Character.FORMAT;
	}
}
