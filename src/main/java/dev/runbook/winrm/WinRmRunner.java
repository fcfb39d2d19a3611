package dev.runbook.winrm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import java.security.cert.X509Certificate;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduit;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduitFactory;

import org.apache.http.client.config.AuthSchemes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ServerName;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptOutput;
import dev.runbook.winrm.script.ScriptRunner;
import io.cloudsoft.winrm4j.client.PayloadEncryptionMode;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
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
	private final TrustManager[] trust;

	public WinRmRunner(WinRmProperties properties, WinRmCredentials credentials) {
		this.properties = properties;
		this.credentials = credentials;
		check(properties);
		this.trust = trustManagers(properties);
	}

	@Override
	public ScriptOutput run(ServerName server, Script script) {
		String commandLine = POWERSHELL + script.encodedCommand();
		if (commandLine.length() > COMMAND_LINE_LIMIT) {
			throw new CommandFailedException(server, "The " + script.kind() + " command for " + server + " is "
					+ commandLine.length() + " characters long encoded, and WinRS accepts " + COMMAND_LINE_LIMIT
					+ ": its values are too long. Nothing was sent.", false);
		}
		URI endpoint = endpoint(server);
		long deadline = System.nanoTime() + properties.commandTimeout().toNanos();
		Bus bus = bus();
		WinRmTool tool = tool(endpoint, WinRmClientContext.newInstance(bus));
		// "No output yet" answers are how a long command shows; they are accepted until the command's own deadline.
		tool.setRetryReceiveAfterOperationTimeout(code -> System.nanoTime() - deadline < 0);
		log.debug("Running the {} script on {} at {}", script.kind(), server, endpoint);
		try {
			WinRmToolResponse response = tool.executeCommand(commandLine);
			log.debug("The {} script on {} ended with exit code {}", script.kind(), server, response.getStatusCode());
			return new ScriptOutput(response.getStdOut(), response.getStdErr(), response.getStatusCode());
		} catch (RuntimeException e) {
			throw failures.describe(server, endpoint, e, properties);
		} finally {
			bus.shutdown(true);
		}
	}

	/**
	 * A CXF bus for one call: its connection pool is the call's own (a shared pool would hand one call's
	 * NTLM-authenticated connection to the next call's fresh credentials, which know no session keys), and every
	 * conduit it makes gets this executor's TLS settings (winrm4j's own TLS settings do not reach the conduit that
	 * sends the requests).
	 */
	private Bus bus() {
		Bus bus = BusFactory.newInstance().createBus();
		bus.getProperties().put(AsyncHTTPConduit.USE_ASYNC, Boolean.TRUE);
		bus.getProperties().put(AsyncHTTPConduitFactory.USE_POLICY, AsyncHTTPConduitFactory.UseAsyncPolicy.ALWAYS);
		bus.setExtension((HTTPConduitConfigurer) (name, address, conduit) -> conduit.setTlsClientParameters(tls()),
				HTTPConduitConfigurer.class);
		return bus;
	}

	private TLSClientParameters tls() {
		TLSClientParameters tls = new TLSClientParameters();
		tls.setTrustManagers(trust);
		tls.setDisableCNCheck(!properties.verifyCertificates());
		return tls;
	}

	/** The JVM's trust store (null), the CAs of a PEM file, or, only by explicit choice, no check at all. */
	private static TrustManager[] trustManagers(WinRmProperties properties) {
		if (!properties.verifyCertificates()) {
			return new TrustManager[] { new X509TrustManager() {
				public void checkClientTrusted(X509Certificate[] chain, String authType) {
				}

				public void checkServerTrusted(X509Certificate[] chain, String authType) {
				}

				public X509Certificate[] getAcceptedIssuers() {
					return new X509Certificate[0];
				}
			} };
		}
		return properties.trustCertificates() == null ? null : trusting(properties.trustCertificates());
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

	private WinRmTool tool(URI endpoint, WinRmClientContext context) {
		boolean kerberos = "kerberos".equals(properties.authentication());
		WinRmTool.Builder builder = WinRmTool.Builder
				.builder(endpoint.toString(), credentials.domain(), credentials.user(), credentials.password())
				.authenticationScheme(kerberos ? AuthSchemes.KERBEROS : AuthSchemes.NTLM)
				.payloadEncryptionMode(encryption(kerberos, endpoint))
				.requestNewKerberosTicket(kerberos)
				.context(context);
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

	/** Trust in the CA certificates of a PEM file, and no others. */
	static TrustManager[] trusting(Path pem) {
		try (InputStream in = Files.newInputStream(pem)) {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			int n = 0;
			for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				store.setCertificateEntry("ca-" + n++, certificate);
			}
			if (n == 0) {
				throw new IllegalStateException("runbook.winrm.trust-certificates " + pem + " holds no certificate.");
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			return trust.getTrustManagers();
		} catch (IOException | GeneralSecurityException e) {
			throw new IllegalStateException("runbook.winrm.trust-certificates " + pem + " cannot be read as PEM certificates.");
		}
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
