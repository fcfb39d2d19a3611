package dev.runbook.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricIdentityLinkLog;
import org.camunda.bpm.engine.history.HistoricIncident;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Comment;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.runbook.security.FourEyesApproval;

/**
 * Builds audit reports from Camunda's history and the command records. Reads as the engine: who may read is decided
 * before a request gets here (the audit views are for auditors, managers and administrators).
 */
@Service
public class AuditTrail {

	private static final int MAX_VALUE = 1000;
	private static final String JAVA_SERIALIZED = "application/x-java-serialized-object";

	private final HistoryService history;
	private final TaskService tasks;
	private final CommandHistory commands;
	private final AuditProperties properties;

	public AuditTrail(HistoryService history, TaskService tasks, CommandHistory commands, AuditProperties properties) {
		this.history = history;
		this.tasks = tasks;
		this.commands = commands;
		this.properties = properties;
	}

	/** Runs, newest first: each root process instance with its headline variables and how it stands. */
	public List<AuditReport.Upgrade> upgrades(int firstResult, int maxResults) {
		List<HistoricProcessInstance> roots = history.createHistoricProcessInstanceQuery().rootProcessInstances()
				.orderByProcessInstanceStartTime().desc().listPage(firstResult, maxResults);
		if (roots.isEmpty()) {
			return List.of();
		}
		Map<String, Map<String, Object>> variables = headlineVariables(roots);
		Set<String> withOpenIncidents = history.createHistoricIncidentQuery().open().list().stream()
				.map(HistoricIncident::getRootProcessInstanceId).filter(Objects::nonNull).collect(Collectors.toSet());
		return roots.stream().map(root -> upgrade(root, variables.getOrDefault(root.getId(), Map.of()),
				withOpenIncidents.contains(root.getId()))).toList();
	}

	/** The report of the run that {@code processInstanceId} belongs to (the root instance or one it called). */
	public Optional<AuditReport> report(String processInstanceId) {
		HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
				.processInstanceId(processInstanceId).singleResult();
		if (instance == null) {
			return Optional.empty();
		}
		String rootId = instance.getRootProcessInstanceId() == null ? instance.getId()
				: instance.getRootProcessInstanceId();
		HistoricProcessInstance root = rootId.equals(instance.getId()) ? instance
				: history.createHistoricProcessInstanceQuery().processInstanceId(rootId).singleResult();
		List<HistoricProcessInstance> run = history.createHistoricProcessInstanceQuery().rootProcessInstanceId(rootId)
				.orderByProcessInstanceStartTime().asc().list();
		List<String> ids = run.stream().map(HistoricProcessInstance::getId).toList();

		List<AuditReport.Process> processes = run.stream().map(AuditTrail::process).toList();
		List<AuditReport.Step> steps = steps(ids);
		List<CommandRecord> commandRecords = commands.of(ids);
		List<AuditReport.Operation> operations = operations(ids);
		Map<String, List<HistoricVariableUpdate>> updatesByActivityInstance = variableUpdates(ids);
		List<HistoricTaskInstance> taskInstances = history.createHistoricTaskInstanceQuery().rootProcessInstanceId(rootId)
				.orderByHistoricActivityInstanceStartTime().asc().list();
		List<AuditReport.UserTask> userTasks = taskInstances.stream()
				.map(t -> userTask(t, updatesByActivityInstance, operations)).toList();
		List<AuditReport.Approval> approvals = taskInstances.stream()
				.map(t -> approval(t, updatesByActivityInstance)).flatMap(Optional::stream).toList();
		List<AuditReport.Failure> failures = failures(ids);
		List<AuditReport.Incident> incidents = incidents(ids, operations);

		boolean incidentOpen = incidents.stream().anyMatch(i -> "open".equals(i.state()));
		AuditReport.Upgrade upgrade = upgrade(root, headlineVariables(List.of(root)).getOrDefault(rootId, Map.of()),
				incidentOpen);
		List<AuditReport.Event> timeline = timeline(processes, steps, commandRecords, userTasks, approvals, failures,
				incidents, operations);
		return Optional.of(new AuditReport(ClockUtil.getCurrentTime().toInstant(), upgrade, processes, steps,
				commandRecords, userTasks, approvals, failures, incidents, operations, timeline));
	}

	// ---- The list --------------------------------------------------------------------------------------------------

	private Map<String, Map<String, Object>> headlineVariables(List<HistoricProcessInstance> roots) {
		if (properties.summaryVariables().isEmpty()) {
			return Map.of();
		}
		List<HistoricVariableInstance> values = history.createHistoricVariableInstanceQuery()
				.processInstanceIdIn(roots.stream().map(HistoricProcessInstance::getId).toArray(String[]::new))
				.variableNameIn(properties.summaryVariables().toArray(String[]::new))
				.disableBinaryFetching().disableCustomObjectDeserialization().list();
		Map<String, Map<String, Object>> byInstance = new LinkedHashMap<>();
		for (HistoricVariableInstance v : values) {
			// Only the instance's own variables, not those of an inner scope that happen to share the name
			if (v.getProcessInstanceId().equals(v.getActivityInstanceId())) {
				byInstance.computeIfAbsent(v.getProcessInstanceId(), k -> new LinkedHashMap<>()).put(v.getName(),
						value(v.getTypedValue()));
			}
		}
		// In the configured order
		byInstance.replaceAll((id, found) -> properties.summaryVariables().stream().filter(found::containsKey)
				.collect(LinkedHashMap::new, (m, name) -> m.put(name, found.get(name)), Map::putAll));
		return byInstance;
	}

	private static AuditReport.Upgrade upgrade(HistoricProcessInstance root, Map<String, Object> variables,
			boolean incidentOpen) {
		return new AuditReport.Upgrade(root.getId(), root.getProcessDefinitionKey(), root.getProcessDefinitionName(),
				root.getBusinessKey(), root.getStartUserId(), instant(root.getStartTime()), instant(root.getEndTime()),
				root.getState(), outcome(root, incidentOpen), variables);
	}

	private static String outcome(HistoricProcessInstance root, boolean incidentOpen) {
		String state = root.getState() == null ? "" : root.getState();
		return switch (state) {
		case HistoricProcessInstance.STATE_COMPLETED -> "Completed"
				+ (root.getEndActivityId() == null ? "" : " at " + root.getEndActivityId());
		case HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED -> "Cancelled"
				+ (root.getDeleteReason() == null ? "" : ": " + root.getDeleteReason());
		case HistoricProcessInstance.STATE_INTERNALLY_TERMINATED -> "Terminated by the process"
				+ (root.getDeleteReason() == null ? "" : ": " + root.getDeleteReason());
		case HistoricProcessInstance.STATE_SUSPENDED -> "Suspended";
		default -> incidentOpen ? "Running, stopped at an open incident" : "Running";
		};
	}

	// ---- Sections of a report --------------------------------------------------------------------------------------

	private static AuditReport.Process process(HistoricProcessInstance p) {
		return new AuditReport.Process(p.getId(), p.getProcessDefinitionKey(), p.getProcessDefinitionName(),
				p.getProcessDefinitionVersion(), p.getSuperProcessInstanceId(), p.getBusinessKey(), p.getStartUserId(),
				instant(p.getStartTime()), instant(p.getEndTime()), p.getState(), p.getDeleteReason());
	}

	private List<AuditReport.Step> steps(List<String> ids) {
		return ids.stream()
				.flatMap(id -> history.createHistoricActivityInstanceQuery().processInstanceId(id)
						.orderPartiallyByOccurrence().asc().list().stream())
				.sorted(Comparator.comparing(HistoricActivityInstance::getStartTime))
				.map(a -> new AuditReport.Step(a.getProcessInstanceId(), a.getId(), a.getActivityId(),
						a.getActivityName(), a.getActivityType(), instant(a.getStartTime()), instant(a.getEndTime()),
						a.isCanceled()))
				.toList();
	}

	private List<AuditReport.Operation> operations(List<String> ids) {
		return ids.stream()
				.flatMap(id -> history.createUserOperationLogQuery().processInstanceId(id).orderByTimestamp().asc()
						.list().stream())
				.sorted(Comparator.comparing(UserOperationLogEntry::getTimestamp))
				.map(o -> new AuditReport.Operation(instant(o.getTimestamp()), o.getUserId(), o.getOperationType(),
						o.getEntityType(), o.getProperty(), o.getOrgValue(), o.getNewValue(), o.getProcessInstanceId(),
						o.getTaskId(), o.getJobId(), o.getAnnotation()))
				.toList();
	}

	/** Variable updates by the activity instance that made them (for a task: its user task's activity instance). */
	private Map<String, List<HistoricVariableUpdate>> variableUpdates(List<String> ids) {
		return history.createHistoricDetailQuery().processInstanceIdIn(ids.toArray(String[]::new)).variableUpdates()
				.disableBinaryFetching().disableCustomObjectDeserialization().orderPartiallyByOccurrence().asc().list()
				.stream().map(HistoricVariableUpdate.class::cast).filter(u -> u.getActivityInstanceId() != null)
				.collect(Collectors.groupingBy(HistoricVariableUpdate::getActivityInstanceId, LinkedHashMap::new,
						Collectors.toList()));
	}

	private AuditReport.UserTask userTask(HistoricTaskInstance task,
			Map<String, List<HistoricVariableUpdate>> updatesByActivityInstance, List<AuditReport.Operation> operations) {
		List<HistoricIdentityLinkLog> assignments = history.createHistoricIdentityLinkLogQuery().taskId(task.getId())
				.type(IdentityLinkType.ASSIGNEE).orderByTime().asc().list();
		Optional<HistoricIdentityLinkLog> claim = assignments.stream().filter(l -> "add".equals(l.getOperationType()))
				.reduce((first, last) -> last);
		boolean completed = "completed".equals(task.getDeleteReason());
		Optional<AuditReport.Operation> completion = operations.stream()
				.filter(o -> task.getId().equals(o.taskId()) && "Complete".equals(o.operationType())).findFirst();
		String completedBy = !completed ? null
				: completion.map(AuditReport.Operation::userId).orElse(task.getAssignee());
		List<AuditReport.TaskComment> comments = tasks.getTaskComments(task.getId()).stream()
				.sorted(Comparator.comparing(Comment::getTime))
				.map(c -> new AuditReport.TaskComment(c.getUserId(), instant(c.getTime()), c.getFullMessage())).toList();
		return new AuditReport.UserTask(task.getId(), task.getProcessInstanceId(), task.getTaskDefinitionKey(),
				task.getName(), instant(task.getStartTime()), instant(task.getEndTime()), taskState(task),
				task.getAssignee(), claim.map(HistoricIdentityLinkLog::getUserId).orElse(null),
				claim.map(l -> instant(l.getTime())).orElse(null), completedBy,
				completed ? instant(task.getEndTime()) : null,
				entered(updatesByActivityInstance.getOrDefault(task.getActivityInstanceId(), List.of())), comments);
	}

	private static String taskState(HistoricTaskInstance task) {
		if (task.getEndTime() == null) {
			return "open";
		}
		return "completed".equals(task.getDeleteReason()) ? "completed"
				: "cancelled" + (task.getDeleteReason() == null ? "" : " (" + task.getDeleteReason() + ")");
	}

	private static Optional<AuditReport.Approval> approval(HistoricTaskInstance task,
			Map<String, List<HistoricVariableUpdate>> updatesByActivityInstance) {
		Map<String, Object> entered = entered(updatesByActivityInstance.getOrDefault(task.getActivityInstanceId(),
				List.of()));
		if (!entered.containsKey(FourEyesApproval.APPROVED_BY)) {
			return Optional.empty();
		}
		Object approvedAt = entered.get(FourEyesApproval.APPROVED_AT);
		return Optional.of(new AuditReport.Approval(task.getId(), task.getProcessInstanceId(), task.getName(),
				text(entered.get(FourEyesApproval.REQUESTED_BY)), text(entered.get(FourEyesApproval.APPROVED_BY)),
				approvedAt instanceof Instant at ? at : null, text(entered.get(FourEyesApproval.APPROVAL_COMMENT)),
				entered));
	}

	private List<AuditReport.Failure> failures(List<String> ids) {
		return ids.stream()
				.flatMap(id -> history.createHistoricJobLogQuery().processInstanceId(id).failureLog()
						.orderByTimestamp().asc().list().stream())
				.sorted(Comparator.comparing(HistoricJobLog::getTimestamp))
				.map(j -> new AuditReport.Failure(j.getProcessInstanceId(),
						j.getFailedActivityId() != null ? j.getFailedActivityId() : j.getActivityId(), j.getJobId(),
						instant(j.getTimestamp()), j.getJobRetries(), j.getJobExceptionMessage()))
				.toList();
	}

	private List<AuditReport.Incident> incidents(List<String> ids, List<AuditReport.Operation> operations) {
		return ids.stream()
				.flatMap(id -> history.createHistoricIncidentQuery().processInstanceId(id).orderByCreateTime().asc()
						.list().stream())
				.sorted(Comparator.comparing(HistoricIncident::getCreateTime))
				.map(i -> new AuditReport.Incident(i.getId(), i.getProcessInstanceId(), i.getActivityId(),
						i.getIncidentType(), i.getIncidentMessage(), instant(i.getCreateTime()), instant(i.getEndTime()),
						i.isOpen() ? "open" : i.isResolved() ? "resolved" : "deleted", resolution(i, operations)))
				.toList();
	}

	/** What people did about an incident: retries on its job, an annotation, cancelling the instance. */
	private static String resolution(HistoricIncident incident, List<AuditReport.Operation> operations) {
		Instant created = instant(incident.getCreateTime());
		List<String> actions = new ArrayList<>();
		for (AuditReport.Operation o : operations) {
			if (o.time().isBefore(created)) {
				continue;
			}
			boolean onItsJob = incident.getConfiguration() != null && incident.getConfiguration().equals(o.jobId());
			if (onItsJob && o.operationType().contains("Retries")) {
				actions.add(o.userId() + " set the retries to " + o.newValue() + " at " + o.time());
			} else if ("Incident".equals(o.entityType()) && incident.getProcessInstanceId().equals(o.processInstanceId())) {
				actions.add(o.userId() + " " + o.operationType() + " at " + o.time());
			} else if ("Delete".equals(o.operationType()) && "ProcessInstance".equals(o.entityType())
					&& incident.getProcessInstanceId().equals(o.processInstanceId())) {
				actions.add(o.userId() + " cancelled the process instance at " + o.time());
			}
		}
		String how = incident.isOpen() ? "Open" : incident.isResolved() ? "Resolved" : "Deleted with its instance";
		if (incident.getAnnotation() != null) {
			how += "; note: " + incident.getAnnotation();
		}
		return actions.isEmpty() ? how : how + " after " + String.join("; ", actions);
	}

	private static List<AuditReport.Event> timeline(List<AuditReport.Process> processes, List<AuditReport.Step> steps,
			List<CommandRecord> commands, List<AuditReport.UserTask> userTasks, List<AuditReport.Approval> approvals,
			List<AuditReport.Failure> failures, List<AuditReport.Incident> incidents,
			List<AuditReport.Operation> operations) {
		List<AuditReport.Event> events = new ArrayList<>();
		for (AuditReport.Process p : processes) {
			events.add(new AuditReport.Event(p.startedAt(), "process", p.processInstanceId(), p.processName(), null,
					p.startedBy(), "Started " + name(p.processName(), p.processDefinitionKey())
							+ (p.calledBy() == null ? "" : ", called by " + p.calledBy()),
					null, p.businessKey() == null ? null : "business key " + p.businessKey()));
			if (p.endedAt() != null) {
				events.add(new AuditReport.Event(p.endedAt(), "process", p.processInstanceId(), p.processName(), null,
						null, "Ended " + name(p.processName(), p.processDefinitionKey()), p.state(), p.deleteReason()));
			}
		}
		steps.stream().filter(s -> !s.type().contains("Gateway") && !"userTask".equals(s.type()))
				.forEach(s -> events.add(new AuditReport.Event(s.startedAt(), "step", s.processInstanceId(),
						name(s.name(), s.activityId()), null, null, s.type(),
						s.endedAt() == null ? "active" : s.canceled() ? "canceled" : "completed", null)));
		commands.forEach(c -> events.add(new AuditReport.Event(c.startedAt(), "command", c.processInstanceId(),
				c.activityId(), c.server(), null, c.commandLine(), c.outcome().name(),
				c.succeeded() ? compact(c) : c.message())));
		for (AuditReport.UserTask t : userTasks) {
			events.add(new AuditReport.Event(t.createdAt(), "task", t.processInstanceId(), name(t.name(), t.taskDefinitionKey()),
					null, null, "Task created", "open", null));
			if (t.endedAt() != null) {
				String detail = Stream.of(t.claimedBy() == null ? null : "claimed by " + t.claimedBy(),
						t.entered().isEmpty() ? null : "entered " + t.entered()).filter(Objects::nonNull)
						.collect(Collectors.joining("; "));
				events.add(new AuditReport.Event(t.endedAt(), "task", t.processInstanceId(),
						name(t.name(), t.taskDefinitionKey()), null, t.completedBy(), "Task ended", t.state(),
						detail.isEmpty() ? null : detail));
			}
		}
		approvals.forEach(a -> events.add(new AuditReport.Event(a.approvedAt(), "approval", a.processInstanceId(),
				a.name(), null, a.approvedBy(), "Approved",
				null, "requested by " + a.requestedBy() + (a.comment() == null ? "" : "; comment: " + a.comment()))));
		failures.forEach(f -> events.add(new AuditReport.Event(f.time(), "failure", f.processInstanceId(),
				f.activityId(), null, null, "Attempt failed", "retries " + f.jobRetries(), f.message())));
		incidents.forEach(i -> events.add(new AuditReport.Event(i.createdAt(), "incident", i.processInstanceId(),
				i.activityId(), null, null, i.type(), i.state(), i.message() + " — " + i.resolution())));
		operations.forEach(o -> events.add(new AuditReport.Event(o.time(), "operation", o.processInstanceId(), null,
				null, o.userId(), o.operationType() + " " + o.entityType(),
				null, o.property() == null ? null : o.property() + ": " + o.orgValue() + " → " + o.newValue())));
		events.sort(Comparator.comparing(AuditReport.Event::time, Comparator.nullsLast(Comparator.naturalOrder())));
		return events;
	}

	// ---- Values ----------------------------------------------------------------------------------------------------

	private static Map<String, Object> entered(List<HistoricVariableUpdate> updates) {
		Map<String, Object> entered = new LinkedHashMap<>();
		updates.forEach(u -> entered.put(u.getVariableName(), value(u.getTypedValue())));
		return entered;
	}

	/**
	 * A variable's value as the report shows it: plain values as they are, objects as their serialized text. Objects are
	 * never deserialized here (history may hold what anyone submitted); Java-serialized ones are only named.
	 */
	static Object value(TypedValue typed) {
		if (typed instanceof ObjectValue object) {
			if (JAVA_SERIALIZED.equals(object.getSerializationDataFormat())) {
				return "(" + object.getObjectTypeName() + ", Java-serialized)";
			}
			String serialized = object.getValueSerialized();
			return serialized == null ? null : shorten(serialized);
		}
		Object value = typed == null ? null : typed.getValue();
		if (value == null) {
			return null;
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof String text) {
			return shorten(text);
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value;
		}
		return shorten(String.valueOf(value));
	}

	private static String shorten(String text) {
		return text.length() <= MAX_VALUE ? text : text.substring(0, MAX_VALUE) + "…";
	}

	private static String compact(CommandRecord record) {
		if (record.result() == null) {
			return null;
		}
		try {
			return AuditJson.mapper().writeValueAsString(record.result());
		} catch (JsonProcessingException e) {
			return record.result().toString();
		}
	}

	private static String text(Object value) {
		return value == null ? null : value.toString();
	}

	private static String name(String name, String id) {
		return name == null || name.isBlank() ? id : name;
	}

	private static Instant instant(Date date) {
		return date == null ? null : date.toInstant();
	}
}
