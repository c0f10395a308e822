"""Attributes the pages carry for the search indexer (``generator.publish.search`` reads them).

Why in render: the pages decide what is worth finding; the indexer only obeys.
"""

#: A page carrying this attribute is left out of the index.
NOINDEX_MARKER = "data-pk-noindex"
#: Pages carrying this attribute (the hand-written pages about the site itself) are indexed with
#: a low weight, so that the policies' own pages come before them in the results.
LOWRANK_MARKER = "data-pk-lowrank"
#: Pagefind's own attribute: the element's text is not indexed (quotes repeated from a clause).
IGNORE_MARKER = "data-pagefind-ignore"
