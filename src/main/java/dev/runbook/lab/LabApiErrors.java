package dev.runbook.lab;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Bad input to the lab API answers 400 with {@code {"message": "..."}}: what was refused and why, never a stack trace.
 * Validation already words its refusals (InvalidInputException and other IllegalArgumentExceptions).
 */
@RestControllerAdvice(assignableTypes = LabController.class)
public class LabApiErrors {

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> refused(IllegalArgumentException e) {
		return badRequest(e.getMessage());
	}

	/** A topology document that is not the JSON the lab reads. */
	@ExceptionHandler(JsonProcessingException.class)
	ResponseEntity<Map<String, String>> unreadableDocument(JsonProcessingException e) {
		return badRequest("The JSON is not accepted: " + describe(e));
	}

	/** A request body Spring could not turn into the expected object, e.g. a fault order that is not JSON. */
	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadableBody(HttpMessageNotReadableException e) {
		if (e.getCause() instanceof JsonProcessingException json) {
			return unreadableDocument(json);
		}
		return badRequest("The request body is missing or not readable.");
	}

	/**
	 * Jackson's own words, without the echo of the input, and where in the document: {@code at dags[0].members}. A
	 * refusal from validation inside a constructor is shown as it was worded.
	 */
	static String describe(JsonProcessingException e) {
		for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalArgumentException refusal && refusal.getMessage() != null) {
				return refusal.getMessage();
			}
		}
		// A record's compact constructor copies its lists: a missing list or a null entry fails there.
		String message = e.getCause() instanceof NullPointerException ? "a required value is missing or null"
				: e.getOriginalMessage();
		if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			String path = mapping.getPath().stream()
					.map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
					.collect(Collectors.joining()).replaceFirst("^\\.", "");
			message += " (at " + path + ")";
		}
		return message;
	}

	private static ResponseEntity<Map<String, String>> badRequest(String message) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("message", message));
	}
}
