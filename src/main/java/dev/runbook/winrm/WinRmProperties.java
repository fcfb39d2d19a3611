package dev.runbook.winrm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code runbook.winrm.*}: how the WinRM executor reaches the servers. The password is deliberately not a property: it
 * comes from {@code RUNBOOK_WINRM_PASSWORD} or {@link #passwordFile()} (see {@link WinRmCredentials}).
 *
 * @param transport {@code https} (port 5986, certificate checked) or {@code http} (port 5985, NTLM message encryption)
 * @param port the WinRM port; by default 5986 for https, 5985 for http
 * @param endpoint a URL template with {@code {host}}, for a proxy or a test double; overrides transport and port
 * @param dnsSuffix appended to a server's short name to reach it, e.g. {@code contoso.local}
 * @param authentication {@code ntlm} or {@code kerberos}
 * @param encryption NTLM message encryption over http: {@code required} unless explicitly set to {@code optional}/{@code off}
 * @param verifyCertificates false only by explicit choice, for a lab with self-signed certificates
 * @param user {@code DOMAIN\\user} or {@code user@domain}; also from {@code RUNBOOK_WINRM_USER}
 * @param passwordFile a file holding only the password, read at start-up
 * @param connectionTimeout opening the connection
 * @param operationTimeout how long the server holds one request before answering "no output yet"
 * @param receiveTimeout how long to wait for an answer on the socket; by default the operation timeout plus a minute
 * @param commandTimeout the longest one command may take, all requests together
 * @param directoryServer the Exchange server that answers directory questions before a process starts
 * @param trustCertificates a PEM file of CA certificates to trust for https, instead of the JVM's trust store
 */
@ConfigurationProperties("runbook.winrm")
public record WinRmProperties(String transport, Integer port, String endpoint, String dnsSuffix, String authentication,
		String encryption, Boolean verifyCertificates, String user, Path passwordFile, Duration connectionTimeout,
		Duration operationTimeout, Duration receiveTimeout, Duration commandTimeout, String directoryServer,
		Path trustCertificates) {

	public WinRmProperties {
		transport = lower(transport, "https");
		authentication = lower(authentication, "ntlm");
		encryption = lower(encryption, "required");
		verifyCertificates = verifyCertificates == null || verifyCertificates;
		dnsSuffix = dnsSuffix == null ? "" : dnsSuffix.strip();
		connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(30) : connectionTimeout;
		operationTimeout = operationTimeout == null ? Duration.ofSeconds(60) : operationTimeout;
		receiveTimeout = receiveTimeout == null ? operationTimeout.plusMinutes(1) : receiveTimeout;
		commandTimeout = commandTimeout == null ? Duration.ofMinutes(10) : commandTimeout;
	}

	public boolean https() {
		return "https".equals(transport);
	}

	private static String lower(String value, String fallback) {
		return value == null || value.isBlank() ? fallback : value.strip().toLowerCase(Locale.ROOT);
	}
}
