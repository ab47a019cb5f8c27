"""Webhooks v3: apps and their subscriptions, signed deliveries with HubSpot's retries, the hub's delivery worker."""
