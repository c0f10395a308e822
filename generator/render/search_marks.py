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
#: A hidden element carrying what search may filter a page by and show with its title:
#: ``data-pk-place`` (the jurisdiction: results are titled 【place】), ``data-pk-topic`` (topic
#: names, ``|``-separated), ``data-pk-validity`` (the document's status); ``data-pk-overview``
#: marks a page that gives an overview (a topic or a document page), ranked first for its
#: title's words.
FACETS_MARKER = "data-pk-facets"
FACET_ATTRIBUTES = {"place": "data-pk-place", "topic": "data-pk-topic",
                    "validity": "data-pk-validity"}
OVERVIEW_ATTRIBUTE = "data-pk-overview"
#: Separates several values of one facet (a document covers several topics).
FACET_SEPARATOR = "|"
