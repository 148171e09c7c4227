package io.ddp.testing.servers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AWS KMS stand-in on 127.0.0.1 speaking the KMS JSON protocol ({@code X-Amz-Target:
 * TrentService.*}, {@code application/x-amz-json-1.1}) for GenerateDataKey, Encrypt and Decrypt,
 * with real AES-256-GCM master keys: a ciphertext blob is key id, nonce and sealed bytes, bound to
 * the key id. Errors come back as KMS does (HTTP 400, {@code __type}), so the SDK raises
 * NotFoundException, InvalidCiphertextException and IncorrectKeyException.
 */
public final class KmsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final Map<String, byte[]> masterKeys = new ConcurrentHashMap<>();
  /** Every call's operation name, in order. */
  public final List<String> calls = new CopyOnWriteArrayList<>();
  /** Every plaintext key this server handed out (data keys, unwrapped keys): secrets to look for in logs. */
  public final List<byte[]> issued = new CopyOnWriteArrayList<>();

  private KmsServer(HttpServer server) {
    this.server = server;
  }

  public static KmsServer start(String... keyIds) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    KmsServer kms = new KmsServer(http);
    for (String id : keyIds) {
      kms.addKey(id);
    }
    http.createContext("/", kms::handle);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "test-kms");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return kms;
  }

  /** Creates a master key; returns its bytes so tests can look for them in logs. */
  public byte[] addKey(String keyId) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    masterKeys.put(keyId, key);
    return key;
  }

  public byte[] key(String keyId) {
    return masterKeys.get(keyId);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public long count(String operation) {
    return calls.stream().filter(operation::equals).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
      calls.add(operation);
      JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      ObjectNode response = JSON.createObjectNode();
      switch (operation) {
        case "GenerateDataKey": {
          String keyId = request.path("KeyId").asText();
          byte[] dataKey = new byte[request.path("KeySpec").asText("AES_256").equals("AES_128") ? 16 : 32];
          RANDOM.nextBytes(dataKey);
          issued.add(dataKey);
          response.put("KeyId", arn(keyId)).put("Plaintext", b64(dataKey)).put("CiphertextBlob", b64(seal(keyId, dataKey)));
          break;
        }
        case "Encrypt": {
          String keyId = request.path("KeyId").asText();
          byte[] plain = Base64.getDecoder().decode(request.path("Plaintext").asText());
          response.put("KeyId", arn(keyId)).put("CiphertextBlob", b64(seal(keyId, plain))).put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
          break;
        }
        case "Decrypt": {
          byte[] blob = Base64.getDecoder().decode(request.path("CiphertextBlob").asText());
          ByteBuffer in = ByteBuffer.wrap(blob);
          int n = in.remaining() >= 2 ? in.getShort() : -1;
          if (n <= 0 || n > in.remaining()) {
            throw new KmsError("InvalidCiphertextException", "The ciphertext is invalid");
          }
          byte[] id = new byte[n];
          in.get(id);
          String keyId = new String(id, StandardCharsets.UTF_8);
          String asked = request.path("KeyId").asText(null);
          if (asked != null && !asked.equals(keyId) && !arn(asked).equals(arn(keyId))) {
            throw new KmsError("IncorrectKeyException", "The key ID in the request does not identify the key that encrypted the ciphertext");
          }
          byte[] rest = new byte[in.remaining()];
          in.get(rest);
          byte[] plain = open(keyId, rest);
          issued.add(plain);
          response.put("KeyId", arn(keyId)).put("Plaintext", b64(plain)).put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
          break;
        }
        default:
          throw new KmsError("UnsupportedOperationException", "operation " + operation + " is not supported by this test server");
      }
      reply(exchange, 200, response);
    } catch (KmsError e) {
      ObjectNode error = JSON.createObjectNode().put("__type", e.type).put("message", e.getMessage());
      reply(exchange, 400, error);
    } finally {
      exchange.close();
    }
  }

  private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private byte[] master(String keyId) {
    byte[] key = masterKeys.get(keyId.startsWith("arn:") ? keyId.substring(keyId.lastIndexOf('/') + 1) : keyId);
    if (key == null) {
      throw new KmsError("NotFoundException", "Key '" + arn(keyId) + "' does not exist");
    }
    return key;
  }

  private byte[] seal(String keyId, byte[] plain) {
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(master(keyId), "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(2 + id.length + 12 + sealed.length).putShort((short) id.length).put(id).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] open(String keyId, byte[] rest) {
    if (rest.length < 12 + 16) {
      throw new KmsError("InvalidCiphertextException", "The ciphertext is invalid");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(master(keyId), "AES"), new GCMParameterSpec(128, rest, 0, 12));
      c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(rest, 12, rest.length - 12);
    } catch (AEADBadTagException e) {
      throw new KmsError("InvalidCiphertextException", "The ciphertext is invalid");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String arn(String keyId) {
    return keyId.startsWith("arn:") ? keyId : "arn:aws:kms:us-east-1:111122223333:key/" + keyId;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static final class KmsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;

    KmsError(String type, String message) {
      super(message);
      this.type = type;
    }
  }
}
