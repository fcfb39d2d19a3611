package dev.runbook.winrm.local;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.runbook.command.ServerName;
import dev.runbook.winrm.script.ScriptedDirectory;
import dev.runbook.winrm.script.ScriptedShell;

/** {@code runbook.executor=powershell}: the runbook runs on a Windows management host with its own PowerShell. */
@Configuration
@ConditionalOnProperty(name = "runbook.executor", havingValue = "powershell")
public class LocalPowerShellConfiguration {

	@Bean
	LocalPowerShellRunner localPowerShellRunner(LocalPowerShellProperties properties) {
		return new LocalPowerShellRunner(properties);
	}

	@Bean
	ScriptedShell localPowerShellShell(LocalPowerShellRunner runner) {
		return new ScriptedShell(runner);
	}

	@Bean
	ScriptedDirectory localPowerShellDirectory(LocalPowerShellRunner runner, LocalPowerShellProperties properties) {
		if (properties.directoryServer() == null || properties.directoryServer().isBlank()) {
			throw new IllegalStateException("runbook.executor=powershell needs runbook.powershell.directory-server: the "
					+ "Exchange server that answers directory questions.");
		}
		return new ScriptedDirectory(runner, ServerName.of(properties.directoryServer()));
	}
}
