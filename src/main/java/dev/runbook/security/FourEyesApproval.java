package dev.runbook.security;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.impl.task.TaskDefinition;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Comment;

/**
 * The four-eyes rule of one user task: whoever the variable {@code requesterVariable} names (the user who started the
 * change, set by {@code camunda:initiator}) may not work on it, and its completion records who approved, when, and
 * with what comment ({@link #APPROVED_BY}, {@link #APPROVED_AT}, {@link #APPROVAL_COMMENT}, and the requester checked
 * against, {@link #REQUESTED_BY}: process variables whose every update history keeps with the task's activity
 * instance).
 *
 * <p>Completed as a task listener, so that no API gets round it; {@link FourEyesCommandChecker} applies the same rule
 * earlier, where a refusal still reaches REST callers as 403 rather than as a listener failure.
 */
public class FourEyesApproval implements TaskListener {

	/** The requester the approval was checked against, as it stood at approval time. */
	public static final String REQUESTED_BY = "approvalRequestedBy";
	public static final String APPROVED_BY = "approvedBy";
	public static final String APPROVED_AT = "approvedAt";
	public static final String APPROVAL_COMMENT = "approvalComment";

	private final String requesterVariable;
	private final String commentVariable;

	public FourEyesApproval(String requesterVariable, String commentVariable) {
		this.requesterVariable = requesterVariable;
		this.commentVariable = commentVariable;
	}

	/** The rule of a task, if its user task carries one. */
	static Optional<FourEyesApproval> of(TaskEntity task) {
		TaskDefinition definition = task.getTaskDefinition();
		List<TaskListener> listeners = definition == null ? null
				: definition.getBuiltinTaskListenersForEvent(EVENTNAME_COMPLETE);
		if (listeners == null) {
			return Optional.empty();
		}
		return listeners.stream()
				.filter(FourEyesApproval.class::isInstance).map(FourEyesApproval.class::cast).findFirst();
	}

	/** Refuses {@code user} if they asked for the change this task approves. */
	void refuseRequester(DelegateTask task, String user) {
		Object requester = task.getVariable(requesterVariable);
		if (user != null && requester != null && user.equalsIgnoreCase(requester.toString())) {
			throw new FourEyesViolation("Four eyes: " + user + " requested this change and cannot approve it ("
					+ describe(task) + "). Another member of the approving group must complete this task.");
		}
	}

	@Override
	public void notify(DelegateTask task) {
		String approver = approver(task);
		if (approver == null) {
			throw new FourEyesViolation("Four eyes: " + describe(task) + " can only be completed by a signed-in user,"
					+ " whom the approval records.");
		}
		refuseRequester(task, approver);
		Object requester = task.getVariable(requesterVariable);
		task.setVariable(REQUESTED_BY, requester == null ? null : requester.toString());
		task.setVariable(APPROVED_BY, approver);
		task.setVariable(APPROVED_AT, ClockUtil.getCurrentTime());
		String comment = comment(task, approver);
		if (comment != null && !comment.equals(task.getVariable(APPROVAL_COMMENT))) {
			task.setVariable(APPROVAL_COMMENT, comment);
		}
	}

	/** The signed-in user who completes the task; for engine-internal completion, its assignee. */
	private static String approver(DelegateTask task) {
		CommandContext command = Context.getCommandContext();
		String user = command == null ? null : command.getAuthenticatedUserId();
		return user != null ? user : task.getAssignee();
	}

	/** The comment field of the form if it was filled in, else what the approver wrote on the task in Tasklist. */
	private String comment(DelegateTask task, String approver) {
		Object entered = task.getVariable(commentVariable);
		if (entered != null && !entered.toString().isBlank()) {
			return entered.toString();
		}
		List<Comment> written = task.getProcessEngineServices().getTaskService().getTaskComments(task.getId());
		String text = written.stream().filter(c -> approver.equals(c.getUserId()))
				.sorted((a, b) -> a.getTime().compareTo(b.getTime())).map(Comment::getFullMessage)
				.collect(Collectors.joining("\n"));
		return text.isBlank() ? null : text;
	}

	private static String describe(DelegateTask task) {
		String name = task.getName() == null ? task.getTaskDefinitionKey() : task.getName();
		return "task '" + name + "' of process instance " + task.getProcessInstanceId();
	}
}
