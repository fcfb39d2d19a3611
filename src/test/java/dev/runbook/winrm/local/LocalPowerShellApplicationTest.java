package dev.runbook.winrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.ServerName;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptedShell;

/** The application with {@code runbook.executor=powershell}: the local PowerShell executor replaces the lab. */
@SpringBootTest(properties = { "runbook.executor=powershell",
		"spring.datasource.url=jdbc:h2:mem:powershell-application;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-engine-name=true",
		"camunda.bpm.generate-unique-process-application-name=true", "camunda.bpm.job-execution.enabled=false",
		"runbook.powershell.directory-server=EX01", "runbook.powershell.command-timeout=PT20S" })
@DirtiesContext
@DisabledOnOs(OS.WINDOWS)
class LocalPowerShellApplicationTest {

	static Path standIn;

	@DynamicPropertySource
	static void powershell(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("pwsh");
		standIn = dir.resolve("powershell");
		Files.writeString(standIn, LocalPowerShellRunnerTest.STAND_IN);
		Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
		Files.writeString(dir.resolve("stdout"), Script.RESULT_SENTINEL
				+ Base64.getEncoder().encodeToString("true".getBytes(StandardCharsets.UTF_8)) + "\n"
				+ LocalPowerShellRunner.EXIT_SENTINEL + "0\n");
		registry.add("runbook.powershell.executable", standIn::toString);
	}

	@Autowired
	ApplicationContext context;

	@Autowired
	ExchangeShell shell;

	@Test
	void theLocalExecutorRunsCommandsThroughTheConfiguredPowerShell() throws IOException {
		// The audit's recording shell wraps whichever executor is configured: here the local PowerShell one.
		assertThat(((dev.runbook.audit.RecordingShell) shell).recorded()).isInstanceOf(ScriptedShell.class);
		assertThat(context.getBeanNamesForType(LabOrganisation.class)).isEmpty();

		assertThat(shell.run(new SuspendClusterNode(ServerName.of("EX03"))).message())
				.isEqualTo("Suspend-ClusterNode completed on EX03");
		assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(standIn.resolveSibling("stdin").toFile())
				.path("server").asText()).isEqualTo("EX03");
		assertThat(Files.readAllLines(standIn.resolveSibling("args"))).startsWith("-NoProfile", "-NonInteractive");
	}
}
