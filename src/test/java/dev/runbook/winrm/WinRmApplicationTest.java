package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeShell;
import dev.runbook.command.ServerName;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.process.ProcessTiming;
import dev.runbook.winrm.script.ScriptedDirectory;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * The application with {@code runbook.executor=winrm}: the WinRM shell and directory replace the lab's, the password
 * comes from a secret file and is nowhere in the environment or the log, and commands reach the servers.
 */
@SpringBootTest(properties = { "runbook.executor=winrm",
		"spring.datasource.url=jdbc:h2:mem:winrm-application;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-engine-name=true",
		"camunda.bpm.generate-unique-process-application-name=true", "camunda.bpm.job-execution.enabled=false",
		"runbook.winrm.transport=http", "runbook.winrm.user=CONTOSO\\\\svc-runbook", "runbook.winrm.receive-timeout=PT10S",
		"runbook.winrm.directory-server=EX01", "runbook.winrm.command-timeout=PT20S" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class WinRmApplicationTest {

	static final String SECRET = "Application-Secret-4417";
	static final LabOrganisation LAB = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
	static final WsmanDouble WSMAN = new WsmanDouble("CONTOSO", "svc-runbook", SECRET, new LabPowerShell(LAB));
	static Path passwordFile;

	@DynamicPropertySource
	static void winrm(DynamicPropertyRegistry registry) throws IOException {
		passwordFile = Files.createTempFile("winrm", ".secret");
		Files.writeString(passwordFile, SECRET + "\n");
		registry.add("runbook.winrm.endpoint", WSMAN::endpoint);
		registry.add("runbook.winrm.password-file", passwordFile::toString);
	}

	@AfterAll
	static void stop() throws IOException {
		WSMAN.close();
		Files.deleteIfExists(passwordFile);
	}

	@Autowired
	ApplicationContext context;

	@Autowired
	ExchangeShell shell;

	@Autowired
	ExchangeDirectory directory;

	@Autowired
	ProcessTiming timing;

	@Autowired
	Environment environment;

	@Test
	void theWinRmExecutorReplacesTheLab() {
		// The audit's recording shell wraps whichever executor is configured: here the WinRM one.
		assertThat(((dev.runbook.audit.RecordingShell) shell).recorded()).isInstanceOf(ScriptedShell.class);
		assertThat(directory).isInstanceOf(ScriptedDirectory.class);
		assertThat(context.getBeanNamesForType(LabOrganisation.class)).isEmpty();
		assertThat(shell.timeScale()).isEqualTo(1.0);
		assertThat(timing.getSetupPoll()).isEqualTo("PT2M");
	}

	@Test
	void commandsReachTheirServersThroughWinRm() {
		ServerName ex02 = ServerName.of("EX02");

		assertThat(shell.run(new GetQueue(ex02))).isEqualTo(LAB.execute(new GetQueue(ex02)));
		assertThat(directory.dagMembers("DAG01")).hasSize(4);
	}

	@Test
	void thePasswordIsInNeitherTheEnvironmentNorTheLog(CapturedOutput output) {
		shell.run(new GetQueue(ServerName.of("EX01")));

		assertThat(environment.getProperty("runbook.winrm.password")).isNull();
		assertThat(environment.getProperty("runbook.winrm.password-file")).isEqualTo(passwordFile.toString());
		assertThat(output.getAll()).doesNotContain(SECRET);
		assertThat(context.getBean(WinRmCredentials.class)).hasToString("CONTOSO\\svc-runbook (password withheld)");
	}
}
