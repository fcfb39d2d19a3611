package dev.runbook.winrm.script;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** What a script run left behind: its standard output and error, and the exit code of powershell.exe. */
public record ScriptOutput(String stdout, String stderr, int exitCode) {

	public ScriptOutput {
		stdout = stdout == null ? "" : stdout;
		stderr = stderr == null ? "" : stderr;
	}

	/** The JSON behind the result sentinel, if the script got that far. */
	public Optional<String> resultJson() {
		return decoded(Script.RESULT_SENTINEL);
	}

	/** The message of the error the script caught, if any. */
	public Optional<String> errorMessage() {
		return decoded(Script.ERROR_SENTINEL);
	}

	private Optional<String> decoded(String sentinel) {
		for (String line : stdout.split("\\R")) {
			String trimmed = line.strip();
			if (trimmed.startsWith(sentinel)) {
				try {
					return Optional.of(new String(Base64.getDecoder().decode(trimmed.substring(sentinel.length())),
							StandardCharsets.UTF_8));
				} catch (IllegalArgumentException e) {
					return Optional.empty();
				}
			}
		}
		return Optional.empty();
	}
}
