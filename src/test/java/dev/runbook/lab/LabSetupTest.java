package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetExchangeServer;
import dev.runbook.command.ExchangeCommand.GetSetupStatus;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.StartSetup;
import dev.runbook.command.ExchangeCommand.TestPendingReboot;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.SetupMode;
import dev.runbook.command.SetupStatus;
import dev.runbook.command.WindowsPath;

class LabSetupTest {

	static final WindowsPath CU23 = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");
	static final ExchangeBuild CU22_BUILD = ExchangeBuild.parse("15.0.1473.3");
	static final ExchangeBuild CU23_BUILD = ExchangeBuild.parse("15.0.1497.2");

	private final TestLab t = new TestLab();

	private void startUpgrade() {
		t.run(new StartSetup(EX01, CU23, SetupMode.Upgrade, LicenseSwitch.Classic));
	}

	private SetupStatus status() {
		return t.run(new GetSetupStatus(EX01));
	}

	private ExchangeBuild installed() {
		return t.run(new GetExchangeServer(EX01)).build();
	}

	@Test
	void setupRunsAboutAnHourThenTheBuildIsTheMediasAndARebootIsPending() {
		assertThat(status().state()).isEqualTo(SetupStatus.State.NotStarted);
		startUpgrade();

		t.advance(Duration.ofMinutes(59));
		SetupStatus running = status();
		assertThat(running.state()).isEqualTo(SetupStatus.State.Running);
		assertThat(running.exitCode()).isNull();
		assertThat(running.watermarkPresent()).isTrue();
		assertThat(installed()).isEqualTo(CU22_BUILD);

		t.advance(Duration.ofMinutes(1));
		SetupStatus done = status();
		assertThat(done.state()).isEqualTo(SetupStatus.State.Succeeded);
		assertThat(done.exitCode()).isZero();
		assertThat(done.watermarkPresent()).isFalse();
		assertThat(done.successLineLogged()).isTrue();
		assertThat(done.errors()).isEmpty();
		assertThat(installed()).isEqualTo(CU23_BUILD);
		assertThat(t.run(new GetExchangeServer(EX01)).adminDisplayVersion()).isEqualTo("Version 15.0 (Build 1497.2)");
		assertThat(t.run(new TestPendingReboot(EX01)).pending()).isTrue();
	}

	@Test
	void setupStopsTheExchangeServicesWhileItRuns() {
		startUpgrade();

		assertThat(t.activeOn(EX01)).as("Active Manager moved them when the services stopped").isEmpty();
		assertThat(t.lab.databases()).flatExtracting(LabDatabaseView::copies)
				.filteredOn(c -> c.server().equals("EX01")).extracting(LabDatabaseView.CopyView::status).containsOnly("ServiceDown");
		assertThat(t.lab.outages()).isEmpty();

		t.advance(Duration.ofMinutes(61));
		assertThat(t.lab.databases()).flatExtracting(LabDatabaseView::copies)
				.filteredOn(c -> c.server().equals("EX01")).extracting(LabDatabaseView.CopyView::status).containsOnly("Healthy");
	}

	@Test
	void setupFailsAtOnceWhileARebootIsPending() {
		Topology pending = withCondition(new Topology.ServerCondition("EX01", null, true));
		TestLab lab = new TestLab(pending);
		assertThat(lab.run(new TestPendingReboot(EX01)).reasons()).containsExactly("PendingFileRenameOperations");

		lab.run(new StartSetup(EX01, CU23, SetupMode.Upgrade, LicenseSwitch.Classic));

		SetupStatus failed = lab.run(new GetSetupStatus(EX01));
		assertThat(failed.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(failed.exitCode()).isEqualTo(1);
		assertThat(failed.errors()).singleElement().asString().startsWith("[ERROR]").contains("restart", "pending");
		assertThat(failed.watermarkPresent()).isFalse();
		assertThat(lab.run(new GetExchangeServer(EX01)).build()).isEqualTo(CU22_BUILD);
		assertThat(lab.activeOn(EX01)).as("nothing was stopped").containsExactly("DB01", "DB05");
	}

	@Test
	void setupRunsAfterThePendingRebootIsDone() {
		TestLab lab = new TestLab(withCondition(new Topology.ServerCondition("EX01", null, true)));
		lab.run(new RestartComputer(EX01));
		lab.advance(LabOrganisation.REBOOT_DURATION);
		assertThat(lab.run(new TestPendingReboot(EX01)).pending()).isFalse();

		lab.run(new StartSetup(EX01, CU23, SetupMode.Upgrade, LicenseSwitch.Classic));
		assertThat(lab.run(new GetSetupStatus(EX01)).state()).isEqualTo(SetupStatus.State.Running);
	}

	@Test
	void anUnknownSetupPathFails() {
		assertThatThrownBy(() -> t.run(new StartSetup(EX01, WindowsPath.of("D:\\Media\\CU99\\Setup.exe"), SetupMode.Upgrade,
				LicenseSwitch.Classic))).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("Cannot find path 'D:\\Media\\CU99\\Setup.exe'")
				.satisfies(e -> assertThat(((CommandFailedException) e).isTransient()).isFalse());
		assertThat(status().state()).isEqualTo(SetupStatus.State.NotStarted);
	}

	@Test
	void theMediaPathIsMatchedWithoutRegardToCase() {
		t.run(new StartSetup(EX01, WindowsPath.of("d:\\media\\exchange2013-cu23\\setup.exe"), SetupMode.Upgrade, LicenseSwitch.Classic));

		assertThat(status().state()).isEqualTo(SetupStatus.State.Running);
	}

	@Test
	void setupRefusesALicenseSwitchItDoesNotKnow() {
		assertThatThrownBy(() -> t.run(new StartSetup(EX01, CU23, SetupMode.Upgrade, LicenseSwitch.DiagnosticDataOFF)))
				.isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("this build needs /IAcceptExchangeServerLicenseTerms.");
		assertThat(status().state()).isEqualTo(SetupStatus.State.NotStarted);
	}

	@Test
	void setupRefusesAMediaThatIsNotANewerBuildOfTheSameVersion() {
		TestLab lab = new TestLab(withCondition(new Topology.ServerCondition("EX01", "15.0.1497.2", null)));

		lab.run(new StartSetup(EX01, CU23, SetupMode.Upgrade, LicenseSwitch.Classic));

		SetupStatus failed = lab.run(new GetSetupStatus(EX01));
		assertThat(failed.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(failed.exitCode()).isEqualTo(1);
		assertThat(failed.errors()).singleElement().asString().contains("is not a newer build");
	}

	@Test
	void startingSetupAgainWhileItRunsDoesNotStartASecondRun() {
		startUpgrade();
		t.advance(Duration.ofMinutes(30));
		startUpgrade();

		t.advance(Duration.ofMinutes(30));
		assertThat(status().state()).as("done an hour after the first start").isEqualTo(SetupStatus.State.Succeeded);
	}

	@Test
	void theSetupFaultFailsTheRunAfterItsHourAndIsConsumedPerRun() {
		t.lab.injectFault(EX01, LabFault.SETUP_FAILS, 2);

		for (int run = 1; run <= 2; run++) {
			startUpgrade();
			t.advance(Duration.ofMinutes(59));
			assertThat(status().state()).isEqualTo(SetupStatus.State.Running);
			t.advance(Duration.ofMinutes(1));
			SetupStatus failed = status();
			assertThat(failed.state()).as("run %d", run).isEqualTo(SetupStatus.State.Failed);
			assertThat(failed.exitCode()).isEqualTo(1);
			assertThat(failed.watermarkPresent()).as("a failed run leaves its watermark").isTrue();
			assertThat(failed.successLineLogged()).isFalse();
			assertThat(failed.errors()).singleElement().asString().startsWith("[ERROR]");
			assertThat(installed()).isEqualTo(CU22_BUILD);
		}
		assertThat(t.lab.faults().getOrDefault(EX01, Map.of())).doesNotContainKey(LabFault.SETUP_FAILS);

		startUpgrade();
		t.advance(Duration.ofMinutes(60));
		assertThat(status().state()).isEqualTo(SetupStatus.State.Succeeded);
		assertThat(status().errors()).as("errors of earlier runs are not carried over").isEmpty();
		assertThat(installed()).isEqualTo(CU23_BUILD);
	}

	@Test
	void aRestartInterruptsSetupForGood() {
		startUpgrade();
		t.advance(Duration.ofMinutes(10));
		t.run(new RestartComputer(EX01));
		t.advance(LabOrganisation.REBOOT_DURATION);

		SetupStatus interrupted = status();
		assertThat(interrupted.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(interrupted.watermarkPresent()).isTrue();
		assertThat(interrupted.errors()).singleElement().asString().contains("interrupted by a restart");

		t.advance(Duration.ofMinutes(60));
		assertThat(status().state()).as("the interrupted run does not finish later").isEqualTo(SetupStatus.State.Failed);
		assertThat(installed()).isEqualTo(CU22_BUILD);
		assertThat(t.run(new TestPendingReboot(EX01)).pending()).isFalse();
	}

	@Test
	void aRunStartedAfterAnInterruptedOneTakesItsOwnHour() {
		startUpgrade();
		t.advance(Duration.ofMinutes(10));
		t.run(new RestartComputer(EX01));
		t.advance(Duration.ofMinutes(10));
		startUpgrade();

		t.advance(Duration.ofMinutes(45));
		assertThat(status().state()).as("75 minutes after the first start, 45 after the second")
				.isEqualTo(SetupStatus.State.Running);
		t.advance(Duration.ofMinutes(15));
		assertThat(status().state()).isEqualTo(SetupStatus.State.Succeeded);
		assertThat(installed()).isEqualTo(CU23_BUILD);
	}

	@Test
	void activeDirectoryIsPreparedAfterTheSchema() {
		assertThatThrownBy(() -> t.run(new StartSetup(EX01, CU23, SetupMode.PrepareAD, LicenseSwitch.Classic)))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("schema has not been prepared for 15.0.1497.2");

		t.run(new StartSetup(EX01, CU23, SetupMode.PrepareSchema, LicenseSwitch.Classic));
		assertThat(t.lab.schemaPreparedFor()).isEqualTo(CU23_BUILD);
		t.run(new StartSetup(EX01, CU23, SetupMode.PrepareAD, LicenseSwitch.Classic));
		assertThat(t.lab.organizationPreparedFor()).isEqualTo(CU23_BUILD);
		assertThat(installed()).as("preparing AD installs nothing").isEqualTo(CU22_BUILD);
	}

	static Topology withCondition(Topology.ServerCondition condition) {
		Topology d = Topology.bundledDefault();
		return new Topology(d.organisation(), d.domain(), d.build(), d.media(), d.dags(), d.clientAccess(), List.of(condition));
	}
}
