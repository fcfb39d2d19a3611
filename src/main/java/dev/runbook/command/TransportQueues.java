package dev.runbook.command;

import java.util.List;

/** Get-Queue on one server. */
public record TransportQueues(ServerName server, List<Queue> queues) {

	public TransportQueues {
		queues = List.copyOf(queues);
	}

	public record Queue(String identity, String deliveryType, String status, int messageCount, String nextHopDomain) {

		/** Poison messages and shadow copies stay behind by design; every maintenance script ignores them. */
		public boolean countsForDrain() {
			return !"ShadowRedundancy".equals(deliveryType) && !"Poison Message".equals(nextHopDomain);
		}
	}

	/** Messages that still have to leave the server before it can go into maintenance. */
	public int messagesToDrain() {
		return queues.stream().filter(Queue::countsForDrain).mapToInt(Queue::messageCount).sum();
	}
}
