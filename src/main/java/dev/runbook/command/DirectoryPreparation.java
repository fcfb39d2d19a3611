package dev.runbook.command;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How far Active Directory is prepared for Exchange, as the newest Exchange build each level satisfies: the schema
 * (ms-Exch-Schema-Version-Pt's rangeUpper), the organisation (its container's objectVersion) and each domain (its
 * Microsoft Exchange System Objects container's objectVersion). A real executor maps the numbers it reads to builds
 * through Microsoft's table of Exchange Active Directory versions; several CUs share one schema version, so the schema
 * of CU22 already satisfies CU23 if CU23 did not change it. Null: not prepared for any Exchange 2013 or later build
 * known to the executor.
 */
public record DirectoryPreparation(ExchangeBuild schema, ExchangeBuild organization, Map<DomainName, ExchangeBuild> domains) {

	public DirectoryPreparation {
		domains = Map.copyOf(domains);
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
		return domains.entrySet().stream().filter(e -> e.getValue() == null || e.getValue().compareTo(target) < 0)
				.map(Map.Entry::getKey).sorted(java.util.Comparator.comparing(DomainName::value)).toList();
	}

	/** Nothing to prepare: setup on the first server would otherwise stop to prepare Active Directory itself. */
	public boolean readyFor(ExchangeBuild target) {
		return schemaReadyFor(target) && organizationReadyFor(target) && domainsNotReadyFor(target).isEmpty();
	}
}
