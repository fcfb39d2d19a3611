package dev.runbook.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.ClusterResourceStatus;
import dev.runbook.command.ClusterResourceType;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ServerName;

/**
 * An Exchange virtual server (EVS): its cluster group, named after it, with the resources Exchange 2003 creates, and
 * the version the directory records for it, which only "Upgrade Exchange Virtual Server" changes.
 */
final class VirtualServer2003 {

	final ServerName name;
	final ClusterObjectName group;
	Server2003 owner;
	final List<ClusterResource2003> resources = new ArrayList<>();
	ExchangeBuild version;
	/** While "Upgrade Exchange Virtual Server" runs: when it ends, and the build it upgrades to. */
	Instant upgradeEndsAt;
	ExchangeBuild upgradingTo;

	/** Resource names as Exchange 2003 and Cluster Administrator create them; {@code disk} such as {@code S}. */
	VirtualServer2003(ServerName name, Server2003 owner, ExchangeBuild version, char disk) {
		this.name = name;
		this.group = ClusterObjectName.of(name.shortName());
		this.owner = owner;
		this.version = version;
		String evs = name.shortName();
		var ip = add(evs + " IP Address", ClusterResourceType.IpAddress);
		var networkName = add(evs + " Network Name", ClusterResourceType.NetworkName, ip);
		var diskResource = add("Disk " + disk + ":", ClusterResourceType.PhysicalDisk);
		var sa = add("Exchange System Attendant - (" + evs + ")", ClusterResourceType.SystemAttendant, networkName, diskResource);
		var store = add("Exchange Information Store Instance - (" + evs + ")", ClusterResourceType.InformationStore, sa);
		add("Exchange Message Transfer Agent Instance - (" + evs + ")", ClusterResourceType.MessageTransferAgent, sa);
		add("Exchange Routing Service Instance - (" + evs + ")", ClusterResourceType.Routing, sa);
		add("SMTP Virtual Server Instance - (" + evs + ")", ClusterResourceType.Smtp, store);
		add("Exchange HTTP Virtual Server Instance 100 - (" + evs + ")", ClusterResourceType.Http, store);
		add("Exchange IMAP4 Virtual Server Instance - (" + evs + ")", ClusterResourceType.Imap4, store);
		add("Exchange POP3 Virtual Server Instance - (" + evs + ")", ClusterResourceType.Pop3, store);
	}

	private ClusterResource2003 add(String resourceName, ClusterResourceType type, ClusterResource2003... dependsOn) {
		ClusterResource2003 r = new ClusterResource2003(resourceName, type, List.of(dependsOn));
		resources.add(r);
		return r;
	}

	boolean upgrading() {
		return upgradeEndsAt != null;
	}

	ClusterResource2003 resource(ClusterResourceType type) {
		return resources.stream().filter(r -> r.type == type).findFirst().orElseThrow();
	}

	/** Every resource that needs {@code r} online, directly or not. */
	Set<ClusterResource2003> dependentsOf(ClusterResource2003 r) {
		Set<ClusterResource2003> found = new LinkedHashSet<>();
		for (ClusterResource2003 candidate : resources) {
			if (candidate.dependsOn.contains(r) && found.add(candidate)) {
				found.addAll(dependentsOf(candidate));
			}
		}
		return found;
	}

	boolean anyExchangeResourceOnline() {
		return resources.stream().anyMatch(r -> r.type.exchange() && r.online());
	}

	ClusterResourceStatus groupState() {
		long online = resources.stream().filter(ClusterResource2003::online).count();
		if (resources.stream().anyMatch(r -> r.state == ClusterResourceStatus.Failed)) {
			return ClusterResourceStatus.Failed;
		}
		if (online == resources.size()) {
			return ClusterResourceStatus.Online;
		}
		return online == 0 ? ClusterResourceStatus.Offline : ClusterResourceStatus.PartiallyOnline;
	}
}
