package dev.runbook.security;

import org.camunda.bpm.engine.AuthorizationException;

/**
 * The user who asked for a change tried to approve it. An authorization failure, so that REST and the webapps answer
 * 403 Forbidden with this message.
 */
public class FourEyesViolation extends AuthorizationException {

	private static final long serialVersionUID = 1L;

	public FourEyesViolation(String message) {
		super(message);
	}
}
