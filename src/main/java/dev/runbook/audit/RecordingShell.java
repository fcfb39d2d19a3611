package dev.runbook.audit;

import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.BpmnExecutionContext;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;

import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;

/**
 * The shell the processes see: runs each command on the configured shell (lab or remote PowerShell) and, when a
 * process step runs it, records it in that process instance's history (see {@link CommandRecord}).
 *
 * <p>The record is written in a transaction of its own, committed before the step's transaction ends: a command that
 * failed makes its step's transaction roll back, and a command that ran must stay on record all the same. A retried
 * step therefore leaves one record per attempt, as the commands really ran.
 *
 * <p>The process comes from the engine's execution context (internal API, stable across 7.x): the step layer hands
 * the shell commands only, and the shell is the one seam every command passes.
 */
public class RecordingShell implements ExchangeShell {

	private static final int MAX_MESSAGE = 2000;

	private final ExchangeShell shell;
	private final AtomicLong sequence = new AtomicLong();

	public RecordingShell(ExchangeShell shell) {
		this.shell = shell;
	}

	/** The executor behind the record: the lab, WinRM or local PowerShell. */
	public ExchangeShell recorded() {
		return shell;
	}

	@Override
	public <R> R run(ExchangeCommand<R> command) {
		BpmnExecutionContext process = Context.getBpmnExecutionContext();
		CommandContext engine = Context.getCommandContext();
		if (process == null || engine == null) {
			// Not a process step (the lab API, a start-time check): the lab's journal or the executor's log has it.
			return shell.run(command);
		}
		Instant started = now();
		R result;
		try {
			result = shell.run(command);
		} catch (RuntimeException failure) {
			try {
				record(engine, process.getExecution(), command, started, CommandRecord.Outcome.Failed,
						message(failure), null);
			} catch (RuntimeException notRecorded) {
				failure.addSuppressed(notRecorded);
			}
			throw failure;
		}
		// If this fails the step fails and is retried: a command that ran is never left off the record.
		record(engine, process.getExecution(), command, started, CommandRecord.Outcome.Succeeded, null,
				result);
		return result;
	}

	@Override
	public double timeScale() {
		return shell.timeScale();
	}

	private void record(CommandContext engine, ExecutionEntity execution, ExchangeCommand<?> command,
			Instant started, CommandRecord.Outcome outcome, String message, Object result) {
		JobEntity job = engine.getCurrentJob();
		CommandRecord record = new CommandRecord(sequence.incrementAndGet(), execution.getProcessInstanceId(),
				execution.getRootProcessInstanceId(), execution.getActivityId(), execution.getActivityInstanceId(),
				job == null ? null : job.getId(), command.server().value(), RecordedCommandLine.of(command),
				command.commandLine().program(), command.changesState(), started, now(), outcome, message,
				ResultSummary.of(result));
		ProcessEngineConfigurationImpl configuration = engine.getProcessEngineConfiguration();
		Date removalTime = removalTime(engine, configuration, record.rootProcessInstanceId());
		configuration.getCommandExecutorTxRequiresNew()
				.execute(new AppendCommandRecord(record, execution.getTenantId(), removalTime));
	}

	/**
	 * With the "start" strategy the removal time is fixed when the root instance starts, and every history entry
	 * carries it from the outset; with "end" (the default) the engine stamps all entries of the run, these included,
	 * when the root instance ends. Read here, where the root instance is visible even before its first commit.
	 */
	private static Date removalTime(CommandContext engine, ProcessEngineConfigurationImpl configuration,
			String rootProcessInstanceId) {
		if (!ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_START
				.equals(configuration.getHistoryRemovalTimeStrategy()) || rootProcessInstanceId == null) {
			return null;
		}
		HistoricProcessInstanceEventEntity root = engine.getDbEntityManager()
				.selectById(HistoricProcessInstanceEventEntity.class, rootProcessInstanceId);
		return root == null ? null : root.getRemovalTime();
	}

	private static String message(RuntimeException failure) {
		String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
		return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
	}

	private static Instant now() {
		return ClockUtil.getCurrentTime().toInstant();
	}
}
