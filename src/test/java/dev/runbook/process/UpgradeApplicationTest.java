package dev.runbook.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.runbook.command.Component;
import dev.runbook.command.ServerName;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabServerView;

/**
 * The application as it ships: processes and forms deployed by the process application, the job executor on, the lab
 * at 3600 simulated seconds per real second. An upgrade of EX02 runs to its end on its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:upgrade-application-test;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-engine-name=true",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.wait-time-in-millis=200",
		"camunda.bpm.job-execution.max-wait=1000",
		"runbook.lab.time-scale=3600" })
class UpgradeApplicationTest {

	static final ServerName EX02 = ServerName.of("EX02");
	static final String SETUP_PATH = "D:\\Media\\Exchange2013-CU23\\Setup.exe";
	/** Polls are floored at one real second; a whole upgrade takes a few dozen of them. */
	static final Duration DEADLINE = Duration.ofMinutes(3);

	@Autowired
	RuntimeService runtimeService;
	@Autowired
	HistoryService historyService;
	@Autowired
	ManagementService managementService;
	@Autowired
	LabOrganisation lab;

	@Test
	void upgradesEx02ToTheTargetBuildAndBackIntoService() throws InterruptedException {
		ProcessInstance pi = runtimeService.startProcessInstanceByKey("mailbox-server-upgrade", "CHG-4",
				Map.of("server", "EX02", "setupPath", SETUP_PATH, "targetBuild", "15.0.1497.2"));

		Instant deadline = Instant.now().plus(DEADLINE);
		while (runtimeService.createProcessInstanceQuery().processInstanceId(pi.getId()).count() > 0) {
			assertThat(managementService.createJobQuery().withException().noRetriesLeft().list())
					.as("incidents").isEmpty();
			assertThat(Instant.now()).as("upgrade ended within " + DEADLINE).isBefore(deadline);
			Thread.sleep(250);
		}

		assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
				.activityId("Upgraded").count()).isOne();
		LabServerView ex02 = lab.server(EX02).orElseThrow();
		assertThat(ex02.build()).isEqualTo("15.0.1497.2");
		assertThat(ex02.components()).allSatisfy((component, state) -> assertThat(state).as(component)
				.isEqualTo(Component.valueOf(component).inactiveByDefault() ? "Inactive" : "Active"));
		assertThat(ex02.clusterNode()).isEqualTo("Up");
		assertThat(ex02.autoActivationPolicy()).isEqualTo("Unrestricted");
		assertThat(ex02.activationDisabledAndMoveNow()).isFalse();
		assertThat(lab.journal().stream().filter(JournalEntry::changesState).filter(JournalEntry::succeeded)
				.map(JournalEntry::command).toList())
				.isEqualTo(SeedSteps.upgrade(EX02, ServerName.of("EX01"), SETUP_PATH));
		assertThat(lab.outages()).isEmpty();
	}
}
