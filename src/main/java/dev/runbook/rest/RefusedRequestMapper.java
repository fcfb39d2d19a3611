package dev.runbook.rest;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * A request the runbook refuses (a bad server name, an unknown server, a target build that is not newer) is the
 * caller's mistake, so the answer is 400 with the refusal's own message. Camunda's REST layer wraps every exception a
 * start listener throws into a 500 "Cannot instantiate process definition"; this mapper, preferred over Camunda's own
 * for {@link RestException}, unwraps a {@link BadUserRequestException} and leaves every other error as it was.
 */
@Provider
@Priority(1)
public class RefusedRequestMapper extends RestExceptionHandler {

	@Override
	public Response toResponse(RestException exception) {
		if (exception.getCause() instanceof BadUserRequestException refusal) {
			return ExceptionHandlerHelper.getInstance().getResponse(refusal);
		}
		return super.toResponse(exception);
	}
}
