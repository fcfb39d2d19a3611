package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class ComponentStatesTest {

	private static final ServerName EX01 = ServerName.of("EX01");

	private static ComponentStates states(Function<Component, ComponentState> state) {
		return new ComponentStates(EX01, Arrays.stream(Component.values())
				.map(c -> new ComponentStates.Status(c, state.apply(c), List.of())).toList());
	}

	@Test
	void aServerInMaintenanceHasOnlyMonitoringAndRecoveryActionsActive() {
		ComponentStates maintenance = states(c -> c.survivesServerWideOffline() ? ComponentState.Active : ComponentState.Inactive);

		assertThat(maintenance.activeOtherThanMonitoring()).isEmpty();
		assertThat(maintenance.notActive()).contains(Component.HubTransport, Component.ServerWideOffline)
				.doesNotContain(Component.ForwardSyncDaemon, Component.ProvisioningRps);
	}

	@Test
	void aDrainingComponentKeepsTheServerOutOfMaintenance() {
		ComponentStates draining = states(c -> c == Component.HubTransport ? ComponentState.Draining
				: c.survivesServerWideOffline() ? ComponentState.Active : ComponentState.Inactive);

		assertThat(draining.activeOtherThanMonitoring()).containsExactly(Component.HubTransport);
	}

	@Test
	void aHealthyServerHasEverythingActiveButTheOnlineOnlyComponents() {
		ComponentStates healthy = states(c -> c.inactiveByDefault() ? ComponentState.Inactive : ComponentState.Active);

		assertThat(healthy.notActive()).isEmpty();
		assertThat(healthy.stateOf(Component.ForwardSyncDaemon)).isEqualTo(ComponentState.Inactive);
		assertThat(healthy.activeOtherThanMonitoring()).contains(Component.HubTransport, Component.ServerWideOffline);
	}

	@Test
	void saysWhichComponentIsMissing() {
		ComponentStates none = new ComponentStates(EX01, List.of());

		assertThatThrownBy(() -> none.stateOf(Component.HubTransport)).hasMessageContaining("EX01 reports no component HubTransport");
	}

	@Test
	void onlyMonitoringAndRecoveryActionsSurviveServerWideOffline() {
		assertThat(Arrays.stream(Component.values()).filter(Component::survivesServerWideOffline))
				.containsExactlyInAnyOrder(Component.Monitoring, Component.RecoveryActionsEnabled);
	}
}
