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
	CLUSTER_NODE_DOWN,
	/** The server's health pages answer 503 whatever its components say. Lasts until the faults are cleared. */
	HEALTHCHECK_FAILS,
	/** A firewall rule blocks inbound TCP 64327 (log copying) to the server. Lasts until the faults are cleared. */
	PORT_BLOCKED,
	/** Defender on the server excludes nothing. Lasts until the faults are cleared. */
	DEFENDER_EXCLUSIONS_MISSING,
	/** The server's passive copies fall behind: copy and replay queues far above the pre-flight's limits. Lasts until cleared. */
	REPLICATION_LAGGING,
	/** The content index of every copy on the server is Failed. Lasts until the faults are cleared. */
	CONTENT_INDEX_FAILED,
	/** The server's passive copies are Failed and cannot be activated. Lasts until the faults are cleared. */
	COPY_FAILED,
	/**
	 * The domain controller the server reads Active Directory from has not yet received setup's preparation: its reads
	 * show the levels the forest had when the lab was built. Consumed by each read.
	 */
	AD_NOT_REPLICATED,
	/** On an Exchange 2003 virtual server: the next Exchange resource brought online fails. Consumed by each attempt. */
	CLUSTER_RESOURCE_FAILS,
	/**
	 * On an Exchange 2003 virtual server: when its Information Store next comes online, errors are written to the owning
	 * node's Application log.
	 */
	APPLICATION_LOG_ERRORS,
	/**
	 * On an Exchange 2003 server: the next service pack finds files in use and replaces them at the next restart, so it
	 * ends with a restart pending. Consumed by each service-pack run.
	 */
	SERVICE_PACK_NEEDS_RESTART;

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
