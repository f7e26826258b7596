"""The data model: Form 1099-R as printed, the case file, and what analysis produces."""
