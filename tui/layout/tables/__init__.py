"""Generated character data tables (see tools/gen_layout_tables.py)."""
