package dev.runbook.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.runbook.command.ActiveDirectoryForest;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DirectoryPreparation;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ServerName;

/**
 * The simulated forest and how far it is prepared for Exchange, as the build each level was prepared for. Setup's
 * preparation modes raise the levels in Microsoft's order: the schema, then the organisation and the local domain,
 * then the other domains.
 */
final class LabActiveDirectory {

	private final DomainName root;
	private final Map<DomainName, ExchangeBuild> domains = new LinkedHashMap<>();
	private ExchangeBuild schema;
	private ExchangeBuild organization;

	LabActiveDirectory(DomainName root, List<DomainName> otherDomains, ExchangeBuild schema, ExchangeBuild organization) {
		this.root = root;
		this.schema = schema;
		this.organization = organization;
		domains.put(root, organization);
		otherDomains.forEach(d -> domains.put(d, organization));
	}

	private LabActiveDirectory(LabActiveDirectory current) {
		root = current.root;
		schema = current.schema;
		organization = current.organization;
		domains.putAll(current.domains);
	}

	/** A copy frozen at today's levels. */
	LabActiveDirectory frozen() {
		return new LabActiveDirectory(this);
	}

	ExchangeBuild schema() {
		return schema;
	}

	ExchangeBuild organization() {
		return organization;
	}

	ActiveDirectoryForest forest() {
		return new ActiveDirectoryForest(root, List.copyOf(domains.keySet()), "DC01." + root.value());
	}

	/** What the Get-ADObject reads answer; a domain the forest does not have cannot be contacted. */
	DirectoryPreparation preparation(ServerName runOn, DomainName forest, List<DomainName> asked) {
		if (!forest.equals(root)) {
			throw new CommandFailedException(runOn, "Get-ADObject: Cannot find an object with identity 'CN=ms-Exch-Schema-Version-Pt,CN=Schema,CN=Configuration,"
					+ forest.distinguishedName() + "' under: '" + root.distinguishedName() + "'.", false);
		}
		List<DirectoryPreparation.Domain> levels = new java.util.ArrayList<>();
		for (DomainName domain : asked) {
			if (!domains.containsKey(domain)) {
				throw new CommandFailedException(runOn, "Get-ADObject: Unable to contact the server. The domain "
						+ domain + " is not part of the forest " + root + ".", false);
			}
			levels.add(new DirectoryPreparation.Domain(domain, domains.get(domain)));
		}
		return new DirectoryPreparation(schema, organization, levels);
	}

	String prepareSchema(ExchangeBuild media) {
		schema = max(schema, media);
		return "Schema prepared for " + media;
	}

	/** /PrepareAD: the organisation and the domain setup runs in, which is the forest root here. */
	String prepareOrganization(ServerName server, ExchangeBuild media) {
		if (schema.compareTo(media) < 0) {
			throw new CommandFailedException(server, "Setup /PrepareAD: the schema has not been prepared for " + media + ".", false);
		}
		organization = max(organization, media);
		domains.merge(root, media, LabActiveDirectory::max);
		return "Active Directory prepared for " + media;
	}

	/** /PrepareAllDomains: every domain, once the organisation is prepared. */
	String prepareAllDomains(ServerName server, ExchangeBuild media) {
		if (schema.compareTo(media) < 0) {
			throw new CommandFailedException(server, "Setup /PrepareAllDomains: the schema has not been prepared for " + media + ".", false);
		}
		if (organization.compareTo(media) < 0) {
			throw new CommandFailedException(server, "Setup /PrepareAllDomains: the organisation has not been prepared for "
					+ media + ": run /PrepareAD first.", false);
		}
		domains.replaceAll((d, level) -> max(level, media));
		return "All " + domains.size() + " domains prepared for " + media;
	}

	private static ExchangeBuild max(ExchangeBuild a, ExchangeBuild b) {
		return a.compareTo(b) >= 0 ? a : b;
	}
}
