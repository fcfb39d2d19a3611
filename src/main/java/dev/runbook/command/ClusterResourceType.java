package dev.runbook.command;

import java.util.Arrays;

/**
 * The resource types of an Exchange 2003 virtual server's cluster group, as {@code cluster res /prop} names them, in
 * the order their dependencies let them come online: each Exchange resource depends, directly or not, on the System
 * Attendant, which depends on the Network Name and the disks.
 */
public enum ClusterResourceType {
	IpAddress("IP Address", false),
	NetworkName("Network Name", false),
	PhysicalDisk("Physical Disk", false),
	SystemAttendant("Microsoft Exchange System Attendant", true),
	InformationStore("Microsoft Exchange Information Store", true),
	MessageTransferAgent("Microsoft Exchange Message Transfer Agent", true),
	Routing("Microsoft Exchange Routing Service", true),
	Smtp("SMTP Server Instance", true),
	Http("Microsoft Exchange HTTP Server Instance", true),
	Imap4("Microsoft Exchange IMAP4 Server Instance", true),
	Pop3("Microsoft Exchange POP3 Server Instance", true);

	private final String displayName;
	private final boolean exchange;

	ClusterResourceType(String displayName, boolean exchange) {
		this.displayName = displayName;
		this.exchange = exchange;
	}

	/** The type as the cluster names it. */
	public String displayName() {
		return displayName;
	}

	/** An Exchange resource: taken offline with the System Attendant and brought back one by one. */
	public boolean exchange() {
		return exchange;
	}

	public static ClusterResourceType fromDisplayName(String name) {
		return Arrays.stream(values()).filter(t -> t.displayName.equalsIgnoreCase(name)).findFirst()
				.orElseThrow(() -> new InvalidInputException("Unknown cluster resource type '" + name + "'."));
	}
}
