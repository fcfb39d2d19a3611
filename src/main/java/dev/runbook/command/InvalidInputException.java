package dev.runbook.command;

/** A value that must never reach a command line: refused before anything runs. */
public class InvalidInputException extends IllegalArgumentException {

	public InvalidInputException(String message) {
		super(message);
	}
}
