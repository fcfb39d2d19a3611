package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runbook.process.StepContext;

/**
 * The pre-flight report an approver reads: one section per {@link PreflightCheck}, each with a verdict and a few
 * lines, as Markdown for the approval form. Each check replaces its own section, so a check that runs twice (a job
 * retried) leaves one section, and the report always shows the checks in their order.
 *
 * <p>Variables: {@code preflightReport}; {@code preflightRefusal}, the refused sections' lines (null when nothing is
 * refused; the copies check's verdict is left to the approver and is not a refusal here).
 */
public final class PreflightReport {

	/** A section shows this many lines; the rest are counted, so the report stays readable and within a variable. */
	static final int LINES_PER_SECTION = 8;

	public enum Verdict {
		PASSED("passed"), NOTE("to note"), WARNING("warning"), DOWNTIME("refused unless the approver accepts downtime"),
		REFUSED("refused");

		private final String label;

		Verdict(String label) {
			this.label = label;
		}
	}

	/** {@code hidden}: lines left out of the text, counted in its last line. */
	private record Section(Verdict verdict, List<String> lines, int hidden) {

		static Section of(Verdict verdict, List<String> lines) {
			return of(verdict, lines, LINES_PER_SECTION, 0);
		}

		static Section of(Verdict verdict, List<String> lines, int limit, int hiddenAlready) {
			int shown = Math.min(lines.size(), limit);
			return new Section(verdict, List.copyOf(lines.subList(0, shown)), lines.size() - shown + hiddenAlready);
		}

		List<String> linesWithCount() {
			List<String> all = new ArrayList<>(lines);
			if (hidden > 0) {
				all.add(MORE_PREFIX + hidden + " more");
			}
			return all;
		}
	}

	private static final String MORE_PREFIX = "… and ";

	private final Map<PreflightCheck, Section> sections = new EnumMap<>(PreflightCheck.class);

	/** Records one check's verdict in the instance's report and recomputes the refusal. */
	public static void record(StepContext step, PreflightCheck check, Verdict verdict, List<String> lines) {
		PreflightReport report = withSection(step.text("preflightReport"), check, verdict, lines);
		step.set("preflightReport", report.render());
		step.set("preflightRefusal", report.refusal().orElse(null));
	}

	/** The report in {@code text} with the check's section put in. */
	static PreflightReport withSection(String text, PreflightCheck check, Verdict verdict, List<String> lines) {
		PreflightReport report = parse(text);
		report.sections.put(check, Section.of(verdict, lines));
		return report;
	}

	/** Starts a new report: discovery runs again after an approval that waited too long. */
	public static void clear(StepContext step) {
		step.set("preflightReport", null);
		step.set("preflightRefusal", null);
	}

	static PreflightReport parse(String text) {
		PreflightReport report = new PreflightReport();
		if (text == null) {
			return report;
		}
		PreflightCheck current = null;
		Verdict verdict = null;
		List<String> lines = new ArrayList<>();
		int hidden = 0;
		for (String line : text.split("\n")) {
			Optional<PreflightCheck> heading = line.startsWith("#### ") ? checkOf(line) : Optional.empty();
			if (heading.isPresent()) {
				if (current != null) {
					report.sections.put(current, new Section(verdict, lines, hidden));
				}
				current = heading.get();
				verdict = verdictOf(line);
				lines = new ArrayList<>();
				hidden = 0;
			} else if (current != null && line.startsWith("- " + MORE_PREFIX) && line.endsWith(" more")) {
				hidden = Integer.parseInt(line.substring(2 + MORE_PREFIX.length(), line.length() - 5));
			} else if (current != null && line.startsWith("- ")) {
				lines.add(line.substring(2));
			}
		}
		if (current != null) {
			report.sections.put(current, new Section(verdict, lines, hidden));
		}
		return report;
	}

	private static Optional<PreflightCheck> checkOf(String heading) {
		return Arrays.stream(PreflightCheck.values()).filter(c -> heading.startsWith("#### " + c.title() + ": "))
				.findFirst();
	}

	private static Verdict verdictOf(String heading) {
		String label = heading.substring(heading.indexOf(": ") + 2);
		return Arrays.stream(Verdict.values()).filter(v -> v.label.equals(label)).findFirst().orElse(Verdict.WARNING);
	}

	/**
	 * Camunda keeps a text variable in 4000 characters. Should the report be longer, sections show fewer lines (the
	 * others are counted) until it fits; refusals come first in their sections, so they stay in view.
	 */
	String render() {
		String text = render(LINES_PER_SECTION);
		for (int lines = LINES_PER_SECTION - 1; text.length() > RolloutText.MAX_LENGTH && lines >= 0; lines--) {
			text = render(lines);
		}
		return RolloutText.fit(text);
	}

	private String render(int linesPerSection) {
		StringBuilder text = new StringBuilder();
		Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
		sections.values().forEach(s -> counts.merge(s.verdict(), 1L, Long::sum));
		text.append("**Pre-flight: ").append(sections.size()).append(" checks");
		counts.forEach((v, n) -> text.append(", ").append(n).append(' ').append(v.label));
		text.append("**\n");
		sections.forEach((check, section) -> {
			text.append("\n#### ").append(check.title()).append(": ").append(section.verdict().label).append('\n');
			Section shown = Section.of(section.verdict(), section.lines(), linesPerSection, section.hidden());
			shown.linesWithCount().forEach(l -> text.append("- ").append(l).append('\n'));
		});
		return text.toString();
	}

	Optional<String> refusal() {
		List<String> reasons = new ArrayList<>();
		sections.forEach((check, section) -> {
			if (section.verdict() == Verdict.REFUSED) {
				section.linesWithCount().forEach(l -> reasons.add(check.title() + ": " + l));
			}
		});
		return reasons.isEmpty() ? Optional.empty() : Optional.of(RolloutText.fit(String.join("\n", reasons)));
	}
}
