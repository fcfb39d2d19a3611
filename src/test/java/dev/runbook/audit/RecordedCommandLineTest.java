package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.CommandLine;
import dev.runbook.command.Component;
import dev.runbook.command.ComponentState;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.PowerShell;
import dev.runbook.command.Requester;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.WindowsPath;

/** History keeps the command line exactly as PowerShell renders it, and never a secret's value. */
class RecordedCommandLineTest {

	private static final ServerName EX01 = ServerName.of("EX01.contoso.local");

	@Test
	void catalogueCommandsAreKeptExactlyAsSent() {
		List<ExchangeCommand<?>> commands = List.of(
				new ExchangeCommand.SetServerComponentState(EX01, Component.ServerWideOffline, ComponentState.Inactive,
						Requester.Maintenance),
				new ExchangeCommand.RedirectMessage(EX01, ServerName.of("EX02.contoso.local")),
				new ExchangeCommand.SetDatabaseCopyAutoActivationPolicy(EX01, AutoActivationPolicy.Blocked),
				new ExchangeCommand.StartSetup(EX01, WindowsPath.of("D:\\Media\\Exchange 2013 CU23\\Setup.exe"),
						SetupMode.Upgrade, LicenseSwitch.Classic),
				new ExchangeCommand.TestPendingReboot(EX01));

		for (ExchangeCommand<?> command : commands) {
			assertThat(RecordedCommandLine.of(command)).isEqualTo(PowerShell.render(command));
		}
		// quoted as sent
		assertThat(RecordedCommandLine.of(commands.get(3))).contains("-LiteralPath 'D:\\Media\\Exchange 2013 CU23'");
	}

	@Test
	void parametersNamedLikeSecretsAreMaskedAndTheRestIsUntouched() {
		CommandLine line = CommandLine.of("New-PSSession").param("ComputerName", "EX01")
				.param("Password", "Hunter2!").param("CredentialFile", "C:\\cred.xml").flag("UseSSL")
				.then("Invoke-Command").param("AccessToken", "eyJhbGciOi").colon("Confirm", false).build();

		String recorded = RecordedCommandLine.of(line);

		assertThat(recorded).doesNotContain("Hunter2!", "cred.xml", "eyJhbGciOi")
				.isEqualTo("New-PSSession -ComputerName 'EX01' -Password '********' -CredentialFile '********' -UseSSL; "
						+ "Invoke-Command -AccessToken '********' -Confirm:$false");
	}
}
