package dev.runbook.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Audit reports as CSV for spreadsheets (RFC 4180, UTF-8 with a byte order mark so that Excel reads it as such). A
 * cell that a spreadsheet would take for a formula (=, +, -, @, tab, carriage return first) is prefixed with an
 * apostrophe: command lines and operator input are data, never formulas.
 */
final class AuditCsv {

	private static final String BOM = "\uFEFF";
	private static final String EOL = "\r\n";

	private AuditCsv() {
	}

	static String upgrades(List<AuditReport.Upgrade> upgrades, List<String> variables) {
		StringBuilder csv = new StringBuilder(BOM);
		List<String> header = new ArrayList<>(List.of("processInstanceId", "process", "businessKey", "startedBy",
				"startedAt", "endedAt", "state", "outcome"));
		header.addAll(variables);
		row(csv, header);
		for (AuditReport.Upgrade u : upgrades) {
			List<Object> cells = new ArrayList<>(List.of(nz(u.processInstanceId()), nz(name(u)), nz(u.businessKey()),
					nz(u.startedBy()), nz(u.startedAt()), nz(u.endedAt()), nz(u.state()), nz(u.outcome())));
			variables.forEach(v -> cells.add(nz(u.variables().get(v))));
			row(csv, cells);
		}
		return csv.toString();
	}

	/** The report's timeline, one event a row. */
	static String report(AuditReport report) {
		StringBuilder csv = new StringBuilder(BOM);
		row(csv, List.of("time", "kind", "processInstanceId", "activity", "server", "actor", "what", "outcome", "detail"));
		for (AuditReport.Event e : report.timeline()) {
			row(csv, Stream.of(e.time(), e.kind(), e.processInstanceId(), e.activity(), e.server(), e.actor(), e.what(),
					e.outcome(), e.detail()).map(AuditCsv::nz).toList());
		}
		return csv.toString();
	}

	private static void row(StringBuilder csv, List<?> cells) {
		csv.append(cells.stream().map(c -> cell(c.toString())).collect(Collectors.joining(","))).append(EOL);
	}

	static String cell(String value) {
		String text = value;
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			text = "'" + text;
		}
		if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
				|| !text.equals(text.strip())) {
			text = "\"" + text.replace("\"", "\"\"") + "\"";
		}
		return text;
	}

	private static String name(AuditReport.Upgrade u) {
		return u.processName() == null ? u.processDefinitionKey() : u.processName();
	}

	private static Object nz(Object value) {
		return Objects.requireNonNullElse(value, "");
	}
}
