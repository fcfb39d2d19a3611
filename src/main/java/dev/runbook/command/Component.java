package dev.runbook.command;

/** Exchange 2013 server components, as Get-ServerComponentState names them. */
public enum Component {
	ServerWideOffline, HubTransport, FrontendTransport, Monitoring, RecoveryActionsEnabled, AutoDiscoverProxy,
	ActiveSyncProxy, EcpProxy, EwsProxy, ImapProxy, OabProxy, OwaProxy, PopProxy, PushNotificationsProxy, RpsProxy,
	RwsProxy, RpcProxy, UMCallRouter, XropProxy, HttpProxyAvailabilityGroup, ForwardSyncDaemon, ProvisioningRps,
	MapiProxy, EdgeTransport, HighAvailability, SharedCache;

	/** Components that stay Active while ServerWideOffline is Inactive, so that managed availability keeps watching. */
	public boolean survivesServerWideOffline() {
		return this == Monitoring || this == RecoveryActionsEnabled;
	}

	/** Inactive on a healthy on-premises server: they serve Exchange Online only. */
	public boolean inactiveByDefault() {
		return this == ForwardSyncDaemon || this == ProvisioningRps;
	}
}
