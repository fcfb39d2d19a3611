package dev.runbook.rest;

import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runbook's additions to Camunda's engine REST API under {@code /engine-rest}. */
@Configuration
public class EngineRestConfiguration {

	@Bean
	ResourceConfigCustomizer refusedRequestsAreBadRequests() {
		return config -> config.register(RefusedRequestMapper.class);
	}
}
