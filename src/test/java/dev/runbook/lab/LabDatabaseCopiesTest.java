package dev.runbook.lab;

import static dev.runbook.lab.TestLab.CAS01;
import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static dev.runbook.lab.TestLab.EX03;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.ClusterNodeState;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.ExchangeCommand.GetClusterNode;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabaseCopyStatus;
import dev.runbook.command.ExchangeCommand.GetMailboxServer;
import dev.runbook.command.ExchangeCommand.MoveActiveMailboxDatabase;
import dev.runbook.command.ExchangeCommand.ResumeClusterNode;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.MailboxServerSettings;
import dev.runbook.command.ServerName;

class LabDatabaseCopiesTest {

	private final TestLab t = new TestLab();

	private void moveNow(ServerName server) {
		t.run(new SetDatabaseCopyActivationDisabledAndMoveNow(server, true));
	}

	private void block(ServerName server) {
		t.run(new SetDatabaseCopyAutoActivationPolicy(server, AutoActivationPolicy.Blocked));
	}

	private void assertNoOutage() {
		assertThat(t.lab.outages()).isEmpty();
		assertThat(t.lab.everyDatabaseMounted()).isTrue();
	}

	@Test
	void getMailboxDatabaseCopyStatusShowsEachCopyOnTheServer() {
		DatabaseCopies copies = t.run(new GetMailboxDatabaseCopyStatus(EX01));

		assertThat(copies.copies()).extracting(DatabaseCopies.Copy::name)
				.containsExactly("DB01\\EX01", "DB03\\EX01", "DB04\\EX01", "DB05\\EX01", "DB06\\EX01", "DB07\\EX01");
		assertThat(copies.active()).extracting(DatabaseCopies.Copy::databaseName).containsExactly("DB01", "DB05");
		assertThat(copies.active()).allSatisfy(c -> {
			assertThat(c.isMounted()).isTrue();
			assertThat(c.activationPreference()).isEqualTo(1);
			assertThat(c.copyQueueLength()).isZero();
		});
		assertThat(copies.copies()).filteredOn(c -> !c.activeCopy()).allSatisfy(c -> {
			assertThat(c.isHealthyPassive()).isTrue();
			assertThat(c.mailboxServer()).isEqualTo(EX01);
			assertThat(c.contentIndexState()).isEqualTo("Healthy");
		});
		assertThat(copies.copies()).filteredOn(c -> c.databaseName().equals("DB03")).singleElement()
				.satisfies(c -> assertThat(c.activationPreference()).isEqualTo(3));
	}

	@Test
	void moveNowMovesTheActiveCopiesAwayWithinTensOfSeconds() {
		moveNow(EX01);

		t.advanceSeconds(10);
		assertThat(t.activeOn(EX01)).as("Active Manager takes a moment").containsExactly("DB01", "DB05");
		t.advanceSeconds(50);
		assertThat(t.activeOn(EX01)).isEmpty();
		assertThat(t.mountedOn("DB01")).as("the next copy by activation preference").isEqualTo("EX02");
		assertThat(t.mountedOn("DB05")).isEqualTo("EX03");
		assertNoOutage();
	}

	@Test
	void moveNowNeverMovesToABlockedServer() {
		block(EX02);
		moveNow(EX01);
		t.advance(Duration.ofMinutes(2));

		assertThat(t.mountedOn("DB01")).isEqualTo("EX03");
		assertNoOutage();
	}

	@Test
	void moveNowNeverMovesToAPausedNode() {
		t.run(new SuspendClusterNode(EX02));
		moveNow(EX01);
		t.advance(Duration.ofMinutes(2));

		assertThat(t.mountedOn("DB01")).isEqualTo("EX03");
		assertNoOutage();
	}

	@Test
	void moveNowNeverMovesToAnotherServerThatIsMovingItsCopiesAway() {
		moveNow(EX02);
		t.advance(Duration.ofMinutes(2));
		moveNow(EX01);
		t.advance(Duration.ofMinutes(2));

		assertThat(t.mountedOn("DB01")).isEqualTo("EX03");
		assertThat(t.activeOn(EX02)).isEmpty();
		assertNoOutage();
	}

	@Test
	void moveNowLeavesADatabaseMountedWhereNoOtherCopyMayTakeIt() {
		block(EX02);
		block(EX03);
		moveNow(EX01);
		t.advance(Duration.ofMinutes(5));

		assertThat(t.activeOn(EX01)).as("DB01's other copies are on blocked servers").containsExactly("DB01");
		assertThat(t.mountedOn("DB05")).isEqualTo("EX04");
		assertNoOutage();
	}

	@Test
	void blockingActivationAloneMovesNothing() {
		block(EX01);
		t.advance(Duration.ofMinutes(5));

		assertThat(t.activeOn(EX01)).containsExactly("DB01", "DB05");
	}

	@Test
	void moveActiveMailboxDatabaseMovesTheStragglers() {
		t.lab.injectFault(EX01, LabFault.DATABASE_MOVE_FAILS, 1);
		moveNow(EX01);
		t.advance(Duration.ofMinutes(2));
		assertThat(t.activeOn(EX01)).as("the first move failed").containsExactly("DB01");

		t.run(new MoveActiveMailboxDatabase(EX01));

		assertThat(t.activeOn(EX01)).isEmpty();
		assertThat(t.mountedOn("DB01")).isEqualTo("EX02");
		assertNoOutage();
	}

	@Test
	void theMoveFaultIsUsedUpByEachMoveAttempt() {
		t.lab.injectFault(EX01, LabFault.DATABASE_MOVE_FAILS, 3);
		moveNow(EX01);
		t.advance(Duration.ofMinutes(2));
		assertThat(t.activeOn(EX01)).as("both MoveNow attempts failed").containsExactly("DB01", "DB05");
		assertThat(t.lab.faults().get(EX01)).containsEntry(LabFault.DATABASE_MOVE_FAILS, 1);

		assertThatThrownBy(() -> t.run(new MoveActiveMailboxDatabase(EX01))).isInstanceOf(CommandFailedException.class);
		t.run(new MoveActiveMailboxDatabase(EX01));
		assertThat(t.activeOn(EX01)).isEmpty();
		assertThat(t.lab.faults()).isEmpty();
		assertNoOutage();
	}

	@Test
	void moveActiveMailboxDatabaseFailsForGoodWhenActiveManagerRefuses() {
		t.lab.injectFault(EX01, LabFault.DATABASE_MOVE_FAILS, 1);

		assertThatThrownBy(() -> t.run(new MoveActiveMailboxDatabase(EX01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("database DB01")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
		assertThat(t.activeOn(EX01)).contains("DB01");

		t.run(new MoveActiveMailboxDatabase(EX01));
		assertThat(t.activeOn(EX01)).isEmpty();
	}

	@Test
	void moveActiveMailboxDatabaseFailsWhereNoOtherCopyMayTakeTheDatabase() {
		block(EX02);
		block(EX03);

		assertThatThrownBy(() -> t.run(new MoveActiveMailboxDatabase(EX01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("no copy of DB01 is healthy");
		assertThat(t.mountedOn("DB01")).isEqualTo("EX01");
		assertNoOutage();
	}

	@Test
	void aServerWithoutActiveCopiesHasNothingToMove() {
		moveNow(EX01);
		t.advance(Duration.ofMinutes(1));

		t.run(new MoveActiveMailboxDatabase(EX01));
		assertThat(t.activeOn(EX01)).isEmpty();
	}

	@Test
	void turningMoveNowOffDoesNotMoveTheDatabasesBack() {
		moveNow(EX01);
		t.advance(Duration.ofMinutes(1));
		t.run(new SetDatabaseCopyActivationDisabledAndMoveNow(EX01, false));
		t.advance(Duration.ofMinutes(10));

		assertThat(t.activeOn(EX01)).isEmpty();
	}

	@Test
	void getMailboxServerShowsTheActivationSettings() {
		block(EX01);
		moveNow(EX01);

		MailboxServerSettings settings = t.run(new GetMailboxServer(EX01));
		assertThat(settings.databaseCopyAutoActivationPolicy()).isEqualTo(AutoActivationPolicy.Blocked);
		assertThat(settings.databaseCopyActivationDisabledAndMoveNow()).isTrue();
		assertThat(settings.databaseAvailabilityGroup()).isEqualTo("DAG01");
		assertThat(t.run(new GetMailboxServer(EX02)).databaseCopyAutoActivationPolicy()).isEqualTo(AutoActivationPolicy.Unrestricted);
	}

	@Test
	void theClusterNodeIsPausedAndResumed() {
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Up);

		t.run(new SuspendClusterNode(EX01));
		assertThat(t.run(new GetClusterNode(EX01))).satisfies(n -> {
			assertThat(n.state()).isEqualTo(ClusterNodeState.Paused);
			assertThat(n.name()).isEqualTo("EX01");
			assertThat(n.cluster()).isEqualTo("DAG01");
		});

		t.run(new ResumeClusterNode(EX01));
		assertThat(t.run(new GetClusterNode(EX01)).state()).isEqualTo(ClusterNodeState.Up);
	}

	/**
	 * Active Manager, not the cluster, places DAG databases: pausing the node keeps them where they are, which is why
	 * the runbook sets MoveNow after Suspend-ClusterNode. A lab that moved them here would hide a missing MoveNow step.
	 */
	@Test
	void pausingTheClusterNodeLeavesTheActiveCopiesWhereTheyAre() {
		t.run(new SuspendClusterNode(EX01));
		t.advance(Duration.ofMinutes(5));

		assertThat(t.activeOn(EX01)).containsExactly("DB01", "DB05");
		assertThat(t.run(new GetMailboxDatabaseCopyStatus(EX01)).active()).allSatisfy(c -> assertThat(c.isMounted()).isTrue());
		assertNoOutage();
	}

	@Test
	void mailboxAndClusterCommandsFailForGoodOnAClientAccessServer() {
		assertThatThrownBy(() -> t.run(new GetMailboxServer(CAS01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("isn't a Mailbox server")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
		assertThatThrownBy(() -> t.run(new GetClusterNode(CAS01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("not a member of a database availability group");
		assertThatThrownBy(() -> t.run(new SuspendClusterNode(CAS01))).isInstanceOf(CommandFailedException.class);
		assertThatThrownBy(() -> t.run(new GetMailboxDatabaseCopyStatus(CAS01))).isInstanceOf(CommandFailedException.class);
	}

	@Test
	void theLabViewShowsWhereEachDatabaseIsMounted() {
		assertThat(t.lab.databases()).hasSize(8).allSatisfy(db -> {
			assertThat(db.dag()).isEqualTo("DAG01");
			assertThat(db.copies()).hasSize(3);
			assertThat(db.mountedOn()).isEqualTo(db.copies().get(0).server());
			assertThat(db.copies().get(0).status()).isEqualTo("Mounted");
		});
	}

	private int copyQueueLength(String database, ServerName server) {
		return t.lab.databases().stream().filter(d -> d.name().equals(database)).findFirst().orElseThrow().copies().stream()
				.filter(c -> c.server().equals(server.value())).findFirst().orElseThrow().copyQueueLength();
	}

	/**
	 * A copy whose server is down falls behind the active copy by the logs written meanwhile, and catches up once the
	 * server is back: what a replication-health check before the next server's maintenance must see.
	 */
	@Test
	void aPassiveCopyFallsBehindWhileItsServerIsDownAndCatchesUpAfterwards() {
		int healthy = copyQueueLength("DB02", EX03);
		assertThat(healthy).isBetween(0, 2);

		t.run(new dev.runbook.command.ExchangeCommand.RestartComputer(EX03));
		t.advance(Duration.ofMinutes(1));
		int afterOneMinute = copyQueueLength("DB02", EX03);
		t.advance(Duration.ofMinutes(2));
		int afterThreeMinutes = copyQueueLength("DB02", EX03);
		assertThat(afterThreeMinutes).isGreaterThan(afterOneMinute).isGreaterThan(healthy);

		t.advance(Duration.ofMinutes(10));
		assertThat(copyQueueLength("DB02", EX03)).as("caught up ten minutes after the restart").isBetween(0, 2);
		assertThat(t.lab.databases()).allSatisfy(db -> assertThat(db.copies())
				.allSatisfy(c -> assertThat(c.copyQueueLength()).isNotNegative()));
	}

	@Test
	void otherServersKeepTheirCopiesWhileOneMovesAway() {
		moveNow(EX01);
		t.advance(Duration.ofMinutes(1));

		assertThat(t.mountedOn("DB02")).isEqualTo("EX02");
		assertThat(t.mountedOn("DB03")).isEqualTo("EX03");
		assertThat(t.activeOn(EX03)).contains("DB03", "DB05", "DB07");
	}
}
