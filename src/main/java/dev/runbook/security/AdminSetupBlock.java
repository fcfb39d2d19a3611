package dev.runbook.security;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Closes the Admin webapp's first-run setup ({@code /camunda/api/admin/setup/…}), which creates an administrator for
 * anyone, unauthenticated, while the engine counts no direct camunda-admin member (CVE-2026-77226, fixed in Enterprise
 * only). Administrators come from configuration; {@link AdministratorCheck} refuses to run without one.
 */
public class AdminSetupBlock extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException {
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getWriter().write("{\"type\":\"Forbidden\",\"message\":\"The first-run administrator setup is closed:"
				+ " administrators come from configuration (camunda.bpm.admin-user or runbook.identity.users).\"}");
	}
}
