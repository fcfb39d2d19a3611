package dev.runbook.rollout;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.runbook.security.GroupAccessFilter;

/**
 * {@code POST /api/rollouts/{businessKey}/abort} (body {@code {"reason": "…"}}, optional) and
 * {@code POST /api/rollouts/{businessKey}/fail-current-server}, behind HTTP Basic and the rollout-control groups.
 */
@RestController
@RequestMapping(path = "/api/rollouts", produces = MediaType.APPLICATION_JSON_VALUE)
public class RolloutControlController {

	/** The abort's body. */
	public record AbortRequest(String reason) {
	}

	private final RolloutControl control;

	public RolloutControlController(RolloutControl control) {
		this.control = control;
	}

	@PostMapping("/{businessKey}/abort")
	public ResponseEntity<?> abort(@PathVariable String businessKey, @RequestBody(required = false) AbortRequest body,
			@RequestAttribute(GroupAccessFilter.USER) String user) {
		return answer(() -> control.abort(businessKey, body == null ? null : body.reason(), user));
	}

	@PostMapping("/{businessKey}/fail-current-server")
	public ResponseEntity<?> failCurrentServer(@PathVariable String businessKey,
			@RequestAttribute(GroupAccessFilter.USER) String user) {
		return answer(() -> control.failCurrentServer(businessKey, user));
	}

	private static ResponseEntity<?> answer(java.util.function.Supplier<RolloutControl.Outcome> action) {
		try {
			return ResponseEntity.ok(action.get());
		} catch (RolloutControl.Refused e) {
			return refusal(HttpStatus.BAD_REQUEST, e);
		} catch (RolloutControl.NotRunning e) {
			return refusal(HttpStatus.NOT_FOUND, e);
		} catch (RolloutControl.NotNow e) {
			return refusal(HttpStatus.CONFLICT, e);
		}
	}

	private static ResponseEntity<Map<String, String>> refusal(HttpStatus status, RuntimeException e) {
		return ResponseEntity.status(status).body(Map.of("message", e.getMessage()));
	}
}
