package dev.runbook.command;

import java.util.List;
import java.util.Objects;

/**
 * Get-ADForest. {@code name} is the forest root domain; {@code domains} every domain of the forest, root first. With
 * more than one domain, each needs {@code Setup /PrepareAllDomains} (or /PrepareDomain) before a CU that changes them.
 */
public record ActiveDirectoryForest(DomainName name, List<DomainName> domains, String schemaMaster) {

	public ActiveDirectoryForest {
		Objects.requireNonNull(name, "name");
		domains = List.copyOf(domains);
	}

	public boolean hasSeveralDomains() {
		return domains.size() > 1;
	}
}
