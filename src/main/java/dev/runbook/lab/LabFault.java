package dev.runbook.lab;

import java.util.Arrays;
import java.util.Locale;

/** Faults the lab can be told to produce, as an operator would meet them on real servers. */
public enum LabFault {
	/**
	 * Messages stuck in a delivery queue in Retry: neither the drain nor Redirect-Message moves them. Consumed by each
	 * Get-Queue that shows them; when none is left they are delivered (so a large count keeps them stuck for good).
	 */
	QUEUE_STUCK,
	/** Moving this server's active databases away fails. Consumed by each move attempt. */
	DATABASE_MOVE_FAILS,
	/** Setup ends with exit code 1 and an [ERROR] line. Consumed by each setup run. */
	SETUP_FAILS,
	/** The server does not answer remote calls. Consumed by each command. */
	TRANSIENT_ERROR,
	/** The remote call times out. Consumed by each command. */
	TIMEOUT,
	/** The server stays down after the next restart, until the faults are cleared. Consumed by each restart. */
	NO_RETURN_AFTER_REBOOT,
	/** The server's cluster service stops: its node is Down, through as many restarts as the fault's times less one. */
	CLUSTER_NODE_DOWN;

	/** The name in the lab API: {@code queue-stuck}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	public static LabFault fromId(String id) {
		return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown fault '" + id + "'. Known faults: "
						+ String.join(", ", Arrays.stream(values()).map(LabFault::id).toList()) + "."));
	}
}
