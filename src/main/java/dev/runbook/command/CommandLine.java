package dev.runbook.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A command as data: one or more invocations, each a program (cmdlet or executable) with ordered parameters.
 * Built by the command catalogue, turned into text only by {@link PowerShell}, so that quoting lives in one place
 * and a remote executor can bind the same values as parameters instead of splicing text.
 */
public record CommandLine(List<Invocation> invocations) {

	public CommandLine {
		invocations = List.copyOf(invocations);
	}

	public static Builder of(String program) {
		return new Builder().then(program);
	}

	/** The first program: the cmdlet the operator recognises. */
	public String program() {
		return invocations.get(0).program();
	}

	public record Invocation(String program, List<Parameter> parameters) {
		public Invocation {
			parameters = List.copyOf(parameters);
		}
	}

	/**
	 * {@code value} is a String (quoted), Boolean ({@code $true}/{@code $false}), Integer, or null for a switch.
	 * {@code colon} writes {@code -Name:value}, as PowerShell needs for switches such as {@code -Confirm:$false}.
	 * Native parameters ({@code /m:upgrade}) are constant text from the catalogue and never carry user values.
	 */
	public record Parameter(String name, Object value, boolean colon, boolean nativeArgument) {
	}

	public static final class Builder {
		private final List<Invocation> done = new ArrayList<>();
		private String program;
		private List<Parameter> parameters;

		public Builder then(String nextProgram) {
			flush();
			program = nextProgram;
			parameters = new ArrayList<>();
			return this;
		}

		/** A named parameter with a value; a missing value is refused, it would otherwise render as a bare switch. */
		public Builder param(String name, Object value) {
			Objects.requireNonNull(value, () -> "parameter -" + name + " of " + program + " has no value");
			parameters.add(new Parameter(name, value instanceof Enum<?> e ? e.name() : value, false, false));
			return this;
		}

		/** A switch parameter such as {@code -Drain}. */
		public Builder flag(String name) {
			parameters.add(new Parameter(name, null, false, false));
			return this;
		}

		/** {@code -Confirm:$false} and the like. */
		public Builder colon(String name, boolean value) {
			parameters.add(new Parameter(name, value, true, false));
			return this;
		}

		/** A constant argument of a native program, e.g. {@code /m:upgrade}. */
		public Builder nativeArgument(String constant) {
			parameters.add(new Parameter(constant, null, false, true));
			return this;
		}

		public CommandLine build() {
			flush();
			return new CommandLine(done);
		}

		private void flush() {
			if (program != null) {
				done.add(new Invocation(program, parameters));
				program = null;
			}
		}
	}
}
