"""Test-wide settings."""
# Notebooks under fixtures/ are inputs for tests (some fail on purpose), not notebooks to run.
collect_ignore_glob = ["fixtures/*", "fixtures/**/*", ".artifacts/*"]
