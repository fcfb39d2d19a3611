package dev.runbook.command;

import java.util.Locale;
import java.util.regex.Pattern;

/** A Windows hotfix by its Knowledge Base number: {@code KB831464}. */
public record HotfixId(String value) {

	private static final Pattern FORM = Pattern.compile("KB[0-9]{6,7}");

	/** The Windows Server 2003 hotfix that Exchange 2003 SP1 and later need before they install. */
	public static final HotfixId KB831464 = new HotfixId("KB831464");

	public HotfixId {
		if (value == null || !FORM.matcher(value.trim().toUpperCase(Locale.ROOT)).matches()) {
			throw new InvalidInputException("Hotfix '" + (value == null ? "" : RawInput.printable(value))
					+ "' is not a Knowledge Base number such as KB831464.");
		}
		value = value.trim().toUpperCase(Locale.ROOT);
	}

	/** Refuses a package that is not this hotfix's .exe: its file name names the hotfix, as Microsoft names them. */
	public WindowsPath requirePackage(WindowsPath installer) {
		String file = installer.fileName().toUpperCase(Locale.ROOT);
		if (!file.endsWith(".EXE") || !file.contains(value)) {
			throw new InvalidInputException("Hotfix installer '" + installer + "' must be the .exe package of " + value
					+ " (its file name contains " + value + ").");
		}
		return installer;
	}

	public static HotfixId of(String value) {
		return new HotfixId(value);
	}

	@Override
	public String toString() {
		return value;
	}
}
