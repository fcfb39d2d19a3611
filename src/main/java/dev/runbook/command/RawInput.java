package dev.runbook.command;

/**
 * A value as it arrived from a form or a request, before it is accepted: how a refusal shows it, and the characters
 * refused before any other rule runs.
 */
public final class RawInput {

	private RawInput() {
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
