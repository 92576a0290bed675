"""The reliability tests' helpers (trial counts, the CLI as a user runs it, database fingerprints)
are in tests/reliability/support.py; their fixtures are the shared ones in tests/conftest.py."""
