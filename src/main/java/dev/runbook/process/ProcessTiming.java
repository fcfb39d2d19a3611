package dev.runbook.process;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ExchangeShell;

/**
 * The waits and retry cycles the processes use ({@code ${timing.queueDrainPoll}} in BPMN), as ISO-8601 durations.
 * Configured in real-world terms and divided by the executor's time scale, so that a lab rehearsal runs in minutes.
 * No wait is shorter than a second; when that floor stretches a poll, the wait's timeout stretches with it, so that a
 * wait polls as many times before it gives up as configured (at 3600x a 15-minute timeout would otherwise be shorter
 * than one 30-second poll).
 */
@Component("timing")
public class ProcessTiming {

	private static final Duration SHORTEST = Duration.ofSeconds(1);
	private static final Pattern REPEAT = Pattern.compile("R(\\d+)/(P.+)");

	private final RunbookProperties.Timing timing;
	private final String retryCycle;
	private final double scale;

	public ProcessTiming(RunbookProperties properties, ExchangeShell shell) {
		this.timing = properties.timing();
		this.retryCycle = properties.retryCycle();
		this.scale = shell.timeScale();
	}

	public String getQueueDrainPoll() {
		return scaled(timing.queueDrainPoll());
	}

	public String getQueueDrainTimeout() {
		return timeout(timing.queueDrainTimeout(), timing.queueDrainPoll());
	}

	public String getDatabaseMovePoll() {
		return scaled(timing.databaseMovePoll());
	}

	public String getDatabaseMoveTimeout() {
		return timeout(timing.databaseMoveTimeout(), timing.databaseMovePoll());
	}

	public String getSetupPoll() {
		return scaled(timing.setupPoll());
	}

	public String getSetupTimeout() {
		return timeout(timing.setupTimeout(), timing.setupPoll());
	}

	public String getRestartPoll() {
		return scaled(timing.restartPoll());
	}

	public String getRestartTimeout() {
		return timeout(timing.restartTimeout(), timing.restartPoll());
	}

	public String getApprovalTimeout() {
		return scaled(timing.approvalTimeout());
	}

	public String getAdReplicationWait() {
		return scaled(timing.adReplicationWait());
	}

	/** A tenth of the drain timeout: the node reads Stopped once its connections finish, usually well before. */
	public String getNlbStopPoll() {
		return scaled(timing.nlbDrainTimeout().dividedBy(10));
	}

	public String getNlbStopTimeout() {
		return scaled(timing.nlbStopTimeout());
	}

	public String getHealthCheckPoll() {
		return scaled(timing.healthCheckPoll());
	}

	public String getHealthCheckTimeout() {
		return scaled(timing.healthCheckTimeout());
	}

	/** The failed-job retry cycle of every step that touches a server, e.g. {@code R3/PT1M}. */
	public String getRetryCycle() {
		Matcher m = REPEAT.matcher(retryCycle);
		if (!m.matches()) {
			return retryCycle;
		}
		return "R" + m.group(1) + "/" + scaled(Duration.parse(m.group(2)));
	}

	String scaled(Duration real) {
		return scaledDuration(real).toString();
	}

	private String timeout(Duration timeout, Duration poll) {
		Duration scaled = scaledDuration(timeout);
		Duration configuredPolls = scaledDuration(poll).multipliedBy(timeout.toMillis() / poll.toMillis());
		return (configuredPolls.compareTo(scaled) > 0 ? configuredPolls : scaled).toString();
	}

	private Duration scaledDuration(Duration real) {
		long millis = (long) (real.toMillis() / scale);
		Duration d = Duration.ofMillis(millis);
		if (d.compareTo(SHORTEST) < 0) {
			d = SHORTEST;
		}
		return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
	}
}
