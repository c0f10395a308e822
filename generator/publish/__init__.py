"""Publish stage: rendered files → ``docs/`` and a built, indexed, link-checked ``site/``.

Only this stage touches the disk: staging and swap (``staging``), what the build owns
(``ownership``), the generated roots of ``docs/`` (``docs``), Graphviz, mkdocs, Pagefind and the
link check, dirty rebuilds (``incremental``) and ``serve``.
"""
