"""Workflows: automation v4 flow definitions and the engine that runs them on the portal clock."""
