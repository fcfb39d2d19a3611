package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TransportQueuesTest {

	private static final ServerName EX01 = ServerName.of("EX01");

	@Test
	void countsEveryQueueButPoisonAndShadowTowardsTheDrain() {
		TransportQueues queues = new TransportQueues(EX01, List.of(
				new TransportQueues.Queue("EX01\\Submission", "Undefined", "Ready", 2, "Submission"),
				new TransportQueues.Queue("EX01\\1", "SmtpDeliveryToMailbox", "Ready", 5, "mailbox database 0311"),
				new TransportQueues.Queue("EX01\\Unreachable", "Unreachable", "Ready", 7, "Unreachable Domain"),
				new TransportQueues.Queue("EX01\\Shadow\\3", "ShadowRedundancy", "Ready", 11, "ex02.contoso.local"),
				new TransportQueues.Queue("EX01\\Poison", "Undefined", "Ready", 13, "Poison Message")));

		assertThat(queues.messagesToDrain()).isEqualTo(2 + 5 + 7);
		assertThat(queues.queues()).filteredOn(TransportQueues.Queue::countsForDrain)
				.extracting(TransportQueues.Queue::identity)
				.containsExactly("EX01\\Submission", "EX01\\1", "EX01\\Unreachable");
	}

	@Test
	void anEmptyServerHasNothingToDrain() {
		assertThat(new TransportQueues(EX01, List.of()).messagesToDrain()).isZero();
	}
}
