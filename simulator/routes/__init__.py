"""One Blueprint per HubSpot area; parse the request, call the domain, dump the result. No logic here."""
