package dev.runbook.winrm;

import java.net.URI;
import java.time.Duration;
import java.util.function.LongSupplier;

import org.apache.http.client.config.AuthSchemes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.runbook.command.ServerName;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptOutput;
import dev.runbook.winrm.script.ScriptRunner;
import io.cloudsoft.winrm4j.client.PayloadEncryptionMode;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.cloudsoft.winrm4j.winrm.WinRmToolResponse;

/**
 * Runs a script on a server over WinRM (WS-Management, WinRS) as {@code powershell.exe -EncodedCommand}. Each run
 * opens a shell, runs one command, receives its output until it is done, signals and deletes the shell.
 */
public class WinRmRunner implements ScriptRunner {

	private static final Logger log = LoggerFactory.getLogger(WinRmRunner.class);

	/** WinRS starts the command through cmd.exe, whose command line ends at 8191 characters. */
	static final int COMMAND_LINE_LIMIT = 8191;
	static final String POWERSHELL = "powershell.exe -NoProfile -NonInteractive -EncodedCommand ";

	private final WinRmProperties properties;
	private final WinRmCredentials credentials;
	private final WinRmFailures failures = new WinRmFailures();
	private final LongSupplier nanoTime;

	public WinRmRunner(WinRmProperties properties, WinRmCredentials credentials) {
		this(properties, credentials, System::nanoTime);
	}

	WinRmRunner(WinRmProperties properties, WinRmCredentials credentials, LongSupplier nanoTime) {
		this.properties = properties;
		this.credentials = credentials;
		this.nanoTime = nanoTime;
		check(properties);
	}

	@Override
	public ScriptOutput run(ServerName server, Script script) {
		String commandLine = POWERSHELL + script.encodedCommand();
		if (commandLine.length() > COMMAND_LINE_LIMIT) {
			throw new IllegalStateException("The " + script.kind() + " script is " + commandLine.length()
					+ " characters long encoded; WinRS accepts " + COMMAND_LINE_LIMIT + ".");
		}
		URI endpoint = endpoint(server);
		long deadline = nanoTime.getAsLong() + properties.commandTimeout().toNanos();
		WinRmTool tool = tool(endpoint);
		// "No output yet" answers are how a long command shows; they are accepted until the command's own deadline.
		tool.setRetryReceiveAfterOperationTimeout(code -> nanoTime.getAsLong() - deadline < 0);
		log.debug("Running the {} script on {} at {}", script.kind(), server, endpoint);
		try {
			WinRmToolResponse response = tool.executeCommand(commandLine);
			log.debug("The {} script on {} ended with exit code {}", script.kind(), server, response.getStatusCode());
			return new ScriptOutput(response.getStdOut(), response.getStdErr(), response.getStatusCode());
		} catch (RuntimeException e) {
			throw failures.describe(server, endpoint, e, properties);
		}
	}

	/** {@code https://ex01.contoso.local:5986/wsman}, or the configured template with the host filled in. */
	URI endpoint(ServerName server) {
		String host = server.value().toLowerCase(java.util.Locale.ROOT);
		if (!properties.dnsSuffix().isEmpty() && !host.contains(".")) {
			host = host + "." + properties.dnsSuffix();
		}
		if (properties.endpoint() != null && !properties.endpoint().isBlank()) {
			return URI.create(properties.endpoint().replace("{host}", host));
		}
		int port = properties.port() != null ? properties.port() : properties.https() ? 5986 : 5985;
		return URI.create((properties.https() ? "https" : "http") + "://" + host + ":" + port + "/wsman");
	}

	private WinRmTool tool(URI endpoint) {
		boolean kerberos = "kerberos".equals(properties.authentication());
		WinRmTool.Builder builder = WinRmTool.Builder
				.builder(endpoint.toString(), credentials.domain(), credentials.user(), credentials.password())
				.authenticationScheme(kerberos ? AuthSchemes.KERBEROS : AuthSchemes.NTLM)
				.disableCertificateChecks(!properties.verifyCertificates())
				.payloadEncryptionMode(encryption(kerberos, endpoint))
				.requestNewKerberosTicket(kerberos);
		// No shared WinRmClientContext: its connection pool would hand one call's NTLM-authenticated connection to the
		// next call, whose fresh credentials know no session keys and send an unencrypted placeholder. Each call has
		// its own context, connection and logon, which winrm4j shuts down when the call ends.
		WinRmTool tool = builder.build();
		tool.setConnectionTimeout(properties.connectionTimeout().toMillis());
		tool.setOperationTimeout(properties.operationTimeout().toMillis());
		tool.setReceiveTimeout(properties.receiveTimeout().toMillis());
		// The job retry cycle retries; a second try inside one job would only hide how long the server was away.
		tool.setRetriesForConnectionFailures(0);
		return tool;
	}

	/** Over https TLS protects the messages; over http NTLM seals them, Kerberos cannot here (checked at start). */
	private PayloadEncryptionMode encryption(boolean kerberos, URI endpoint) {
		if (kerberos || "https".equals(endpoint.getScheme())) {
			return PayloadEncryptionMode.OFF;
		}
		return switch (properties.encryption()) {
			case "optional" -> PayloadEncryptionMode.OPTIONAL;
			case "off" -> PayloadEncryptionMode.OFF;
			default -> PayloadEncryptionMode.REQUIRED;
		};
	}

	private static void check(WinRmProperties p) {
		if (!p.https() && !"http".equals(p.transport())) {
			throw new IllegalStateException("runbook.winrm.transport must be https or http, not '" + p.transport() + "'.");
		}
		if (!"ntlm".equals(p.authentication()) && !"kerberos".equals(p.authentication())) {
			throw new IllegalStateException("runbook.winrm.authentication must be ntlm or kerberos, not '"
					+ p.authentication() + "'. Basic authentication is not offered: it would send the password.");
		}
		if (!"required".equals(p.encryption()) && !"optional".equals(p.encryption()) && !"off".equals(p.encryption())) {
			throw new IllegalStateException("runbook.winrm.encryption must be required, optional or off, not '"
					+ p.encryption() + "'.");
		}
		boolean plainHttp = !p.https() && (p.endpoint() == null || p.endpoint().startsWith("http:"));
		if ("kerberos".equals(p.authentication()) && plainHttp && "required".equals(p.encryption())) {
			throw new IllegalStateException("Kerberos over http cannot encrypt messages here: use runbook.winrm.transport=https,"
					+ " or ntlm over http.");
		}
		if (p.commandTimeout().compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalStateException("runbook.winrm.command-timeout must be at least a second.");
		}
	}
}
