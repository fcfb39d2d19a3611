package dev.runbook.audit;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.TaskService;
import org.springframework.stereotype.Component;

/** Reads back the {@link CommandRecord}s that {@link RecordingShell} wrote for a run's process instances. */
@Component
public class CommandHistory {

	static final Comparator<CommandRecord> AS_RUN = Comparator.comparing(CommandRecord::startedAt)
			.thenComparingLong(CommandRecord::sequence);

	private final TaskService tasks;

	public CommandHistory(TaskService tasks) {
		this.tasks = tasks;
	}

	/** Every command the instances ran, in the order they ran. */
	public List<CommandRecord> of(Collection<String> processInstanceIds) {
		return processInstanceIds.stream()
				.flatMap(id -> tasks.getProcessInstanceComments(id).stream())
				.map(CommandRecord::from)
				.flatMap(Optional::stream)
				.sorted(AS_RUN)
				.toList();
	}
}
