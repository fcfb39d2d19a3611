package dev.runbook.lab;

import java.util.List;

import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.ClusterResourceStatus;
import dev.runbook.command.ClusterResourceType;

/** A resource of a virtual server's cluster group, and the resources it needs online before it can come online. */
final class ClusterResource2003 {

	final ClusterObjectName name;
	final ClusterResourceType type;
	final List<ClusterResource2003> dependsOn;
	ClusterResourceStatus state = ClusterResourceStatus.Online;

	ClusterResource2003(String name, ClusterResourceType type, List<ClusterResource2003> dependsOn) {
		this.name = ClusterObjectName.of(name);
		this.type = type;
		this.dependsOn = List.copyOf(dependsOn);
	}

	boolean online() {
		return state == ClusterResourceStatus.Online;
	}
}
