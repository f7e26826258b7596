"""megaroth: Form 1099-R data to correct Form 1040 entries for the mega backdoor Roth."""

__version__ = "0.1.0"
