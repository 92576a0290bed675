"""Tests (a package: helpers are imported by package path, never through conftest or sys.path)."""
