package dev.runbook.rollout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabases;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.process.LoadBalancer;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;

/**
 * Turns the pre-flight's findings into the {@link RolloutPlan}. Reads only (the databases, for the rebalance line).
 *
 * <p>Variables: {@code plannedServers} (the order), {@code serversTotal}, {@code plan} and {@code planCommands}
 * (Markdown for the approval form), {@code adPreparationServer}; the progress counters start at zero.
 */
@Component
public class PlanSteps implements StepFamily {

	private final RunbookProperties properties;

	public PlanSteps(RunbookProperties properties) {
		this.properties = properties;
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of("build-plan", this::buildPlan);
	}

	public static RolloutPlan plan(StepContext step, RunbookProperties properties) {
		Inventory inventory = Inventory.read(step);
		MailboxDatabases databases = inventory.runOnAnyMember(step, GetMailboxDatabases::new, null);
		return new RolloutPlan(inventory, ServerStateChecks.serversToUpgrade(step),
				ServerList.parse(step.text("serversAtTarget")), step.build("targetBuild"), step.path("setupPath"),
				LoadBalancer.parse(step.text("loadBalancer")), RolloutOrder.parse(step.text("order")),
				new HashSet<>(ServerList.parse(step.text("rebootsPending"))), ActiveDirectorySteps.modes(step),
				databases.inAvailabilityGroup(inventory.dag()), properties);
	}

	private void buildPlan(StepContext step) {
		RolloutPlan plan = plan(step, properties);
		List<dev.runbook.command.ServerName> servers = plan.servers();
		step.set("plannedServers", ServerList.format(servers));
		step.set("serversTotal", servers.size());
		step.set("plan", plan.overview());
		step.set("planCommands", plan.commands());
		step.set("adPreparationServer", servers.isEmpty() ? null : plan.adPreparationServer().value());
		step.set("serversDone", 0);
		step.set("serversUpgraded", "");
		step.set("serversSkipped", "");
	}
}
