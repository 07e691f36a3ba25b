"""The side-by-side benchmark report behind `python bench/report.py` (not part of the product)."""
