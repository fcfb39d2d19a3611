package dev.runbook.process;

import java.util.Map;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.springframework.stereotype.Component;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetExchangeServer;
import dev.runbook.command.ExchangeCommand.GetFileVersion;
import dev.runbook.command.ExchangeCommand.GetSetupStatus;
import dev.runbook.command.ExchangeCommand.StartSetup;
import dev.runbook.command.ExchangeCommand.TestPath;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.WindowsPath;

/**
 * Exchange setup in upgrade mode, from the instance's {@code setupPath} to its {@code targetBuild}. Setup is never
 * started twice: not while a run is in progress, and not once the server is at the target build.
 *
 * <p>Variables: {@code setupMediaProblem} (null when the media at {@code setupPath} is the target build's, else why
 * not) and {@code setupMediaBuild}; {@code installedBuild}, {@code atTargetBuild}; {@code setupNeeded} (false when the
 * server already was at the target); {@code setupState}, {@code setupFinished} and {@code setupErrors} (the [ERROR]
 * lines).
 */
@Component
public class SetupSteps implements StepFamily {

	/** Setup ended in failure, or left the server at another build: an operator decides. */
	public static final String SETUP_FAILED = "SetupFailed";

	private final boolean diagnosticData;

	public SetupSteps(RunbookProperties properties) {
		this.diagnosticData = properties.setup().diagnosticData();
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"check-setup-media", SetupSteps::checkSetupMedia,
				"read-installed-build", SetupSteps::readInstalledBuild,
				"start-setup", this::startSetup,
				"read-setup-status", SetupSteps::readStatus,
				"verify-build-at-target", SetupSteps::verifyAtTarget);
	}

	/**
	 * Reads, before the server leaves service, whether it can reach the media and which build the media installs:
	 * wrong media would otherwise show only when setup refuses it or VerifyBuild finds the old build, with the server
	 * already in maintenance.
	 */
	private static void checkSetupMedia(StepContext step) {
		ServerName server = step.server();
		WindowsPath setupPath = step.path("setupPath");
		ExchangeBuild target = step.build("targetBuild");
		String problem = null;
		if (!step.run(new TestPath(server, setupPath)).exists()) {
			step.remove("setupMediaBuild");
			problem = setupPath + " cannot be reached from " + server
					+ " (Test-Path): copy the update there or use a share the server can read. " + server
					+ " was not touched.";
		} else {
			ExchangeBuild media = step.run(new GetFileVersion(server, setupPath)).version();
			step.set("setupMediaBuild", media.toString());
			if (!media.equals(target)) {
				problem = setupPath + " installs " + media + otherMedia(target) + " " + server + " was not touched.";
			}
		}
		step.set("setupMediaProblem", problem);
	}

	/** Follows the media's build when it is not the target: what it means and what to do. */
	public static String otherMedia(ExchangeBuild target) {
		return ", not the target build " + target + ": this is another update's media. Point setupPath at the media of "
				+ target + ".";
	}

	private static ExchangeBuild installedBuild(StepContext step) {
		ExchangeBuild installed = step.run(new GetExchangeServer(step.server())).build();
		step.set("installedBuild", installed.toString());
		step.set("atTargetBuild", installed.equals(step.build("targetBuild")));
		return installed;
	}

	private static void readInstalledBuild(StepContext step) {
		installedBuild(step);
	}

	private void startSetup(StepContext step) {
		step.remove("setupErrors");
		SetupStatus status = step.run(new GetSetupStatus(step.server()));
		if (status.state() == SetupStatus.State.Running) {
			step.set("setupNeeded", true);
			return;
		}
		ExchangeBuild target = step.build("targetBuild");
		if (installedBuild(step).equals(target)) {
			step.set("setupNeeded", false);
			return;
		}
		step.run(new StartSetup(step.server(), step.path("setupPath"), SetupMode.Upgrade,
				LicenseSwitch.forTarget(target, diagnosticData)));
		step.set("setupNeeded", true);
	}

	private static void readStatus(StepContext step) {
		SetupStatus status = step.run(new GetSetupStatus(step.server()));
		step.set("setupState", status.state().name());
		step.set("setupFinished", status.state() == SetupStatus.State.Succeeded);
		if (status.state() == SetupStatus.State.Failed) {
			String errors = status.errors().isEmpty()
					? "Setup ended with exit code " + status.exitCode() + " and logged no [ERROR] line."
					: String.join("\n", status.errors());
			throw setupFailed(step, errors);
		}
	}

	private static void verifyAtTarget(StepContext step) {
		ExchangeBuild installed = installedBuild(step);
		ExchangeBuild target = step.build("targetBuild");
		if (!installed.equals(target)) {
			throw setupFailed(step, "Get-ExchangeServer: " + step.server() + " is at build " + installed + ", not the target "
					+ target + ".");
		}
	}

	private static BpmnError setupFailed(StepContext step, String errors) {
		step.set("setupErrors", errors);
		return new BpmnError(SETUP_FAILED, errors);
	}
}
