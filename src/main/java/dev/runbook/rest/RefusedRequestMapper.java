package dev.runbook.rest;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * A request the runbook refuses (a bad server name, an unknown server, a target build that is not newer, a task
 * completed without its required confirmation) is the caller's mistake, so the answer is 400 with the refusal's own
 * message. Camunda's REST layer wraps what a start or task listener throws into a 500 ("Cannot instantiate process
 * definition", "Cannot complete task", the engine's own listener wrapper in between); this mapper, preferred over
 * Camunda's own for {@link RestException}, finds a {@link BadUserRequestException} in the causes and leaves every
 * other error as it was.
 */
@Provider
@Priority(1)
public class RefusedRequestMapper extends RestExceptionHandler {

	@Override
	public Response toResponse(RestException exception) {
		for (Throwable cause = exception.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			if (cause instanceof BadUserRequestException refusal) {
				return ExceptionHandlerHelper.getInstance().getResponse(refusal);
			}
		}
		return super.toResponse(exception);
	}
}
