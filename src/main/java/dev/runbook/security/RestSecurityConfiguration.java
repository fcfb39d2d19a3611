package dev.runbook.security;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.servlet.JerseyApplicationPath;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP Basic on the REST APIs. The webapps under /camunda keep their own session login. Authorization checks stay off
 * for now: any signed-in user may use /engine-rest; group rules apply to the lab API only.
 */
@Configuration
public class RestSecurityConfiguration {

	/** The engine's own filter: without it /engine-rest answers anyone. */
	@Bean
	FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication(JerseyApplicationPath engineRest) {
		var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
		registration.setName("engine-rest-authentication");
		registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
				HttpBasicAuthenticationProvider.class.getName());
		registration.addUrlPatterns(engineRest.getUrlMapping());
		return registration;
	}

	/** Guards the lab API whichever executor runs, so that the path never opens by accident. */
	@Bean
	FilterRegistrationBean<GroupAccessFilter> labApiAccess(ObjectProvider<ProcessEngine> engine,
			SecurityProperties security, ObjectMapper json) {
		return GroupAccessFilter.registration("lab-api-access", engine::getObject, security.labApiGroups(), json,
				"/api/lab/*");
	}

	/** Aborting a rollout, or giving up its current server, for the groups that run and approve rollouts. */
	@Bean
	FilterRegistrationBean<GroupAccessFilter> rolloutControlAccess(ObjectProvider<ProcessEngine> engine,
			SecurityProperties security, ObjectMapper json) {
		return GroupAccessFilter.registration("rollout-control-access", engine::getObject,
				security.rolloutControlGroups(), json, "/api/rollouts/*");
	}
}
