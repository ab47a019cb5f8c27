"""hubsim's scoring and sync core: PQL scoring and a rate-limit-aware sync, runnable against the real HubSpot."""
