package dev.runbook.command;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The one place that turns a {@link CommandLine} into PowerShell text. */
public final class PowerShell {

	private static final Pattern BARE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private PowerShell() {
	}

	public static String render(ExchangeCommand<?> command) {
		return render(command.commandLine());
	}

	public static String render(CommandLine line) {
		return line.invocations().stream().map(PowerShell::render).collect(Collectors.joining("; "));
	}

	private static String render(CommandLine.Invocation invocation) {
		StringBuilder text = new StringBuilder(invocation.program());
		for (CommandLine.Parameter p : invocation.parameters()) {
			text.append(' ');
			if (p.nativeArgument()) {
				if (p.name() != null) {
					text.append(p.name());
				}
				if (p.value() != null) {
					text.append(p.name() == null ? literal(p.value()) : nativeOptionValue(p.value()));
				}
				continue;
			}
			text.append('-').append(p.name());
			if (p.value() != null) {
				text.append(p.colon() ? ':' : ' ').append(literal(p.value()));
			}
		}
		return text.toString();
	}

	/**
	 * The value after a native option's constant text: bare when it holds only characters that neither PowerShell nor
	 * the program's own parser treat specially ({@code /moveto:NODE2}), else quoted, which PowerShell joins to the
	 * constant text into one argument.
	 */
	private static String nativeOptionValue(Object value) {
		String text = value.toString();
		return BARE.matcher(text).matches() ? text : quote(text);
	}

	static String literal(Object value) {
		if (value instanceof Boolean b) {
			return b ? "$true" : "$false";
		}
		if (value instanceof Integer || value instanceof Long) {
			return value.toString();
		}
		return quote(value.toString());
	}

	/**
	 * A single-quoted PowerShell string. PowerShell ends a single-quoted string at any of ' and U+2018 to U+201B, and
	 * reads each of them doubled as one literal quote, so each is doubled. Nothing inside single quotes is expanded.
	 */
	public static String quote(String value) {
		StringBuilder out = new StringBuilder("'");
		value.codePoints().forEach(c -> {
			if (c == '\'' || (c >= 0x2018 && c <= 0x201B)) {
				out.appendCodePoint(c);
			}
			out.appendCodePoint(c);
		});
		return out.append('\'').toString();
	}
}
