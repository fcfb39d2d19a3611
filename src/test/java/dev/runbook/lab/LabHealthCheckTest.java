package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.HealthCheckPage;
import dev.runbook.command.HealthCheckResponse;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.ServiceHealth;
import dev.runbook.command.SetupMode;
import dev.runbook.command.WindowsPath;

/** healthcheck.htm on Client Access servers, Test-ServiceHealth, and a CAS server's own setup and reboot. */
class LabHealthCheckTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ServerName CAS01 = ServerName.of("CAS01");
	private static final ServerName CAS01_FQDN = ServerName.of("cas01.contoso.local");
	private static final WindowsPath MEDIA = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");

	private final LabClock.Manual clock = new LabClock.Manual();
	private final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

	private HealthCheckResponse probe(ServerName host, HealthCheckPage page) {
		return lab.execute(new InvokeHealthCheck(EX01, host, page));
	}

	@Test
	void aHealthyClientAccessServerAnswers200WithItsName() {
		HealthCheckResponse owa = probe(CAS01_FQDN, HealthCheckPage.Owa);

		assertThat(owa.statusCode()).isEqualTo(200);
		assertThat(owa.uri()).isEqualTo("https://cas01.contoso.local/owa/healthcheck.htm");
		assertThat(owa.detail()).contains("cas01.contoso.local");
		assertThat(probe(CAS01, HealthCheckPage.Ecp).healthy()).isTrue();
	}

	@Test
	void serverWideOfflineTakesTheServerOutOfEveryPoolAndBackIn() {
		lab.execute(new SetServerComponentState(CAS01, Component.ServerWideOffline, ComponentState.Inactive, Requester.Maintenance));

		for (HealthCheckPage page : HealthCheckPage.values()) {
			assertThat(probe(CAS01_FQDN, page).statusCode()).as(page.name()).isEqualTo(503);
		}

		lab.execute(new SetServerComponentState(CAS01, Component.ServerWideOffline, ComponentState.Active, Requester.Maintenance));
		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(200);
	}

	@Test
	void eachPageFollowsItsOwnProxyComponent() {
		lab.execute(new SetServerComponentState(CAS01, Component.OwaProxy, ComponentState.Inactive, Requester.HealthApi));

		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(503);
		assertThat(probe(CAS01_FQDN, HealthCheckPage.Ecp).statusCode()).isEqualTo(200);
	}

	@Test
	void onlyTheClientAccessRoleServesOwaInExchange2013() {
		HealthCheckResponse fromMailbox = lab.execute(new InvokeHealthCheck(CAS01, ServerName.of("ex01.contoso.local"), HealthCheckPage.Owa));

		assertThat(fromMailbox.statusCode()).isEqualTo(404);
		assertThat(fromMailbox.detail()).contains("no Client Access role");
	}

	@Test
	void aRestartingServerGivesNoHttpAnswerUntilItIsBack() {
		lab.execute(new RestartComputer(CAS01));

		HealthCheckResponse down = probe(CAS01_FQDN, HealthCheckPage.Owa);
		clock.advance(LabOrganisation.REBOOT_DURATION);

		assertThat(down.statusCode()).isZero();
		assertThat(down.detail()).contains("Unable to connect");
		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(200);
	}

	@Test
	void aFailingHealthCheckKeepsFailingUntilTheFaultIsCleared() {
		lab.injectFault(CAS01, LabFault.HEALTHCHECK_FAILS, 1);

		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(503);
		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(503);
		assertThat(probe(ServerName.of("CAS02"), HealthCheckPage.Owa).statusCode()).isEqualTo(200);

		lab.clearFaults();
		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(200);
	}

	@Test
	void aNameThatDoesNotResolveGivesNoHttpAnswer() {
		HealthCheckResponse unknown = probe(ServerName.of("cas09.contoso.local"), HealthCheckPage.Owa);
		HealthCheckResponse otherDomain = probe(ServerName.of("cas01.fabrikam.com"), HealthCheckPage.Owa);

		assertThat(unknown.statusCode()).isZero();
		assertThat(unknown.detail()).contains("could not be resolved");
		assertThat(otherDomain.statusCode()).isZero();
	}

	@Test
	void aClientAccessServerUpgradesLikeAMailboxServerAndAnswersAgainAfterItsReboot() {
		ServiceHealth before = lab.execute(new TestServiceHealth(CAS01));
		lab.execute(new StartSetup(CAS01, MEDIA, SetupMode.Upgrade, LicenseSwitch.Classic));

		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(503);
		ServiceHealth during = lab.execute(new TestServiceHealth(CAS01));
		clock.advance(LabOrganisation.SETUP_DURATION);
		assertThat(lab.server(CAS01).orElseThrow().build()).isEqualTo("15.0.1497.2");
		assertThat(lab.server(CAS01).orElseThrow().pendingReboot()).isTrue();
		lab.execute(new RestartComputer(CAS01));
		clock.advance(LabOrganisation.REBOOT_DURATION.plus(Duration.ofSeconds(1)));

		assertThat(before.allRunning()).isTrue();
		assertThat(before.roles()).extracting(ServiceHealth.RoleHealth::role).containsExactly("Client Access Server Role");
		assertThat(during.allRunning()).isFalse();
		assertThat(during.roles().get(0).servicesNotRunning()).contains("MSExchangeFrontEndTransport").doesNotContain("W3Svc");
		assertThat(lab.execute(new TestServiceHealth(CAS01)).allRunning()).isTrue();
		assertThat(probe(CAS01_FQDN, HealthCheckPage.Owa).statusCode()).isEqualTo(200);
		assertThat(lab.server(CAS01).orElseThrow().pendingReboot()).isFalse();
	}

	@Test
	void aMailboxServerReportsTheMailboxRolesServices() {
		ServiceHealth health = lab.execute(new TestServiceHealth(EX01));

		assertThat(health.roles()).extracting(ServiceHealth.RoleHealth::role).containsExactly("Mailbox Server Role");
		assertThat(health.allRunning()).isTrue();
	}
}
