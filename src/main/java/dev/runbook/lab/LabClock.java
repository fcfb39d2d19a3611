package dev.runbook.lab;

import java.time.Duration;
import java.time.Instant;

/** The lab's simulated time. */
public interface LabClock {

	Instant now();

	/** How many simulated seconds pass in one real second. */
	double timeScale();

	/** Real time, sped up: a rehearsal of hours of maintenance runs in minutes. */
	static LabClock scaled(double timeScale) {
		if (!(timeScale > 0)) {
			throw new IllegalArgumentException("runbook.lab.time-scale must be positive, was " + timeScale);
		}
		long realStart = System.nanoTime();
		Instant simulatedStart = Instant.now();
		return new LabClock() {
			public Instant now() {
				long realNanos = System.nanoTime() - realStart;
				return simulatedStart.plusNanos((long) (realNanos * timeScale));
			}

			public double timeScale() {
				return timeScale;
			}
		};
	}

	/** A clock that moves only when told, for tests. */
	final class Manual implements LabClock {
		private Instant now = Instant.parse("2026-01-10T22:00:00Z");

		public synchronized Instant now() {
			return now;
		}

		public double timeScale() {
			return 1.0;
		}

		public synchronized void advance(Duration duration) {
			now = now.plus(duration);
		}
	}
}
