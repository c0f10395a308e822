"""policykb: a static-site knowledge base of law-enforcement coordination mechanisms."""

__version__ = "0.1.0"
