package dev.runbook.command;

/**
 * What a health page answered. {@code statusCode} is the HTTP status, or 0 when no HTTP answer came (connection
 * refused, name not resolved, timeout); {@code detail} is the body's first line or the error.
 */
public record HealthCheckResponse(String uri, int statusCode, String detail) {

	public boolean healthy() {
		return statusCode == 200;
	}
}
