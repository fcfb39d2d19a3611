package dev.runbook.lab;

import java.time.Duration;
import java.util.List;

import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ServerName;

/** The bundled organisation on a manual clock, with the reads the lab tests share. */
final class TestLab {

	static final ServerName EX01 = ServerName.of("EX01");
	static final ServerName EX02 = ServerName.of("EX02");
	static final ServerName EX03 = ServerName.of("EX03");
	static final ServerName EX04 = ServerName.of("EX04");
	static final ServerName CAS01 = ServerName.of("CAS01");

	final LabClock.Manual clock = new LabClock.Manual();
	final LabOrganisation lab;

	TestLab() {
		this(Topology.bundledDefault());
	}

	TestLab(Topology topology) {
		lab = new LabOrganisation(topology, clock);
	}

	<R> R run(ExchangeCommand<R> command) {
		return lab.execute(command);
	}

	void advance(Duration duration) {
		clock.advance(duration);
	}

	void advanceSeconds(long seconds) {
		clock.advance(Duration.ofSeconds(seconds));
	}

	LabServerView view(ServerName server) {
		return lab.server(server).orElseThrow();
	}

	List<String> activeOn(ServerName server) {
		return view(server).activeDatabases();
	}

	String mountedOn(String database) {
		return lab.databases().stream().filter(d -> d.name().equals(database)).findFirst().orElseThrow().mountedOn();
	}

	int toDrain(ServerName server) {
		return run(new GetQueue(server)).messagesToDrain();
	}

	/** Simulated time until Get-Queue shows nothing left to drain, polled as the runbook polls; null past the limit. */
	Duration timeToDrain(ServerName server, Duration poll, Duration limit) {
		Duration waited = Duration.ZERO;
		while (toDrain(server) > 0) {
			if (waited.compareTo(limit) >= 0) {
				return null;
			}
			advance(poll);
			waited = waited.plus(poll);
		}
		return waited;
	}
}
