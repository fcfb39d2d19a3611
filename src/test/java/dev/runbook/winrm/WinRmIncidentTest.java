package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.ServerName;

/**
 * With the WinRM executor pointed at a host where nothing listens, an asynchronous step that runs a command is
 * retried by its job retry cycle and ends in an incident whose message names the host and the cause; the password is
 * in no job log, stack trace or variable. (A one-step process stands in for the runbook's processes.)
 */
@SpringBootTest(properties = { "runbook.executor=winrm",
		"spring.datasource.url=jdbc:h2:mem:winrm-incident;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-engine-name=true",
		"camunda.bpm.generate-unique-process-application-name=true", "camunda.bpm.job-execution.enabled=false",
		"runbook.winrm.transport=http", "runbook.winrm.user=svc-runbook@contoso.local",
		"runbook.winrm.directory-server=EX01", "runbook.winrm.connection-timeout=PT2S" })
@DirtiesContext
class WinRmIncidentTest {

	static final String SECRET = "Incident-Secret-8823";

	@DynamicPropertySource
	static void unreachable(DynamicPropertyRegistry registry) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		java.nio.file.Path file = java.nio.file.Files.createTempFile("winrm", ".secret");
		java.nio.file.Files.writeString(file, SECRET);
		file.toFile().deleteOnExit();
		registry.add("runbook.winrm.endpoint", () -> "http://127.0.0.1:" + closedPort + "/{host}/wsman");
		registry.add("runbook.winrm.password-file", file::toString);
	}

	@TestConfiguration
	static class Step {
		/** Reads the queue of the server named in the process, as the runbook's drain step does. */
		@Bean
		JavaDelegate readQueue(ExchangeShell shell) {
			return execution -> execution.setVariable("messages",
					shell.run(new GetQueue(ServerName.of((String) execution.getVariable("server")))).messagesToDrain());
		}
	}

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	HistoryService history;

	@Test
	void anUnreachableServerEndsInAnIncidentNamingHostAndCause() {
		repository.createDeployment().addModelInstance("winrm-step.bpmn", Bpmn.createExecutableProcess("winrm-step")
				.camundaHistoryTimeToLive(1).startEvent().serviceTask("drain").name("Read the queue")
				.camundaAsyncBefore().camundaFailedJobRetryTimeCycle("R3/PT1M").camundaDelegateExpression("${readQueue}")
				.endEvent().done()).deploy();
		ProcessInstance upgrade = runtime.startProcessInstanceByKey("winrm-step", java.util.Map.of("server", "EX02"));

		for (int attempt = 0; attempt < 3; attempt++) {
			Job job = management.createJobQuery().processInstanceId(upgrade.getId()).singleResult();
			assertThat(catchThrowable(() -> management.executeJob(job.getId()))).isNotNull();
		}

		Incident incident = runtime.createIncidentQuery().processInstanceId(upgrade.getId()).singleResult();
		assertThat(incident.getIncidentMessage()).startsWith("WinRM on EX02 (http://127.0.0.1:")
				.endsWith("/ex02/wsman) refused the connection: the server is down or restarting, or WinRM does not listen there.");
		assertThat(runtime.getVariable(upgrade.getId(), "messages")).isNull();
		assertThat(runtime.createProcessInstanceQuery().processInstanceId(upgrade.getId()).singleResult().isEnded()).isFalse();

		List<HistoricJobLog> logs = history.createHistoricJobLogQuery().processInstanceId(upgrade.getId()).list();
		assertThat(logs).filteredOn(HistoricJobLog::isFailureLog).hasSize(3);
		for (HistoricJobLog log : logs.stream().filter(HistoricJobLog::isFailureLog).toList()) {
			assertThat(log.getJobExceptionMessage()).doesNotContain(SECRET);
			assertThat(history.getHistoricJobLogExceptionStacktrace(log.getId())).contains("EX02").doesNotContain(SECRET);
		}
		assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(upgrade.getId()).list())
				.allSatisfy(v -> assertThat(String.valueOf(v.getValue())).doesNotContain(SECRET));
	}
}
