"""What support needs from an installation: versions and decoder capabilities, the smoke test,
logs without secrets, crash reports (Python and native) and the event-loop lag probe."""
