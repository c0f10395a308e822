"""Source stage: find the policy files, read them strictly, type them and check every reference.

Pure: nothing here caches, forks or writes; ``generator.pipeline`` runs it over many files with
the runtime's cache and workers.  Every problem is a located diagnostic.
"""
