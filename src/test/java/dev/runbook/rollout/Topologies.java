package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;

import dev.runbook.lab.Topology;

/** Variations of the bundled lab organisation that the rollout's tests start from. */
final class Topologies {

	private Topologies() {
	}

	static Topology bundled() {
		return Topology.bundledDefault();
	}

	static Topology withConditions(Topology.ServerCondition... conditions) {
		Topology t = bundled();
		return new Topology(t.organisation(), t.domain(), t.build(), t.media(), t.dags(), t.clientAccess(),
				List.of(conditions), t.activeDirectory());
	}

	/** Active Directory already prepared for the target: no /PrepareSchema, no /PrepareAD. */
	static Topology adPreparedFor(String build) {
		Topology t = bundled();
		return new Topology(t.organisation(), t.domain(), t.build(), t.media(), t.dags(), t.clientAccess(),
				t.conditions(), new Topology.ActiveDirectory(null, build, build));
	}

	/** Further installation media every server can reach: the Setup.exe of another cumulative update, say. */
	static Topology withMedia(String path, String build) {
		Topology t = bundled();
		List<Topology.Media> media = new ArrayList<>(t.media());
		media.add(new Topology.Media(path, build));
		return new Topology(t.organisation(), t.domain(), t.build(), media, t.dags(), t.clientAccess(), t.conditions(),
				t.activeDirectory());
	}

	/** A forest of two domains, prepared for the installed build only. */
	static Topology twoDomains() {
		Topology t = bundled();
		return new Topology(t.organisation(), t.domain(), t.build(), t.media(), t.dags(), t.clientAccess(),
				t.conditions(), new Topology.ActiveDirectory(List.of("emea.contoso.local"), null, null));
	}

	/** Two members and a file share witness that does not answer: one member down leaves one vote of three. */
	static Topology twoMembersWitnessOffline() {
		Topology t = bundled();
		Topology.Dag dag = new Topology.Dag("DAG01", "FS01", List.of("EX01", "EX02"),
				List.of(new Topology.Database("DB01", List.of("EX01", "EX02")),
						new Topology.Database("DB02", List.of("EX02", "EX01"))), true);
		return new Topology(t.organisation(), t.domain(), t.build(), t.media(), List.of(dag), t.clientAccess(),
				List.of(), t.activeDirectory());
	}
}
