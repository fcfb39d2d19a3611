package dev.runbook.winrm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The account the executor logs on with. Read from the environment or a secret file at start-up and held only here:
 * never a process variable, never in a message. {@link #toString()} shows the user only.
 */
public final class WinRmCredentials {

	static final String USER_VARIABLE = "RUNBOOK_WINRM_USER";
	static final String PASSWORD_VARIABLE = "RUNBOOK_WINRM_PASSWORD";

	private final String domain;
	private final String user;
	private final String password;

	WinRmCredentials(String domain, String user, String password) {
		this.domain = domain;
		this.user = user;
		this.password = password;
	}

	/**
	 * {@code DOMAIN\\user} is split for NTLM; {@code user@domain} is kept whole, as NTLM and Kerberos both take it.
	 *
	 * @param environment looks up environment variables ({@code System::getenv} outside tests)
	 */
	static WinRmCredentials from(WinRmProperties properties, UnaryOperator<String> environment) {
		String account = properties.user() != null && !properties.user().isBlank() ? properties.user()
				: environment.apply(USER_VARIABLE);
		if (account == null || account.isBlank()) {
			throw new IllegalStateException("runbook.executor=winrm needs an account: set runbook.winrm.user or "
					+ USER_VARIABLE + ".");
		}
		String password = password(properties.passwordFile(), environment);
		String domain = null;
		String user = account.strip();
		int slash = user.indexOf('\\');
		if (slash > 0) {
			domain = user.substring(0, slash);
			user = user.substring(slash + 1);
		}
		return new WinRmCredentials(domain, user, password);
	}

	private static String password(Path file, UnaryOperator<String> environment) {
		if (file != null) {
			try {
				String content = Files.readString(file, StandardCharsets.UTF_8);
				// A trailing line break is how editors and `echo` leave the file, never part of the password.
				return content.replaceFirst("\\R\\z", "");
			} catch (IOException e) {
				// The exception's message would only name the file; it is left out all the same, in case it says more.
				throw new IllegalStateException("The WinRM password file " + file + " cannot be read.");
			}
		}
		String fromEnvironment = environment.apply(PASSWORD_VARIABLE);
		if (fromEnvironment == null || fromEnvironment.isEmpty()) {
			throw new IllegalStateException("runbook.executor=winrm needs a password: set " + PASSWORD_VARIABLE
					+ " or runbook.winrm.password-file.");
		}
		return fromEnvironment;
	}

	String domain() {
		return domain;
	}

	String user() {
		return user;
	}

	String password() {
		return password;
	}

	@Override
	public String toString() {
		return (domain == null ? "" : domain + "\\") + user + " (password withheld)";
	}
}
