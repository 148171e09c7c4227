/**
 * Text helpers shared by messages: did-you-mean suggestions and masking of secrets.
 */
package io.ddp.core.text;
