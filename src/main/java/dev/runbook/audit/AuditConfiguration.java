package dev.runbook.audit;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit trail: every command a process runs is recorded in its history, kept as long as configured. */
@Configuration
public class AuditConfiguration {

	@Bean
	HistoryRetention historyRetention(AuditProperties properties) {
		return new HistoryRetention(properties.retentionDays());
	}

	/** Static: a post-processor must exist before the beans it processes, without this configuration's dependencies. */
	@Bean
	static BeanPostProcessor recordingShellPostProcessor() {
		return new RecordingShellPostProcessor();
	}
}
