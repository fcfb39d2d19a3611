package dev.runbook.command;

import java.util.List;

/**
 * The TCP ports the pre-flight tests between Exchange servers, a small set that proves the paths an upgrade relies on
 * (the seed's practice is to leave every port open between Exchange nodes). Not tested: 3268 (global catalog), which
 * runs between Exchange and domain controllers, not between Exchange servers; 808, used by mailbox moves, which an
 * upgrade does not need; UDP 3343 (cluster heartbeats), which Test-NetConnection cannot test.
 */
public enum ExchangePort {
	/** RPC endpoint mapper: Active Manager, the replication service and cluster administration find each other here. */
	RpcEndpointMapper(135),
	/** SMB: the cluster and Exchange setup reach member shares; the file share witness lives on one. */
	Smb(445),
	/** Failover cluster service: a node joins the cluster here (its heartbeats use UDP 3343). */
	ClusterService(3343),
	/** Log copying and seeding between DAG members: the DAG's ReplicationPort, 64327 unless changed. */
	DagReplication(DatabaseAvailabilityGroup.DEFAULT_REPLICATION_PORT),
	/** Client Access proxies every HTTP protocol (OWA, ECP, EWS, ActiveSync) to the Mailbox back-end site on 444. */
	MailboxBackEnd(444);

	private final int number;

	ExchangePort(int number) {
		this.number = number;
	}

	public int number() {
		return number;
	}

	/** From each DAG member to each other member. */
	public static List<ExchangePort> betweenDagMembers() {
		return List.of(RpcEndpointMapper, Smb, ClusterService, DagReplication);
	}

	/** From each Client Access server to each Mailbox server. */
	public static List<ExchangePort> clientAccessToMailbox() {
		return List.of(RpcEndpointMapper, MailboxBackEnd);
	}
}
