package dev.runbook.winrm.script;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

import dev.runbook.command.ExchangeBuild;

/**
 * Microsoft's table of the Active Directory values each Exchange build sets: the schema's rangeUpper
 * (ms-Exch-Schema-Version-Pt), the organisation container's objectVersion and each domain's Microsoft Exchange System
 * Objects objectVersion. A value read is mapped to the newest build in the table whose value it reaches; a value below
 * every row maps to null (not prepared for any build known here), so that the runbook prepares rather than skips.
 * Builds missing from the table (2013 CU21 and CU22, for instance) are covered by the nearest older row; the rows are
 * only those with a published source.
 */
public final class ActiveDirectoryVersions {

	public record Row(ExchangeBuild build, int schema, int organization, int domain) {
	}

	static final List<Row> ROWS = List.of(
			// Exchange 2013 (blog.rmilne.ca, "How To Check Exchange Schema And Object Values In AD")
			row("15.0.516.32", 15137, 15449, 13236), row("15.0.620.29", 15254, 15614, 13236),
			row("15.0.712.24", 15281, 15688, 13236), row("15.0.775.38", 15283, 15763, 13236),
			row("15.0.847.32", 15292, 15844, 13236), row("15.0.913.22", 15300, 15870, 13236),
			row("15.0.995.29", 15303, 15965, 13236), row("15.0.1044.25", 15312, 15965, 13236),
			row("15.0.1130.7", 15312, 16130, 13236), row("15.0.1367.3", 15312, 16130, 13236),
			// 2013 CU23 with KB5004778, 2016 CU22/CU23, 2019 CU10-CU13 (eightwone.com, "Schema versions")
			row("15.0.1497.2", 15312, 16133, 13237),
			row("15.1.2375.7", 15334, 16222, 13242), row("15.1.2507.6", 15334, 16223, 13243),
			row("15.2.922.7", 17003, 16758, 13241), row("15.2.986.5", 17003, 16759, 13242),
			row("15.2.1118.7", 17003, 16760, 13243), row("15.2.1258.12", 17003, 16761, 13243));

	private ActiveDirectoryVersions() {
	}

	static ExchangeBuild schema(Integer rangeUpper) {
		return newest(rangeUpper, Row::schema);
	}

	static ExchangeBuild organization(Integer objectVersion) {
		return newest(objectVersion, Row::organization);
	}

	static ExchangeBuild domain(Integer objectVersion) {
		return newest(objectVersion, Row::domain);
	}

	/** The values a build sets: the newest row at or before it. For the test double, which speaks in numbers. */
	public static Row valuesFor(ExchangeBuild build) {
		return ROWS.stream().filter(r -> r.build().compareTo(build) <= 0).max(Comparator.comparing(Row::build))
				.orElse(null);
	}

	private static ExchangeBuild newest(Integer value, ToIntFunction<Row> column) {
		if (value == null) {
			return null;
		}
		return ROWS.stream().filter(r -> column.applyAsInt(r) <= value).map(Row::build).max(Comparator.naturalOrder())
				.orElse(null);
	}

	private static Row row(String build, int schema, int organization, int domain) {
		return new Row(ExchangeBuild.parse(build), schema, organization, domain);
	}
}
