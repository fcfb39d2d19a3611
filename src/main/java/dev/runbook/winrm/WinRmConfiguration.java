package dev.runbook.winrm;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.runbook.command.ServerName;
import dev.runbook.winrm.script.ScriptedDirectory;
import dev.runbook.winrm.script.ScriptedShell;

/** {@code runbook.executor=winrm}: every command runs on its own server over WinRM. */
@Configuration
@ConditionalOnProperty(name = "runbook.executor", havingValue = "winrm")
public class WinRmConfiguration {

	@Bean
	WinRmCredentials winRmCredentials(WinRmProperties properties) {
		return WinRmCredentials.from(properties, System::getenv);
	}

	@Bean
	WinRmRunner winRmRunner(WinRmProperties properties, WinRmCredentials credentials) {
		return new WinRmRunner(properties, credentials);
	}

	@Bean
	ScriptedShell winRmShell(WinRmRunner runner) {
		return new ScriptedShell(runner);
	}

	@Bean
	ScriptedDirectory winRmDirectory(WinRmRunner runner, WinRmProperties properties) {
		if (properties.directoryServer() == null || properties.directoryServer().isBlank()) {
			throw new IllegalStateException("runbook.executor=winrm needs runbook.winrm.directory-server: the Exchange "
					+ "server that answers directory questions (Get-ExchangeServer, Get-DatabaseAvailabilityGroup).");
		}
		return new ScriptedDirectory(runner, ServerName.of(properties.directoryServer()));
	}
}
