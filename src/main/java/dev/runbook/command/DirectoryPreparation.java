package dev.runbook.command;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How far Active Directory is prepared for Exchange, as the newest Exchange build each level satisfies: the schema
 * (ms-Exch-Schema-Version-Pt's rangeUpper), the organisation (its container's objectVersion) and each domain (its
 * Microsoft Exchange System Objects container's objectVersion). A real executor maps the numbers it reads to builds
 * through Microsoft's table of Exchange Active Directory versions; several CUs share one schema version, so the schema
 * of CU22 already satisfies CU23 if CU23 did not change it. Null: not prepared for any build the executor knows.
 */
public record DirectoryPreparation(ExchangeBuild schema, ExchangeBuild organization, List<Domain> domains) {

	/** One domain and the build it is prepared for (null: not prepared). */
	public record Domain(DomainName name, ExchangeBuild preparedFor) {
		public Domain {
			Objects.requireNonNull(name, "name");
		}
	}

	public DirectoryPreparation {
		domains = List.copyOf(domains);
	}

	public boolean schemaReadyFor(ExchangeBuild target) {
		return schema != null && schema.compareTo(Objects.requireNonNull(target, "target")) >= 0;
	}

	public boolean organizationReadyFor(ExchangeBuild target) {
		return organization != null && organization.compareTo(Objects.requireNonNull(target, "target")) >= 0;
	}

	/** The domains still to prepare for a build, sorted by name. */
	public List<DomainName> domainsNotReadyFor(ExchangeBuild target) {
		Objects.requireNonNull(target, "target");
		return domains.stream().filter(d -> d.preparedFor() == null || d.preparedFor().compareTo(target) < 0)
				.map(Domain::name).sorted(Comparator.comparing(DomainName::value)).toList();
	}

	/** Nothing to prepare: setup on the first server would otherwise stop to prepare Active Directory itself. */
	public boolean readyFor(ExchangeBuild target) {
		return schemaReadyFor(target) && organizationReadyFor(target) && domainsNotReadyFor(target).isEmpty();
	}
}
