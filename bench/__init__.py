"""Benchmarks: `python -m bench` (or `./dev bench`) prints one table of ratios against references
measured in the same run. See bench/__main__.py for the options and BENCHMARKS.md for figures."""
