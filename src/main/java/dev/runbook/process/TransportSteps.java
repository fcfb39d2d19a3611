package dev.runbook.process;

import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ComponentStates;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeDirectory;
import dev.runbook.command.ExchangeServerInfo;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsService;

/**
 * The transport service: restarting it (so that a HubTransport state takes effect), handing queued mail to another
 * DAG member, and counting what still has to leave. Restarting and redirecting twice is harmless; counting reads.
 *
 * <p>Variables: {@code redirectTarget}; {@code messagesToDrain} and {@code queuesDrained} (the drain loop);
 * {@code messagesLeftInQueues} when an operator chose to continue with mail still queued.
 */
@Component
public class TransportSteps implements StepFamily {

	/** The operator's answer to "Queues did not drain" that accepts queued mail. */
	static final String CONTINUE_ANYWAY = "continue";

	private final ExchangeDirectory directory;

	public TransportSteps(ExchangeDirectory directory) {
		this.directory = directory;
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"restart-transport", step -> step.run(new RestartService(step.server(), WindowsService.MSExchangeTransport)),
				"redirect-messages", this::redirect,
				"count-queued-messages", TransportSteps::count,
				"verify-queues-drained", TransportSteps::verifyDrained);
	}

	private void redirect(StepContext step) {
		ServerName server = step.server();
		ServerName target = healthyDagMember(step, server).orElseThrow(() -> new IllegalStateException(
				"Redirect-Message: no other member of " + server + "'s DAG has HubTransport and ServerWideOffline Active."));
		// Redirect-Message's -Target is documented as the target's FQDN; Get-ExchangeServer gives it.
		ServerName fqdn = directory.findServer(target).map(ExchangeServerInfo::fqdn).filter(f -> !f.isBlank())
				.map(ServerName::of).orElse(target);
		step.run(new RedirectMessage(server, fqdn));
		step.set("redirectTarget", fqdn.value());
	}

	/** The first other DAG member, in the directory's order, whose transport and server are Active. */
	private Optional<ServerName> healthyDagMember(StepContext step, ServerName server) {
		String dag = directory.dagOf(server).orElseThrow(() -> new IllegalStateException(
				"Redirect-Message: " + server + " is not a member of a DAG."));
		for (ServerName candidate : directory.dagMembers(dag)) {
			if (candidate.equals(server)) {
				continue;
			}
			try {
				ComponentStates states = step.run(new GetServerComponentState(candidate));
				if (states.stateOf(dev.runbook.command.Component.HubTransport) == ComponentState.Active
						&& states.stateOf(dev.runbook.command.Component.ServerWideOffline) == ComponentState.Active) {
					return Optional.of(candidate);
				}
			} catch (CommandFailedException unreachable) {
				// A member that does not answer is no target; the next one may be.
			}
		}
		return Optional.empty();
	}

	private static int messagesToDrain(StepContext step) {
		return step.run(new GetQueue(step.server())).messagesToDrain();
	}

	private static void count(StepContext step) {
		int messages = messagesToDrain(step);
		step.set("messagesToDrain", messages);
		step.set("queuesDrained", messages == 0);
	}

	/** Drained, unless an operator decided to go on with mail queued: then the count is recorded and the check passes. */
	private static void verifyDrained(StepContext step) {
		int messages = messagesToDrain(step);
		step.set("messagesToDrain", messages);
		if (messages == 0) {
			return;
		}
		if (CONTINUE_ANYWAY.equals(step.text("drainDecision"))) {
			step.set("messagesLeftInQueues", messages);
			return;
		}
		throw step.verificationFailed("Get-Queue: " + messages + " messages are still queued on " + step.server()
				+ " (Poison and Shadow queues not counted).");
	}
}
