package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.runbook.command.AdapterBindings;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DefenderExclusions;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabases;
import dev.runbook.command.ExchangeCommand.GetMpPreference;
import dev.runbook.command.ExchangeCommand.GetNetAdapterBinding;
import dev.runbook.command.ExchangeCommand.TestNetConnection;
import dev.runbook.command.ExchangePort;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.command.ServerName;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;
import dev.runbook.rollout.PreflightReport.Verdict;

/**
 * The seed runbook's practices, read where Windows exposes them: IPv6 bound on every DAG member (the cluster heartbeat
 * uses it), the Exchange folders and the database and log folders excluded from antivirus scanning, and the ports
 * between Exchange servers open. Findings are warnings for the approver; what cannot be read goes to the operators'
 * checklist. Read-only.
 *
 * <p>Variables: {@code checklistNotes}, what the operators must confirm by hand (Markdown lines).
 */
@Component
public class PracticeChecks implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"check-ipv6", PracticeChecks::checkIpv6,
				"check-antivirus", PracticeChecks::checkAntivirus,
				"check-ports", PracticeChecks::checkPorts);
	}

	private static void checkIpv6(StepContext step) {
		Inventory inventory = Inventory.read(step);
		List<String> warnings = new ArrayList<>();
		for (ServerName member : inventory.members()) {
			try {
				AdapterBindings bindings = step.run(new GetNetAdapterBinding(member));
				if (!bindings.withoutIpv6().isEmpty()) {
					warnings.add(member + ": IPv6 is unbound from " + String.join(", ", bindings.withoutIpv6())
							+ "; the cluster heartbeat between members uses it.");
				}
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				warnings.add(member + " does not answer Get-NetAdapterBinding.");
			}
		}
		List<String> lines = warnings.isEmpty() ? List.of("IPv6 is bound on every adapter of every DAG member.") : warnings;
		PreflightReport.record(step, PreflightCheck.IPV6, warnings.isEmpty() ? Verdict.PASSED : Verdict.WARNING, lines);
	}

	private static void checkAntivirus(StepContext step) {
		Inventory inventory = Inventory.read(step);
		MailboxDatabases databases = inventory.runOnAnyMember(step, GetMailboxDatabases::new, null);
		List<String> warnings = new ArrayList<>();
		List<String> byHand = new ArrayList<>();
		for (ServerName server : ServerStateChecks.serversToUpgrade(step)) {
			Set<String> required = new LinkedHashSet<>(List.of(DefenderExclusions.EXCHANGE_INSTALL_FOLDER));
			if (inventory.isMember(server)) {
				databases.inAvailabilityGroup(inventory.dag()).stream()
						.filter(db -> db.activationPreference().contains(server))
						.forEach(db -> required.addAll(db.folders()));
			}
			try {
				DefenderExclusions exclusions = step.run(new GetMpPreference(server));
				if (!exclusions.readable()) {
					byHand.add(server + ": " + exclusions.unreadableReason() + " Confirm that "
							+ String.join(", ", required) + " are excluded.");
				} else if (!exclusions.notExcluded(required).isEmpty()) {
					warnings.add(server + ": Windows Defender scans " + String.join(", ", exclusions.notExcluded(required)) + ".");
				}
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				byHand.add(server + " does not answer Get-MpPreference: confirm its exclusions by hand.");
			}
		}
		step.set("checklistNotes", byHand.isEmpty() ? "- Nothing beyond the boxes below: the pre-flight read every server's exclusions."
				: RolloutText.fit(byHand.stream().map(l -> "- " + l).reduce((a, b) -> a + "\n" + b).orElseThrow()));
		List<String> lines = new ArrayList<>(warnings);
		lines.addAll(byHand.stream().map(l -> "By hand (checklist): " + l).toList());
		if (lines.isEmpty()) {
			lines.add("Windows Defender excludes the Exchange folder and the database and log folders on every server to upgrade.");
		}
		Verdict verdict = !warnings.isEmpty() ? Verdict.WARNING : !byHand.isEmpty() ? Verdict.NOTE : Verdict.PASSED;
		PreflightReport.record(step, PreflightCheck.ANTIVIRUS, verdict, lines);
	}

	private static void checkPorts(StepContext step) {
		Inventory inventory = Inventory.read(step);
		List<String> warnings = new ArrayList<>();
		int tested = 0;
		for (ServerName from : inventory.all()) {
			List<ExchangePort> ports = inventory.isMember(from) ? ExchangePort.betweenDagMembers()
					: ExchangePort.clientAccessToMailbox();
			try {
				for (ServerName to : inventory.members()) {
					if (to.equals(from)) {
						continue;
					}
					List<String> closed = new ArrayList<>();
					for (ExchangePort port : ports) {
						tested++;
						if (!step.run(new TestNetConnection(from, to, port.number())).tcpTestSucceeded()) {
							closed.add(port.number() + " (" + port + ")");
						}
					}
					if (!closed.isEmpty()) {
						warnings.add(from + " → " + to + ": TCP " + String.join(", ", closed) + " closed.");
					}
				}
			} catch (CommandFailedException e) {
				if (!e.isTransient()) {
					throw e;
				}
				warnings.add(from + " does not answer Test-NetConnection.");
			}
		}
		List<String> lines = new ArrayList<>(warnings);
		lines.add(tested + " TCP connections tested between DAG members and from Client Access to Mailbox servers"
				+ (warnings.isEmpty() ? ", all open." : ".")
				+ " UDP 3343 (cluster heartbeats) cannot be tested this way: the operators confirm it.");
		PreflightReport.record(step, PreflightCheck.PORTS, warnings.isEmpty() ? Verdict.PASSED : Verdict.WARNING, lines);
	}
}
