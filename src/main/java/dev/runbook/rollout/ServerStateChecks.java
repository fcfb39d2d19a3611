package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetNlbClusterNode;
import dev.runbook.command.ExchangeCommand.GetFileVersion;
import dev.runbook.command.ExchangeCommand.TestPath;
import dev.runbook.command.ExchangeCommand.TestPendingReboot;
import dev.runbook.command.NlbClusterNode;
import dev.runbook.command.PendingReboot;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;
import dev.runbook.process.LoadBalancer;
import dev.runbook.process.SetupSteps;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;
import dev.runbook.rollout.PreflightReport.Verdict;

/**
 * Pre-flight checks of each server: which ones need the CU, none already in maintenance, pending reboots, and the
 * setup media reachable from each and of the target build. Read-only.
 *
 * <p>Variables: {@code serversToUpgrade}, {@code serversAtTarget} (the scope, before the plan orders it);
 * {@code rebootsPending}.
 */
@Component
public class ServerStateChecks implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"check-builds", ServerStateChecks::checkBuilds,
				"check-maintenance-state", ServerStateChecks::checkMaintenance,
				"check-pending-reboots", ServerStateChecks::checkPendingReboots,
				"check-setup-path", ServerStateChecks::checkSetupPath);
	}

	/** The servers to upgrade, in discovery order: the restriction applied, those at the target left out. */
	static List<ServerName> serversToUpgrade(StepContext step) {
		return ServerList.parse(step.text("serversToUpgrade"));
	}

	private static void checkBuilds(StepContext step) {
		Inventory inventory = Inventory.read(step);
		ExchangeBuild target = step.build("targetBuild");
		List<ServerName> restriction = ServerList.parse(step.text("servers"));
		List<ServerName> toUpgrade = new ArrayList<>();
		List<ServerName> atTarget = new ArrayList<>();
		List<String> refusals = new ArrayList<>();
		for (ServerName server : inventory.all()) {
			if (!restriction.isEmpty() && !restriction.contains(server)) {
				continue;
			}
			ExchangeBuild installed = inventory.build(server);
			if (installed.equals(target)) {
				atTarget.add(server);
			} else if (!installed.sameVersionAs(target)) {
				refusals.add(server + " runs " + installed + ", another version than the target " + target + ".");
			} else if (installed.isNewerThan(target)) {
				refusals.add(server + " already runs " + installed + ", newer than the target " + target
						+ ": a cumulative update cannot be uninstalled.");
			} else {
				toUpgrade.add(server);
			}
		}
		step.set("serversToUpgrade", ServerList.format(toUpgrade));
		step.set("serversAtTarget", ServerList.format(atTarget));
		List<String> lines = new ArrayList<>(refusals);
		lines.add("To upgrade to " + target + ": " + ServerList.readable(toUpgrade) + ".");
		if (!atTarget.isEmpty()) {
			lines.add("Already at " + target + ", skipped: " + ServerList.readable(atTarget) + ".");
		}
		Verdict verdict = !refusals.isEmpty() ? Verdict.REFUSED : toUpgrade.isEmpty() ? Verdict.NOTE : Verdict.PASSED;
		PreflightReport.record(step, PreflightCheck.BUILDS, verdict, lines);
	}

	private static void checkMaintenance(StepContext step) {
		Inventory inventory = Inventory.read(step);
		boolean windowsNlb = LoadBalancer.parse(step.text("loadBalancer")) == LoadBalancer.WINDOWS_NLB;
		List<String> refusals = new ArrayList<>();
		for (ServerName server : inventory.all()) {
			List<String> reasons = new ArrayList<>(MaintenanceState.reasons(step, server, inventory.isMember(server)));
			if (windowsNlb && inventory.nlbCluster(server).isPresent() && reasons.isEmpty()) {
				NlbClusterNode node = step.run(new GetNlbClusterNode(server));
				if (!node.handlesTraffic()) {
					reasons.add("NLB node " + node.state() + " in " + node.cluster());
				}
			}
			if (!reasons.isEmpty()) {
				refusals.add(server + ": " + String.join(", ", reasons) + ".");
			}
		}
		List<String> lines = refusals.isEmpty()
				? List.of("None of " + inventory.all().size() + " servers is in maintenance: ServerWideOffline Active"
						+ " everywhere; on DAG members HubTransport Active, cluster nodes Up, activation not blocked.")
				: refusals;
		PreflightReport.record(step, PreflightCheck.MAINTENANCE, refusals.isEmpty() ? Verdict.PASSED : Verdict.REFUSED,
				lines);
	}

	private static void checkPendingReboots(StepContext step) {
		List<ServerName> pending = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		for (ServerName server : serversToUpgrade(step)) {
			PendingReboot reboot = step.run(new TestPendingReboot(server));
			if (reboot.pending()) {
				pending.add(server);
				lines.add(server + ": " + String.join(", ", reboot.reasons())
						+ ". It is restarted first, in its own maintenance, before setup.");
			}
		}
		step.set("rebootsPending", ServerList.format(pending));
		if (pending.isEmpty()) {
			lines.add("No reboot pending on the servers to upgrade.");
		}
		PreflightReport.record(step, PreflightCheck.PENDING_REBOOTS, pending.isEmpty() ? Verdict.PASSED : Verdict.NOTE,
				lines);
	}

	private static void checkSetupPath(StepContext step) {
		WindowsPath setupPath = step.path("setupPath");
		List<ServerName> unreachable = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		for (ServerName server : serversToUpgrade(step)) {
			try {
				if (!step.run(new TestPath(server, setupPath)).exists()) {
					unreachable.add(server);
				}
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				unreachable.add(server);
			}
		}
		boolean targetMedia = true;
		if (unreachable.isEmpty() && !serversToUpgrade(step).isEmpty()) {
			// The wrong CU would otherwise show only when setup refuses it, with the first server already out of service.
			ServerName first = serversToUpgrade(step).get(0);
			ExchangeBuild target = step.build("targetBuild");
			ExchangeBuild media = step.run(new GetFileVersion(first, setupPath)).version();
			targetMedia = media.equals(target);
			lines.add(setupPath + " is reachable from every server to upgrade, and its product version is " + media
					+ (targetMedia ? ", the target build." : SetupSteps.otherMedia(target)));
		} else if (unreachable.isEmpty()) {
			lines.add("No server to upgrade, so no media to check.");
		} else {
			lines.add(setupPath + " cannot be reached from " + ServerList.readable(unreachable)
					+ " (Test-Path): copy the CU there or use a share every server can read.");
		}
		PreflightReport.record(step, PreflightCheck.SETUP_PATH,
				unreachable.isEmpty() && targetMedia ? Verdict.PASSED : Verdict.REFUSED, lines);
	}
}
