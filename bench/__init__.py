"""make bench: every bench/*.py module's run() returns rows; __main__ prints them as one table."""
