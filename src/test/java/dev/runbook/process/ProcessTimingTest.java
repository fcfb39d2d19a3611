package dev.runbook.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;

class ProcessTimingTest {

	static ProcessTiming at(double timeScale, String retryCycle) {
		ExchangeShell shell = new ExchangeShell() {
			public <R> R run(ExchangeCommand<R> command) {
				throw new UnsupportedOperationException("timing runs no command");
			}

			public double timeScale() {
				return timeScale;
			}
		};
		return new ProcessTiming(new RunbookProperties(null, retryCycle, null, null), shell);
	}

	@Test
	void realServersWaitAsConfigured() {
		ProcessTiming timing = at(1, null);

		assertThat(timing.getQueueDrainPoll()).isEqualTo("PT30S");
		assertThat(timing.getQueueDrainTimeout()).isEqualTo("PT15M");
		assertThat(timing.getDatabaseMoveTimeout()).isEqualTo("PT10M");
		assertThat(timing.getSetupPoll()).isEqualTo("PT2M");
		assertThat(timing.getSetupTimeout()).isEqualTo("PT3H");
		assertThat(timing.getRestartTimeout()).isEqualTo("PT30M");
		assertThat(timing.getRetryCycle()).isEqualTo("R3/PT1M");
	}

	@Test
	void theLabDividesWaitsByItsTimeScale() {
		ProcessTiming timing = at(120, null);

		assertThat(timing.getSetupPoll()).isEqualTo("PT1S");
		assertThat(timing.getSetupTimeout()).isEqualTo("PT1M30S");
		assertThat(timing.getRetryCycle()).isEqualTo("R3/PT1S");
	}

	@Test
	void aTimeoutStretchesWithItsPollSoThatAWaitStillPollsAsOftenAsConfigured() {
		ProcessTiming timing = at(3600, "R5/PT2M");

		// 30 s / 3600 is floored to 1 s; 15 min / 3600 would be 0.25 s, less than one poll.
		assertThat(timing.getQueueDrainPoll()).isEqualTo("PT1S");
		assertThat(timing.getQueueDrainTimeout()).isEqualTo("PT30S");
		assertThat(Duration.parse(timing.getDatabaseMoveTimeout()))
				.isEqualTo(Duration.parse(timing.getDatabaseMovePoll()).multipliedBy(40));
		assertThat(timing.getRestartTimeout()).isEqualTo("PT1M");
		assertThat(timing.getRetryCycle()).isEqualTo("R5/PT1S");
	}
}
