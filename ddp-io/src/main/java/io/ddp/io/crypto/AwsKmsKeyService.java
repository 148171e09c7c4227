package io.ddp.io.crypto;

import io.ddp.core.text.Messages;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * AWS KMS through the SDK v2 {@link KmsClient}: master keys stay in KMS; data keys come from
 * {@code GenerateDataKey} and are unwrapped with {@code Decrypt}; {@code Encrypt} wraps keys made
 * elsewhere (Parquet's). Settings: {@code region} (else the AWS default region chain),
 * {@code endpoint} (a VPC endpoint or a local test server), {@code profile} (else the default
 * credentials chain: environment, profile, instance or container role).
 */
public final class AwsKmsKeyService implements KeyService {
  private final String name;
  private final KmsClient kms;

  public AwsKmsKeyService(String name, Map<String, String> settings) {
    this.name = name;
    KmsClientBuilder builder = KmsClient.builder();
    if (settings.containsKey("region")) {
      builder.region(Region.of(settings.get("region")));
    }
    if (settings.containsKey("endpoint")) {
      builder.endpointOverride(URI.create(settings.get("endpoint")));
    }
    builder.credentialsProvider(settings.containsKey("profile") ? ProfileCredentialsProvider.create(settings.get("profile"))
        : DefaultCredentialsProvider.create());
    try {
      this.kms = builder.build();
    } catch (SdkClientException e) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, null, "Cannot create the AWS KMS client of key service '"
          + name + "': " + e.getMessage() + "; set spark.ddp.keyService." + name + ".region or AWS_REGION", e);
    }
  }

  @Override
  public byte[] wrap(String keyId, byte[] key) {
    try {
      return kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(key))).ciphertextBlob().asByteArray();
    } catch (RuntimeException e) {
      throw translate("wrap a data key with", keyId, e);
    }
  }

  @Override
  public byte[] unwrap(String keyId, byte[] wrapped) {
    try {
      DecryptResponse r = kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped)));
      return r.plaintext().asByteArray();
    } catch (RuntimeException e) {
      throw translate("unwrap a data key with", keyId, e);
    }
  }

  @Override
  public DataKey generateDataKey(String keyId) {
    try {
      GenerateDataKeyResponse r = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256));
      return new DataKey(r.plaintext().asByteArray(), r.ciphertextBlob().asByteArray());
    } catch (RuntimeException e) {
      throw translate("generate a data key under", keyId, e);
    }
  }

  private KeyServiceException translate(String action, String keyId, RuntimeException e) {
    String what = "AWS KMS (key service '" + name + "') cannot " + action + " key id '" + keyId + "': ";
    if (e instanceof NotFoundException) {
      return new KeyServiceException(KeyServiceException.Reason.UNKNOWN_KEY, keyId, what + "no such key; check the key id or alias", e);
    }
    if (e instanceof InvalidCiphertextException || e instanceof IncorrectKeyException) {
      return new KeyServiceException(KeyServiceException.Reason.BAD_CIPHERTEXT, keyId,
          what + "the wrapped key was altered or was wrapped under another key", e);
    }
    if (e instanceof KmsException) {
      KmsException k = (KmsException) e;
      String code = k.awsErrorDetails() == null ? "" : k.awsErrorDetails().errorCode();
      boolean denied = code != null && code.contains("AccessDenied") || k.statusCode() == 403;
      return new KeyServiceException(denied ? KeyServiceException.Reason.ACCESS_DENIED : KeyServiceException.Reason.UNAVAILABLE, keyId,
          what + (code == null || code.isEmpty() ? "" : code + ": ") + Messages.firstLine(k.awsErrorDetails() == null ? k.getMessage()
              : k.awsErrorDetails().errorMessage()), e);
    }
    return new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, keyId, what + Messages.firstLine(e.getMessage()), e);
  }


  @Override
  public void close() {
    kms.close();
  }
}
