package dev.runbook.lab;

import static dev.runbook.lab.TestLab.CAS01;
import static dev.runbook.lab.TestLab.EX01;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ComponentStates;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.Requester;

class LabComponentStatesTest {

	private final TestLab t = new TestLab();

	private ComponentStates states() {
		return t.run(new GetServerComponentState(EX01));
	}

	private void set(Component component, ComponentState state, Requester requester) {
		t.run(new SetServerComponentState(EX01, component, state, requester));
	}

	private static Map<Requester, ComponentState> requests(ComponentStates states, Component component) {
		return states.components().stream().filter(s -> s.component() == component).findFirst().orElseThrow().requests()
				.stream().collect(Collectors.toMap(ComponentStates.Request::requester, ComponentStates.Request::state));
	}

	@Test
	void aHealthyServerHasEveryComponentActiveButTheOnlineOnlyOnes() {
		ComponentStates states = states();

		assertThat(states.components()).hasSize(Component.values().length);
		assertThat(states.notActive()).isEmpty();
		assertThat(states.stateOf(Component.ForwardSyncDaemon)).isEqualTo(ComponentState.Inactive);
		assertThat(states.stateOf(Component.ProvisioningRps)).isEqualTo(ComponentState.Inactive);
		assertThat(t.run(new GetServerComponentState(CAS01)).notActive()).isEmpty();
	}

	@Test
	void serverWideOfflineInactiveTakesEveryComponentButMonitoringAndRecoveryActions() {
		set(Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance);

		ComponentStates states = states();
		assertThat(states.activeOtherThanMonitoring()).isEmpty();
		assertThat(states.stateOf(Component.Monitoring)).isEqualTo(ComponentState.Active);
		assertThat(states.stateOf(Component.RecoveryActionsEnabled)).isEqualTo(ComponentState.Active);
		assertThat(states.stateOf(Component.HubTransport)).isEqualTo(ComponentState.Inactive);
		assertThat(states.stateOf(Component.OwaProxy)).isEqualTo(ComponentState.Inactive);
		assertThat(t.view(EX01).components()).containsEntry("HubTransport", "Inactive").containsEntry("Monitoring", "Active");
	}

	@Test
	void theRequesterListShowsWhoAskedForWhat() {
		set(Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance);

		ComponentStates states = states();
		assertThat(requests(states, Component.ServerWideOffline))
				.containsEntry(Requester.Maintenance, ComponentState.Inactive)
				.containsEntry(Requester.Functional, ComponentState.Active);
		// HubTransport is Inactive because of ServerWideOffline; its own entries still say what was asked of it.
		assertThat(requests(states, Component.HubTransport)).containsOnly(Map.entry(Requester.Functional, ComponentState.Active));
	}

	@Test
	void aComponentStaysInactiveWhileAnyRequesterHoldsIt() {
		set(Component.HubTransport, ComponentState.Inactive, Requester.Maintenance);
		set(Component.HubTransport, ComponentState.Inactive, Requester.HealthApi);

		set(Component.HubTransport, ComponentState.Active, Requester.Maintenance);
		assertThat(states().stateOf(Component.HubTransport)).isEqualTo(ComponentState.Inactive);
		assertThat(requests(states(), Component.HubTransport)).containsEntry(Requester.HealthApi, ComponentState.Inactive);

		set(Component.HubTransport, ComponentState.Active, Requester.HealthApi);
		assertThat(states().stateOf(Component.HubTransport)).isEqualTo(ComponentState.Active);
	}

	@Test
	void settingServerWideOfflineActiveAgainBringsEveryComponentBack() {
		set(Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance);
		set(Component.ServerWideOffline, ComponentState.Active, Requester.Maintenance);

		assertThat(states().notActive()).isEmpty();
	}

	@Test
	void aComponentLeftInactiveByAnotherRequesterSurvivesTheEndOfMaintenance() {
		set(Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance);
		set(Component.ServerWideOffline, ComponentState.Inactive, Requester.Functional);
		set(Component.ServerWideOffline, ComponentState.Active, Requester.Maintenance);

		assertThat(states().notActive()).contains(Component.ServerWideOffline, Component.HubTransport);

		set(Component.ServerWideOffline, ComponentState.Active, Requester.Functional);
		assertThat(states().notActive()).isEmpty();
	}

	@Test
	void drainingShowsAsDraining() {
		set(Component.HubTransport, ComponentState.Draining, Requester.Maintenance);

		assertThat(states().stateOf(Component.HubTransport)).isEqualTo(ComponentState.Draining);
		assertThat(states().activeOtherThanMonitoring()).contains(Component.HubTransport);
	}
}
