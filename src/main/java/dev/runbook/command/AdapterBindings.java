package dev.runbook.command;

import java.util.List;

/** Get-NetAdapterBinding -ComponentID ms_tcpip6: whether IPv6 is bound to each network adapter of a server. */
public record AdapterBindings(ServerName server, List<Binding> bindings) {

	public static final String IPV6 = "ms_tcpip6";

	public record Binding(String adapterName, String componentId, boolean enabled) {
	}

	public AdapterBindings {
		bindings = List.copyOf(bindings);
	}

	/**
	 * Adapters with IPv6 unbound. Microsoft supports Exchange with IPv6 unbound from an adapter but not disabled in
	 * the registry; the runbook's seed found the cluster heartbeat between DAG members running over IPv6.
	 */
	public List<String> withoutIpv6() {
		return bindings.stream().filter(b -> IPV6.equals(b.componentId()) && !b.enabled()).map(Binding::adapterName)
				.toList();
	}
}
