package dev.runbook.audit;

import java.time.Instant;
import java.util.Optional;

import org.camunda.bpm.engine.task.Comment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One command a process ran: which server, the command line as sent, when, and what came of it. Kept in the process
 * instance's history as a comment whose full message is this record's JSON.
 *
 * @param sequence orders records that carry the same millisecond; it restarts with the application
 * @param jobId the job that ran the step, which an incident names; null when a step ran without one
 * @param message the failure's message; null on success
 * @param result a small structured summary of what the command answered; null on failure
 */
public record CommandRecord(long sequence, String processInstanceId, String rootProcessInstanceId, String activityId,
		String activityInstanceId, String jobId, String server, String commandLine, String program,
		boolean changesState, Instant startedAt, Instant endedAt, Outcome outcome, String message, JsonNode result) {

	/** Marks a comment as a command record, beside the comments people write. */
	static final String KIND = "exchange-command";
	private static final String KIND_FIELD = "record";

	public CommandRecord {
		// JSON null reads back as a NullNode; keep "no result" one thing
		result = result == null || result.isNull() ? null : result;
	}

	public enum Outcome {
		Succeeded, Failed
	}

	public boolean succeeded() {
		return outcome == Outcome.Succeeded;
	}

	String toJson() {
		ObjectNode node = AuditJson.mapper().createObjectNode().put(KIND_FIELD, KIND);
		node.setAll((ObjectNode) AuditJson.mapper().valueToTree(this));
		try {
			return AuditJson.mapper().writeValueAsString(node);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("Cannot write the record of " + program + " on " + server, e);
		}
	}

	/** The short text of the comment, for views that show only that. */
	String headline() {
		String text = server + ": " + program + " " + outcome;
		// The engine keeps comment headlines to 163 characters, as its own comments are
		return text.length() <= 163 ? text : text.substring(0, 160) + "...";
	}

	/**
	 * The record a comment holds, if it is one. Only the engine writes them: a comment that a person added carries
	 * their user id or a task, and is never read as a record, whatever its text.
	 */
	static Optional<CommandRecord> from(Comment comment) {
		if (comment.getUserId() != null || comment.getTaskId() != null || comment.getFullMessage() == null) {
			return Optional.empty();
		}
		try {
			JsonNode node = AuditJson.mapper().readTree(comment.getFullMessage());
			if (!(node instanceof ObjectNode object) || !KIND.equals(object.path(KIND_FIELD).asText())) {
				return Optional.empty();
			}
			object.remove(KIND_FIELD);
			return Optional.of(AuditJson.mapper().treeToValue(object, CommandRecord.class));
		} catch (JsonProcessingException e) {
			return Optional.empty();
		}
	}
}
