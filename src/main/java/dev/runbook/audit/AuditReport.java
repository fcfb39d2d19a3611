package dev.runbook.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened in one run (a root process instance and every process it called), as history holds it: who started
 * it, every step, every command with its output, every user task with who claimed and completed it and what they
 * entered, every approval, every failure and incident with how it was resolved, and every operation people performed
 * on it. {@link #timeline()} puts all of it in one chronological list.
 */
public record AuditReport(Instant generatedAt, Upgrade upgrade, List<Process> processes, List<Step> steps,
		List<CommandRecord> commands, List<UserTask> userTasks, List<Approval> approvals, List<Failure> failures,
		List<Incident> incidents, List<Operation> operations, List<Event> timeline) {

	/** One run, as the list of upgrades shows it. {@code variables} are the headline ones (DAG, server, target build). */
	public record Upgrade(String processInstanceId, String processDefinitionKey, String processName, String businessKey,
			String startedBy, Instant startedAt, Instant endedAt, String state, String outcome,
			Map<String, Object> variables) {
	}

	/** A process instance of the run; {@code calledBy} is the instance whose call activity started it. */
	public record Process(String processInstanceId, String processDefinitionKey, String processName, Integer version,
			String calledBy, String businessKey, String startedBy, Instant startedAt, Instant endedAt, String state,
			String deleteReason) {
	}

	public record Step(String processInstanceId, String activityInstanceId, String activityId, String name,
			String type, Instant startedAt, Instant endedAt, boolean canceled) {
	}

	/** {@code entered}: the variables set when the task was completed, in order, as history recorded each update. */
	public record UserTask(String taskId, String processInstanceId, String taskDefinitionKey, String name,
			Instant createdAt, Instant endedAt, String state, String assignee, String claimedBy, Instant claimedAt,
			String completedBy, Instant completedAt, Map<String, Object> entered, List<TaskComment> comments) {
	}

	public record TaskComment(String userId, Instant time, String message) {
	}

	/** A four-eyes task's completion: the requester, and who approved, when, with what comment. */
	public record Approval(String taskId, String processInstanceId, String name, String requestedBy,
			String approvedBy, Instant approvedAt, String comment, Map<String, Object> entered) {
	}

	/**
	 * A failed attempt of a step (from the job log), whether or not it ended in an incident. {@code jobRetries}: the
	 * job's retries as the attempt began, as the job log keeps them; the attempt with 1 was the last before an incident.
	 */
	public record Failure(String processInstanceId, String activityId, String jobId, Instant time, int jobRetries,
			String message) {
	}

	/** {@code resolution}: how it ended, and who did what about it. */
	public record Incident(String incidentId, String processInstanceId, String activityId, String type,
			String message, Instant createdAt, Instant endedAt, String state, String resolution) {
	}

	/** One user operation log entry: retries, cancellations, modifications, variable changes, task work. */
	public record Operation(Instant time, String userId, String operationType, String entityType, String property,
			String orgValue, String newValue, String processInstanceId, String taskId, String jobId, String annotation) {
	}

	/**
	 * One line of the timeline. {@code kind}: process, step, command, task, approval, failure, incident, operation.
	 * {@code outcome}: Succeeded / Failed for commands, the state for the others.
	 */
	public record Event(Instant time, String kind, String processInstanceId, String activity, String server,
			String actor, String what, String outcome, String detail) {
	}
}
