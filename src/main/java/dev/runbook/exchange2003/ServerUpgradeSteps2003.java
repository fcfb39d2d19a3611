package dev.runbook.exchange2003;

import java.util.Map;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetHotfix;
import dev.runbook.command.ExchangeCommand.GetServicePackStatus;
import dev.runbook.command.ExchangeCommand.InstallHotfix;
import dev.runbook.command.ExchangeCommand.StartServicePackInstaller;
import dev.runbook.command.HotfixId;
import dev.runbook.command.ServicePackStatus;
import dev.runbook.command.SetupStatus;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;

/**
 * Hotfix 831464 and the Exchange 2003 service pack on the instance's {@code server}, a passive node or a front-end
 * server. The hotfix is installed only when missing, and the installer is never started twice: not while it runs, and
 * not once the binaries are at {@code targetBuild}.
 *
 * <p>Variables: {@code hotfixInstalled}; {@code servicePackState}, {@code servicePackFinished}, {@code servicePackErrors}.
 */
@Component
public class ServerUpgradeSteps2003 implements StepFamily {

	/** The installer failed, or ended at another build: an operator decides. */
	public static final String SERVICE_PACK_FAILED = "ServicePackFailed";

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"read-hotfix", ServerUpgradeSteps2003::readHotfix,
				"install-hotfix", ServerUpgradeSteps2003::installHotfix,
				"start-service-pack", ServerUpgradeSteps2003::startServicePack,
				"read-service-pack-status", ServerUpgradeSteps2003::readServicePackStatus);
	}

	private static boolean readHotfix(StepContext step) {
		boolean installed = step.run(new GetHotfix(step.server(), HotfixId.KB831464)).installed();
		step.set("hotfixInstalled", installed);
		return installed;
	}

	private static void installHotfix(StepContext step) {
		if (!readHotfix(step)) {
			step.run(new InstallHotfix(step.server(), HotfixId.KB831464, step.path("hotfixPath")));
		}
	}

	private static void startServicePack(StepContext step) {
		step.remove("servicePackErrors");
		ServicePackStatus status = step.run(new GetServicePackStatus(step.server()));
		if (status.state() == SetupStatus.State.Running || status.build().equals(step.build("targetBuild"))) {
			return;
		}
		step.run(new StartServicePackInstaller(step.server(), step.path("installerPath"), step.path("unattendFile")));
	}

	private static void readServicePackStatus(StepContext step) {
		ServicePackStatus status = step.run(new GetServicePackStatus(step.server()));
		ExchangeBuild target = step.build("targetBuild");
		step.set("servicePackState", status.state().name());
		boolean atTarget = status.build().equals(target);
		if (status.state() == SetupStatus.State.Failed) {
			throw failed(step, status.errors().isEmpty() ? "update.exe failed and logged no error line." : String.join("\n", status.errors()));
		}
		if (status.state() == SetupStatus.State.Succeeded && !atTarget) {
			throw failed(step, "update.exe ended, but the Exchange binaries on " + step.server() + " are at " + status.build()
					+ ", not " + target + ": is " + step.text("installerPath") + " the service pack for " + target + "?");
		}
		step.set("servicePackFinished", atTarget && status.state() != SetupStatus.State.Running);
	}

	private static BpmnError failed(StepContext step, String errors) {
		step.set("servicePackErrors", errors);
		return new BpmnError(SERVICE_PACK_FAILED, errors);
	}
}
