package dev.runbook.rollout;

import java.util.Arrays;
import java.util.Locale;

import dev.runbook.command.InvalidInputException;

/**
 * Which role goes first. Exchange 2013 guidance upgrades the Mailbox servers of a site before its Client Access
 * servers ({@code mailbox-first}, the default); {@code cas-first} is the front-end-first practice of Exchange 2003.
 */
public enum RolloutOrder {
	MAILBOX_FIRST("mailbox-first"), CAS_FIRST("cas-first");

	private final String id;

	RolloutOrder(String id) {
		this.id = id;
	}

	public String id() {
		return id;
	}

	public static RolloutOrder parse(String raw) {
		if (raw == null || raw.isBlank()) {
			return MAILBOX_FIRST;
		}
		String value = raw.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter(o -> o.id.equals(value)).findFirst()
				.orElseThrow(() -> new InvalidInputException("Order '" + raw.strip()
						+ "' is not known: use mailbox-first or cas-first."));
	}
}
