package dev.runbook.lab;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/** The embedded default: every command goes to the simulated organisation. */
@Configuration
@ConditionalOnProperty(name = "runbook.executor", havingValue = "lab", matchIfMissing = true)
public class LabConfiguration {

	@Bean
	LabClock labClock(@Value("${runbook.lab.time-scale:120}") double timeScale) {
		return LabClock.scaled(timeScale);
	}

	@Bean
	LabOrganisation labOrganisation(LabClock clock, ResourceLoader resources,
			@Value("${runbook.lab.topology:}") String topologyLocation) throws IOException {
		if (topologyLocation.isBlank()) {
			return new LabOrganisation(Topology.bundledDefault(), clock);
		}
		Resource resource = resources.getResource(topologyLocation);
		try (InputStream in = resource.getInputStream()) {
			return new LabOrganisation(Topology.read(in), clock);
		}
	}

	@Bean
	LabShell labShell(LabOrganisation organisation) {
		return new LabShell(organisation);
	}

	@Bean
	LabDirectory labDirectory(LabOrganisation organisation) {
		return new LabDirectory(organisation);
	}
}
