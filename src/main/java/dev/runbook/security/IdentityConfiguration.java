package dev.runbook.security;

import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Users, groups and Tasklist filters, created by engine plugins as the engine starts. */
@Configuration
public class IdentityConfiguration {

	@Bean
	IdentitySetup identitySetup(IdentityProperties identity, CamundaBpmProperties camunda) {
		return new IdentitySetup(identity, camunda.getAdminUser().getId());
	}

	@Bean
	TasklistFilters tasklistFilters(IdentityProperties identity) {
		return new TasklistFilters(identity);
	}
}
