package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.PowerShell;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;

class LabJournalTest {

	private final TestLab t = new TestLab();

	@Test
	void recordsEveryCommandInOrderWithTimeServerCommandLineAndOutcome() {
		Instant start = t.clock.now();
		ExchangeCommand<?> read = new GetQueue(EX01);
		ExchangeCommand<?> change = new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining,
				Requester.Maintenance);
		ExchangeCommand<?> unknown = new GetQueue(ServerName.of("EX09"));
		ExchangeCommand<?> restart = new RestartComputer(EX01);

		t.run(read);
		t.advance(Duration.ofMinutes(1));
		t.run(change);
		t.lab.injectFault(EX01, LabFault.TIMEOUT, 1);
		assertThatThrownBy(() -> t.run(read)).isInstanceOf(CommandFailedException.class);
		assertThatThrownBy(() -> t.run(unknown)).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("It is not a server of this organisation");
		t.advanceSeconds(5);
		t.run(restart);
		assertThatThrownBy(() -> t.run(read)).isInstanceOf(CommandFailedException.class);

		List<JournalEntry> journal = t.lab.journal();
		assertThat(journal).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(journal).extracting(JournalEntry::time).containsExactly(start, start.plusSeconds(60), start.plusSeconds(60),
				start.plusSeconds(60), start.plusSeconds(65), start.plusSeconds(65));
		assertThat(journal).extracting(JournalEntry::server).containsExactly("EX01", "EX01", "EX01", "EX09", "EX01", "EX01");
		assertThat(journal).extracting(JournalEntry::command).containsExactly(PowerShell.render(read),
				PowerShell.render(change), PowerShell.render(read), PowerShell.render(unknown), PowerShell.render(restart),
				PowerShell.render(read));
		assertThat(journal).extracting(JournalEntry::succeeded).containsExactly(true, true, false, false, true, false);
		assertThat(journal).extracting(JournalEntry::changesState).containsExactly(false, true, false, false, true, false);
		assertThat(journal.get(0).outcome()).isEqualTo("Succeeded");
		assertThat(journal.get(2).outcome()).startsWith("Failed: ").contains("timed out");
		assertThat(journal.get(5).outcome()).startsWith("Failed: ").contains("not reachable");
	}

	@Test
	void theJournalHandedOutCannotBeChanged() {
		t.run(new GetQueue(EX01));

		assertThatThrownBy(() -> t.lab.journal().clear()).isInstanceOf(UnsupportedOperationException.class);
		assertThat(t.lab.journal()).hasSize(1);
	}

	@Test
	void readingTheLabWithoutACommandJournalsNothing() {
		t.lab.servers();
		t.lab.databases();
		t.lab.outages();
		t.lab.describe(EX01);
		new LabDirectory(t.lab).dagMembers("DAG01");

		assertThat(t.lab.journal()).isEmpty();
	}
}
