package dev.runbook.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.runbook.command.ApplicationLogErrors;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.HotfixId;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupStatus;

/**
 * One simulated Windows Server 2003 machine with Exchange 2003 binaries: a cluster node or a front-end server.
 * Mutated only by {@link Exchange2003Lab} and {@link ExchangeCluster2003}.
 */
final class Server2003 {

	final ServerName name;
	final boolean frontEnd;
	/** The build of the Exchange binaries installed on this machine. */
	ExchangeBuild build;
	final Set<HotfixId> hotfixes = new LinkedHashSet<>();
	/** Hotfixes installed since the last restart: they take effect when the server restarts. */
	final Set<HotfixId> hotfixesAwaitingRestart = new LinkedHashSet<>();
	final List<String> rebootReasons = new ArrayList<>();
	boolean up = true;

	SetupStatus.State installer = SetupStatus.State.NotStarted;
	final List<String> installerErrors = new ArrayList<>();

	final List<ApplicationLogErrors.Entry> applicationLogErrors = new ArrayList<>();

	Server2003(ServerName name, boolean frontEnd, ExchangeBuild build) {
		this.name = name;
		this.frontEnd = frontEnd;
		this.build = build;
	}

	boolean installerRunning() {
		return installer == SetupStatus.State.Running;
	}

	/** Installed and in effect: the server has restarted since. */
	boolean hasHotfix(HotfixId hotfix) {
		return hotfixes.contains(hotfix) && !hotfixesAwaitingRestart.contains(hotfix);
	}
}
