package dev.runbook.winrm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of NTLMv2 (MS-NLMP) as a Windows WinRM service speaks it, for the WS-Management test double: it
 * challenges, checks the client's proof against the one account it knows, and seals and unseals messages with the
 * session keys ("HTTP-SPNEGO-session-encrypted"), so the executor is tested with the encryption production uses.
 */
final class NtlmServer {

	static final long UNICODE = 0x1, REQUEST_TARGET = 0x4, SIGN = 0x10, SEAL = 0x20, NTLM = 0x200, ALWAYS_SIGN = 0x8000,
			TARGET_TYPE_DOMAIN = 0x10000, EXTENDED_SESSION_SECURITY = 0x80000, TARGET_INFO = 0x800000,
			VERSION = 0x2000000, KEY_128 = 0x20000000L, KEY_EXCH = 0x40000000L, KEY_56 = 0x80000000L;
	private static final long OFFERED = UNICODE | REQUEST_TARGET | SIGN | SEAL | NTLM | ALWAYS_SIGN | TARGET_TYPE_DOMAIN
			| EXTENDED_SESSION_SECURITY | TARGET_INFO | VERSION | KEY_128 | KEY_EXCH | KEY_56;
	private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

	private final String user;
	private final String domain;
	private final String password;
	private final SecureRandom random = new SecureRandom();

	NtlmServer(String domain, String user, String password) {
		this.domain = domain;
		this.user = user;
		this.password = password;
	}

	/** The state between the CHALLENGE and the AUTHENTICATE message of one connection. */
	final class Handshake {
		final byte[] serverChallenge = new byte[8];
		final long flags;

		Handshake(byte[] negotiate) {
			random.nextBytes(serverChallenge);
			flags = OFFERED & (u32(negotiate, 12) | UNICODE | TARGET_INFO | TARGET_TYPE_DOMAIN);
		}

		byte[] challenge() {
			byte[] targetName = utf16(domain);
			ByteArrayOutputStream info = new ByteArrayOutputStream();
			avPair(info, 2, domain);
			avPair(info, 1, "WSMANDOUBLE");
			avPair(info, 4, domain.toLowerCase(Locale.ROOT) + ".local");
			avPair(info, 3, "wsmandouble." + domain.toLowerCase(Locale.ROOT) + ".local");
			info.writeBytes(new byte[4]);
			byte[] targetInfo = info.toByteArray();
			ByteBuffer b = ByteBuffer.allocate(56 + targetName.length + targetInfo.length).order(ByteOrder.LITTLE_ENDIAN);
			b.put(SIGNATURE).putInt(2);
			b.putShort((short) targetName.length).putShort((short) targetName.length).putInt(56);
			b.putInt((int) flags).put(serverChallenge).put(new byte[8]);
			b.putShort((short) targetInfo.length).putShort((short) targetInfo.length).putInt(56 + targetName.length);
			b.put(new byte[] { 10, 0, 0x63, 0x45, 0, 0, 0, 15 });
			b.put(targetName).put(targetInfo);
			return b.array();
		}

		/** The session if the AUTHENTICATE message proves the account's password; null if it does not. */
		Session authenticate(byte[] message) throws GeneralSecurityException {
			byte[] ntResponse = field(message, 20);
			String givenDomain = new String(field(message, 28), StandardCharsets.UTF_16LE);
			String givenUser = new String(field(message, 36), StandardCharsets.UTF_16LE);
			byte[] encryptedKey = field(message, 52);
			if (!givenUser.equalsIgnoreCase(user) || !givenDomain.equalsIgnoreCase(domain) || ntResponse.length < 48) {
				return null;
			}
			byte[] ntowf = hmac(md4(utf16(password)), utf16(givenUser.toUpperCase(Locale.ROOT) + givenDomain));
			byte[] proof = Arrays.copyOf(ntResponse, 16);
			byte[] blob = Arrays.copyOfRange(ntResponse, 16, ntResponse.length);
			if (!MessageDigest.isEqual(proof, hmac(ntowf, concat(serverChallenge, blob)))) {
				return null;
			}
			byte[] sessionBaseKey = hmac(ntowf, proof);
			byte[] exported = (flags & KEY_EXCH) != 0 ? rc4(sessionBaseKey).update(encryptedKey) : sessionBaseKey;
			return new Session(exported);
		}
	}

	Handshake negotiate(byte[] negotiateMessage) {
		if (!Arrays.equals(Arrays.copyOf(negotiateMessage, 8), SIGNATURE) || u32(negotiateMessage, 8) != 1) {
			throw new IllegalArgumentException("not an NTLM NEGOTIATE message");
		}
		return new Handshake(negotiateMessage);
	}

	/** Sealing and signing for one authenticated connection; RC4 runs on across its messages, as NTLM requires. */
	static final class Session {
		private final Cipher fromClient;
		private final Cipher toClient;
		private final byte[] clientSignKey;
		private final byte[] serverSignKey;
		private int outgoingSequence;

		Session(byte[] exportedKey) throws GeneralSecurityException {
			clientSignKey = md5(concat(exportedKey, magic("client-to-server signing")));
			serverSignKey = md5(concat(exportedKey, magic("server-to-client signing")));
			fromClient = rc4(md5(concat(exportedKey, magic("client-to-server sealing"))));
			toClient = rc4(md5(concat(exportedKey, magic("server-to-client sealing"))));
		}

		/** The SOAP message inside a client's multipart/encrypted body; fails if its signature does not verify. */
		synchronized byte[] unseal(byte[] body) throws GeneralSecurityException {
			byte[] marker = "\tContent-Type: application/octet-stream\r\n".getBytes(StandardCharsets.US_ASCII);
			byte[] end = "--Encrypted Boundary--\r\n".getBytes(StandardCharsets.US_ASCII);
			int start = indexOf(body, marker) + marker.length;
			byte[] payload = Arrays.copyOfRange(body, start, body.length - end.length);
			int signatureLength = (int) u32(payload, 0);
			byte[] signature = Arrays.copyOfRange(payload, 4, 4 + signatureLength);
			byte[] message = fromClient.update(Arrays.copyOfRange(payload, 4 + signatureLength, payload.length));
			byte[] checksum = fromClient.update(Arrays.copyOfRange(signature, 4, 12));
			byte[] sequence = Arrays.copyOfRange(signature, 12, 16);
			byte[] expected = Arrays.copyOf(hmac(clientSignKey, concat(sequence, message)), 8);
			if (!MessageDigest.isEqual(checksum, expected)) {
				throw new GeneralSecurityException("the message signature does not verify");
			}
			return message;
		}

		synchronized byte[] seal(byte[] message) throws GeneralSecurityException {
			byte[] sequence = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(outgoingSequence++).array();
			byte[] sealed = toClient.update(message);
			byte[] checksum = toClient.update(Arrays.copyOf(hmac(serverSignKey, concat(sequence, message)), 8));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.writeBytes(("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
					+ "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + message.length + "\r\n"
					+ "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n").getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(new byte[] { 16, 0, 0, 0, 1, 0, 0, 0 });
			out.writeBytes(checksum);
			out.writeBytes(sequence);
			out.writeBytes(sealed);
			out.writeBytes("--Encrypted Boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
			return out.toByteArray();
		}

		private static byte[] magic(String direction) {
			return ("session key to " + direction + " key magic constant\0").getBytes(StandardCharsets.US_ASCII);
		}
	}

	// ---- Primitives --------------------------------------------------------------------------------------------

	private static void avPair(ByteArrayOutputStream out, int id, String value) {
		byte[] v = utf16(value);
		out.writeBytes(new byte[] { (byte) id, 0, (byte) v.length, (byte) (v.length >> 8) });
		out.writeBytes(v);
	}

	private static byte[] field(byte[] message, int offset) {
		int length = (message[offset] & 0xff) | (message[offset + 1] & 0xff) << 8;
		int start = (int) u32(message, offset + 4);
		return Arrays.copyOfRange(message, start, start + length);
	}

	static long u32(byte[] b, int offset) {
		return (b[offset] & 0xffL) | (b[offset + 1] & 0xffL) << 8 | (b[offset + 2] & 0xffL) << 16
				| (b[offset + 3] & 0xffL) << 24;
	}

	private static byte[] utf16(String s) {
		return s.getBytes(StandardCharsets.UTF_16LE);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		throw new IllegalArgumentException("not an encrypted WinRM message");
	}

	private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacMD5");
		mac.init(new SecretKeySpec(key, "HmacMD5"));
		return mac.doFinal(data);
	}

	private static byte[] md5(byte[] data) throws GeneralSecurityException {
		return MessageDigest.getInstance("MD5").digest(data);
	}

	private static Cipher rc4(byte[] key) throws GeneralSecurityException {
		Cipher c = Cipher.getInstance("ARCFOUR");
		c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
		return c;
	}

	/** MD4 (RFC 1320), which NTLM hashes passwords with and the JDK does not offer. */
	static byte[] md4(byte[] input) {
		int[] h = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
		int padded = ((input.length + 8) / 64 + 1) * 64;
		byte[] m = Arrays.copyOf(input, padded);
		m[input.length] = (byte) 0x80;
		long bits = (long) input.length * 8;
		for (int i = 0; i < 8; i++) {
			m[padded - 8 + i] = (byte) (bits >>> (8 * i));
		}
		int[] x = new int[16];
		for (int block = 0; block < padded; block += 64) {
			for (int i = 0; i < 16; i++) {
				x[i] = (int) u32(m, block + 4 * i);
			}
			int a = h[0], b = h[1], c = h[2], d = h[3];
			int[] s1 = { 3, 7, 11, 19 }, s2 = { 3, 5, 9, 13 }, s3 = { 3, 9, 11, 15 };
			for (int i = 0; i < 16; i++) {
				int t = a + ((b & c) | (~b & d)) + x[i];
				a = d; d = c; c = b; b = Integer.rotateLeft(t, s1[i % 4]);
			}
			for (int i = 0; i < 16; i++) {
				int k = (i % 4) * 4 + i / 4;
				int t = a + ((b & c) | (b & d) | (c & d)) + x[k] + 0x5a827999;
				a = d; d = c; c = b; b = Integer.rotateLeft(t, s2[i % 4]);
			}
			int[] order = { 0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15 };
			for (int i = 0; i < 16; i++) {
				int t = a + (b ^ c ^ d) + x[order[i]] + 0x6ed9eba1;
				a = d; d = c; c = b; b = Integer.rotateLeft(t, s3[i % 4]);
			}
			h[0] += a; h[1] += b; h[2] += c; h[3] += d;
		}
		ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
		for (int v : h) {
			out.putInt(v);
		}
		return out.array();
	}
}
