package dev.runbook.command;

import java.util.List;

/** Test-ServiceHealth: for each server role, whether the services it requires run. */
public record ServiceHealth(ServerName server, List<RoleHealth> roles) {

	public record RoleHealth(String role, boolean requiredServicesRunning, List<String> servicesNotRunning) {
		public RoleHealth {
			servicesNotRunning = List.copyOf(servicesNotRunning);
		}
	}

	public ServiceHealth {
		roles = List.copyOf(roles);
	}

	public boolean allRunning() {
		return roles.stream().allMatch(RoleHealth::requiredServicesRunning);
	}
}
