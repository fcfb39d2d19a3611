package dev.runbook.command;

import java.util.List;

/**
 * Where the Exchange 2003 service-pack installer stands on a server: the build of the installed Exchange binaries
 * (the Setup key's build in the registry), whether update.exe still runs, and the errors in the root of the system
 * drive's {@code Exchange Server Setup Progress.log}.
 */
public record ServicePackStatus(ServerName server, ExchangeBuild build, SetupStatus.State state, List<String> errors) {

	public ServicePackStatus {
		errors = List.copyOf(errors);
	}
}
