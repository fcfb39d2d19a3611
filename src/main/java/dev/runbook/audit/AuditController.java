package dev.runbook.audit;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit API: runs and their reports as JSON, or as CSV with {@code ?format=csv} or {@code Accept: text/csv}. Also
 * the way to keep a report beyond the history's retention: export it before cleanup removes the run. Access is checked
 * before a request gets here (runbook.audit.readers).
 */
@RestController
@RequestMapping("/api/audit")
public class AuditController {

	static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);
	static final int MAX_RESULTS = 1000;

	private final AuditTrail trail;
	private final AuditProperties properties;

	public AuditController(AuditTrail trail, AuditProperties properties) {
		this.trail = trail;
		this.properties = properties;
	}

	@GetMapping("/upgrades")
	public ResponseEntity<?> upgrades(@RequestParam(defaultValue = "0") int firstResult,
			@RequestParam(defaultValue = "200") int maxResults, @RequestParam(required = false) String format,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		if (firstResult < 0 || maxResults < 1 || maxResults > MAX_RESULTS) {
			return message(HttpStatus.BAD_REQUEST,
					"firstResult must be 0 or more and maxResults between 1 and " + MAX_RESULTS + ".");
		}
		List<AuditReport.Upgrade> upgrades = trail.upgrades(firstResult, maxResults);
		if (wantsCsv(format, accept)) {
			return csv("upgrades.csv", AuditCsv.upgrades(upgrades, properties.summaryVariables()));
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(upgrades);
	}

	@GetMapping("/upgrades/{processInstanceId}")
	public ResponseEntity<?> report(@PathVariable String processInstanceId,
			@RequestParam(required = false) String format,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		return trail.report(processInstanceId)
				.<ResponseEntity<?>>map(report -> wantsCsv(format, accept)
						? csv("upgrade-" + report.upgrade().processInstanceId() + ".csv", AuditCsv.report(report))
						: ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report))
				.orElseGet(() -> message(HttpStatus.NOT_FOUND, "No process instance " + processInstanceId
						+ " in history: it never existed, or history cleanup has removed it."));
	}

	/** CSV when asked for by parameter, or by an Accept header that names text/csv and not JSON. */
	private static boolean wantsCsv(String format, String accept) {
		if (format != null) {
			return format.equalsIgnoreCase("csv");
		}
		if (accept == null) {
			return false;
		}
		try {
			List<MediaType> accepted = MediaType.parseMediaTypes(accept);
			// text/csv named explicitly, and JSON not: */* (curl's default) keeps JSON
			return accepted.stream().anyMatch(CSV::equalsTypeAndSubtype)
					&& accepted.stream().noneMatch(MediaType.APPLICATION_JSON::equalsTypeAndSubtype);
		} catch (InvalidMediaTypeException e) {
			return false;
		}
	}

	private static ResponseEntity<String> csv(String fileName, String body) {
		// ids are engine-generated, but the name is made safe all the same
		String safe = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
		return ResponseEntity.ok().contentType(CSV)
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + safe + "\"").body(body);
	}

	private static ResponseEntity<Map<String, String>> message(HttpStatus status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("message", message));
	}
}
