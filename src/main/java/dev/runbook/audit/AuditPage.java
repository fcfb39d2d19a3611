package dev.runbook.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.web.util.UriUtils;

/**
 * The audit views as printable HTML pages, rendered on the server. Everything that comes from history (names, command
 * lines, what operators typed, failure messages) is escaped; the page runs no script, and its Content Security Policy
 * ({@link #CONTENT_SECURITY_POLICY}) allows its own style sheet only.
 */
final class AuditPage {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
			.withZone(ZoneOffset.UTC);

	private static final String STYLE = """
			body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111}
			h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #999}
			table{border-collapse:collapse;width:100%;margin:.5em 0}
			th,td{border:1px solid #bbb;padding:.25em .4em;text-align:left;vertical-align:top}
			th{background:#eee}code{font:12px/1.3 ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
			.Failed,.open{color:#a00;font-weight:bold}.muted{color:#666}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
			dt{font-weight:bold}nav{margin-bottom:1em}
			@media print{nav{display:none}body{margin:0;font-size:11px}tr{page-break-inside:avoid}th{background:none}}
			""";

	/** No script, no frames, no forms; only the inline style sheet above, by its hash. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
			+ "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private AuditPage() {
	}

	static String upgrades(List<AuditReport.Upgrade> upgrades, List<String> variables) {
		StringBuilder html = head("Upgrades: audit");
		html.append("<nav><a href=\"api/audit/upgrades?format=csv\">CSV</a> · <a href=\"api/audit/upgrades\">JSON</a></nav>");
		html.append("<h1>Upgrades</h1>");
		if (upgrades.isEmpty()) {
			html.append("<p class=\"muted\">No runs in history.</p>");
		} else {
			html.append("<table><thead><tr><th>Process</th><th>Started by</th><th>Started</th><th>Ended</th>");
			variables.forEach(v -> html.append("<th>").append(esc(v)).append("</th>"));
			html.append("<th>Outcome</th></tr></thead><tbody>");
			for (AuditReport.Upgrade u : upgrades) {
				html.append("<tr><td><a href=\"audit/").append(esc(segment(u.processInstanceId()))).append("\">")
						.append(esc(name(u.processName(), u.processDefinitionKey()))).append("</a><br><span class=\"muted\">")
						.append(esc(u.processInstanceId())).append(u.businessKey() == null ? "" : " · " + esc(u.businessKey()))
						.append("</span></td>").append(td(u.startedBy())).append(td(time(u.startedAt())))
						.append(td(time(u.endedAt())));
				variables.forEach(v -> html.append(td(u.variables().get(v))));
				html.append(td(u.outcome())).append("</tr>");
			}
			html.append("</tbody></table>");
		}
		return foot(html, null);
	}

	static String report(AuditReport report) {
		AuditReport.Upgrade u = report.upgrade();
		String id = segment(u.processInstanceId());
		StringBuilder html = head(name(u.processName(), u.processDefinitionKey()) + " " + u.processInstanceId() + ": audit");
		html.append("<nav><a href=\"../audit\">All upgrades</a> · <a href=\"../api/audit/upgrades/").append(esc(id))
				.append("?format=csv\">CSV</a> · <a href=\"../api/audit/upgrades/").append(esc(id)).append("\">JSON</a></nav>");
		html.append("<h1>").append(esc(name(u.processName(), u.processDefinitionKey()))).append("</h1><dl>");
		dl(html, "Process instance", u.processInstanceId());
		dl(html, "Business key", u.businessKey());
		dl(html, "Requested (started) by", u.startedBy());
		dl(html, "Started", time(u.startedAt()));
		dl(html, "Ended", time(u.endedAt()));
		dl(html, "Outcome", u.outcome());
		u.variables().forEach((k, v) -> dl(html, k, v));
		html.append("</dl>");

		section(html, "Approvals", report.approvals(), List.of("Task", "Requested by", "Approved by", "Approved at", "Comment"),
				a -> row(a.name(), a.requestedBy(), a.approvedBy(), time(a.approvedAt()), a.comment()));
		section(html, "Commands", report.commands(),
				List.of("Started", "Ended", "Server", "Step", "Command line", "Outcome", "Output or failure"),
				c -> row(time(c.startedAt()), time(c.endedAt()), c.server(), c.activityId(), new Code(c.commandLine()),
						new Outcome(c.outcome().name()), new Code(c.succeeded() ? json(c) : c.message())));
		section(html, "User tasks", report.userTasks(),
				List.of("Task", "Created", "Claimed by", "Completed by", "Ended", "State", "Entered", "Comments"),
				t -> row(name(t.name(), t.taskDefinitionKey()), time(t.createdAt()), t.claimedBy(), t.completedBy(),
						time(t.endedAt()), new Outcome(t.state()), new Code(entries(t.entered())),
						t.comments().stream().map(c -> c.userId() + " (" + time(c.time()) + "): " + c.message())
								.collect(Collectors.joining("\n"))));
		section(html, "Incidents", report.incidents(),
				List.of("Created", "Step", "Type", "Message", "State", "Ended", "Resolution"),
				i -> row(time(i.createdAt()), i.activityId(), i.type(), new Code(i.message()), new Outcome(i.state()),
						time(i.endedAt()), i.resolution()));
		section(html, "Failed attempts", report.failures(), List.of("Time", "Step", "Retries", "Message"),
				f -> row(time(f.time()), f.activityId(), f.jobRetries(), new Code(f.message())));
		section(html, "Operations", report.operations(),
				List.of("Time", "User", "Operation", "Entity", "Property", "From", "To", "Annotation"),
				o -> row(time(o.time()), o.userId(), o.operationType(), o.entityType(), o.property(), o.orgValue(),
						o.newValue(), o.annotation()));
		section(html, "Timeline", report.timeline(),
				List.of("Time", "Kind", "Activity", "Server", "Who", "What", "Outcome", "Detail"),
				e -> row(time(e.time()), e.kind(), e.activity(), e.server(), e.actor(),
						"command".equals(e.kind()) ? new Code(e.what()) : e.what(), new Outcome(e.outcome()),
						new Code(e.detail())));
		section(html, "Processes of this run", report.processes(),
				List.of("Process", "Instance", "Called by", "Started by", "Started", "Ended", "State"),
				p -> row(name(p.processName(), p.processDefinitionKey()) + " v" + p.version(), p.processInstanceId(),
						p.calledBy(), p.startedBy(), time(p.startedAt()), time(p.endedAt()), p.state()));
		return foot(html, report.generatedAt());
	}

	static String notFound(String message) {
		StringBuilder html = head("Not found: audit");
		html.append("<nav><a href=\"../audit\">All upgrades</a></nav><h1>Not found</h1><p>").append(esc(message))
				.append("</p>");
		return foot(html, null);
	}

	// ---- Building blocks -------------------------------------------------------------------------------------------

	/** Cell content shown as code (monospace, line breaks kept). */
	private record Code(String text) {
	}

	/** Cell content marked with its outcome as a class, so that failures and open items stand out in print too. */
	private record Outcome(String text) {
	}

	private static <T> void section(StringBuilder html, String title, List<T> rows, List<String> columns,
			Function<T, List<?>> cells) {
		html.append("<h2>").append(esc(title)).append(" (").append(rows.size()).append(")</h2>");
		if (rows.isEmpty()) {
			html.append("<p class=\"muted\">None.</p>");
			return;
		}
		html.append("<table><thead><tr>");
		columns.forEach(c -> html.append("<th>").append(esc(c)).append("</th>"));
		html.append("</tr></thead><tbody>");
		for (T row : rows) {
			html.append("<tr>");
			cells.apply(row).forEach(cell -> html.append(td(cell)));
			html.append("</tr>");
		}
		html.append("</tbody></table>");
	}

	/** A row's cells; any may be null. */
	private static List<Object> row(Object... cells) {
		return Arrays.asList(cells);
	}

	private static String td(Object cell) {
		if (cell instanceof Code code) {
			return code.text() == null ? "<td></td>" : "<td><code>" + esc(code.text()) + "</code></td>";
		}
		if (cell instanceof Outcome outcome) {
			return outcome.text() == null ? "<td></td>"
					: "<td class=\"" + esc(outcome.text().split("[ (]")[0]) + "\">" + esc(outcome.text()) + "</td>";
		}
		return "<td>" + (cell == null ? "" : esc(cell.toString())) + "</td>";
	}

	private static void dl(StringBuilder html, String term, Object value) {
		html.append("<dt>").append(esc(term)).append("</dt><dd>").append(value == null ? "" : esc(value.toString()))
				.append("</dd>");
	}

	private static StringBuilder head(String title) {
		return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
				.append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body>");
	}

	private static String foot(StringBuilder html, Instant generatedAt) {
		if (generatedAt != null) {
			html.append("<p class=\"muted\">Generated from the process engine's history at ").append(esc(time(generatedAt)))
					.append(".</p>");
		}
		return html.append("</body></html>").toString();
	}

	/** Text for HTML element content and quoted attribute values. */
	static String esc(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder out = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
			case '&' -> out.append("&amp;");
			case '<' -> out.append("&lt;");
			case '>' -> out.append("&gt;");
			case '"' -> out.append("&quot;");
			case '\'' -> out.append("&#39;");
			default -> out.append(c);
			}
		}
		return out.toString();
	}

	private static String segment(String id) {
		return UriUtils.encodePathSegment(id, StandardCharsets.UTF_8);
	}

	private static String time(Instant instant) {
		return instant == null ? null : TIME.format(instant);
	}

	private static String name(String name, String key) {
		return name == null || name.isBlank() ? key : name;
	}

	private static String entries(Map<String, Object> values) {
		return values.isEmpty() ? null
				: values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n"));
	}

	private static String json(CommandRecord record) {
		return record.result() == null ? null : record.result().toString();
	}

	private static String sha256(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
