package dev.runbook.winrm.local;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code runbook.powershell.*}: the local PowerShell executor, for running the runbook on a Windows management host.
 *
 * @param executable {@code powershell.exe} (Windows PowerShell 5.1, which Exchange needs) or a full path
 * @param commandTimeout the longest one command may take; the process is ended after it
 * @param directoryServer the Exchange server that answers directory questions
 */
@ConfigurationProperties("runbook.powershell")
public record LocalPowerShellProperties(String executable, Duration commandTimeout, String directoryServer) {

	public LocalPowerShellProperties {
		executable = executable == null || executable.isBlank() ? "powershell.exe" : executable;
		commandTimeout = commandTimeout == null ? Duration.ofMinutes(10) : commandTimeout;
	}
}
