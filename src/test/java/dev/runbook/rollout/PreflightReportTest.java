package dev.runbook.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.runbook.rollout.PreflightReport.Verdict;

/** The report is rewritten by each check from its own text: sections must survive that, in order and within 4000. */
class PreflightReportTest {

	/** What {@code PreflightReport.record} does to the variable, without an engine. */
	static String withSection(String text, PreflightCheck check, Verdict verdict, List<String> lines) {
		return PreflightReport.withSection(text, check, verdict, lines).render();
	}

	@Test
	void aCheckThatRunsAgainReplacesItsSectionAndTheOrderStaysTheChecksOrder() {
		String text = withSection(null, PreflightCheck.QUORUM, Verdict.PASSED, List.of("Now 5 of 5 votes."));
		text = withSection(text, PreflightCheck.DISCOVERY, Verdict.PASSED, List.of("DAG01: EX01, EX02"));
		text = withSection(text, PreflightCheck.QUORUM, Verdict.REFUSED, List.of("While EX01 restarts, 2 of 5 votes."));

		assertThat(text).startsWith("**Pre-flight: 2 checks, 1 passed, 1 refused**");
		assertThat(text.indexOf("#### Discovery: passed")).isLessThan(text.indexOf("#### Quorum while one member is down: refused"));
		assertThat(text).doesNotContain("Now 5 of 5 votes.").containsOnlyOnce("#### Quorum");
		assertThat(PreflightReport.parse(text).refusal()).contains(
				"Quorum while one member is down: While EX01 restarts, 2 of 5 votes.");
	}

	@Test
	void theApproversDowntimeDecisionIsNoRefusal() {
		String text = withSection(null, PreflightCheck.REDUNDANCY, Verdict.DOWNTIME, List.of("DB01 would lose its last healthy copy"));

		assertThat(text).contains("#### Database copies while one member is down: refused unless the approver accepts downtime");
		assertThat(PreflightReport.parse(text).refusal()).isEmpty();
	}

	@Test
	void aLongSectionShowsItsFirstLinesAndCountsTheRestThroughLaterRewrites() {
		List<String> lines = IntStream.rangeClosed(1, 20).mapToObj(i -> "EX01 → EX" + i + ": TCP 64327 closed.").toList();
		String text = withSection(null, PreflightCheck.PORTS, Verdict.REFUSED, lines);
		text = withSection(text, PreflightCheck.IPV6, Verdict.PASSED, List.of("IPv6 bound."));

		assertThat(text).contains("- EX01 → EX8: TCP 64327 closed.\n- … and 12 more\n").doesNotContain("EX9:");
		assertThat(PreflightReport.parse(text).refusal().orElseThrow()).endsWith("Ports between Exchange servers: … and 12 more");
	}

	@Test
	void theReportStaysWithinWhatAVariableHolds() {
		String line = "x".repeat(200);
		String text = null;
		for (PreflightCheck check : PreflightCheck.values()) {
			text = withSection(text, check, Verdict.WARNING, IntStream.range(0, 8).mapToObj(i -> line + i).toList());
		}

		assertThat(text.length()).isLessThanOrEqualTo(RolloutText.MAX_LENGTH);
		assertThat(text).contains("#### Ports between Exchange servers: warning");
	}
}
