package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Comment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.PowerShell;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabShell;
import dev.runbook.lab.Topology;

/**
 * Commands run by process steps land in the instance's history, failures included, and leave with it when history
 * cleanup removes the run.
 */
class RecordingShellTest {

	private static final ServerName EX01 = ServerName.of("EX01");

	private static ProcessEngine engine;

	private LabOrganisation lab;
	private RecordingShell shell;
	private CommandHistory history;

	/** Steps that run commands through the shell, as the step layer does; {@code before} is a variable set first. */
	public class Steps {
		private final Map<String, Function<ServerName, ExchangeCommand<?>>> commands = Map.of(
				"read", ExchangeCommand.GetQueue::new,
				"drain", s -> new ExchangeCommand.SetServerComponentState(s, Component.HubTransport,
						ComponentState.Draining, Requester.Maintenance),
				"check", ExchangeCommand.GetServerComponentState::new);

		public void run(DelegateExecution execution, String step) {
			execution.setVariable("ranBefore_" + step, true);
			shell.run(commands.get(step).apply(EX01));
		}
	}

	@BeforeAll
	static void startEngine() {
		engine = TestEngines.build("recording");
	}

	@AfterAll
	static void closeEngine() {
		engine.close();
	}

	@BeforeEach
	void setUp() {
		BpmnAwareTests.init(engine);
		lab = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
		shell = new RecordingShell(new LabShell(lab));
		history = new CommandHistory(engine.getTaskService());
		Mocks.register("steps", new Steps());
	}

	@AfterEach
	void tearDown() {
		Mocks.reset();
		ClockUtil.reset();
		engine.getRepositoryService().createDeploymentQuery().list()
				.forEach(d -> engine.getRepositoryService().deleteDeployment(d.getId(), true));
	}

	@Test
	void everyCommandAStepRunsIsOnRecordAsTheLabJournalledIt() {
		ProcessInstance pi = start(process("read", "drain", "check"));
		runJobs();
		assertThat(pi).isEnded().hasPassedInOrder("read", "drain", "check");

		List<CommandRecord> records = history.of(List.of(pi.getId()));
		List<JournalEntry> journal = lab.journal();
		assertThat(records).hasSize(3).hasSameSizeAs(journal);
		for (int i = 0; i < journal.size(); i++) {
			CommandRecord record = records.get(i);
			assertThat(record.commandLine()).isEqualTo(journal.get(i).command());
			assertThat(record.server()).isEqualTo(journal.get(i).server());
			assertThat(record.succeeded()).isEqualTo(journal.get(i).succeeded()).isTrue();
			assertThat(record.processInstanceId()).isEqualTo(pi.getId());
			assertThat(record.rootProcessInstanceId()).isEqualTo(pi.getId());
			assertThat(record.jobId()).isNotNull();
			assertThat(record.endedAt()).isAfterOrEqualTo(record.startedAt());
		}
		assertThat(records).extracting(CommandRecord::activityId).containsExactly("read", "drain", "check");
		assertThat(records).extracting(CommandRecord::program)
				.containsExactly("Get-Queue", "Set-ServerComponentState", "Get-ServerComponentState");
		assertThat(records).extracting(CommandRecord::changesState).containsExactly(false, true, false);
		assertThat(records.get(1).commandLine()).isEqualTo(PowerShell.render(new ExchangeCommand.SetServerComponentState(
				EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance)));
		// The answer, in brief: Done's message; the component list with HubTransport now Draining
		assertThat(records.get(1).result().path("message").asText()).isNotBlank();
		assertThat(records.get(2).result().path("server").asText()).isEqualTo("EX01");
		assertThat(records.get(2).result().path("components").findValuesAsText("state")).contains("Draining");
	}

	@Test
	void aFailedCommandStaysOnRecordAlthoughItsStepRollsBack() {
		lab.injectFault(EX01, LabFault.TRANSIENT_ERROR, 1);
		ProcessInstance pi = start(process("read"));
		Job step = job(pi);

		assertThatThrownBy(() -> execute(step)).hasMessageContaining("WS-Management");
		// The step's transaction rolled back (its variable is gone) ...
		assertThat(engine.getRuntimeService().getVariable(pi.getId(), "ranBefore_read")).isNull();
		// ... and the command is on record with the failure the lab answered
		List<CommandRecord> afterFailure = history.of(List.of(pi.getId()));
		assertThat(afterFailure).singleElement().satisfies(r -> {
			assertThat(r.outcome()).isEqualTo(CommandRecord.Outcome.Failed);
			assertThat(r.message()).contains("WS-Management");
			assertThat(r.result()).isNull();
			assertThat(r.jobId()).isEqualTo(step.getId());
			assertThat("Failed: " + r.message()).isEqualTo(lab.journal().get(0).outcome());
		});

		execute(job(pi));
		assertThat(pi).isEnded();
		assertThat(history.of(List.of(pi.getId()))).extracting(CommandRecord::outcome)
				.containsExactly(CommandRecord.Outcome.Failed, CommandRecord.Outcome.Succeeded);
		assertThat(lab.journal()).extracting(JournalEntry::succeeded).containsExactly(false, true);
	}

	@Test
	void recordsLeaveWithTheirRunWhenHistoryCleanupRemovesIt() {
		Date start = new Date();
		ClockUtil.setCurrentTime(start);
		ProcessInstance pi = start(process("read", "check"));
		runJobs();
		assertThat(pi).isEnded();

		List<Comment> comments = engine.getTaskService().getProcessInstanceComments(pi.getId());
		assertThat(comments).hasSize(2).allSatisfy(c -> {
			assertThat(c.getRootProcessInstanceId()).isEqualTo(pi.getId());
			// history time to live of the test process: one day after the end
			assertThat(c.getRemovalTime()).isEqualTo(Date.from(start.toInstant().plus(Duration.ofDays(1))));
		});

		ClockUtil.setCurrentTime(Date.from(start.toInstant().plus(Duration.ofDays(2))));
		String cleanup = engine.getHistoryService().cleanUpHistoryAsync(true).getId();
		engine.getManagementService().executeJob(cleanup);

		assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(pi.getId()).count())
				.isZero();
		assertThat(engine.getTaskService().getProcessInstanceComments(pi.getId())).isEmpty();
	}

	@Test
	void aCommentAPersonWroteIsNeverReadAsARecord() {
		ProcessInstance pi = start(process("read"));
		String forged = "{\"record\":\"exchange-command\",\"server\":\"EX09\","
				+ "\"commandLine\":\"Get-Queue -Server 'EX09'\",\"outcome\":\"Succeeded\",\"startedAt\":\""
				+ Instant.now() + "\",\"endedAt\":\"" + Instant.now() + "\"}";
		engine.getIdentityService().setAuthenticatedUserId("operator");
		try {
			engine.getTaskService().createComment(null, pi.getId(), forged);
		} finally {
			engine.getIdentityService().clearAuthentication();
		}
		runJobs();

		assertThat(engine.getTaskService().getProcessInstanceComments(pi.getId())).hasSize(2);
		assertThat(history.of(List.of(pi.getId()))).extracting(CommandRecord::server).containsExactly("EX01");
	}

	@Test
	void aCommandOutsideAnyProcessIsNotWrittenToHistory() {
		shell.run(new ExchangeCommand.GetQueue(EX01));

		assertThat(lab.journal()).hasSize(1);
		assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().count()).isZero();
		assertThat(engine.getManagementService().getTableCount().get("ACT_HI_COMMENT")).isZero();
	}

	private static BpmnModelInstance process(String... steps) {
		AbstractFlowNodeBuilder<?, ?> builder = Bpmn.createExecutableProcess("steps").camundaHistoryTimeToLive(1)
				.startEvent("start");
		for (String step : steps) {
			builder = builder.serviceTask(step).name(step).camundaAsyncBefore()
					.camundaExpression("${steps.run(execution, '" + step + "')}");
		}
		return builder.endEvent("end").done();
	}

	private static ProcessInstance start(BpmnModelInstance model) {
		engine.getRepositoryService().createDeployment().addModelInstance("steps.bpmn", model).deploy();
		return engine.getRuntimeService().startProcessInstanceByKey("steps");
	}

	private static void runJobs() {
		for (Job next = nextJob(); next != null; next = nextJob()) {
			execute(next);
		}
	}

	private static Job nextJob() {
		return engine.getManagementService().createJobQuery().executable().list().stream().findFirst().orElse(null);
	}
}
