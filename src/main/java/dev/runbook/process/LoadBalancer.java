package dev.runbook.process;

import java.util.Arrays;
import java.util.Locale;

import dev.runbook.command.InvalidInputException;

/**
 * How Client Access servers leave and rejoin their load-balanced pool during an upgrade: by an operator on whatever
 * balancer fronts them ({@code manual}, the default), or by the runbook through Windows NLB ({@code windows-nlb}).
 */
public enum LoadBalancer {
	MANUAL("manual"), WINDOWS_NLB("windows-nlb");

	private final String id;

	LoadBalancer(String id) {
		this.id = id;
	}

	/** The value in variables and forms: {@code manual} or {@code windows-nlb}. */
	public String id() {
		return id;
	}

	/** Absent means {@code manual}: an operator is always a safe default. */
	public static LoadBalancer parse(String raw) {
		if (raw == null || raw.isBlank()) {
			return MANUAL;
		}
		String value = raw.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter(lb -> lb.id.equals(value)).findFirst()
				.orElseThrow(() -> new InvalidInputException("Load balancer '" + raw.strip()
						+ "' is not known: use manual or windows-nlb."));
	}
}
