"""What a test harness adds to HubSpot: clock and portal control, faults, the journal, snapshots."""
