package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.MailboxDatabases;
import dev.runbook.command.ServerName;

/** Move-ActiveMailboxDatabase -ActivateOnServer: the rebalancing onto activation-preference-1 copies after a rollout. */
class LabRebalanceTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName EX02 = ServerName.of("EX02");
	private static final ServerName EX04 = ServerName.of("EX04");
	private static final DatabaseName DB01 = DatabaseName.of("DB01");

	private final LabClock.Manual clock = new LabClock.Manual();
	private final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

	private Map<String, String> mountedOn() {
		return lab.databases().stream().collect(Collectors.toMap(LabDatabaseView::name, LabDatabaseView::mountedOn));
	}

	/** Every member restarted once, as a rollout leaves the DAG: databases end up away from their preferred copies. */
	private void restartEveryMember() {
		for (String member : new String[] { "EX01", "EX02", "EX03", "EX04" }) {
			lab.execute(new RestartComputer(ServerName.of(member)));
			clock.advance(LabOrganisation.REBOOT_DURATION);
		}
	}

	@Test
	void theRebalanceLoopPutsEveryDatabaseBackOnItsPreferenceOneCopy() {
		Map<String, String> balanced = mountedOn();
		restartEveryMember();
		assertThat(mountedOn()).isNotEqualTo(balanced);

		MailboxDatabases databases = lab.execute(new GetMailboxDatabases(EX01));
		for (MailboxDatabases.MailboxDatabase db : databases.databases()) {
			if (db.awayFromPreferredServer()) {
				lab.execute(new ActivateDatabaseCopy(db.preferredServer(), db.name()));
			}
		}

		assertThat(mountedOn()).isEqualTo(balanced);
		assertThat(lab.execute(new GetMailboxDatabases(EX01)).databases())
				.noneMatch(MailboxDatabases.MailboxDatabase::awayFromPreferredServer);
		assertThat(lab.outages()).isEmpty();
	}

	@Test
	void activatingTheCopyThatIsAlreadyActiveChangesNothing() {
		String answer = lab.execute(new ActivateDatabaseCopy(EX01, DatabaseName.of("db01"))).message();

		assertThat(answer).contains("already active on EX01");
		assertThat(mountedOn().get("DB01")).isEqualTo("EX01");
		assertThat(lab.journal()).singleElement().satisfies(e -> {
			assertThat(e.command()).isEqualTo("Move-ActiveMailboxDatabase -Identity 'db01' -ActivateOnServer 'EX01' -Confirm:$false");
			assertThat(e.changesState()).isTrue();
		});
	}

	@Test
	void movesTheActiveCopyToTheNamedServer() {
		String answer = lab.execute(new ActivateDatabaseCopy(EX02, DB01)).message();

		assertThat(answer).isEqualTo("Moved DB01 from EX01 to EX02");
		assertThat(mountedOn().get("DB01")).isEqualTo("EX02");
	}

	@Test
	void refusesAServerWithoutACopy() {
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(EX04, DB01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("EX04 holds no copy");
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(EX04, DatabaseName.of("DB99"))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("'DB99' couldn't be found");
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(ServerName.of("CAS01"), DB01)))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("isn't a Mailbox server");
	}

	@Test
	void refusesACopyThatMayNotBeActivated() {
		lab.execute(new SuspendClusterNode(EX02));
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(EX02, DB01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("can't be activated");
		lab.execute(new ResumeClusterNode(EX02));
		lab.execute(new SetDatabaseCopyAutoActivationPolicy(EX02, AutoActivationPolicy.Blocked));
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(EX02, DB01))).isInstanceOf(CommandFailedException.class);

		assertThat(mountedOn().get("DB01")).isEqualTo("EX01");
	}

	@Test
	void refusesACopyThatIsBehindAndReportsAFailedMoveOnce() {
		lab.injectFault(EX02, LabFault.REPLICATION_LAGGING, 1);
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(EX02, DB01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("would lose data");
		lab.clearFaults();

		lab.injectFault(EX01, LabFault.DATABASE_MOVE_FAILS, 1);
		assertThatThrownBy(() -> lab.execute(new ActivateDatabaseCopy(EX02, DB01))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("move was not completed");
		assertThat(mountedOn().get("DB01")).isEqualTo("EX01");
		lab.execute(new ActivateDatabaseCopy(EX02, DB01));
		assertThat(mountedOn().get("DB01")).isEqualTo("EX02");
	}
}
