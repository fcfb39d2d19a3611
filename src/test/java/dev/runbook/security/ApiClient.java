package dev.runbook.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Calls the running application over HTTP as a given user and returns every answer, whatever its status. */
public final class ApiClient {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RestClient rest;

	public ApiClient(int port) {
		// The JDK client: it hands a 401 back instead of failing on it as HttpURLConnection does for a body request.
		this.rest = RestClient.builder().baseUrl("http://localhost:" + port)
				.requestFactory(new JdkClientHttpRequestFactory()).build();
	}

	/** {@code credentials} as {@code user:password}, or null for an anonymous call. */
	public ResponseEntity<String> get(String path, String credentials) {
		return send(HttpMethod.GET, path, credentials, null);
	}

	public ResponseEntity<String> send(HttpMethod method, String path, String credentials, String json) {
		RestClient.RequestBodySpec request = rest.method(method).uri(path);
		if (credentials != null) {
			request.header(HttpHeaders.AUTHORIZATION,
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		if (json != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(json);
		}
		return request.exchange((req, res) -> ResponseEntity.status(res.getStatusCode()).headers(res.getHeaders())
				.body(new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)), true);
	}

	public static JsonNode json(ResponseEntity<String> answer) {
		try {
			return JSON.readTree(answer.getBody());
		} catch (IOException e) {
			throw new AssertionError("Not JSON: " + answer.getBody(), e);
		}
	}
}
