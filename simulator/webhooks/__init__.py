"""Webhooks v3: apps and their subscriptions, signed deliveries with HubSpot's retries, and the hub's delivery worker."""
