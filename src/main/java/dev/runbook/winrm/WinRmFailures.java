package dev.runbook.winrm;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;
import javax.xml.ws.soap.SOAPFaultException;

import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ServerName;
import dev.runbook.winrm.script.ResultReader;

/**
 * Names what went wrong on the way to a server, from what winrm4j, CXF and the HTTP client throw. Each cause has its
 * own message naming the server and the endpoint; those retrying can cure are transient. No message carries a
 * credential: they are built here from the cause's kind, and remote text is only taken from WS-Man faults.
 */
class WinRmFailures {

	/** The WS-Man fault code for "no output within the operation timeout". */
	static final String TIMED_OUT = "2150858793";

	private static final Pattern HTTP_STATUS = Pattern.compile("HTTP response '(\\d{3})");

	CommandFailedException describe(ServerName server, URI endpoint, RuntimeException failure, WinRmProperties properties) {
		String where = server + " (" + endpoint + ")";
		SOAPFaultException fault = find(failure, SOAPFaultException.class);
		if (fault != null && wsmanCode(fault) != null) {
			return wsmanFault(server, where, fault, properties);
		}
		if (fault != null) {
			// CXF turns an error page (IIS, a proxy) into a SOAP fault of its own, without a WSManFault.
			String reason = fault.getFault() == null ? "" : ResultReader.printable(fault.getFault().getFaultString());
			return new CommandFailedException(server, "WinRM on " + where + " answered an HTTP error without a "
					+ "WS-Management fault: " + (reason.length() > 200 ? reason.substring(0, 200) + "…" : reason), true);
		}
		if (mentions(failure, "Authorization loop detected") || mentions(failure, "incompatible authentication schemes")
				|| httpStatus(failure) == 401) {
			return new CommandFailedException(server, "WinRM on " + where + " refused the logon (HTTP 401): check the "
					+ "account, its password and that " + properties.authentication() + " authentication is allowed.", false);
		}
		if (find(failure, SSLException.class) != null) {
			return new CommandFailedException(server, "The TLS connection to WinRM on " + where + " failed: the server's "
					+ "certificate is not trusted or does not name the host. Add its CA to the JVM trust store.", false);
		}
		if (find(failure, UnknownHostException.class) != null) {
			return new CommandFailedException(server, "WinRM on " + where + " cannot be reached: the host name does not resolve.", false);
		}
		if (find(failure, ConnectException.class) != null || find(failure, NoRouteToHostException.class) != null) {
			return new CommandFailedException(server, "WinRM on " + where + " refused the connection: the server is down or "
					+ "restarting, or WinRM does not listen there.", true);
		}
		if (find(failure, SocketTimeoutException.class) != null || mentions(failure, "timed out")
				|| mentions(failure, "Timeout")) {
			return new CommandFailedException(server, "WinRM on " + where + " did not answer within "
					+ properties.receiveTimeout().toSeconds() + " seconds (connection timeout "
					+ properties.connectionTimeout().toSeconds() + " s): timed out.", true);
		}
		int status = httpStatus(failure);
		if (status >= 500) {
			return new CommandFailedException(server, "WinRM on " + where + " answered HTTP " + status
					+ " without a WS-Management fault: the service failed to handle the request.", true);
		}
		if (status > 0) {
			return new CommandFailedException(server, "WinRM on " + where + " answered HTTP " + status + ".", false);
		}
		return new CommandFailedException(server, "The WinRM call to " + where + " failed: "
				+ failure.getClass().getSimpleName() + " (" + rootCause(failure).getClass().getSimpleName() + ").", true);
	}

	private CommandFailedException wsmanFault(ServerName server, String where, SOAPFaultException fault,
			WinRmProperties properties) {
		String code = wsmanCode(fault);
		if (TIMED_OUT.equals(code)) {
			return new CommandFailedException(server, "The command on " + where + " did not finish within "
					+ properties.commandTimeout().toSeconds() + " seconds: timed out, the command may still be running.", true);
		}
		String reason = fault.getFault() == null ? "" : ResultReader.printable(fault.getFault().getFaultString());
		return new CommandFailedException(server, "WinRM on " + where + " answered with a WS-Management fault (code "
				+ code + "): " + reason, false);
	}

	/** The {@code Code} of the {@code WSManFault} in the SOAP fault's detail. */
	private static String wsmanCode(SOAPFaultException fault) {
		if (fault.getFault() == null || fault.getFault().getDetail() == null) {
			return null;
		}
		NodeList nodes = fault.getFault().getDetail().getChildNodes();
		for (int i = 0; i < nodes.getLength(); i++) {
			Node node = nodes.item(i);
			if ("WSManFault".equals(node.getLocalName()) && node.getAttributes() != null
					&& node.getAttributes().getNamedItem("Code") != null) {
				return node.getAttributes().getNamedItem("Code").getNodeValue();
			}
		}
		return null;
	}

	private static int httpStatus(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t.getMessage() != null) {
				Matcher m = HTTP_STATUS.matcher(t.getMessage());
				if (m.find()) {
					return Integer.parseInt(m.group(1));
				}
			}
		}
		return -1;
	}

	private static boolean mentions(Throwable failure, String text) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
				return true;
			}
		}
		return false;
	}

	private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable t = failure;
		while (t.getCause() != null && t.getCause() != t) {
			t = t.getCause();
		}
		return t;
	}
}
