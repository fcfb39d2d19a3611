package dev.runbook;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The runbook's own settings ({@code runbook.*} in application.yaml). Durations are real-world ones; the lab divides
 * them by its time scale.
 */
@ConfigurationProperties("runbook")
public record RunbookProperties(String executor, String retryCycle, Timing timing, Setup setup) {

	public RunbookProperties {
		executor = executor == null ? "lab" : executor;
		retryCycle = retryCycle == null ? "R3/PT1M" : retryCycle;
		timing = timing == null ? new Timing(null, null, null, null, null, null, null, null) : timing;
		setup = setup == null ? new Setup(false) : setup;
	}

	/**
	 * How often each wait polls, and how long before it asks an operator. {@code approvalTimeout}: how long a rollout
	 * plan waits for a manager before it escalates; {@code adReplicationWait}: the pause after Active Directory
	 * preparation; {@code nlbDrainTimeout}: how long Stop-NlbClusterNode -Drain lets open connections finish (a command
	 * argument, never scaled), {@code nlbStopTimeout}: how long the process waits for the node to read Stopped.
	 */
	public record Timing(Duration queueDrainPoll, Duration queueDrainTimeout, Duration databaseMovePoll,
			Duration databaseMoveTimeout, Duration setupPoll, Duration setupTimeout, Duration restartPoll,
			Duration restartTimeout, Duration approvalTimeout, Duration adReplicationWait, Duration nlbDrainTimeout,
			Duration nlbStopTimeout, Duration healthCheckPoll, Duration healthCheckTimeout) {

		@ConstructorBinding
		public Timing {
			queueDrainPoll = orDefault(queueDrainPoll, Duration.ofSeconds(30));
			queueDrainTimeout = orDefault(queueDrainTimeout, Duration.ofMinutes(15));
			databaseMovePoll = orDefault(databaseMovePoll, Duration.ofSeconds(15));
			databaseMoveTimeout = orDefault(databaseMoveTimeout, Duration.ofMinutes(10));
			setupPoll = orDefault(setupPoll, Duration.ofMinutes(2));
			setupTimeout = orDefault(setupTimeout, Duration.ofHours(3));
			restartPoll = orDefault(restartPoll, Duration.ofSeconds(30));
			restartTimeout = orDefault(restartTimeout, Duration.ofMinutes(30));
			approvalTimeout = orDefault(approvalTimeout, Duration.ofDays(1));
			adReplicationWait = orDefault(adReplicationWait, Duration.ofMinutes(15));
			nlbDrainTimeout = orDefault(nlbDrainTimeout, Duration.ofMinutes(10));
			nlbStopTimeout = orDefault(nlbStopTimeout, Duration.ofMinutes(15));
			healthCheckPoll = orDefault(healthCheckPoll, Duration.ofSeconds(30));
			healthCheckTimeout = orDefault(healthCheckTimeout, Duration.ofMinutes(10));
		}

		/** The maintenance and upgrade waits alone; the rollout's take their defaults. */
		public Timing(Duration queueDrainPoll, Duration queueDrainTimeout, Duration databaseMovePoll,
				Duration databaseMoveTimeout, Duration setupPoll, Duration setupTimeout, Duration restartPoll,
				Duration restartTimeout) {
			this(queueDrainPoll, queueDrainTimeout, databaseMovePoll, databaseMoveTimeout, setupPoll, setupTimeout,
					restartPoll, restartTimeout, null, null, null, null, null, null);
		}

		private static Duration orDefault(Duration d, Duration fallback) {
			return d == null ? fallback : d;
		}
	}

	/** {@code diagnosticData}: the choice spelled out in the license switch for 2016 CU22+ and 2019 CU11+. */
	public record Setup(boolean diagnosticData) {
	}
}
