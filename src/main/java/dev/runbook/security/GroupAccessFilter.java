package dev.runbook.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * HTTP Basic against the engine's identity service, as on {@code /engine-rest}, and then membership of one of the
 * allowed groups: 401 without valid credentials, 403 for users outside those groups.
 */
public class GroupAccessFilter extends OncePerRequestFilter {

	/** The request attribute that holds the signed-in user's id for the controllers behind the filter. */
	public static final String USER = "dev.runbook.security.GroupAccessFilter.user";

	private final Supplier<ProcessEngine> engine;
	private final List<String> allowedGroups;
	private final ObjectMapper json;
	private final HttpBasicAuthenticationProvider basic = new HttpBasicAuthenticationProvider();

	/** The engine is looked up per request: filters are built before the engine is. */
	public GroupAccessFilter(Supplier<ProcessEngine> engine, List<String> allowedGroups, ObjectMapper json) {
		this.engine = engine;
		this.allowedGroups = List.copyOf(allowedGroups);
		this.json = json;
	}

	/** The filter on {@code urlPatterns}, for the members of {@code allowedGroups}. */
	static FilterRegistrationBean<GroupAccessFilter> registration(String name, Supplier<ProcessEngine> engine,
			List<String> allowedGroups, ObjectMapper json, String... urlPatterns) {
		var registration = new FilterRegistrationBean<>(new GroupAccessFilter(engine, allowedGroups, json));
		registration.setName(name);
		registration.addUrlPatterns(urlPatterns);
		return registration;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ProcessEngine processEngine = engine.get();
		AuthenticationResult result = basic.extractAuthenticatedUser(request, processEngine);
		if (!result.isAuthenticated()) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"runbook\"");
			refuse(response, HttpStatus.UNAUTHORIZED, "Sign in with HTTP Basic as a user of the runbook.");
			return;
		}
		String user = result.getAuthenticatedUser();
		List<String> groups = processEngine.getIdentityService().createGroupQuery().groupMember(user).list().stream()
				.map(Group::getId).toList();
		if (groups.stream().noneMatch(allowedGroups::contains)) {
			refuse(response, HttpStatus.FORBIDDEN,
					"User " + user + " is not a member of any group allowed here: " + String.join(", ", allowedGroups) + ".");
			return;
		}
		request.setAttribute(USER, user);
		chain.doFilter(request, response);
	}

	private void refuse(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		json.writeValue(response.getWriter(), Map.of("message", message));
	}
}
