package dev.runbook.command;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Get-MpPreference's ExclusionPath on one server. {@code readable} is false where Windows Defender is not installed or
 * not running (another antivirus product, whose exclusions Windows cannot tell): the operator confirms those by hand.
 */
public record DefenderExclusions(ServerName server, boolean readable, List<String> exclusionPaths, String unreadableReason) {

	/** Where Exchange 2013 installs by default; setup and the running services write there constantly. */
	public static final String EXCHANGE_INSTALL_FOLDER = "C:\\Program Files\\Microsoft\\Exchange Server\\V15";

	public DefenderExclusions {
		exclusionPaths = List.copyOf(exclusionPaths);
	}

	public static DefenderExclusions unreadable(ServerName server, String reason) {
		return new DefenderExclusions(server, false, List.of(), reason);
	}

	/** An excluded folder covers everything below it; Windows compares paths without regard to case. */
	public boolean excludes(String folder) {
		String wanted = normal(folder);
		return exclusionPaths.stream().map(DefenderExclusions::normal)
				.anyMatch(e -> wanted.equals(e) || wanted.startsWith(e + "\\"));
	}

	/** The folders of {@code required} that scanning still reaches, in the order given. */
	public List<String> notExcluded(Collection<String> required) {
		return required.stream().filter(f -> !excludes(f)).distinct().toList();
	}

	private static String normal(String path) {
		String p = path.trim().toLowerCase(Locale.ROOT);
		while (p.endsWith("\\")) {
			p = p.substring(0, p.length() - 1);
		}
		return p;
	}
}
