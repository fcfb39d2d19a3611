package dev.runbook.audit;

import java.util.List;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.test.mock.MockExpressionManager;

/**
 * Engine-only test engines, as camunda-test.cfg.xml describes them (in-memory H2, full history, no job executor,
 * {@code Mocks} in expressions), built in code so that a test can add the engine plugins it exercises. Each engine has
 * its own name and database, so that none becomes the default engine of a Spring Boot test in the same JVM.
 */
public final class TestEngines {

	private TestEngines() {
	}

	public static ProcessEngine build(String name, ProcessEnginePlugin... plugins) {
		String unique = name + "-" + UUID.randomUUID();
		StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
		configuration.setProcessEngineName(unique);
		configuration.setJdbcUrl("jdbc:h2:mem:" + unique + ";DB_CLOSE_DELAY=-1");
		configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP);
		configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
		configuration.setJobExecutorActivate(false);
		configuration.setExpressionManager(new MockExpressionManager());
		configuration.setProcessEnginePlugins(List.of(plugins));
		return configuration.buildProcessEngine();
	}
}
