package dev.runbook.lab;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With the lab as executor, the Exchange 2003 directory is the lab's too. */
@Configuration
@ConditionalOnProperty(name = "runbook.executor", havingValue = "lab", matchIfMissing = true)
public class Exchange2003LabConfiguration {

	@Bean
	LabExchange2003Directory labExchange2003Directory(LabOrganisation organisation) {
		return new LabExchange2003Directory(organisation);
	}
}
