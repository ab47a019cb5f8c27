"""HubSpot's CRM: objects, properties, and (later) search, associations and owners."""
