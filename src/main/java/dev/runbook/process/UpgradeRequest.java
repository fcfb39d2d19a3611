package dev.runbook.process;

import static dev.runbook.process.MaintenanceRequest.parse;
import static dev.runbook.process.MaintenanceRequest.refuse;
import static dev.runbook.process.MaintenanceRequest.text;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.WindowsPath;

/**
 * Refuses an upgrade before anything runs: the server as for maintenance, {@code setupPath} an absolute path to
 * Setup.exe, {@code targetBuild} a newer build of the installed version (a CU cannot change 2013 into 2016).
 * Stores the three variables in their canonical form.
 */
@Component("upgradeRequest")
public class UpgradeRequest implements ExecutionListener {

	private final MaintenanceRequest maintenance;

	public UpgradeRequest(MaintenanceRequest maintenance) {
		this.maintenance = maintenance;
	}

	@Override
	public void notify(DelegateExecution execution) {
		ExchangeServerInfo server = maintenance.dagMember(execution);
		WindowsPath setupPath = setupPath(execution);
		ExchangeBuild target = parse(() -> ExchangeBuild.parse(text(execution, "targetBuild")));
		ExchangeBuild installed = server.build();
		refuseOtherVersion(target, server);
		if (!target.isNewerThan(installed)) {
			throw refuse("Target build " + target + " is not newer than the build installed on " + server.name() + " ("
					+ installed + ").");
		}
		execution.setVariable("server", server.name().value());
		execution.setVariable("setupPath", setupPath.value());
		execution.setVariable("targetBuild", target.toString());
	}

	/** {@code setupPath}: an absolute path that names Setup.exe. */
	public static WindowsPath setupPath(DelegateExecution execution) {
		WindowsPath setupPath = parse(() -> WindowsPath.of(text(execution, "setupPath")));
		if (!setupPath.fileName().equalsIgnoreCase("Setup.exe")) {
			throw refuse("Setup path '" + setupPath + "' must name Setup.exe.");
		}
		return setupPath;
	}

	/** A cumulative update stays within the installed version: 15.0 stays Exchange 2013. */
	public static void refuseOtherVersion(ExchangeBuild target, ExchangeServerInfo server) {
		ExchangeBuild installed = server.build();
		if (!target.sameVersionAs(installed)) {
			throw refuse("Target build " + target + " is not a build of the version installed on " + server.name()
					+ " (" + installed + "): a cumulative update stays within " + installed.major() + "."
					+ installed.minor() + ".");
		}
	}
}
