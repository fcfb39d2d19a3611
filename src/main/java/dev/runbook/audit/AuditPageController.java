package dev.runbook.audit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The audit views for people: {@code /audit} lists the runs, {@code /audit/{id}} is one run's printable report. */
@Controller
public class AuditPageController {

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8);

	private final AuditTrail trail;
	private final AuditProperties properties;

	public AuditPageController(AuditTrail trail, AuditProperties properties) {
		this.trail = trail;
		this.properties = properties;
	}

	@GetMapping("/audit")
	public ResponseEntity<String> upgrades() {
		return page(HttpStatus.OK,
				AuditPage.upgrades(trail.upgrades(0, AuditController.MAX_RESULTS), properties.summaryVariables()));
	}

	@GetMapping("/audit/{processInstanceId}")
	public ResponseEntity<String> report(@PathVariable String processInstanceId) {
		return trail.report(processInstanceId).map(report -> page(HttpStatus.OK, AuditPage.report(report)))
				.orElseGet(() -> page(HttpStatus.NOT_FOUND, AuditPage.notFound("No process instance " + processInstanceId
						+ " in history: it never existed, or history cleanup has removed it.")));
	}

	private static ResponseEntity<String> page(HttpStatus status, String html) {
		return ResponseEntity.status(status).contentType(HTML)
				.header("Content-Security-Policy", AuditPage.CONTENT_SECURITY_POLICY)
				.header("X-Content-Type-Options", "nosniff")
				.header("Referrer-Policy", "no-referrer")
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.body(html);
	}
}
