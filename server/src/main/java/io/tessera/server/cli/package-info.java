/** Sub-commands of the {@code tessera} command line that live beside their feature (e.g. {@code dedupe}). */
package io.tessera.server.cli;
