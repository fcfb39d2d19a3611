package dev.runbook.audit;

import java.time.Period;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit trail's settings ({@code runbook.audit.*}).
 *
 * @param retention how long history of a finished run is kept (ISO days, {@code P400D}): every process definition's
 *        history time to live. Export what must be kept longer before cleanup removes it (docs/audit.md).
 * @param readers the groups that may read the audit views
 * @param summaryVariables the variables of a run's root instance that the list of upgrades shows (DAG, target build)
 */
@ConfigurationProperties("runbook.audit")
public record AuditProperties(String retention, List<String> readers, List<String> summaryVariables) {

	public AuditProperties {
		retention = retention == null || retention.isBlank() ? "P400D" : retention.trim();
		retentionDays(retention);
		// None configured: nobody reads the audit views, rather than everybody.
		readers = readers == null ? List.of() : List.copyOf(readers);
		summaryVariables = summaryVariables == null ? List.of("dag", "server", "targetBuild")
				: List.copyOf(summaryVariables);
	}

	/** The retention in days, as the engine's history time to live counts it. */
	public int retentionDays() {
		return retentionDays(retention);
	}

	private static int retentionDays(String retention) {
		try {
			Period period = Period.parse(retention);
			if (period.getYears() != 0 || period.getMonths() != 0 || period.getDays() < 1) {
				throw new IllegalArgumentException();
			}
			return period.getDays();
		} catch (RuntimeException e) {
			throw new IllegalArgumentException("runbook.audit.retention must be a number of days such as P400D, not '"
					+ retention + "'.");
		}
	}
}
