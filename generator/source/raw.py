"""Reading the raw (untyped) data of a file: ids, lists, provisions.

Checks run on the raw data as well as on the typed models, so that an item with a format
problem still takes part (its id still collides, its provision still exists).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.source.yaml_loader import LoadedFile, NodePath


def fold_id(value: str) -> str:
    """Key under which two ids count as the same (case and Unicode form ignored)."""
    return unicodedata.normalize("NFKC", value).casefold()


_SINGULAR = {
    "jurisdictions": "jurisdiction", "actor_types": "actor type", "topics": "topic",
    "actors": "actor", "duties": "duty", "clocks": "clock", "quotas": "quota",
    "procedures": "procedure", "citations": "citation", "steps": "step",
}


def item_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
    return value if isinstance(value, str) else None


def check_unique(
    loaded: LoadedFile,
    collection: str,
    items: Iterable[Any],
    found: list[Diagnostic],
    base: NodePath = (),
) -> None:
    """Report items of ``collection`` whose ids collide once case and width are folded.

    ``items`` are models or raw mappings (raw, so that items with another problem take part).
    """
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        value = item_id(item)
        if value is None:
            continue
        key = fold_id(value)
        if key in first:
            line = loaded.locate((*base, collection, first[key], "id")).line
            label = _SINGULAR.get(collection, collection)
            found.append(
                diag(
                    "duplicate-id",
                    loaded.locate((*base, collection, index, "id")),
                    f"duplicate {label} id {value!r} (first defined at line {line})",
                    "ids must differ even when case and width are ignored",
                )
            )
        else:
            first[key] = index


def edge_key(edge: Any) -> str | None:
    """'edge a → b (condition)' for an edge mapping, None when it is not one."""
    if not isinstance(edge, dict):
        return None
    source, target, condition = edge.get("from"), edge.get("to"), edge.get("condition")
    if not (isinstance(source, str) and isinstance(target, str)):
        return None
    when = f" ({condition})" if isinstance(condition, str) and condition.strip() else ""
    return f"edge {source} → {target}{when}"


def raw_list(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def raw_ids(data: Any, key: str) -> set[str]:
    return {i for i in map(item_id, raw_list(data, key)) if i is not None}


def every_raw_id(data: Any) -> set[str]:
    """Every text value of an ``id`` key anywhere in ``data``."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.add(node["id"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


#: The registry (key of ``REGISTRY_FILES``) that defines each kind of reference.
_REGISTRY_OF = {"jurisdiction": "jurisdictions", "actor type": "actor_types", "topic": "topics"}


def raw_text(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return value if isinstance(value, str) else ""


def walk_raw_provisions(data: Any) -> Iterator[tuple[NodePath, dict[str, Any]]]:
    """Every provision mapping in the file with its path, in document order."""
    stack: list[tuple[NodePath, Any]] = [
        (("provisions", i), p) for i, p in reversed(list(enumerate(raw_list(data, "provisions"))))
    ]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield path, node
        children = raw_list(node, "children")
        stack.extend(((*path, "children", j), c) for j, c in reversed(list(enumerate(children))))


