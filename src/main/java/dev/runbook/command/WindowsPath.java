package dev.runbook.command;

import java.util.regex.Pattern;

/**
 * An absolute Windows path on a server: {@code D:\Media\CU23\Setup.exe} or {@code \\FILES01\Media$\CU23\Setup.exe}.
 * Only characters that never need escaping in PowerShell are accepted; anything else is refused, not escaped.
 */
public record WindowsPath(String value) {

	private static final Pattern LOCAL = Pattern.compile("[A-Za-z]:\\\\.*");
	private static final Pattern UNC = Pattern.compile("\\\\\\\\[A-Za-z0-9][A-Za-z0-9.-]*\\\\[A-Za-z0-9 ._-]+\\$?\\\\.*");
	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9 ._()+-]+");

	public WindowsPath {
		value = check(value);
	}

	public static WindowsPath of(String value) {
		return new WindowsPath(value);
	}

	/** The folder that holds the file: setup runs from its own folder, as the runbook's practice says. */
	public String folder() {
		String folder = value.substring(0, value.lastIndexOf('\\'));
		// Set-Location to a bare "D:" goes to that drive's current folder, not to its root.
		return folder.length() == 2 ? folder + "\\" : folder;
	}

	public String fileName() {
		return value.substring(value.lastIndexOf('\\') + 1);
	}

	private static String check(String raw) {
		if (raw == null || raw.isBlank()) {
			throw new InvalidInputException("A path is required, for example D:\\Media\\CU23\\Setup.exe.");
		}
		String refusal = "Path '" + RawInput.printable(raw) + "' is not accepted: ";
		RawInput.refuseControlCharacters(raw, refusal);
		String path = raw.trim();
		if (path.length() > 240) {
			throw new InvalidInputException(refusal + "it is longer than 240 characters.");
		}
		String rest;
		if (LOCAL.matcher(path).matches()) {
			rest = path.substring(3);
		} else if (UNC.matcher(path).matches()) {
			int shareStart = path.indexOf('\\', 2) + 1;
			int shareEnd = path.indexOf('\\', shareStart);
			String share = path.substring(shareStart, shareEnd);
			// An administrative share ends in $; the rest of its name follows the folder rules.
			checkSegment(share.endsWith("$") ? share.substring(0, share.length() - 1) : share, refusal);
			rest = path.substring(shareEnd + 1);
		} else {
			throw new InvalidInputException(refusal + "it must be an absolute path such as D:\\Media\\Setup.exe or \\\\SERVER\\Share\\Setup.exe.");
		}
		if (rest.isEmpty()) {
			throw new InvalidInputException(refusal + "it names a drive or share, not a file.");
		}
		for (String segment : rest.split("\\\\", -1)) {
			checkSegment(segment, refusal);
		}
		return path;
	}

	private static void checkSegment(String segment, String refusal) {
		if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..") || segment.endsWith(" ")) {
			throw new InvalidInputException(refusal
					+ "each folder and file name may hold only letters, digits, spaces, dots, hyphens, underscores, plus signs and parentheses, and may not be empty, '.' or '..'.");
		}
	}

	@Override
	public String toString() {
		return value;
	}
}
