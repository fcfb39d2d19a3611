package dev.runbook.command;

import java.util.List;

/** Get-ServerComponentState: the effective state of each component and who asked for what. */
public record ComponentStates(ServerName server, List<Status> components) {

	public ComponentStates {
		components = List.copyOf(components);
	}

	public record Status(Component component, ComponentState state, List<Request> requests) {
		public Status {
			requests = List.copyOf(requests);
		}
	}

	/** One requester's entry in LocalStates/RemoteStates. */
	public record Request(Requester requester, ComponentState state) {
	}

	public ComponentState stateOf(Component component) {
		return components.stream().filter(s -> s.component() == component).map(Status::state).findFirst()
				.orElseThrow(() -> new IllegalStateException(server + " reports no component " + component));
	}

	/** Maintenance mode as Microsoft's procedure verifies it: everything Inactive but Monitoring and RecoveryActionsEnabled. */
	public List<Component> activeOtherThanMonitoring() {
		return components.stream().filter(s -> s.state() != ComponentState.Inactive)
				.map(Status::component).filter(c -> !c.survivesServerWideOffline()).toList();
	}

	/** Back in service: everything Active except the components that are Inactive on every on-premises server. */
	public List<Component> notActive() {
		return components.stream().filter(s -> s.state() != ComponentState.Active)
				.map(Status::component).filter(c -> !c.inactiveByDefault()).toList();
	}
}
