package dev.runbook.tasklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.runbook.browser.Browser;
import dev.runbook.browser.RequiresBrowser;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.process.ProcessTiming;
import dev.runbook.rollout.JournalChecks;

/**
 * The rolling upgrade of DAG01 as people do it, in a real browser (headless Chromium): the operator signs in to
 * Tasklist, starts the upgrade from its start form and answers the planning checklist; the manager approves in
 * Tasklist; the operator blocks and unblocks each Client Access server in its load balancer; the manager then opens
 * the process in Cockpit and the diagram renders. The application is the one that ships (processes and forms deployed
 * by the process application, job executor on), with the properties of RollingUpgradeApplicationTest: the lab at
 * 3600x, the engine named "default" and the context closed after the class. The end is checked in the engine and in the
 * lab, with the same assertions as that test. Screenshots of each step, and the page a failure happened on, are kept
 * in target/browser-journey/.
 *
 * <p>One property differs: the approval escalates after 30 simulated days instead of one (12 real minutes instead of
 * 24 seconds), so that a slow machine signing the manager in cannot turn the journey into the overdue path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:tasklist-journey-test;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.wait-time-in-millis=200",
		"camunda.bpm.job-execution.max-wait=1000",
		"runbook.lab.time-scale=3600",
		"runbook.timing.approval-timeout=P30D" })
@DirtiesContext
@ExtendWith(RequiresBrowser.class)
class TasklistJourneyTest {

	static final String PROCESS_KEY = "exchange-rolling-upgrade";
	static final String PROCESS_NAME = "Rolling upgrade of a DAG and its Client Access servers";
	static final String DAG = "DAG01";
	static final String TARGET = "15.0.1497.2";
	static final String SETUP_PATH = "D:\\Media\\Exchange2013-CU23\\Setup.exe";
	static final String APPROVAL_COMMENT = "Approved in Tasklist for Saturday's window.";

	/** A page's reaction to a click: loading a view, a form, a list. */
	static final Duration STEP = Duration.ofSeconds(30);
	/** A user task after the one before it: pre-flight, or a server's upgrade (a few dozen one-second waits). */
	static final Duration NEXT_TASK = Duration.ofMinutes(3);
	/** The whole rollout after the approval, as in RollingUpgradeApplicationTest. */
	static final Duration ROLLOUT = Duration.ofMinutes(6);

	static final Pattern TASK_IN_URL = Pattern.compile("[?&]task=([0-9a-f-]+)");
	static final Pattern LOAD_BALANCER_TASK = Pattern.compile("(Block|Unblock) (CAS\\d+) in the load balancer");

	/** Task links in Tasklist's list of the selected filter. */
	static final By TASK_LINKS = By.cssSelector("ol.tasks-list li.task h4.task a");
	static final By CLAIM = By.cssSelector("button.claim");
	static final By COMPLETE = By.xpath("//div[contains(@class,'form-actions')]//button[normalize-space()='Complete']");
	/** Error notifications, a form that failed to load, a filter or list that failed: whatever is shown in red. */
	static final By ERRORS = By.cssSelector(".alert-danger, .alert-error");

	@RegisterExtension
	final Browser browser = new Browser();

	@LocalServerPort
	int port;
	@Autowired
	LabOrganisation lab;
	@Autowired
	IdentityService identity;
	@Autowired
	HistoryService history;
	@Autowired
	ManagementService management;
	@Autowired
	RepositoryService repository;
	@Autowired
	ProcessTiming timing;

	WebDriver driver;

	@BeforeEach
	void aFreshLab() {
		lab.reset(Topology.bundledDefault());
		driver = browser.driver();
	}

	@Test
	void operatorAndManagerUpgradeDag01InTasklistAndTheManagerSeesItInCockpit() {
		assertThat(Duration.parse(timing.getApprovalTimeout())).as("the approval's escalation, in real time")
				.isGreaterThan(Duration.ofMinutes(10));

		// 1. The operator starts the rolling upgrade from its start form.
		signIn("tasklist", "operator");
		String id = startTheRollingUpgrade();
		HistoricProcessInstance started = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
		assertThat(started.getStartUserId()).isEqualTo("operator");
		assertThat(started.getBusinessKey()).isEqualTo(DAG + "-" + TARGET);
		assertThat(variable(id, "dag")).isEqualTo(DAG);
		assertThat(variable(id, "targetBuild")).isEqualTo(TARGET);
		assertThat(variable(id, "setupPath")).isEqualTo(SETUP_PATH);
		assertThat(variable(id, "loadBalancer")).as("the form's default").isEqualTo("manual");
		assertThat(variable(id, "order")).as("the form's default").isEqualTo("mailbox-first");
		assertThat(variable(id, "dryRun")).isEqualTo(false);

		// 2. The planning checklist, from the Operators filter.
		String checklist = openTask("Operators", "Planning checklist: " + DAG + " to " + TARGET, NEXT_TASK);
		assertThat(lab.journal()).as("nothing changed before the checklist").noneMatch(JournalEntry::changesState);
		claim("operator");
		assertThat(formText()).contains("6 servers, one at a time");
		List<String> confirmations = List.of("maintenanceWindowScheduled", "backupDone", "permissionsConfirmed",
				"antivirusConfirmed", "clusterHeartbeatConfirmed");
		confirmations.forEach(this::tick);
		browser.screenshot("checklist-ticked");
		complete(checklist, "operator");
		confirmations.forEach(name -> assertThat(variable(id, name)).as(name).isEqualTo(true));
		signOut();

		// 3. The manager approves, from the Managers filter.
		signIn("tasklist", "manager");
		String approval = openTask("Managers", "Approve the rolling upgrade of " + DAG + " to " + TARGET, NEXT_TASK);
		claim("manager");
		assertThat(formText()).contains("Requested by operator").contains("6 servers, one at a time")
				.contains("Pre-flight report");
		tick("approved");
		type(field("textarea", "approvalComment"), APPROVAL_COMMENT);
		browser.screenshot("approval-filled");
		complete(approval, "manager");
		assertThat(variable(id, "approved")).isEqualTo(true);
		assertThat(variable(id, "approvalComment")).isEqualTo(APPROVAL_COMMENT);
		signOut();

		// 4. The operator answers the load-balancer tasks as they come, until the rollout ends; the journal's length
		// marks when each was answered.
		signIn("tasklist", "operator");
		focusFilter("Operators");
		Map<String, Integer> blockedAt = new LinkedHashMap<>();
		Map<String, Integer> unblockedAt = new LinkedHashMap<>();
		List<String> answered = new ArrayList<>();
		Set<String> done = new HashSet<>();
		Instant deadline = Instant.now().plus(ROLLOUT);
		boolean refusedOnce = false;
		while (true) {
			Duration left = Duration.between(Instant.now(), deadline);
			assertThat(left).as("rollout ended within " + ROLLOUT).isPositive();
			// Tasklist refreshes the filter's list every 10 s by itself, as an operator watching it sees.
			Optional<String> next = waiting(left).pollingEvery(Duration.ofSeconds(1))
					.withMessage("the next operator task, or the end of the rollout").until(d -> {
						assertThat(management.createJobQuery().withException().noRetriesLeft().list()).as("incidents").isEmpty();
						if (ended(id)) {
							return Optional.<String>empty();
						}
						Optional<String> listed = d.findElements(TASK_LINKS).stream()
								.filter(link -> !done.contains(taskIdIn(link.getDomAttribute("href")))).findFirst()
								.map(link -> link.getText().trim());
						return listed.isPresent() ? listed : null;
					});
			if (next.isEmpty()) {
				break;
			}
			String name = next.get();
			Matcher loadBalancer = LOAD_BALANCER_TASK.matcher(name);
			if (!loadBalancer.matches()) {
				fail("An operator task the rollout should not reach: " + name);
			}
			String server = loadBalancer.group(2);
			boolean block = loadBalancer.group(1).equals("Block");
			String task = openTask("Operators", name, STEP);
			claim("operator");
			assertThat(formText()).contains(server).contains(TARGET);
			String confirmation = block ? "nlbBlocked" : "nlbUnblocked";
			if (!refusedOnce) {
				// The form refuses to complete without the confirmation, and the task stays open.
				click(COMPLETE);
				waiting(STEP).until(ExpectedConditions.textToBePresentInElementLocated(
						By.cssSelector(".fjs-form [id$='-Field_" + confirmation + "-error-message']"), "Field is required."));
				browser.screenshot(name.replace(' ', '-') + "-refused");
				assertThat(history.createHistoricTaskInstanceQuery().taskId(task).unfinished().count()).isEqualTo(1);
				dismissErrorNotifications();
				refusedOnce = true;
			}
			tick(confirmation);
			(block ? blockedAt : unblockedAt).put(server, lab.journal().size());
			browser.screenshot(name.replace(' ', '-'));
			complete(task, "operator");
			String casInstance = history.createHistoricTaskInstanceQuery().taskId(task).singleResult().getProcessInstanceId();
			assertThat(variable(casInstance, confirmation)).as(name).isEqualTo(true);
			answered.add(name);
			done.add(task);
		}
		assertThat(refusedOnce).isTrue();
		assertThat(answered).containsExactly("Block CAS01 in the load balancer", "Unblock CAS01 in the load balancer",
				"Block CAS02 in the load balancer", "Unblock CAS02 in the load balancer");
		signOut();

		// 5. The rollout ended, and the lab shows it: as in RollingUpgradeApplicationTest.
		assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult().getState())
				.isEqualTo(HistoricProcessInstance.STATE_COMPLETED);
		assertThat(variable(id, "outcome")).isEqualTo("completed");
		assertThat(variable(id, "requestedBy")).isEqualTo("operator");
		assertThat(variable(id, "serversDone")).isEqualTo(6);
		JournalChecks.assertDag01RolledOut(lab, TARGET, blockedAt, unblockedAt);

		// 6. The manager follows it in Cockpit: the process definition's page, its diagram drawn shape by shape.
		signIn("cockpit", "manager");
		click(By.linkText("Processes"));
		click(By.linkText(PROCESS_KEY));
		ProcessDefinition definition = repository.createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY)
				.latestVersion().singleResult();
		waiting(STEP).until(ExpectedConditions.urlContains("/process-definition/" + definition.getId() + "/"));
		List<String> shapes = repository.getBpmnModelInstance(definition.getId()).getModelElementsByType(BpmnShape.class)
				.stream().map(shape -> shape.getBpmnElement().getId()).toList();
		assertThat(shapes).contains("RolloutRequested", "ApproveRollout", "UpgradeServers", "UpgradeClientAccess");
		waiting(STEP).withMessage("the diagram's shapes drawn by bpmn-js").until(d -> drawnShapes().containsAll(shapes));
		waiting(STEP).withMessage("the approval task shown in the diagram").until(ExpectedConditions
				.visibilityOfElementLocated(By.cssSelector(".djs-container svg [data-element-id='ApproveRollout']")));
		waiting(STEP).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ul.cam-breadcrumb"), PROCESS_NAME));
		browser.screenshot("cockpit-diagram");
		assertNoError("Cockpit's process definition page");
	}

	// ---- Camunda webapps ---------------------------------------------------------------------------------------

	/** The application's login form, then its header shows the user's name. */
	void signIn(String application, String user) {
		driver.get("http://localhost:" + port + "/camunda/app/" + application + "/default/");
		type(By.cssSelector("input[ng-model='username']"), user);
		type(By.cssSelector("input[ng-model='password']"), user);
		click(By.cssSelector("button[type='submit']"));
		waiting(STEP).withMessage(user + " signed in to " + application).until(ExpectedConditions
				.textToBePresentInElementLocated(By.cssSelector("li.account a.dropdown-toggle"), fullName(user)));
		browser.screenshot(application + "-" + user);
	}

	/** The account menu's "Log out", then the login form again. */
	void signOut() {
		click(By.cssSelector("li.account a.dropdown-toggle"));
		click(By.cssSelector("li.account li.logout a"));
		waiting(STEP).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[ng-model='username']")));
	}

	/** Tasklist's "Start process": search, pick the rolling upgrade, fill its form, Start; the new instance's id. */
	String startTheRollingUpgrade() {
		click(By.cssSelector("li.start-process-action a"));
		type(By.cssSelector(".modal-dialog input[ng-model='page.searchValue']"), "Rolling upgrade");
		click(By.xpath("//div[contains(@class,'modal-dialog')]//ul[contains(@class,'processes')]//a[normalize-space()='"
				+ PROCESS_NAME + "']"));
		type(field("input", "dag"), DAG);
		type(field("input", "targetBuild"), TARGET);
		type(field("input", "setupPath"), SETUP_PATH);
		String dryRun = waiting(STEP).until(d -> d.findElement(field("input", "dryRun")).isSelected() ? "ticked" : "clear");
		assertThat(dryRun).as("the dry-run box by default").isEqualTo("clear");
		browser.screenshot("start-form-filled");
		click(By.xpath("//div[contains(@class,'modal-footer')]//button[normalize-space()='Start']"));
		waiting(STEP).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-dialog")));
		waiting(STEP).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notifications"),
				"The process has been started"));
		assertNoError("after the start");
		List<HistoricProcessInstance> started = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
				.list();
		assertThat(started).as("instances of " + PROCESS_KEY).hasSize(1);
		return started.get(0).getId();
	}

	/** Selects the filter in the left column; its list then shows that filter's tasks. */
	void focusFilter(String filter) {
		By link = By.xpath("//div[contains(@class,'task-filter')]//h4[contains(@class,'name')]/a[starts-with(normalize-space(), '"
				+ filter + "')]");
		click(link);
		waiting(STEP).until(ExpectedConditions.attributeContains(
				By.xpath("//div[contains(@class,'task-filter')][.//h4/a[starts-with(normalize-space(), '" + filter + "')]]"),
				"class", "active"));
	}

	/** Opens the task of that name from the filter, once Tasklist lists it (it refreshes every 10 s); its id. */
	String openTask(String filter, String name, Duration within) {
		focusFilter(filter);
		By link = By.xpath("//ol[contains(@class,'tasks-list')]//h4[contains(@class,'task')]/a[normalize-space()='" + name + "']");
		waiting(within).withMessage("task '" + name + "' under " + filter).until(ExpectedConditions.presenceOfElementLocated(link));
		click(link);
		String id = waiting(STEP).until(d -> taskIdIn(d.getCurrentUrl()));
		waiting(STEP).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".task-details h2.task"),
				name));
		waiting(STEP).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".task-details .fjs-form")));
		assertNoError("task '" + name + "'");
		return id;
	}

	/** Tasklist's "Claim"; the form is disabled until the task is the user's. */
	void claim(String user) {
		click(CLAIM);
		waiting(STEP).until(ExpectedConditions.invisibilityOfElementLocated(CLAIM));
		waiting(STEP).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".task-details li.assignee"), fullName(user)));
	}

	/** "Complete", then the engine has the task finished by that user. */
	void complete(String task, String user) {
		click(COMPLETE);
		waiting(STEP).withMessage("task " + task + " completed").until(d -> history.createHistoricTaskInstanceQuery()
				.taskId(task).finished().count() == 1);
		HistoricTaskInstance finished = history.createHistoricTaskInstanceQuery().taskId(task).singleResult();
		assertThat(finished.getAssignee()).as(finished.getName() + " claimed by").isEqualTo(user);
		assertThat(finished.getDeleteReason()).as(finished.getName()).isEqualTo("completed");
		assertNoError("after completing " + finished.getName());
	}

	/** A Camunda Form's field by its component id (Field_key): form-js ids are "fjs-form-<random>-Field_key". */
	static By field(String element, String key) {
		return By.cssSelector(".fjs-form " + element + "[id$='-Field_" + key + "']");
	}

	void tick(String key) {
		By checkbox = field("input", key);
		click(checkbox);
		waiting(STEP).until(ExpectedConditions.elementToBeSelected(checkbox));
	}

	String formText() {
		// Read inside the wait: form-js may draw the form again between finding and reading it.
		return waiting(STEP).until(d -> {
			WebElement form = d.findElement(By.cssSelector(".fjs-form"));
			return form.isDisplayed() ? form.getText() : null;
		});
	}

	void dismissErrorNotifications() {
		// The notification's own ×; uib-alert's hidden one is not for notifications.
		By close = By.cssSelector(".notifications .alert-danger button.close[ng-click^='removeNotification']");
		// One close per poll until none is left: a notification may also go by itself between two looks.
		waiting(STEP).withMessage("error notifications closed").ignoring(ElementClickInterceptedException.class)
				.ignoring(ElementNotInteractableException.class).until(d -> {
					List<WebElement> open = d.findElements(close);
					if (open.isEmpty()) {
						return true;
					}
					open.get(0).click();
					return false;
				});
		waiting(STEP).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".notifications .alert-danger")));
	}

	/**
	 * The error alerts shown now. Angular may remove an alert between finding it and reading it (seen in CI after a
	 * completion re-drew the notifications), so the snapshot is taken again until no element went stale under it.
	 */
	void assertNoError(String where) {
		List<String> shown = waiting(STEP).withMessage("the page's error alerts").until(d -> d.findElements(ERRORS)
				.stream().filter(WebElement::isDisplayed).map(WebElement::getText).toList());
		assertThat(shown).as("errors shown " + where).isEmpty();
	}

	/** The element ids of the shapes bpmn-js has drawn. */
	@SuppressWarnings("unchecked")
	List<String> drawnShapes() {
		return (List<String>) ((JavascriptExecutor) driver).executeScript("return Array.from(document.querySelectorAll("
				+ "'.djs-container svg .djs-element.djs-shape')).map(e => e.getAttribute('data-element-id'));");
	}

	static String taskIdIn(String url) {
		Matcher matcher = TASK_IN_URL.matcher(url == null ? "" : url);
		return matcher.find() ? matcher.group(1) : null;
	}

	// ---- Browser -----------------------------------------------------------------------------------------------

	WebDriverWait waiting(Duration timeout) {
		WebDriverWait wait = browser.waiting(timeout);
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	/** Waits until the element is there, shown and enabled, and clicks it: again if Angular re-drew it meanwhile. */
	void click(By by) {
		waiting(STEP).withMessage("click " + by).ignoring(ElementClickInterceptedException.class)
				.ignoring(ElementNotInteractableException.class).until(d -> {
					WebElement element = d.findElement(by);
					if (!element.isDisplayed() || !element.isEnabled()) {
						return false;
					}
					((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
					element.click();
					return true;
				});
	}

	/**
	 * Types until the field holds the text: a dialog that is still opening may take the focus away or draw the field
	 * again while the keys arrive (seen with Start process's search field on a loaded CI machine).
	 */
	void type(By by, String text) {
		waiting(STEP).withMessage("type '" + text + "' into " + by).ignoring(StaleElementReferenceException.class)
				.ignoring(ElementNotInteractableException.class).until(d -> {
					WebElement input = d.findElement(by);
					if (!input.isDisplayed() || !input.isEnabled()) {
						return false;
					}
					if (!text.equals(input.getDomProperty("value"))) {
						input.clear();
						input.click();
						input.sendKeys(text);
					}
					return text.equals(input.getDomProperty("value"));
				});
	}

	// ---- Engine ------------------------------------------------------------------------------------------------

	/** As the webapps show a user: first and last name (the lab profile's "Lab Operator"), else the id. */
	String fullName(String user) {
		User u = identity.createUserQuery().userId(user).singleResult();
		String name = (nullToEmpty(u.getFirstName()) + " " + nullToEmpty(u.getLastName())).trim();
		return name.isEmpty() ? user : name;
	}

	static String nullToEmpty(String s) {
		return s == null ? "" : s;
	}

	boolean ended(String id) {
		return history.createHistoricProcessInstanceQuery().processInstanceId(id).finished().count() == 1;
	}

	/** A variable of the instance's own scope. */
	Object variable(String id, String name) {
		return history.createHistoricVariableInstanceQuery().processInstanceId(id).variableName(name).list().stream()
				.filter(v -> id.equals(v.getActivityInstanceId())).findFirst().map(HistoricVariableInstance::getValue)
				.orElse(null);
	}

}
