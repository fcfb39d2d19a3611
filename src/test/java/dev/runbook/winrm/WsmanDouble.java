package dev.runbook.winrm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.runbook.command.CommandFailedException;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptOutput;

/**
 * A WS-Management (WinRS) service on the loopback interface that behaves like Windows for the runbook's executor:
 * NTLM logon with message sealing, Create, Command, Receive (first answering "no output yet" as WinRM does while a
 * command runs), Signal and Delete. Every host is served at {@code /<host>/wsman}. A script is decoded from
 * {@code -EncodedCommand} and answered by {@link LabPowerShell}. Failure modes make it misbehave as a broken server
 * would.
 */
final class WsmanDouble implements AutoCloseable {

	enum Failure {
		/** Answers every request with 401 and offers only Basic, as WinRM with Negotiate disabled. */
		UNAUTHORIZED,
		/** HTTP 500 with an HTML body, as IIS or a proxy in front of WinRM might. */
		HTTP_500,
		/** A WS-Man fault for Create: access denied. */
		WSMAN_FAULT,
		/** Never answers Receive with output: "no output yet" for ever. */
		NO_OUTPUT,
		/** Accepts the request and never answers. */
		HANG
	}

	static final String SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
	private static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
	private static final String ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
	private static final String WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
	private static final Pattern PATH = Pattern.compile("/([^/]+)/wsman");
	private static final Pattern ENCODED = Pattern.compile("-EncodedCommand ([A-Za-z0-9+/=]+)");

	private final HttpServer server;
	private final String scheme;
	private final ExecutorService threads = Executors.newCachedThreadPool();
	private final NtlmServer ntlm;
	private final BiFunction<String, String, ScriptOutput> powershell;
	private final Map<String, NtlmServer.Handshake> handshakes = new ConcurrentHashMap<>();
	/**
	 * The sealing state of the latest logon. winrm4j keeps one sealing state per call, whichever pooled connection
	 * carries a message; Windows keeps one per connection. The double follows the client, so that a call the HTTP
	 * client spreads over two connections still verifies (see the report: a risk against real servers).
	 */
	private volatile NtlmServer.Session session;
	private final Map<String, String> shells = new ConcurrentHashMap<>();
	private final Map<String, Pending> commands = new ConcurrentHashMap<>();
	private final Map<String, Failure> failures = new ConcurrentHashMap<>();
	private final List<String> actions = java.util.Collections.synchronizedList(new ArrayList<>());
	private final List<String> scripts = java.util.Collections.synchronizedList(new ArrayList<>());
	private final List<String> rawRequests = java.util.Collections.synchronizedList(new ArrayList<>());
	private final AtomicInteger logons = new AtomicInteger();
	private volatile int noOutputYetReplies = 1;

	private static final class Pending {
		final ScriptOutput output;
		final boolean hangs;
		int receives;

		Pending(ScriptOutput output, boolean hangs) {
			this.output = output;
			this.hangs = hangs;
		}
	}

	WsmanDouble(String domain, String user, String password, LabPowerShell lab) {
		this(domain, user, password, lab, null);
	}

	/** A server of the lab that is down or restarting does not answer. */
	private static BiFunction<String, String, ScriptOutput> answeredBy(LabPowerShell lab) {
		return (host, script) -> {
			if (!lab.isUp(host)) {
				throw new CommandFailedException(null, host + " is down", true);
			}
			return lab.run(host, script);
		};
	}

	static {
		// Without a logback-test.xml logback logs everything at DEBUG, and the HTTP client dumps every byte.
		ch.qos.logback.classic.LoggerContext logback = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory
				.getILoggerFactory();
		logback.getLogger("org.apache").setLevel(ch.qos.logback.classic.Level.INFO);
		java.util.logging.Logger.getLogger("org.apache.cxf").setLevel(java.util.logging.Level.WARNING);
	}

	WsmanDouble(String domain, String user, String password, BiFunction<String, String, ScriptOutput> powershell) {
		this(domain, user, password, powershell, null);
	}

	/** Over https with the given server certificate and key, as WinRM's HTTPS listener on 5986. */
	WsmanDouble(String domain, String user, String password, LabPowerShell lab, javax.net.ssl.SSLContext tls) {
		this(domain, user, password, answeredBy(lab), tls);
	}

	private WsmanDouble(String domain, String user, String password, BiFunction<String, String, ScriptOutput> powershell,
			javax.net.ssl.SSLContext tls) {
		this.ntlm = new NtlmServer(domain, user, password);
		this.powershell = powershell;
		this.scheme = tls == null ? "http" : "https";
		try {
			InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
			if (tls == null) {
				server = HttpServer.create(loopback, 0);
			} else {
				com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(loopback, 0);
				https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
				server = https;
			}
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
		server.createContext("/", this::handle);
		server.setExecutor(threads);
		server.start();
	}

	/** {@code runbook.winrm.endpoint} for this double. */
	String endpoint() {
		return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/{host}/wsman";
	}

	void fail(String host, Failure failure) {
		failures.put(host.toLowerCase(), failure);
	}

	void setNoOutputYetReplies(int replies) {
		noOutputYetReplies = replies;
	}

	/** The WS-Management actions received, in order, after the logon. */
	List<String> actions() {
		return List.copyOf(actions);
	}

	/** The decoded PowerShell scripts received. */
	List<String> scripts() {
		return List.copyOf(scripts);
	}

	/** Every request exactly as it came over the wire: headers, then body. */
	List<String> rawRequests() {
		return List.copyOf(rawRequests);
	}

	int logons() {
		return logons.get();
	}

	@Override
	public void close() {
		server.stop(0);
		threads.shutdownNow();
	}

	// ---- HTTP and NTLM -----------------------------------------------------------------------------------------

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			String connection = exchange.getRemoteAddress().toString();
			byte[] body = exchange.getRequestBody().readAllBytes();
			rawRequests.add(exchange.getRequestHeaders().entrySet() + "\n" + new String(body, StandardCharsets.ISO_8859_1));
			if (failures.get(hostOf(exchange)) == Failure.UNAUTHORIZED) {
				challenge(exchange, "Basic realm=\"WSMAN\"");
				return;
			}
			if (authorization == null && new String(body, StandardCharsets.ISO_8859_1).equals("AWAITING_ENCRYPTION_KEYS")) {
				// winrm4j's placeholder before a logon: a new connection (its port may be an old one's), not logged on.
				session = null;
				challenge(exchange, "Negotiate");
				return;
			}
			Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
			if (!path.matches()) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			String host = path.group(1).toLowerCase();
			Failure failure = failures.get(host);
			if (failure == Failure.HANG) {
				sleep(60_000);
				return;
			}
			if (failure == Failure.HTTP_500) {
				send(exchange, 500, "text/html", "<html><body>Internal Server Error</body></html>".getBytes(StandardCharsets.UTF_8));
				return;
			}
			if (authorization != null && authorization.startsWith("Negotiate ")) {
				byte[] token = Base64.getDecoder().decode(authorization.substring("Negotiate ".length()).strip());
				if (NtlmServer.u32(token, 8) == 1) {
					NtlmServer.Handshake handshake = ntlm.negotiate(token);
					handshakes.put(connection, handshake);
					challenge(exchange, "Negotiate " + Base64.getEncoder().encodeToString(handshake.challenge()));
					return;
				}
				NtlmServer.Handshake handshake = handshakes.remove(connection);
				NtlmServer.Session session = handshake == null ? null : handshake.authenticate(token);
				if (session == null) {
					// As HTTP.sys does after a failed logon: a fresh challenge, and the connection ends.
					exchange.getResponseHeaders().add("Connection", "close");
					challenge(exchange, "Negotiate");
					return;
				}
				logons.incrementAndGet();
				this.session = session;
			}
			NtlmServer.Session session = this.session;
			if (session == null) {
				challenge(exchange, "Negotiate");
				return;
			}
			// Sealed over http, as WinRM's default AllowUnencrypted=false demands; plain only where TLS protects it.
			boolean sealed = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("multipart/encrypted");
			if (!sealed && "http".equals(scheme)) {
				exchange.getResponseHeaders().add("Connection", "close");
				challenge(exchange, "Negotiate");
				return;
			}
			byte[] soap = sealed ? session.unseal(body) : body;
			byte[] answer;
			int status = 200;
			try {
				answer = wsman(host, new String(soap, StandardCharsets.UTF_8), failure).getBytes(StandardCharsets.UTF_8);
			} catch (Fault f) {
				status = 500;
				answer = f.envelope.getBytes(StandardCharsets.UTF_8);
			} catch (CommandFailedException down) {
				// A server that is down or restarting: the connection ends without an answer.
				return;
			}
			if (sealed) {
				send(exchange, status, "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";"
						+ "boundary=\"Encrypted Boundary\"", session.seal(answer));
			} else {
				send(exchange, status, "application/soap+xml;charset=UTF-8", answer);
			}
		} catch (Exception e) {
			e.printStackTrace();
			throw new IOException(e);
		}
	}

	private static String hostOf(HttpExchange exchange) {
		Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
		return path.matches() ? path.group(1).toLowerCase() : "";
	}

	private static void challenge(HttpExchange exchange, String header) throws IOException {
		exchange.getResponseHeaders().add("WWW-Authenticate", header);
		exchange.sendResponseHeaders(401, -1);
	}

	private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", contentType);
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	// ---- WS-Management -----------------------------------------------------------------------------------------

	private static final class Fault extends Exception {
		final String envelope;

		Fault(String envelope) {
			this.envelope = envelope;
		}
	}

	private String wsman(String host, String request, Failure failure) throws Exception {
		Document doc = parse(request);
		String action = text(doc, ADDRESSING, "Action");
		String messageId = text(doc, ADDRESSING, "MessageID");
		String shortAction = action.substring(action.lastIndexOf('/') + 1);
		actions.add(shortAction);
		switch (shortAction) {
			case "Create" -> {
				if (failure == Failure.WSMAN_FAULT) {
					throw new Fault(fault(messageId, "w:AccessDenied", "5", "Access is denied."));
				}
				String shellId = UUID.randomUUID().toString().toUpperCase();
				shells.put(shellId, host);
				return envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse", messageId,
						"<x:ResourceCreated xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\"><a:Address>"
								+ "http://" + host + ":5985/wsman</a:Address><a:ReferenceParameters><w:ResourceURI>"
								+ "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>"
								+ "<w:SelectorSet><w:Selector Name=\"ShellId\">" + shellId
								+ "</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>");
			}
			case "Command" -> {
				String shellHost = shell(doc, messageId);
				String commandLine = text(doc, SHELL, "Command");
				Matcher m = ENCODED.matcher(commandLine);
				if (!commandLine.startsWith("powershell.exe ") || !m.find()) {
					throw new Fault(fault(messageId, "w:InvalidParameter", "2150858882", "Not a PowerShell command line."));
				}
				String script = Script.decodeCommand(m.group(1));
				scripts.add(script);
				String commandId = UUID.randomUUID().toString().toUpperCase();
				Pending pending;
				try {
					pending = new Pending(powershell.apply(shellHost, script), failure == Failure.NO_OUTPUT);
				} catch (CommandFailedException e) {
					if (e.getMessage() != null && e.getMessage().contains("timed out")) {
						pending = new Pending(null, true);
					} else {
						throw e;
					}
				}
				commands.put(commandId, pending);
				return envelope(SHELL + "/CommandResponse", messageId, "<rsp:CommandResponse><rsp:CommandId>" + commandId
						+ "</rsp:CommandId></rsp:CommandResponse>");
			}
			case "Receive" -> {
				shell(doc, messageId);
				String commandId = commandId(doc, "DesiredStream");
				Pending pending = commands.get(commandId);
				if (pending == null) {
					throw new Fault(fault(messageId, "w:InvalidParameter", "2150858882", "No such command."));
				}
				if (pending.hangs || pending.receives++ < noOutputYetReplies) {
					throw new Fault(fault(messageId, "w:TimedOut", WinRmFailures.TIMED_OUT,
							"The WS-Management service cannot complete the operation within the time specified in OperationTimeout."));
				}
				ScriptOutput out = pending.output;
				return envelope(SHELL + "/ReceiveResponse", messageId, "<rsp:ReceiveResponse>"
						+ stream("stdout", commandId, out.stdout()) + stream("stderr", commandId, out.stderr())
						+ "<rsp:CommandState CommandId=\"" + commandId + "\" State=\"" + SHELL
						+ "/CommandState/Done\"><rsp:ExitCode>" + out.exitCode() + "</rsp:ExitCode></rsp:CommandState>"
						+ "</rsp:ReceiveResponse>");
			}
			case "Signal" -> {
				shell(doc, messageId);
				if (commands.remove(commandId(doc, "Signal")) == null) {
					throw new Fault(fault(messageId, "w:InvalidParameter", "2150858882", "No such command."));
				}
				return envelope(SHELL + "/SignalResponse", messageId, "<rsp:SignalResponse/>");
			}
			case "Delete" -> {
				String shellId = selector(doc);
				if (shells.remove(shellId) == null) {
					throw new Fault(fault(messageId, "w:InvalidSelectors", "2150858843", "The shell was not found."));
				}
				return envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse", messageId, "");
			}
			default -> throw new Fault(fault(messageId, "w:ActionNotSupported", "2150858754", "Unknown action " + action));
		}
	}

	/** The host of the shell the request names; requests for unknown shells get WinRM's fault. */
	private String shell(Document doc, String messageId) throws Fault {
		String host = shells.get(selector(doc));
		if (host == null) {
			throw new Fault(fault(messageId, "w:InvalidSelectors", "2150858843", "The shell was not found."));
		}
		return host;
	}

	/** WinRM takes the CommandId attribute with or without the shell namespace; winrm4j qualifies it. */
	private static String commandId(Document doc, String element) {
		Element e = (Element) doc.getElementsByTagNameNS(SHELL, element).item(0);
		String qualified = e.getAttributeNS(SHELL, "CommandId");
		return qualified.isEmpty() ? e.getAttribute("CommandId") : qualified;
	}

	private static String selector(Document doc) {
		NodeList selectors = doc.getElementsByTagNameNS(WSMAN, "Selector");
		for (int i = 0; i < selectors.getLength(); i++) {
			Element e = (Element) selectors.item(i);
			if ("ShellId".equals(e.getAttribute("Name"))) {
				return e.getTextContent().strip();
			}
		}
		return "";
	}

	private static String stream(String name, String commandId, String content) {
		String data = content.isEmpty() ? ""
				: "<rsp:Stream Name=\"" + name + "\" CommandId=\"" + commandId + "\">"
						+ Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)) + "</rsp:Stream>";
		return data + "<rsp:Stream Name=\"" + name + "\" CommandId=\"" + commandId + "\" End=\"true\"></rsp:Stream>";
	}

	private static String envelope(String action, String relatesTo, String body) {
		return "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:a=\"" + ADDRESSING + "\" xmlns:w=\"" + WSMAN
				+ "\" xmlns:rsp=\"" + SHELL + "\"><s:Header><a:Action>" + action + "</a:Action><a:MessageID>uuid:"
				+ UUID.randomUUID().toString().toUpperCase() + "</a:MessageID><a:To>"
				+ "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:RelatesTo>" + relatesTo
				+ "</a:RelatesTo></s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
	}

	private static String fault(String relatesTo, String subcode, String code, String message) {
		return "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:a=\"" + ADDRESSING + "\" xmlns:w=\"" + WSMAN
				+ "\"><s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action><a:MessageID>uuid:"
				+ UUID.randomUUID().toString().toUpperCase() + "</a:MessageID><a:RelatesTo>" + relatesTo
				+ "</a:RelatesTo></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>"
				+ subcode + "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">" + message
				+ "</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\""
				+ " Code=\"" + code + "\" Machine=\"wsmandouble\"><f:Message>" + message
				+ "</f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>";
	}

	private static Document parse(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		InputStream in = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
		return factory.newDocumentBuilder().parse(in);
	}

	private static String text(Document doc, String namespace, String name) {
		NodeList nodes = doc.getElementsByTagNameNS(namespace, name);
		return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
