package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.ActivateDatabaseCopy;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabases;
import dev.runbook.command.MailboxDatabases.MailboxDatabase;
import dev.runbook.command.ServerName;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;

/**
 * The end of a rollout, whether it completed or was aborted: every server verified, the active databases moved back
 * onto their activation-preference-1 copies (what RedistributeActiveDatabases.ps1 -BalanceDbsByActivationPreference
 * does), and a summary. Rebalancing moves a database only while it is away from its preferred copy, so it can run
 * twice; a move Exchange refuses is reported, not retried.
 *
 * <p>Variables: {@code verificationReport}, {@code serversNotVerified}; {@code rebalanceReport},
 * {@code databasesAwayFromPreference}; {@code summary}.
 */
@Component
public class CompletionSteps implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"verify-rollout", CompletionSteps::verifyAll,
				"rebalance-databases", CompletionSteps::rebalance,
				"summarise-rollout", CompletionSteps::summarise);
	}

	/** The servers the run was about: the restriction if one was given, else every server discovered. */
	private static List<ServerName> scope(StepContext step, Inventory inventory) {
		List<ServerName> restriction = ServerList.parse(step.text("servers"));
		return inventory.all().stream().filter(s -> restriction.isEmpty() || restriction.contains(s)).toList();
	}

	private static void verifyAll(StepContext step) {
		Inventory inventory = Inventory.read(step);
		ExchangeBuild target = step.build("targetBuild");
		List<String> lines = new ArrayList<>();
		List<ServerName> notVerified = new ArrayList<>();
		for (ServerName server : scope(step, inventory)) {
			List<String> problems = ServerVerification.problems(step, server, inventory.isMember(server), target);
			if (problems.isEmpty()) {
				lines.add("- " + server + ": " + target + ", in service");
			} else {
				notVerified.add(server);
				lines.add("- " + server + ": " + String.join("; ", problems));
			}
		}
		step.set("serversNotVerified", ServerList.format(notVerified));
		step.set("verificationReport", RolloutText.fit(String.join("\n", lines)));
	}

	private static List<MailboxDatabase> databases(StepContext step, Inventory inventory) {
		return inventory.runOnAnyMember(step, GetMailboxDatabases::new, null).inAvailabilityGroup(inventory.dag());
	}

	private static void rebalance(StepContext step) {
		Inventory inventory = Inventory.read(step);
		List<String> lines = new ArrayList<>();
		for (MailboxDatabase db : databases(step, inventory)) {
			if (!db.awayFromPreferredServer()) {
				continue;
			}
			try {
				step.run(new ActivateDatabaseCopy(db.preferredServer(), db.name()));
				lines.add("- " + db.name() + " moved from " + db.server() + " to " + db.preferredServer());
			} catch (CommandFailedException e) {
				if (e.isTransient()) {
					throw e;
				}
				lines.add("- " + db.name() + " stays on " + db.server() + ": " + e.getMessage());
			}
		}
		List<String> away = databases(step, inventory).stream().filter(MailboxDatabase::awayFromPreferredServer)
				.map(db -> db.name().value()).toList();
		step.set("databasesAwayFromPreference", String.join(",", away));
		lines.add(away.isEmpty() ? "- Every database is mounted on its activation-preference-1 copy."
				: "- Not on their activation-preference-1 copy: " + String.join(", ", away) + ".");
		step.set("rebalanceReport", RolloutText.fit(String.join("\n", lines)));
	}

	private static void summarise(StepContext step) {
		List<ServerName> planned = ServerList.parse(step.text("plannedServers"));
		List<ServerName> upgraded = ServerList.parse(step.text("serversUpgraded"));
		List<ServerName> skipped = ServerList.parse(step.text("serversSkipped"));
		List<ServerName> notStarted = planned.stream().filter(s -> !upgraded.contains(s) && !skipped.contains(s)).toList();
		boolean aborted = "true".equals(step.text("abortRequested"));
		StringBuilder text = new StringBuilder();
		text.append("**").append(step.text("dag")).append(" to ").append(step.text("targetBuild")).append(": ")
				.append(aborted ? "aborted" : "completed").append(", ").append(upgraded.size()).append(" of ")
				.append(planned.size()).append(" servers upgraded.**\n\n");
		text.append("- Upgraded: ").append(ServerList.readable(upgraded)).append('\n');
		text.append("- Skipped by an operator: ").append(ServerList.readable(skipped)).append('\n');
		text.append("- Not started: ").append(ServerList.readable(notStarted)).append('\n');
		text.append("- Already at the target, left out: ").append(ServerList.readable(ServerList.parse(step.text("serversAtTarget")))).append('\n');
		if (aborted) {
			text.append("- Abort requested by ").append(step.text("abortRequestedBy"))
					.append(step.text("abortReason") == null ? "" : ": " + step.text("abortReason")).append('\n');
		}
		List<ServerName> notVerified = ServerList.parse(step.text("serversNotVerified"));
		text.append("- Verification: ").append(notVerified.isEmpty() ? "every server at the target and in service"
				: "not in service or not at the target: " + ServerList.readable(notVerified)).append('\n');
		String away = step.text("databasesAwayFromPreference");
		text.append("- Databases: ").append(away == null || away.isBlank() ? "every one on its activation-preference-1 copy"
				: "not on their preference-1 copy: " + away.replace(",", ", ")).append('\n');
		step.set("summary", RolloutText.fit(text.toString()));
	}
}
