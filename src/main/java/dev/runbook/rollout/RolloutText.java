package dev.runbook.rollout;

/**
 * The limit of the rollout's text variables (report, plan, summary): Camunda stores a String variable in a column of
 * 4000 characters, on H2 and PostgreSQL alike, and refuses a longer one.
 */
final class RolloutText {

	static final int MAX_LENGTH = 3900;

	private RolloutText() {
	}

	/** The text, cut at a line end with a note if it would not fit. */
	static String fit(String text) {
		if (text == null || text.length() <= MAX_LENGTH) {
			return text;
		}
		String note = "\n\n… cut here: a process variable holds 4000 characters.";
		String cut = text.substring(0, MAX_LENGTH - note.length());
		int lineEnd = cut.lastIndexOf('\n');
		return (lineEnd > 0 ? cut.substring(0, lineEnd) : cut) + note;
	}
}
