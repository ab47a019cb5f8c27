"""What other HubSpot clients call: the date-versioned paths and the older routes, as views of the same stores."""
