package dev.runbook.lab;

import static dev.runbook.lab.TestLab.CAS01;
import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static dev.runbook.lab.TestLab.EX03;
import static dev.runbook.lab.TestLab.EX04;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ServerName;

class LabDirectoryTest {

	private final TestLab t = new TestLab();
	private final LabDirectory directory = new LabDirectory(t.lab);

	@Test
	void findsAServerAsGetExchangeServerShowsIt() {
		assertThat(directory.findServer(EX01)).hasValueSatisfying(s -> {
			assertThat(s.name()).isEqualTo(EX01);
			assertThat(s.fqdn()).isEqualTo("ex01.contoso.local");
			assertThat(s.serverRole()).containsExactly("Mailbox");
			assertThat(s.build()).isEqualTo(ExchangeBuild.parse("15.0.1473.3"));
			assertThat(s.adminDisplayVersion()).isEqualTo("Version 15.0 (Build 1473.3)");
		});
		assertThat(directory.findServer(CAS01)).hasValueSatisfying(s -> assertThat(s.serverRole()).containsExactly("ClientAccess"));
		assertThat(directory.findServer(ServerName.of("EX09"))).isEmpty();
	}

	@Test
	void knowsTheDagOfAMailboxServerAndItsMembers() {
		assertThat(directory.dagOf(EX02)).contains("DAG01");
		assertThat(directory.dagOf(CAS01)).isEmpty();
		assertThat(directory.dagOf(ServerName.of("EX09"))).isEmpty();
		assertThat(directory.dagMembers("DAG01")).containsExactly(EX01, EX02, EX03, EX04);
		assertThat(directory.dagMembers("dag01")).containsExactly(EX01, EX02, EX03, EX04);
		assertThat(directory.dagMembers("DAG02")).isEmpty();
		assertThat(directory.dagMembers(null)).isEmpty();
	}

	@Test
	void readsWithoutJournaling() {
		directory.findServer(EX01);
		directory.dagOf(EX01);
		directory.dagMembers("DAG01");

		assertThat(t.lab.journal()).isEmpty();
	}
}
