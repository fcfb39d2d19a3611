package dev.runbook.security;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.servlet.JerseyApplicationPath;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.audit.AuditProperties;

/**
 * Who may do what: the groups' grants in the engine (authorization is on: camunda.bpm.authorization.enabled), the
 * audit views for their readers, and the hardening 7.24.0 CE needs in front of its APIs.
 */
@Configuration
public class AccessConfiguration {

	@Bean
	AuthorizationGrants authorizationGrants() {
		return new AuthorizationGrants();
	}

	@Bean
	@Profile("production")
	ProductionGuard productionGuard(Environment environment, IdentityProperties identity, CamundaBpmProperties camunda) {
		return new ProductionGuard(environment, identity, camunda);
	}

	@Bean
	AdministratorCheck administratorCheck(IdentityService identity) {
		return new AdministratorCheck(identity);
	}

	/** The audit API and pages: HTTP Basic, then membership of runbook.audit.readers. */
	@Bean
	FilterRegistrationBean<GroupAccessFilter> auditAccess(ObjectProvider<ProcessEngine> engine, AuditProperties audit,
			ObjectMapper json) {
		return GroupAccessFilter.registration("audit-access", engine::getObject, audit.readers(), json, "/api/audit/*",
				"/audit", "/audit/*");
	}

	/** Before anything else reads the request, on both APIs that answer task queries. */
	@Bean
	FilterRegistrationBean<TaskQueryExpressionFilter> taskQueryExpressions(JerseyApplicationPath engineRest,
			CamundaBpmProperties camunda) {
		var registration = new FilterRegistrationBean<>(new TaskQueryExpressionFilter());
		registration.setName("task-query-expressions");
		registration.addUrlPatterns(engineRest.getUrlMapping(), webapp(camunda) + "/api/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	FilterRegistrationBean<AdminSetupBlock> adminSetupBlock(CamundaBpmProperties camunda) {
		var registration = new FilterRegistrationBean<>(new AdminSetupBlock());
		registration.setName("admin-setup-block");
		registration.addUrlPatterns(webapp(camunda) + "/api/admin/setup/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	private static String webapp(CamundaBpmProperties camunda) {
		String path = camunda.getWebapp().getApplicationPath();
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}
}
