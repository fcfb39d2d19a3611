package dev.runbook.audit;

import java.util.Date;

import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.CommentEntity;
import org.camunda.bpm.engine.task.Event;

/**
 * Stores a {@link CommandRecord} as a process instance comment (ACT_HI_COMMENT). A comment, because it belongs to the
 * process instance and its root, carries a removal time and goes with the run when history cleanup removes it, and
 * because it can be written in a transaction of its own without touching the running instance (a variable cannot).
 * Written as the engine, never as the signed-in user: that is what tells a record from a person's comment.
 */
class AppendCommandRecord implements Command<Void> {

	private final CommandRecord record;
	private final String tenantId;
	private final Date removalTime;

	AppendCommandRecord(CommandRecord record, String tenantId, Date removalTime) {
		this.record = record;
		this.tenantId = tenantId;
		this.removalTime = removalTime;
	}

	@Override
	public Void execute(CommandContext commandContext) {
		CommentEntity comment = new CommentEntity();
		comment.setType(CommentEntity.TYPE_COMMENT);
		comment.setAction(Event.ACTION_ADD_COMMENT);
		comment.setTime(Date.from(record.endedAt()));
		comment.setProcessInstanceId(record.processInstanceId());
		comment.setRootProcessInstanceId(record.rootProcessInstanceId());
		comment.setTenantId(tenantId);
		comment.setRemovalTime(removalTime);
		comment.setMessage(record.headline());
		comment.setFullMessage(record.toJson());
		commandContext.getCommentManager().insert(comment);
		return null;
	}
}
