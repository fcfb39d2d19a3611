package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The configured retention is every definition's history time to live, whatever the BPMN declares. */
class HistoryRetentionTest {

	private static ProcessEngine engine;

	@BeforeAll
	static void startEngine() {
		engine = TestEngines.build("retention", new HistoryRetention(400));
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@Test
	void newDeploymentsTakeTheConfiguredRetentionAndExistingDefinitionsFollowAChange() {
		engine.getRepositoryService().createDeployment().addModelInstance("short.bpmn",
				Bpmn.createExecutableProcess("short-lived").camundaHistoryTimeToLive(1).startEvent().endEvent().done())
				.deploy();
		assertThat(definition().getHistoryTimeToLive()).isEqualTo(400);

		// a restart with another retention
		new HistoryRetention(30).postProcessEngineBuild(engine);
		assertThat(definition().getHistoryTimeToLive()).isEqualTo(30);
	}

	@Test
	void retentionIsWholeDays() {
		assertThat(new AuditProperties("P90D", null, null).retentionDays()).isEqualTo(90);
		assertThat(new AuditProperties(null, null, null).retentionDays()).isEqualTo(400);
		assertThatThrownBy(() -> new AuditProperties("P1Y", null, null)).hasMessageContaining("P400D");
		assertThatThrownBy(() -> new AuditProperties("PT12H", null, null)).hasMessageContaining("number of days");
		assertThatThrownBy(() -> new AuditProperties("P0D", null, null)).hasMessageContaining("number of days");
	}

	private static ProcessDefinition definition() {
		return engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("short-lived")
				.latestVersion().singleResult();
	}
}
