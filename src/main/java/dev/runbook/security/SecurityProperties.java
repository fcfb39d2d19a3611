package dev.runbook.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Who may use the runbook's own HTTP APIs ({@code runbook.security.*}). */
@ConfigurationProperties("runbook.security")
public record SecurityProperties(List<String> labApiGroups, List<String> rolloutControlGroups) {

	public SecurityProperties {
		// None configured: nobody gets in, rather than everybody.
		labApiGroups = labApiGroups == null ? List.of() : List.copyOf(labApiGroups);
		rolloutControlGroups = rolloutControlGroups == null ? List.of() : List.copyOf(rolloutControlGroups);
	}
}
