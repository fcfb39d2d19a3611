package dev.runbook.process;

import java.util.ArrayList;
import java.util.List;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.ResumeClusterNode;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.StartSetup;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.PowerShell;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.WindowsPath;
import dev.runbook.command.WindowsService;

/**
 * The seed runbook's state-changing steps for one mailbox server (seeds/000: "mailbox server升级步骤" and
 * "升级后恢复服务步骤"), as the lab journals them. The expectation the process tests hold the journal to.
 */
public final class SeedSteps {

	private SeedSteps() {
	}

	/** Steps 1-7: into maintenance. */
	public static List<String> maintenance(ServerName server, ServerName redirectTarget) {
		return maintenanceCommands(server, redirectTarget).stream().map(PowerShell::render).toList();
	}

	public static List<ExchangeCommand<?>> maintenanceCommands(ServerName server, ServerName redirectTarget) {
		return List.of(
				new SetServerComponentState(server, Component.HubTransport, ComponentState.Draining, Requester.Maintenance),
				new RestartService(server, WindowsService.MSExchangeTransport),
				new RedirectMessage(server, fqdn(redirectTarget)),
				new SuspendClusterNode(server),
				new SetDatabaseCopyActivationDisabledAndMoveNow(server, true),
				new SetDatabaseCopyAutoActivationPolicy(server, AutoActivationPolicy.Blocked),
				new SetServerComponentState(server, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance));
	}

	/**
	 * Redirect-Message's target by FQDN, as Microsoft documents -Target (the seed writes {@code <ServerName2>}), in the
	 * bundled organisation's domain.
	 */
	static ServerName fqdn(ServerName server) {
		return server.value().contains(".") ? server : ServerName.of(server.value() + ".contoso.local");
	}

	/** Step 8: the cumulative update. */
	public static String setup(ServerName server, String setupPath) {
		return PowerShell.render(new StartSetup(server, WindowsPath.of(setupPath), SetupMode.Upgrade, LicenseSwitch.Classic));
	}

	public static String restart(ServerName server) {
		return PowerShell.render(new RestartComputer(server));
	}

	/** The six restore steps. */
	public static List<String> restore(ServerName server) {
		return lines(
				new SetServerComponentState(server, Component.ServerWideOffline, ComponentState.Active, Requester.Maintenance),
				new ResumeClusterNode(server),
				new SetDatabaseCopyActivationDisabledAndMoveNow(server, false),
				new SetDatabaseCopyAutoActivationPolicy(server, AutoActivationPolicy.Unrestricted),
				new SetServerComponentState(server, Component.HubTransport, ComponentState.Active, Requester.Maintenance),
				new RestartService(server, WindowsService.MSExchangeTransport));
	}

	/** A whole upgrade: maintenance, setup, the restart setup asks for, restore. */
	public static List<String> upgrade(ServerName server, ServerName redirectTarget, String setupPath) {
		List<String> all = new ArrayList<>(maintenance(server, redirectTarget));
		all.add(setup(server, setupPath));
		all.add(restart(server));
		all.addAll(restore(server));
		return List.copyOf(all);
	}

	private static List<String> lines(ExchangeCommand<?>... commands) {
		return java.util.Arrays.stream(commands).map(PowerShell::render).toList();
	}
}
