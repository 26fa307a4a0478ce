/**
 * Campaign and outbox HTTP API ({@link io.tessera.server.delivery.CampaignRoutes}), the run
 * scheduler, and SMTP settings from configuration ({@link io.tessera.server.delivery.DeliverySettings}).
 */
package io.tessera.server.delivery;
