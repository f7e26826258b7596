"""Rules: classify each distribution and compute its Form 1040 entries, with citations.

Rules never read files and never import importers; they receive a validated `Case` and the
tax year's `YearParameters`.
"""
