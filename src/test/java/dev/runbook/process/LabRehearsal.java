package dev.runbook.process;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.test.mock.Mocks;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.PowerShell;
import dev.runbook.command.ServerName;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabDirectory;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabShell;
import dev.runbook.lab.Topology;

/**
 * A rehearsal of the processes against the lab, in simulated time. Wires the process beans as the application does
 * (registered with {@link Mocks} under their bean names) and lets time pass by executing jobs in due order, moving the
 * lab's clock and the engine's clock to each job's due date first. Nothing sleeps. Public, with its step families,
 * so that the rollout's tests rehearse on the same harness with their own families added.
 */
public final class LabRehearsal {

	static final ServerName EX02 = ServerName.of("EX02");
	public static final String SETUP_PATH = "D:\\Media\\Exchange2013-CU23\\Setup.exe";
	public static final String TARGET_BUILD = "15.0.1497.2";
	static final String INSTALLED_BUILD = "15.0.1473.3";

	/** A runaway loop fails the test instead of hanging it. */
	private static final int MAX_JOBS = 5000;

	public final LabClock.Manual clock = new LabClock.Manual();
	public final LabOrganisation lab;
	public final LabShell shell;
	public final LabDirectory directory;
	/** The step families registered under {@code steps}, for a later process's tests to add theirs to. */
	public final List<StepFamily> families;
	final RunbookSteps steps;
	public final ProcessTiming timing;
	/** Exceptions thrown by jobs: each is a failed attempt the retry cycle answers. */
	public final List<Exception> failures = new ArrayList<>();
	private final ProcessEngine engine;

	public LabRehearsal(ProcessEngine engine) {
		this(engine, Topology.bundledDefault());
	}

	public LabRehearsal(ProcessEngine engine, Topology topology) {
		this(engine, topology, new RunbookProperties(null, null, null, null));
	}

	public LabRehearsal(ProcessEngine engine, Topology topology, RunbookProperties properties) {
		this.engine = engine;
		lab = new LabOrganisation(topology, clock);
		shell = new LabShell(lab);
		directory = new LabDirectory(lab);
		families = List.of(new ComponentSteps(), new TransportSteps(directory), new ClusterSteps(),
				new DatabaseSteps(), new SetupSteps(properties), new RestartSteps());
		steps = new RunbookSteps(families, shell);
		timing = new ProcessTiming(properties, shell);
		MaintenanceRequest maintenanceRequest = new MaintenanceRequest(directory);
		Mocks.register("steps", steps);
		Mocks.register("timing", timing);
		Mocks.register("maintenanceRequest", maintenanceRequest);
		Mocks.register("upgradeRequest", new UpgradeRequest(maintenanceRequest));
		Mocks.register("formAnswers", new FormAnswers());
		ClockUtil.setCurrentTime(Date.from(clock.now()));
	}

	public static void reset() {
		Mocks.reset();
		ClockUtil.reset();
	}

	/** Lets simulated time pass: every job that falls due within it runs, in due order. */
	public void advance(Duration duration) {
		Instant end = clock.now().plus(duration);
		for (int executed = 0;; executed++) {
			Optional<Job> next = nextJob(end, executed);
			if (next.isEmpty()) {
				break;
			}
			run(next.get());
		}
		moveTo(end);
	}

	/**
	 * Lets time pass until the next job to run is the one waiting before {@code activityId}, and leaves it unexecuted:
	 * the moment to change the lab behind the process's back.
	 */
	public void advanceUntilJobAt(String activityId, Duration limit) {
		Instant end = clock.now().plus(limit);
		for (int executed = 0;; executed++) {
			Job next = nextJob(end, executed).orElseThrow(
					() -> new IllegalStateException("No job reached " + activityId + " within " + limit + "."));
			if (engine.getManagementService().createJobQuery().activityId(activityId).list().stream()
					.anyMatch(j -> j.getId().equals(next.getId()))) {
				moveTo(due(next));
				return;
			}
			run(next);
		}
	}

	private Optional<Job> nextJob(Instant end, int executedSoFar) {
		if (executedSoFar == MAX_JOBS) {
			throw new IllegalStateException("More than " + MAX_JOBS + " jobs: a runaway loop?");
		}
		return engine.getManagementService().createJobQuery().active().withRetriesLeft().list().stream()
				.filter(j -> !due(j).isAfter(end))
				.min(Comparator.comparing(this::due).thenComparing(Job::getCreateTime)
						.thenComparing(j -> Long.parseLong(j.getId())));
	}

	private void run(Job job) {
		moveTo(due(job));
		try {
			execute(job);
		} catch (Exception e) {
			failures.add(e);
		}
	}

	/** Runs the jobs that are due now, without letting time pass. */
	public void runDueJobs() {
		advance(Duration.ZERO);
	}

	private Instant due(Job job) {
		Instant now = clock.now();
		return job.getDuedate() == null || job.getDuedate().toInstant().isBefore(now) ? now : job.getDuedate().toInstant();
	}

	private void moveTo(Instant instant) {
		Duration step = Duration.between(clock.now(), instant);
		if (step.isNegative() || step.isZero()) {
			return;
		}
		clock.advance(step);
		ClockUtil.setCurrentTime(Date.from(clock.now()));
	}

	/** The commands that changed something, as PowerShell would have run them, in order. */
	public List<String> changes() {
		return lab.journal().stream().filter(JournalEntry::changesState).filter(JournalEntry::succeeded)
				.map(JournalEntry::command).toList();
	}

	public static String line(ExchangeCommand<?> command) {
		return PowerShell.render(command);
	}
}
