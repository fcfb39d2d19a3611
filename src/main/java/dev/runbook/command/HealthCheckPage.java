package dev.runbook.command;

/**
 * The managed-availability health pages a load balancer probes on a Client Access server: each answers 200 only while
 * its protocol's proxy component is Active, so ServerWideOffline Inactive takes the server out of every pool.
 */
public enum HealthCheckPage {
	Owa("/owa/healthcheck.htm", Component.OwaProxy),
	Ecp("/ecp/healthcheck.htm", Component.EcpProxy),
	Ews("/EWS/healthcheck.htm", Component.EwsProxy),
	ActiveSync("/Microsoft-Server-ActiveSync/healthcheck.htm", Component.ActiveSyncProxy),
	Autodiscover("/Autodiscover/healthcheck.htm", Component.AutoDiscoverProxy),
	Oab("/OAB/healthcheck.htm", Component.OabProxy),
	Mapi("/mapi/healthcheck.htm", Component.MapiProxy),
	Rpc("/rpc/healthcheck.htm", Component.RpcProxy);

	private final String path;
	private final Component component;

	HealthCheckPage(String path, Component component) {
		this.path = path;
		this.component = component;
	}

	public String path() {
		return path;
	}

	/** The server component whose state the page reports. */
	public Component component() {
		return component;
	}

	/** {@code https://cas01.contoso.local/owa/healthcheck.htm}: built only from a validated host name and a constant. */
	public String uri(ServerName host) {
		return "https://" + host.value().toLowerCase(java.util.Locale.ROOT) + path;
	}
}
