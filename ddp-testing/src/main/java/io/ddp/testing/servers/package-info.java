/**
 * Servers tests start on 127.0.0.1: S3 (S3Proxy), KMS and CloudWatch stand-ins, and test keys.
 */
package io.ddp.testing.servers;
