package dev.runbook.lab;

import static dev.runbook.lab.TestLab.CAS01;
import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static dev.runbook.lab.TestLab.EX03;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.TransportQueues;
import dev.runbook.command.WindowsService;

class LabTransportTest {

	private static final Duration POLL = Duration.ofSeconds(30);
	private static final Duration LIMIT = Duration.ofMinutes(30);

	private final TestLab t = new TestLab();

	private void drain(ServerName server) {
		t.run(new SetServerComponentState(server, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		t.run(new RestartService(server, WindowsService.MSExchangeTransport));
	}

	@Test
	void mailKeepsArrivingAtServersThatAreNotDraining() {
		Set<Integer> seen = new HashSet<>();
		for (int minute = 0; minute < 30; minute++) {
			int queued = t.toDrain(EX02);
			assertThat(queued).as("minute %d", minute).isPositive();
			seen.add(queued);
			t.advance(Duration.ofMinutes(1));
		}
		assertThat(seen).as("the queue changes as mail comes and goes").hasSizeGreaterThan(3);
	}

	@Test
	void hubTransportDrainingTakesEffectOnlyWhenTheTransportServiceRestarts() {
		t.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));

		assertThat(t.timeToDrain(EX01, POLL, LIMIT)).as("still accepting mail without a restart").isNull();

		t.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		assertThat(t.timeToDrain(EX01, POLL, LIMIT)).isNotNull();
	}

	@Test
	void restartingAnotherServiceDoesNotPutTheDrainInEffect() {
		t.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		t.run(new RestartService(EX01, WindowsService.MSExchangeFrontEndTransport));

		assertThat(t.timeToDrain(EX01, POLL, LIMIT)).isNull();
	}

	@Test
	void aDrainingServerDrainsInMinutesAndFasterAfterRedirectMessage() {
		TestLab plain = new TestLab();
		plain.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		plain.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		drain(EX01);
		t.run(new RedirectMessage(EX01, EX02));

		Duration withoutRedirect = plain.timeToDrain(EX01, Duration.ofSeconds(15), LIMIT);
		Duration withRedirect = t.timeToDrain(EX01, Duration.ofSeconds(15), LIMIT);

		assertThat(withoutRedirect).isBetween(Duration.ofMinutes(1), Duration.ofMinutes(10));
		assertThat(withRedirect).isPositive().isLessThan(withoutRedirect);
	}

	/** Two labs at the same simulated times differ only by the redirect, so the difference is what was redirected. */
	@Test
	void redirectedMessagesArriveAtTheTargetAndAreDeliveredThere() {
		TestLab plain = new TestLab();
		plain.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		plain.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		drain(EX01);
		int before = t.toDrain(EX01);
		t.run(new RedirectMessage(EX01, EX02));

		t.advanceSeconds(30);
		plain.advanceSeconds(30);
		int left = t.toDrain(EX01);
		int arrived = t.toDrain(EX02) - plain.toDrain(EX02);
		assertThat(arrived).as("messages that left EX01 for EX02 and wait there").isPositive().isLessThanOrEqualTo(before - left);

		t.advance(Duration.ofMinutes(10));
		plain.advance(Duration.ofMinutes(10));
		assertThat(t.toDrain(EX02)).as("delivered by EX02 since").isEqualTo(plain.toDrain(EX02));
	}

	@Test
	void aRedirectToAServerThatStoppedAcceptingMailMovesNothing() {
		TestLab plain = new TestLab();
		plain.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		plain.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		plain.run(new SetServerComponentState(EX02, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		plain.run(new RestartService(EX02, WindowsService.MSExchangeTransport));
		drain(EX01);
		t.run(new RedirectMessage(EX01, EX02));
		drain(EX02);

		assertThat(t.timeToDrain(EX01, Duration.ofSeconds(15), LIMIT))
				.isEqualTo(plain.timeToDrain(EX01, Duration.ofSeconds(15), LIMIT));
		assertThat(t.toDrain(EX02)).as("nothing was pushed into EX02 after it stopped accepting").isEqualTo(plain.toDrain(EX02));
	}

	@Test
	void queuesNeverShowANegativeCount() {
		// Servers whose names hash to negative numbers once made the Submission queue show -1.
		Topology negative = new Topology("Fabrikam", "fabrikam.local", "15.0.1473.3", null,
				List.of(new Topology.Dag("DAG01", null, List.of("MAILBOX01", "MAILBOX02"),
						List.of(new Topology.Database("DB01", List.of("MAILBOX01", "MAILBOX02"))))),
				null, null);
		TestLab lab = new TestLab(negative);
		for (int minute = 0; minute < 10; minute++) {
			for (String server : List.of("MAILBOX01", "MAILBOX02")) {
				assertThat(lab.run(new GetQueue(ServerName.of(server))).queues())
						.allSatisfy(q -> assertThat(q.messageCount()).as(q.identity()).isNotNegative());
			}
			lab.advance(Duration.ofMinutes(1));
		}
	}

	@Test
	void poisonAndShadowQueuesStayButDoNotCountTowardsTheDrain() {
		drain(EX01);
		assertThat(t.timeToDrain(EX01, POLL, LIMIT)).isNotNull();
		t.advance(Duration.ofHours(1));

		TransportQueues queues = t.run(new GetQueue(EX01));
		assertThat(queues.messagesToDrain()).isZero();
		assertThat(queues.queues()).filteredOn(q -> q.identity().equals("EX01\\Poison"))
				.singleElement().satisfies(q -> {
					assertThat(q.messageCount()).isPositive();
					assertThat(q.nextHopDomain()).isEqualTo("Poison Message");
				});
		assertThat(queues.queues()).filteredOn(q -> q.deliveryType().equals("ShadowRedundancy"))
				.singleElement().satisfies(q -> {
					assertThat(q.identity()).startsWith("EX01\\Shadow\\");
					assertThat(q.messageCount()).isPositive();
				});
	}

	@Test
	void getQueueShowsTheQueuesAsExchangeNamesThem() {
		TransportQueues queues = t.run(new GetQueue(EX01));

		assertThat(queues.server()).isEqualTo(EX01);
		assertThat(queues.queues()).extracting(TransportQueues.Queue::identity)
				.contains("EX01\\Submission", "EX01\\Poison")
				.allSatisfy(identity -> assertThat(identity).startsWith("EX01\\"));
		assertThat(queues.queues()).filteredOn(q -> q.identity().equals("EX01\\Submission"))
				.singleElement().satisfies(q -> {
					assertThat(q.deliveryType()).isEqualTo("Undefined");
					assertThat(q.nextHopDomain()).isEqualTo("Submission");
				});
		assertThat(queues.queues()).allSatisfy(q -> assertThat(q.messageCount()).isNotNegative());
	}

	@Test
	void aServerAcceptsMailAgainOnceHubTransportIsActiveAndTransportRestarted() {
		drain(EX01);
		assertThat(t.timeToDrain(EX01, POLL, LIMIT)).isNotNull();

		t.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Active, Requester.Maintenance));
		t.advance(Duration.ofMinutes(5));
		assertThat(t.toDrain(EX01)).as("not before the restart").isZero();

		t.run(new RestartService(EX01, WindowsService.MSExchangeTransport));
		t.advance(Duration.ofMinutes(1));
		assertThat(t.toDrain(EX01)).isPositive();
	}

	@Test
	void redirectMessageRefusesATargetThatCannotTakeTheMessages() {
		drain(EX02);

		assertThatThrownBy(() -> t.run(new RedirectMessage(EX01, EX01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("must be another server");
		assertThatThrownBy(() -> t.run(new RedirectMessage(EX01, CAS01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("CAS01 is not a Mailbox server");
		assertThatThrownBy(() -> t.run(new RedirectMessage(EX01, ServerName.of("EX09"))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("EX09 is not a Mailbox server");
		assertThatThrownBy(() -> t.run(new RedirectMessage(EX01, EX02))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("EX02 is not accepting messages")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
		t.run(new RedirectMessage(EX01, EX03));
	}
}
