package dev.runbook.audit;

import java.util.List;
import java.util.regex.Pattern;

import dev.runbook.command.CommandLine;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.PowerShell;

/**
 * The command line as the audit trail keeps it: rendered by {@link PowerShell}, exactly as sent, except that the value
 * of any parameter named like a secret is masked. No command in the catalogue takes a secret today (credentials belong
 * to the session, not the command); this keeps it that way in history should one ever be added.
 */
final class RecordedCommandLine {

	static final String MASK = "********";
	private static final Pattern SECRET = Pattern.compile("(?i).*(password|passwd|credential|secret|token|securestring).*");

	private RecordedCommandLine() {
	}

	static String of(ExchangeCommand<?> command) {
		return of(command.commandLine());
	}

	static String of(CommandLine line) {
		List<CommandLine.Invocation> masked = line.invocations().stream()
				.map(invocation -> new CommandLine.Invocation(invocation.program(), invocation.parameters().stream()
						.map(RecordedCommandLine::masked).toList()))
				.toList();
		return PowerShell.render(new CommandLine(masked));
	}

	private static CommandLine.Parameter masked(CommandLine.Parameter p) {
		if (p.nativeArgument() || p.value() == null || !SECRET.matcher(p.name()).matches()) {
			return p;
		}
		return new CommandLine.Parameter(p.name(), MASK, p.colon(), false);
	}
}
