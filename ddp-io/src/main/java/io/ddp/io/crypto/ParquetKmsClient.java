package io.ddp.io.crypto;

import java.util.Base64;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.parquet.crypto.ParquetCryptoRuntimeException;
import org.apache.parquet.crypto.keytools.KmsClient;

/**
 * Parquet modular encryption's KMS client, backed by a DDP {@link KeyService}: Parquet generates the
 * data keys and asks this client to wrap them under a master key id (KMS {@code Encrypt}) and to
 * unwrap them when reading (KMS {@code Decrypt}). The KMS instance id is the key service's name; its
 * settings travel in the Hadoop configuration under {@code ddp.keyservice.NAME} (see
 * {@link DatasetEncryption}). Parquet creates one instance per access token and instance id.
 */
public final class ParquetKmsClient implements KmsClient {
  private volatile KeyService service;
  private volatile String name;

  public ParquetKmsClient() {}

  @Override
  public void initialize(Configuration conf, String kmsInstanceId, String kmsInstanceUrl, String accessToken) {
    String encoded = conf.get(DatasetEncryption.settingsKey(kmsInstanceId));
    if (encoded == null) {
      throw new ParquetCryptoRuntimeException("No settings for key service '" + kmsInstanceId + "' (DDP passes them with every read and"
          + " write of a dataset that declares \"encryption\": {\"mode\": \"dataset\", \"keyService\": \"" + kmsInstanceId + "\"})");
    }
    this.name = kmsInstanceId;
    this.service = KeyServices.get(DatasetEncryption.decode(kmsInstanceId, encoded));
  }

  @Override
  public String wrapKey(byte[] keyBytes, String masterKeyIdentifier) {
    try {
      return Base64.getEncoder().encodeToString(service.wrap(masterKeyIdentifier, keyBytes));
    } catch (KeyServiceException e) {
      throw translate(e);
    }
  }

  @Override
  public byte[] unwrapKey(String wrappedKey, String masterKeyIdentifier) {
    try {
      return service.unwrap(masterKeyIdentifier, Base64.getDecoder().decode(wrappedKey));
    } catch (KeyServiceException e) {
      throw translate(e);
    } catch (IllegalArgumentException e) {
      throw new ParquetCryptoRuntimeException("The wrapped key of master key id '" + masterKeyIdentifier + "' is not base64: the file's key"
          + " material was altered");
    }
  }

  private ParquetCryptoRuntimeException translate(KeyServiceException e) {
    if (e.reason() == KeyServiceException.Reason.UNKNOWN_KEY || e.reason() == KeyServiceException.Reason.ACCESS_DENIED) {
      return new KeyAccessDeniedException(e.getMessage(), e);
    }
    return new ParquetCryptoRuntimeException(e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "ParquetKmsClient[" + name + "]";
  }
}
