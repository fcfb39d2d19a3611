package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ServerName;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * WinRM over https, as production runs it: the server's certificate is checked unless that is switched off
 * explicitly, a CA can be trusted from a PEM file, and a wrong password is named as such.
 */
class WinRmHttpsTest {

	static final ServerName EX01 = ServerName.of("EX01");
	static final String PASSWORD = "Tls-Horse-Battery-3";

	@TempDir
	static Path keys;
	static SSLContext serverTls;
	static Path certificate;

	final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
	WsmanDouble wsman;

	/** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
	@BeforeAll
	static void makeCertificate() throws Exception {
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Path store = keys.resolve("wsman.p12");
		certificate = keys.resolve("wsman.pem");
		run(keytool, "-genkeypair", "-alias", "wsman", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
				"-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
				store.toString(), "-storepass", "changeit", "-keypass", "changeit");
		run(keytool, "-exportcert", "-rfc", "-alias", "wsman", "-keystore", store.toString(), "-storepass", "changeit",
				"-file", certificate.toString());
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keyStore.load(in, "changeit".toCharArray());
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keyStore, "changeit".toCharArray());
		serverTls = SSLContext.getInstance("TLS");
		serverTls.init(keyManagers.getKeyManagers(), null, null);
	}

	static void run(String... command) throws Exception {
		Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		if (p.waitFor() != 0) {
			throw new IllegalStateException(out);
		}
	}

	@BeforeEach
	void start() {
		wsman = new WsmanDouble("CONTOSO", "svc-runbook", PASSWORD, new LabPowerShell(lab), serverTls);
	}

	@AfterEach
	void stop() {
		wsman.close();
	}

	ScriptedShell shell(String password, boolean verify, Path trust) {
		WinRmProperties properties = new WinRmProperties("https", null, wsman.endpoint(), null, "ntlm", null, verify,
				null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20),
				"EX01", trust);
		return new ScriptedShell(new WinRmRunner(properties, new WinRmCredentials("CONTOSO", "svc-runbook", password)));
	}

	@Test
	void anUntrustedCertificateIsRefusedByDefault() {
		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> shell(PASSWORD, true, null).run(new GetQueue(EX01)));

		assertThat(e.getMessage()).startsWith("The TLS connection to WinRM on EX01 (https://127.0.0.1:")
				.contains("certificate is not trusted");
		assertThat(e.isTransient()).isFalse();
		assertThat(wsman.actions()).isEmpty();
	}

	@Test
	void aTrustedCaCertificateLetsTheCallThroughWithVerification() {
		assertThat(shell(PASSWORD, true, certificate).run(new GetQueue(EX01))).isEqualTo(lab.execute(new GetQueue(EX01)));

		// The HTTP client may open a second connection within a call, which logs on again.
		assertThat(wsman.logons()).isPositive();
		assertThat(wsman.actions()).containsExactly("Create", "Command", "Receive", "Receive", "Signal", "Delete");
	}

	@Test
	void verificationCanBeSwitchedOffOnlyExplicitly() {
		assertThat(shell(PASSWORD, false, null).run(new GetQueue(EX01)).server()).isEqualTo(EX01);
	}

	@Test
	void aWrongPasswordOverHttpsIsNamedAsSuch() {
		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> shell("Not-" + PASSWORD, true, certificate).run(new GetQueue(EX01)));

		assertThat(e.getMessage()).contains("refused the logon (HTTP 401)").doesNotContain(PASSWORD);
		assertThat(e.isTransient()).isFalse();
	}
}
