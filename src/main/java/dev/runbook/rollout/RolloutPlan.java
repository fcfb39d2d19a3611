package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.runbook.RunbookProperties;
import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.ActivateDatabaseCopy;
import dev.runbook.command.ExchangeCommand.InvokeHealthCheck;
import dev.runbook.command.ExchangeCommand.MoveActiveMailboxDatabase;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.ResumeClusterNode;
import dev.runbook.command.ExchangeCommand.ResumeNlbClusterNode;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.ExchangeCommand.StartNlbClusterNode;
import dev.runbook.command.ExchangeCommand.StartSetup;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.ExchangeCommand.SuspendNlbClusterNode;
import dev.runbook.command.HealthCheckPage;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.MailboxDatabases.MailboxDatabase;
import dev.runbook.command.PowerShell;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.WindowsPath;
import dev.runbook.command.WindowsService;
import dev.runbook.process.HealthPageSteps;
import dev.runbook.process.LoadBalancer;
import dev.runbook.process.NlbSteps;

/**
 * The change plan an approver signs: the servers in the order they will be upgraded, one at a time, and what will run
 * on each, rendered by {@link PowerShell} from the same command records the steps run. The commands on a DAG member
 * follow mailbox-server-upgrade (the seed's maintenance steps, setup, restart, the seed's restore steps); those on a
 * Client Access server follow cas-server-upgrade. A rehearsal test holds the plan to what the lab's journal shows.
 */
public final class RolloutPlan {

	/** One thing that will happen on a server: a command, or something an operator does by hand. */
	public record Action(ExchangeCommand<?> command, String byHand, String when) {

		static Action always(ExchangeCommand<?> command) {
			return new Action(command, null, null);
		}

		static Action when(ExchangeCommand<?> command, String when) {
			return new Action(command, null, when);
		}

		static Action byHand(String what) {
			return new Action(null, what, null);
		}

		/** A command that changes the server and runs whatever happens on the way. */
		public boolean certainChange() {
			return command != null && command.changesState() && when == null;
		}

		String markdown() {
			String text = command != null ? "`" + PowerShell.render(command) + "`" : "By hand: " + byHand;
			return when == null ? text : text + " (" + when + ")";
		}
	}

	private final Inventory inventory;
	private final List<ServerName> ordered;
	private final List<ServerName> atTarget;
	private final ExchangeBuild target;
	private final WindowsPath setupPath;
	private final LicenseSwitch license;
	private final LoadBalancer loadBalancer;
	private final RolloutOrder order;
	private final Set<ServerName> rebootsPending;
	private final List<SetupMode> adPreparation;
	private final List<MailboxDatabase> databases;
	private final RunbookProperties properties;

	public RolloutPlan(Inventory inventory, List<ServerName> toUpgrade, List<ServerName> atTarget, ExchangeBuild target,
			WindowsPath setupPath, LoadBalancer loadBalancer, RolloutOrder order, Set<ServerName> rebootsPending,
			List<SetupMode> adPreparation, List<MailboxDatabase> databases, RunbookProperties properties) {
		this.inventory = inventory;
		this.ordered = order(inventory, toUpgrade, order);
		this.atTarget = List.copyOf(atTarget);
		this.target = target;
		this.setupPath = setupPath;
		this.license = LicenseSwitch.forTarget(target, properties.setup().diagnosticData());
		this.loadBalancer = loadBalancer;
		this.order = order;
		this.rebootsPending = Set.copyOf(rebootsPending);
		this.adPreparation = List.copyOf(adPreparation);
		this.databases = List.copyOf(databases);
		this.properties = properties;
	}

	/** DAG members in the DAG's order and Client Access servers in discovery order, the role asked for first. */
	static List<ServerName> order(Inventory inventory, List<ServerName> toUpgrade, RolloutOrder order) {
		List<ServerName> members = toUpgrade.stream().filter(inventory::isMember).toList();
		List<ServerName> clientAccess = toUpgrade.stream().filter(s -> !inventory.isMember(s)).toList();
		List<ServerName> ordered = new ArrayList<>(order == RolloutOrder.CAS_FIRST ? clientAccess : members);
		ordered.addAll(order == RolloutOrder.CAS_FIRST ? members : clientAccess);
		return List.copyOf(ordered);
	}

	public List<ServerName> servers() {
		return ordered;
	}

	/** Where Active Directory preparation runs: the first server, whose access to the media pre-flight tested. */
	public ServerName adPreparationServer() {
		return ordered.get(0);
	}

	public List<Action> activeDirectory() {
		return adPreparation.stream().map(mode -> Action.always(new StartSetup(adPreparationServer(), setupPath, mode,
				license))).toList();
	}

	public List<Action> actions(ServerName server) {
		return inventory.isMember(server) ? dagMember(server) : clientAccess(server);
	}

	private List<Action> dagMember(ServerName s) {
		List<Action> actions = new ArrayList<>();
		actions.add(Action.always(state(s, Component.HubTransport, ComponentState.Draining)));
		actions.add(Action.always(new RestartService(s, WindowsService.MSExchangeTransport)));
		actions.add(Action.always(new RedirectMessage(s, redirectTarget(s))));
		actions.add(Action.always(new SuspendClusterNode(s)));
		actions.add(Action.always(new SetDatabaseCopyActivationDisabledAndMoveNow(s, true)));
		actions.add(Action.when(new MoveActiveMailboxDatabase(s), "only for active copies MoveNow left behind"));
		actions.add(Action.always(new SetDatabaseCopyAutoActivationPolicy(s, AutoActivationPolicy.Blocked)));
		actions.add(Action.always(state(s, Component.ServerWideOffline, ComponentState.Inactive)));
		setupAndRestart(s, actions);
		actions.add(Action.always(state(s, Component.ServerWideOffline, ComponentState.Active)));
		actions.add(Action.always(new ResumeClusterNode(s)));
		actions.add(Action.always(new SetDatabaseCopyActivationDisabledAndMoveNow(s, false)));
		actions.add(Action.always(new SetDatabaseCopyAutoActivationPolicy(s, AutoActivationPolicy.Unrestricted)));
		actions.add(Action.always(state(s, Component.HubTransport, ComponentState.Active)));
		actions.add(Action.always(new RestartService(s, WindowsService.MSExchangeTransport)));
		return actions;
	}

	private List<Action> clientAccess(ServerName s) {
		List<Action> actions = new ArrayList<>();
		String pool = inventory.nlbCluster(s).map(c -> "NLB cluster " + c).orElse("its load-balanced pool");
		if (loadBalancer == LoadBalancer.WINDOWS_NLB) {
			actions.add(Action.always(NlbSteps.drainStop(s, properties)));
			actions.add(Action.always(new SuspendNlbClusterNode(s)));
		} else {
			actions.add(Action.byHand("an operator takes " + s + " out of " + pool + " and confirms it in Tasklist"));
		}
		actions.add(Action.always(state(s, Component.ServerWideOffline, ComponentState.Inactive)));
		setupAndRestart(s, actions);
		actions.add(Action.always(state(s, Component.ServerWideOffline, ComponentState.Active)));
		if (loadBalancer == LoadBalancer.WINDOWS_NLB) {
			actions.add(Action.always(new ResumeNlbClusterNode(s)));
			actions.add(Action.always(new StartNlbClusterNode(s)));
		} else {
			actions.add(Action.byHand("an operator puts " + s + " back into " + pool + " and confirms it in Tasklist"));
		}
		for (HealthCheckPage page : HealthPageSteps.PAGES) {
			actions.add(Action.when(new InvokeHealthCheck(s, s, page), "until it answers 200"));
		}
		return actions;
	}

	private void setupAndRestart(ServerName s, List<Action> actions) {
		if (rebootsPending.contains(s)) {
			actions.add(Action.always(new RestartComputer(s)));
		}
		actions.add(Action.always(new StartSetup(s, setupPath, SetupMode.Upgrade, license)));
		actions.add(Action.always(new RestartComputer(s)));
	}

	private static SetServerComponentState state(ServerName s, Component component, ComponentState state) {
		return new SetServerComponentState(s, component, state, Requester.Maintenance);
	}

	/**
	 * Redirect-Message's target, by FQDN as the cmdlet wants it: the first other member, which is in service while this
	 * one is upgraded.
	 */
	private ServerName redirectTarget(ServerName server) {
		return inventory.fqdn(inventory.members().stream().filter(m -> !m.equals(server)).findFirst().orElse(server));
	}

	/** The order and what happens around the servers: short enough for one variable. */
	public String overview() {
		StringBuilder text = new StringBuilder();
		text.append("**Rolling upgrade of ").append(inventory.dag()).append(" to ").append(target).append(": ")
				.append(ordered.size()).append(" server").append(ordered.size() == 1 ? "" : "s")
				.append(", one at a time, ").append(order.id()).append(", load balancer ").append(loadBalancer.id())
				.append(".**\n\n#### Order\n");
		for (int i = 0; i < ordered.size(); i++) {
			ServerName s = ordered.get(i);
			text.append(i + 1).append(". ").append(s).append(": ")
					.append(inventory.isMember(s) ? "DAG member" : "Client Access"
							+ inventory.nlbCluster(s).map(c -> ", NLB cluster " + c).orElse(""))
					.append(", ").append(inventory.build(s)).append(" to ").append(target)
					.append(rebootsPending.contains(s) ? "; restarted first (a reboot is pending)" : "").append('\n');
		}
		text.append("\nAlready at ").append(target).append(", left out: ").append(ServerList.readable(atTarget))
				.append(".\n\n#### Before the first server\n");
		if (adPreparation.isEmpty() || ordered.isEmpty()) {
			text.append("- Active Directory is already prepared for ").append(target).append(".\n");
		} else {
			activeDirectory().forEach(a -> text.append("- ").append(a.markdown()).append('\n'));
			text.append("- Then wait for Active Directory replication, and read the levels again.\n");
		}
		text.append("\n#### After the last server\n")
				.append("- Verify every server: build ").append(target)
				.append(", every component Active; on DAG members the cluster node Up and the copies healthy.\n")
				.append("- Mount each database on its activation-preference-1 copy where it is not, as ")
				.append("RedistributeActiveDatabases.ps1 -BalanceDbsByActivationPreference does");
		databases.stream().findFirst().ifPresent(db -> text.append(", for ").append(db.name()).append(": `")
				.append(PowerShell.render(new ActivateDatabaseCopy(db.preferredServer(), db.name()))).append('`'));
		text.append(".\n");
		return RolloutText.fit(text.toString());
	}

	/** Every command, per role, shown for the role's first server: each server runs the same with its own name. */
	public String commands() {
		StringBuilder text = new StringBuilder();
		ordered.stream().filter(inventory::isMember).findFirst().ifPresent(first -> {
			text.append("#### On each DAG member (shown for ").append(first).append(")\n");
			number(actions(first), text);
			text.append("\nRedirect-Message goes to the first other member whose transport is Active (").append(redirectTarget(first))
					.append(" for ").append(first).append("). Restart-Computer runs before setup too where a reboot is pending.\n\n");
		});
		ordered.stream().filter(s -> !inventory.isMember(s)).findFirst().ifPresent(first -> {
			text.append("#### On each Client Access server (shown for ").append(first).append(")\n");
			number(actions(first), text);
		});
		return RolloutText.fit(text.toString());
	}

	private static void number(List<Action> actions, StringBuilder text) {
		for (int i = 0; i < actions.size(); i++) {
			text.append(i + 1).append(". ").append(actions.get(i).markdown()).append('\n');
		}
	}
}
