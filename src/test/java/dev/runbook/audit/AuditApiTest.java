package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.StreamSupport;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runbook.command.ExchangeShell;
import dev.runbook.lab.JournalEntry;
import dev.runbook.lab.LabFault;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.security.ApiClient;

/**
 * The audit API and pages over HTTP, after a change that an operator requested and a manager approved through REST:
 * who may read them, and what they show. The engine keeps its name "default", which /engine-rest needs; the context
 * is closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"spring.datasource.url=jdbc:h2:mem:audit-api;DB_CLOSE_DELAY=-1",
		"camunda.bpm.generate-unique-process-application-name=true",
		"camunda.bpm.job-execution.enabled=false" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class AuditApiTest {

	@TestConfiguration
	static class Steps {
		@Bean
		AuditSteps auditSteps(ExchangeShell shell) {
			return new AuditSteps(shell);
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	LabOrganisation lab;

	@Autowired
	ExchangeShell shell;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	IdentityService identity;

	@Autowired
	JdbcTemplate jdbc;

	ApiClient api;

	@BeforeEach
	void setUp() {
		api = new ApiClient(port);
		if (repository.createProcessDefinitionQuery().processDefinitionKey("audited-change").count() == 0) {
			repository.createDeployment().addClasspathResource("audit/audited-change.bpmn").deploy();
		}
		lab.reset(Topology.bundledDefault());
	}

	@Test
	void theProcessesSeeTheRecordingShell() {
		assertThat(shell).isInstanceOf(RecordingShell.class);
	}

	@Test
	void anonymousCallsGet401AndUsersOutsideTheReadersGet403() {
		for (String path : List.of("/api/audit/upgrades", "/api/audit/upgrades/x", "/audit", "/audit/x")) {
			ResponseEntity<String> anonymous = api.get(path, null);
			assertThat(anonymous.getStatusCode().value()).as(path).isEqualTo(401);
			assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as(path).startsWith("Basic");
			assertThat(api.get(path, "operator:operator").getStatusCode().value()).as(path).isEqualTo(403);
		}
		for (String reader : List.of("auditor:auditor", "manager:manager", "admin:admin")) {
			assertThat(api.get("/api/audit/upgrades", reader).getStatusCode().value()).as(reader).isEqualTo(200);
			assertThat(api.get("/audit", reader).getStatusCode().value()).as(reader).isEqualTo(200);
		}
	}

	@Test
	void theReportListsEveryCommandOfTheLabJournalInOrderWithWhoAskedAndWhoApproved() {
		String pi = change("CU23 rehearsed in the lab");
		List<JournalEntry> journal = lab.journal();

		JsonNode report = ApiClient.json(api.get("/api/audit/upgrades/" + pi, "auditor:auditor"));

		JsonNode commands = report.get("commands");
		assertThat(commands).hasSize(journal.size()).hasSize(3);
		for (int i = 0; i < journal.size(); i++) {
			assertThat(commands.get(i).get("commandLine").asText()).isEqualTo(journal.get(i).command());
			assertThat(commands.get(i).get("server").asText()).isEqualTo(journal.get(i).server());
			assertThat(commands.get(i).get("outcome").asText()).isEqualTo(journal.get(i).succeeded() ? "Succeeded" : "Failed");
		}
		assertThat(report.at("/upgrade/startedBy").asText()).isEqualTo("operator");
		assertThat(report.at("/upgrade/outcome").asText()).isEqualTo("Completed at changed");
		assertThat(report.at("/upgrade/variables/server").asText()).isEqualTo("EX02");

		JsonNode approval = report.at("/approvals/0");
		assertThat(approval.get("requestedBy").asText()).isEqualTo("operator");
		assertThat(approval.get("approvedBy").asText()).isEqualTo("manager");
		assertThat(approval.get("comment").asText()).isEqualTo("CU23 rehearsed in the lab");
		assertThat(approval.get("approvedAt").isTextual()).isTrue();

		JsonNode task = report.at("/userTasks/0");
		assertThat(task.get("claimedBy").asText()).isEqualTo("manager");
		assertThat(task.get("completedBy").asText()).isEqualTo("manager");
		assertThat(task.at("/entered/approved").asBoolean()).isTrue();
		assertThat(operations(report)).contains("manager Claim Task", "manager Complete Task");

		assertThat(StreamSupport.stream(report.get("steps").spliterator(), false).map(s -> s.get("activityId").asText()))
				.containsSubsequence("requested", "read", "drain", "approve", "check", "changed");
		List<String> times = StreamSupport.stream(report.get("timeline").spliterator(), false)
				.map(e -> e.get("time").asText()).toList();
		assertThat(times).isSorted();
	}

	@Test
	void aCalledInstanceIdLeadsToTheReportOfItsRunAndUnknownIdsTo404() {
		ResponseEntity<String> unknown = api.get("/api/audit/upgrades/no-such-instance", "auditor:auditor");
		assertThat(unknown.getStatusCode().value()).isEqualTo(404);
		assertThat(ApiClient.json(unknown).get("message").asText()).contains("no-such-instance");
		assertThat(api.get("/audit/no-such-instance", "auditor:auditor").getStatusCode().value()).isEqualTo(404);
	}

	@Test
	void theListShowsEachRunWithWhoStartedItAndHowItEnded() {
		String pi = change("fine");

		JsonNode list = ApiClient.json(api.get("/api/audit/upgrades", "manager:manager"));

		JsonNode run = StreamSupport.stream(list.spliterator(), false)
				.filter(u -> u.get("processInstanceId").asText().equals(pi)).findFirst().orElseThrow();
		assertThat(run.get("startedBy").asText()).isEqualTo("operator");
		assertThat(run.get("state").asText()).isEqualTo("COMPLETED");
		assertThat(run.at("/variables/server").asText()).isEqualTo("EX02");
		// curl's Accept: */* keeps JSON
		ResponseEntity<String> anything = api.send(HttpMethod.GET, "/api/audit/upgrades", "manager:manager", null, "*/*");
		assertThat(anything.getHeaders().getContentType().toString()).startsWith("application/json");
	}

	@Test
	void csvForSpreadsheetsByParameterOrAcceptHeaderWithFormulasDisarmed() {
		String pi = change("=HYPERLINK(\"http://evil\",\"x\")", "=cmd|' /C calc'!A0");

		ResponseEntity<String> csv = api.get("/api/audit/upgrades/" + pi + "?format=csv", "auditor:auditor");
		assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
		assertThat(csv.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION)).contains("upgrade-" + pi + ".csv");
		String[] lines = csv.getBody().split("\r\n");
		assertThat(lines[0]).isEqualTo("\uFEFFtime,kind,processInstanceId,activity,server,actor,what,outcome,detail");
		assertThat(lines).filteredOn(l -> l.contains(",command,")).hasSize(3);
		// the comment sits inside a detail cell; quotes doubled, the cell quoted
		assertThat(csv.getBody()).contains("comment: =HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");

		ResponseEntity<String> byAccept = api.send(HttpMethod.GET, "/api/audit/upgrades", "auditor:auditor", null,
				"text/csv");
		assertThat(byAccept.getHeaders().getContentType().toString()).startsWith("text/csv");
		assertThat(byAccept.getBody()).startsWith("\uFEFFprocessInstanceId,process,businessKey,startedBy")
				// a business key that a spreadsheet would run as a formula stays text
				.contains(pi + ",Audited change,'=cmd|' /C calc'!A0,operator,").doesNotContain(",=cmd");
	}

	@Test
	void htmlPagesEscapeWhatPeopleTypedAndRunNoScript() {
		String pi = change("<script>alert('x')</script> & <b>bold</b>");

		ResponseEntity<String> page = api.get("/audit/" + pi, "auditor:auditor");
		assertThat(page.getStatusCode().value()).isEqualTo(200);
		assertThat(page.getHeaders().getContentType().toString()).startsWith("text/html");
		assertThat(page.getHeaders().getFirst("Content-Security-Policy")).startsWith("default-src 'none'")
				.doesNotContain("unsafe-inline");
		assertThat(page.getBody()).doesNotContain("<script", "<b>bold")
				.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")
				.contains("Requested (started) by</dt><dd>operator", "@media print");
		for (JournalEntry entry : lab.journal()) {
			assertThat(page.getBody()).contains(AuditPage.esc(entry.command()));
		}

		String list = api.get("/audit", "auditor:auditor").getBody();
		assertThat(list).contains("href=\"audit/" + pi + "\"");
	}

	@Test
	void failedAttemptsTheIncidentAndTheManagersRetryAreOnRecord() {
		lab.injectFault(dev.runbook.command.ServerName.of("EX02"), LabFault.TRANSIENT_ERROR, 3);
		ResponseEntity<String> started = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/audited-change/start", "operator:operator",
				"{\"variables\": {\"server\": {\"value\": \"EX02\", \"type\": \"String\"}}}");
		String pi = ApiClient.json(started).get("id").asText();
		Job read = next(pi);
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThatThrownBy(() -> management.executeJob(read.getId())).hasMessageContaining("WS-Management");
		}
		assertThat(runtime.createIncidentQuery().processInstanceId(pi).count()).isOne();
		assertThat(api.send(HttpMethod.PUT, "/engine-rest/job/" + read.getId() + "/retries", "manager:manager",
				"{\"retries\": 1}").getStatusCode().value()).isEqualTo(204);
		runJobs(pi);

		JsonNode report = ApiClient.json(api.get("/api/audit/upgrades/" + pi, "auditor:auditor"));

		List<JournalEntry> journal = lab.journal();
		JsonNode commands = report.get("commands");
		assertThat(commands).hasSize(journal.size()).hasSize(5);
		for (int i = 0; i < journal.size(); i++) {
			assertThat(commands.get(i).get("commandLine").asText()).isEqualTo(journal.get(i).command());
			assertThat(commands.get(i).get("outcome").asText()).isEqualTo(journal.get(i).succeeded() ? "Succeeded" : "Failed");
			if (!journal.get(i).succeeded()) {
				assertThat("Failed: " + commands.get(i).get("message").asText()).isEqualTo(journal.get(i).outcome());
			}
		}
		assertThat(StreamSupport.stream(report.get("failures").spliterator(), false).map(f -> f.get("jobRetries").asInt()))
				.containsExactly(3, 2, 1);
		JsonNode incident = report.at("/incidents/0");
		assertThat(incident.get("state").asText()).isEqualTo("resolved");
		assertThat(incident.get("activityId").asText()).isEqualTo("read");
		assertThat(incident.get("resolution").asText()).contains("manager set the retries to 1");
		assertThat(operations(report)).contains("manager SetJobRetries Job");
	}

	@Test
	void noPasswordEndsUpInTheDatabaseOrTheLog(CapturedOutput log) {
		String secret = "Rh3arsal-Secr3t-" + System.nanoTime();
		if (identity.createUserQuery().userId("rehearser").count() == 0) {
			User user = identity.newUser("rehearser");
			user.setPassword(secret);
			identity.saveUser(user);
			identity.createMembership("rehearser", "operators");
		}
		String pi = change("approved", null, "rehearser:" + secret);
		assertThat(api.get("/api/audit/upgrades/" + pi, "rehearser:" + secret).getStatusCode().value()).isEqualTo(403);

		List<String> tables = jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = 'PUBLIC'", String.class);
		assertThat(tables).contains("ACT_HI_COMMENT", "ACT_HI_VARINST", "ACT_HI_DETAIL", "ACT_HI_OP_LOG", "ACT_GE_BYTEARRAY");
		for (String table : tables) {
			jdbc.query("select * from " + table, (ResultSet row) -> {
				for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
					Object value = row.getObject(column);
					String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
					assertThat(text).as(table + "." + row.getMetaData().getColumnName(column)).doesNotContain(secret);
				}
			});
		}
		assertThat(log.getAll()).doesNotContain(secret);
	}

	/** Requested by operator (REST), approved by manager (REST) with {@code comment}; answers the instance id. */
	private String change(String comment) {
		return change(comment, null);
	}

	private String change(String comment, String businessKey) {
		return change(comment, businessKey, "operator:operator");
	}

	/** Requested by {@code requester} (REST), approved by manager (REST) with {@code comment}. */
	private String change(String comment, String businessKey, String requester) {
		ResponseEntity<String> started = api.send(HttpMethod.POST,
				"/engine-rest/process-definition/key/audited-change/start", requester,
				"{\"variables\": {\"server\": {\"value\": \"EX02\", \"type\": \"String\"}}"
						+ (businessKey == null ? "" : ", \"businessKey\": " + quote(businessKey)) + "}");
		assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(200);
		String pi = ApiClient.json(started).get("id").asText();
		runJobs(pi);

		JsonNode tasks = ApiClient.json(api.get("/engine-rest/task?processInstanceId=" + pi, "manager:manager"));
		assertThat(tasks).hasSize(1);
		String task = tasks.get(0).get("id").asText();
		assertThat(api.send(HttpMethod.POST, "/engine-rest/task/" + task + "/claim", "manager:manager",
				"{\"userId\": \"manager\"}").getStatusCode().value()).isEqualTo(204);
		String body = "{\"variables\": {\"approved\": {\"value\": true}, \"approvalComment\": {\"value\": "
				+ quote(comment) + "}}}";
		ResponseEntity<String> completed = api.send(HttpMethod.POST, "/engine-rest/task/" + task + "/complete",
				"manager:manager", body);
		assertThat(completed.getStatusCode().value()).as(completed.getBody()).isEqualTo(204);
		runJobs(pi);
		assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).count()).isZero();
		return pi;
	}

	private void runJobs(String pi) {
		for (Job job = next(pi); job != null; job = next(pi)) {
			management.executeJob(job.getId());
		}
	}

	private Job next(String pi) {
		return management.createJobQuery().processInstanceId(pi).executable().list().stream().findFirst().orElse(null);
	}

	private static String quote(String text) {
		return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
	}

	private static List<String> operations(JsonNode report) {
		return StreamSupport.stream(report.get("operations").spliterator(), false)
				.map(o -> o.get("userId").asText() + " " + o.get("operationType").asText() + " "
						+ o.get("entityType").asText())
				.toList();
	}
}
