package dev.runbook.rollout;

/** The pre-flight's checks, in the order the process runs them and the report shows them. */
public enum PreflightCheck {
	DISCOVERY("Discovery"),
	BUILDS("Servers and builds"),
	MAINTENANCE("Servers already in maintenance"),
	PENDING_REBOOTS("Pending reboots"),
	COPY_HEALTH("Database copy status"),
	REDUNDANCY("Database copies while one member is down"),
	QUORUM("Quorum while one member is down"),
	SETUP_PATH("Setup media"),
	ACTIVE_DIRECTORY("Active Directory preparation"),
	IPV6("IPv6 on DAG members"),
	ANTIVIRUS("Antivirus exclusions"),
	PORTS("Ports between Exchange servers");

	private final String title;

	PreflightCheck(String title) {
		this.title = title;
	}

	public String title() {
		return title;
	}
}
