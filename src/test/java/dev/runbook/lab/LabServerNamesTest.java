package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static dev.runbook.lab.TestLab.EX02;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.GetServerComponentState;
import dev.runbook.command.ExchangeCommand.RedirectMessage;
import dev.runbook.command.ExchangeCommand.RestartService;
import dev.runbook.command.ExchangeCommand.SetServerComponentState;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsService;

/** Exchange accepts a server's name or its FQDN as identity; Redirect-Message even wants the target as an FQDN. */
class LabServerNamesTest {

	private static final ServerName EX01_FQDN = ServerName.of("ex01.contoso.local");
	private static final ServerName EX02_FQDN = ServerName.of("EX02.Contoso.Local");

	private final TestLab t = new TestLab();

	@Test
	void aServerAnswersToItsFqdn() {
		t.run(new SetServerComponentState(EX01_FQDN, Component.HubTransport, ComponentState.Inactive, Requester.Maintenance));

		assertThat(t.run(new GetServerComponentState(EX01)).stateOf(Component.HubTransport)).isEqualTo(ComponentState.Inactive);
		assertThat(t.run(new GetQueue(EX01_FQDN)).messagesToDrain()).isPositive();
		assertThat(t.lab.journal().get(0).server()).isEqualTo("EX01.CONTOSO.LOCAL");
	}

	@Test
	void redirectMessageTakesTheTargetAsAnFqdn() {
		t.run(new SetServerComponentState(EX01, Component.HubTransport, ComponentState.Draining, Requester.Maintenance));
		t.run(new RestartService(EX01, WindowsService.MSExchangeTransport));

		t.run(new RedirectMessage(EX01, EX02_FQDN));

		assertThat(t.lab.journal()).last().satisfies(e -> {
			assertThat(e.command()).isEqualTo("Redirect-Message -Server 'EX01' -Target 'EX02.CONTOSO.LOCAL' -Confirm:$false");
			assertThat(e.succeeded()).isTrue();
		});
		assertThatThrownBy(() -> t.run(new RedirectMessage(EX01, ServerName.of("ex01.contoso.local"))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("must be another server");
	}

	@Test
	void theDirectoryAndTheFaultsKnowAServerByItsFqdn() {
		LabDirectory directory = new LabDirectory(t.lab);

		assertThat(directory.findServer(EX01_FQDN)).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo(EX01));
		assertThat(directory.dagOf(EX02_FQDN)).contains("DAG01");
		t.lab.injectFault(EX02_FQDN, LabFault.TIMEOUT, 1);
		assertThat(t.lab.faults()).containsKey(EX02);
		assertThatThrownBy(() -> t.run(new GetQueue(EX02))).isInstanceOf(CommandFailedException.class);
		t.lab.injectFault(EX01, LabFault.TRANSIENT_ERROR, 1);
		assertThatThrownBy(() -> t.run(new GetQueue(EX01_FQDN))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("WS-Management");
		assertThat(t.lab.faults()).isEmpty();
	}

	@Test
	void aServerNamedByItsFqdnInTheTopologyAnswersToItsShortName() throws Exception {
		String dag = TopologyTest.DAG.replace("\"MBX1\", \"MBX2\"]", "\"mbx1.fabrikam.local\", \"MBX2\"]");
		TestLab lab = new TestLab(TopologyTest.read(TopologyTest.document(dag, TopologyTest.CAS, TopologyTest.MEDIA, "")));

		assertThat(lab.run(new GetServerComponentState(ServerName.of("MBX1"))).server()).isEqualTo(ServerName.of("MBX1.FABRIKAM.LOCAL"));
	}

	@Test
	void anFqdnInAnotherDomainIsNotTheSameServer() {
		ServerName elsewhere = ServerName.of("ex01.fabrikam.local");

		assertThatThrownBy(() -> t.run(new GetQueue(elsewhere))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("not a server of this organisation");
		assertThat(new LabDirectory(t.lab).findServer(elsewhere)).isEmpty();
	}
}
