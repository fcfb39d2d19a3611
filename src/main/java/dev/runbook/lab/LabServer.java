package dev.runbook.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ComponentStates;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.NlbNodeState;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupStatus;

/** One simulated Exchange server: the state its cmdlets show. Mutated only by {@link LabOrganisation}. */
final class LabServer {

	final ServerName name;
	final Set<String> roles;
	final String dag;
	final String nlbCluster;
	final String fqdn;
	ExchangeBuild build;

	final Map<Component, EnumMap<Requester, ComponentState>> requests = new EnumMap<>(Component.class);

	// Transport: a HubTransport state other than Active takes effect when the transport service restarts.
	boolean drainInEffect;
	ServerName redirectedTo;
	double deliveryMessages;
	double submissionMessages;
	/** Messages another server's Redirect-Message handed over, still to be delivered here. */
	double redirectedIn;
	int stuckMessages;
	int shadowMessages = 3;
	int poisonMessages = 1;

	// Failover cluster
	boolean paused;
	boolean clusterServiceDown;

	AutoActivationPolicy autoActivationPolicy = AutoActivationPolicy.Unrestricted;
	boolean activationDisabledAndMoveNow;

	boolean pendingReboot;
	final List<String> rebootReasons = new ArrayList<>();
	boolean up = true;
	Instant downSince;
	/** Did not come back from its last restart (no-return-after-reboot): down until powered on. */
	boolean hung;

	SetupStatus.State setupState = SetupStatus.State.NotStarted;
	/** Counts setup runs, so that the end of an interrupted run cannot end a later one. */
	long setupRun;
	Integer setupExitCode;
	boolean setupWatermark;
	boolean setupSuccessLine;
	final List<String> setupErrors = new ArrayList<>();

	/** Get-NlbClusterNode's state; null where the server is in no NLB cluster. */
	NlbNodeState nlbState;
	/** Counts NLB state changes, so that a drain overtaken by a start or suspend does not stop the node later. */
	long nlbChanges;

	// The seed's practices, as the topology's conditions set them
	boolean ipv6Disabled;
	boolean defenderAbsent;
	boolean antivirusExclusionsMissing;
	final Set<Integer> blockedPorts = new TreeSet<>();
	boolean mediaUnreachable;

	LabServer(ServerName name, Set<String> roles, String dag, String nlbCluster, String domain, ExchangeBuild build) {
		this.name = name;
		this.roles = Set.copyOf(roles);
		this.dag = dag;
		this.nlbCluster = nlbCluster;
		this.fqdn = name.shortName().toLowerCase() + "." + domain;
		this.build = build;
		this.nlbState = nlbCluster == null ? null : NlbNodeState.Converged;
		for (Component c : Component.values()) {
			EnumMap<Requester, ComponentState> byRequester = new EnumMap<>(Requester.class);
			byRequester.put(Requester.Functional, c.inactiveByDefault() ? ComponentState.Inactive : ComponentState.Active);
			requests.put(c, byRequester);
		}
	}

	boolean isDagMember() {
		return dag != null;
	}

	boolean setupRunning() {
		return setupState == SetupStatus.State.Running;
	}

	/** Exchange's services run: the server is up and setup has not stopped them. */
	boolean servicesRunning() {
		return up && !setupRunning();
	}

	ClusterNodeState clusterNodeState() {
		if (!up || clusterServiceDown) {
			return ClusterNodeState.Down;
		}
		return paused ? ClusterNodeState.Paused : ClusterNodeState.Up;
	}

	/** A component's own state: Inactive if any requester holds it Inactive, Draining if any drains it. */
	ComponentState ownState(Component component) {
		var states = requests.get(component).values();
		if (states.contains(ComponentState.Inactive)) {
			return ComponentState.Inactive;
		}
		return states.contains(ComponentState.Draining) ? ComponentState.Draining : ComponentState.Active;
	}

	/** What Get-ServerComponentState shows: ServerWideOffline Inactive takes every other component with it. */
	ComponentState effectiveState(Component component) {
		if (component != Component.ServerWideOffline && !component.survivesServerWideOffline()
				&& ownState(Component.ServerWideOffline) == ComponentState.Inactive) {
			return ComponentState.Inactive;
		}
		return ownState(component);
	}

	ComponentStates componentStates() {
		List<ComponentStates.Status> list = new ArrayList<>();
		for (Component c : Component.values()) {
			List<ComponentStates.Request> reqs = requests.get(c).entrySet().stream()
					.map(e -> new ComponentStates.Request(e.getKey(), e.getValue())).toList();
			list.add(new ComponentStates.Status(c, effectiveState(c), reqs));
		}
		return new ComponentStates(name, list);
	}

	/** Takes up to {@code count} messages out of the queues that drain, oldest first; answers how many it took. */
	double takeFromQueues(double count) {
		double left = count;
		double fromSubmission = Math.min(submissionMessages, left);
		submissionMessages -= fromSubmission;
		left -= fromSubmission;
		double fromDelivery = Math.min(deliveryMessages, left);
		deliveryMessages -= fromDelivery;
		left -= fromDelivery;
		double fromRedirected = Math.min(redirectedIn, left);
		redirectedIn -= fromRedirected;
		left -= fromRedirected;
		return count - left;
	}

	/** New mail is accepted until a drain takes effect. */
	boolean acceptsMail() {
		return servicesRunning() && !drainInEffect;
	}

	/** The TCP ports the server's services listen on, before any firewall: what Test-NetConnection can reach. */
	boolean listensOn(int port) {
		return switch (port) {
			case 25, 80, 135, 443, 445, 5985 -> true;
			case 444 -> roles.contains("Mailbox");
			case 3343, 64327 -> isDagMember();
			default -> false;
		};
	}

	/** Network adapters as Windows names them: DAG members have a client (MAPI) and a replication network. */
	List<String> adapters() {
		return isDagMember() ? List.of("MAPI", "Replication") : List.of("Ethernet");
	}

	/** Its mounted databases stay mounted: services run and the node is in the cluster, so Active Manager has quorum. */
	boolean canKeepActiveCopies() {
		return servicesRunning() && !clusterServiceDown;
	}

	/** A mailbox server the DAG may activate databases on. */
	boolean canHostActiveCopies() {
		return servicesRunning() && autoActivationPolicy != AutoActivationPolicy.Blocked
				&& !activationDisabledAndMoveNow && clusterNodeState() == ClusterNodeState.Up
				&& effectiveState(Component.HighAvailability) == ComponentState.Active;
	}
}
