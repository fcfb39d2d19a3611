package dev.runbook.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses task queries that carry expressions ({@code assigneeExpression}, {@code dueBeforeExpression}…), wherever they
 * sit: in the query string, in the JSON body, inside {@code orQueries}, in a filter being saved or extending one being
 * run. Camunda 7.24.0 CE evaluates such expressions when they come inside {@code orQueries}, although
 * {@code enableExpressionsInAdhocQueries} is off (CVE-2026-109432, fixed in Enterprise only): a signed-in user could run
 * code on the server. No screen of the runbook needs them; Tasklist filters that use {@code ${currentUser()}} are
 * created in configuration ({@link TasklistFilters}), not over HTTP.
 *
 * <p>Registered on {@code /engine-rest/*} and {@code /camunda/api/*}, in front of their authentication.
 */
public class TaskQueryExpressionFilter extends OncePerRequestFilter {

	/** Task queries and filters: {@code …/task}, {@code …/task/count}, {@code …/filter/create}, {@code …/filter/{id}[/list|count|singleResult]}. */
	private static final Pattern QUERY_PATH = Pattern
			.compile(".*/(task(/count)?|filter(/[^/]+)?(/(list|count|singleResult))?)/?");
	private static final int MAX_BODY = 1 << 20;

	private final ObjectMapper json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

	/**
	 * Matched on the servlet path and path info, which the container has decoded and stripped of path parameters
	 * ({@code /task;x=y}, {@code /t%61sk}), as the API behind will route them.
	 */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
		return !QUERY_PATH.matcher(path).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> inQuery = expressionInQueryString(request.getQueryString());
		if (inQuery.isPresent()) {
			refuse(response, inQuery.get());
			return;
		}
		if (request.getContentLengthLong() > MAX_BODY) {
			response.sendError(HttpStatus.PAYLOAD_TOO_LARGE.value());
			return;
		}
		byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
		if (body.length > MAX_BODY) {
			response.sendError(HttpStatus.PAYLOAD_TOO_LARGE.value());
			return;
		}
		if (body.length > 0) {
			JsonNode tree;
			try {
				tree = json.readTree(body);
			} catch (JsonProcessingException e) {
				// What cannot be read here is not handed on for another parser to read differently
				refuse(response, null);
				return;
			}
			Optional<String> inBody = expressionKey(tree);
			if (inBody.isPresent()) {
				refuse(response, inBody.get());
				return;
			}
		}
		chain.doFilter(new BufferedRequest(request, body), response);
	}

	static Optional<String> expressionInQueryString(String query) {
		if (query == null) {
			return Optional.empty();
		}
		for (String pair : query.split("&")) {
			String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
			if (isExpression(name)) {
				return Optional.of(name);
			}
		}
		return Optional.empty();
	}

	/** The first key naming an expression, at any depth of the document. */
	static Optional<String> expressionKey(JsonNode node) {
		if (node.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				if (isExpression(field.getKey())) {
					return Optional.of(field.getKey());
				}
				Optional<String> inner = expressionKey(field.getValue());
				if (inner.isPresent()) {
					return inner;
				}
			}
		} else if (node.isArray()) {
			for (JsonNode item : node) {
				Optional<String> inner = expressionKey(item);
				if (inner.isPresent()) {
					return inner;
				}
			}
		}
		return Optional.empty();
	}

	private static boolean isExpression(String name) {
		return name.strip().toLowerCase(java.util.Locale.ROOT).endsWith("expression");
	}

	private void refuse(HttpServletResponse response, String key) throws IOException {
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		String message = key == null ? "The task query is not valid JSON."
				: "Task queries with expressions are refused (" + key + "): use plain values.";
		json.writeValue(response.getWriter(), Map.of("type", "InvalidRequestException", "message", message));
	}

	/** The request with its body read once here and served again to the API behind. */
	private static final class BufferedRequest extends HttpServletRequestWrapper {
		private final byte[] body;

		BufferedRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {
				public int read() {
					return in.read();
				}

				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				public boolean isFinished() {
					return in.available() == 0;
				}

				public boolean isReady() {
					return true;
				}

				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("Synchronous reads only");
				}
			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					getCharacterEncoding() == null ? StandardCharsets.UTF_8
							: java.nio.charset.Charset.forName(getCharacterEncoding())));
		}
	}
}
