package dev.runbook.process;

import java.util.List;
import java.util.Map;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.Requester;

/**
 * Server component states. Setting a state is idempotent by nature: the Maintenance requester's entry is replaced,
 * so a step that runs twice leaves the same state. The verifications read Get-ServerComponentState.
 */
// Spelled out: Exchange's Component would shadow Spring's annotation.
@org.springframework.stereotype.Component
public class ComponentSteps implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"drain-hub-transport", step -> set(step, Component.HubTransport, ComponentState.Draining),
				"activate-hub-transport", step -> set(step, Component.HubTransport, ComponentState.Active),
				"take-server-offline", step -> set(step, Component.ServerWideOffline, ComponentState.Inactive),
				"bring-server-online", step -> set(step, Component.ServerWideOffline, ComponentState.Active),
				"verify-components-in-maintenance", ComponentSteps::verifyInMaintenance,
				"verify-components-active", ComponentSteps::verifyActive);
	}

	private static void set(StepContext step, Component component, ComponentState state) {
		step.run(new SetServerComponentState(step.server(), component, state, Requester.Maintenance));
	}

	/** Microsoft's check: everything Inactive except Monitoring and RecoveryActionsEnabled. */
	private static void verifyInMaintenance(StepContext step) {
		List<Component> active = step.run(new GetServerComponentState(step.server())).activeOtherThanMonitoring();
		if (!active.isEmpty()) {
			throw step.verificationFailed("Get-ServerComponentState: components still active on " + step.server()
					+ ": " + names(active) + ".");
		}
	}

	private static void verifyActive(StepContext step) {
		List<Component> notActive = step.run(new GetServerComponentState(step.server())).notActive();
		if (!notActive.isEmpty()) {
			throw step.verificationFailed("Get-ServerComponentState: components not Active on " + step.server()
					+ ": " + names(notActive) + ".");
		}
	}

	private static String names(List<Component> components) {
		return String.join(", ", components.stream().map(Enum::name).toList());
	}
}
