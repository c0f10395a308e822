"""Interim checker for data editors until `policykb check` lands: schema + quote verification."""
import re
import sys

import yaml

from generator.schema import Document


def walk(provs):
    for p in provs:
        yield p
        yield from walk(p.children)


def squash(s):
    return re.sub(r"\s+", "", s or "")


for path in sys.argv[1:]:
    raw = yaml.load(open(path, encoding="utf-8"), Loader=yaml.BaseLoader)
    doc = Document.model_validate(raw)
    provs = {p.id: squash((p.heading or "") + (p.text or "")) for p in walk(doc.provisions)}
    bad = 0
    def chk(kind, fid, prov, quote):
        global bad
        if prov not in provs:
            print(f"{path}: {kind} {fid}: unknown provision {prov}"); bad += 1
        elif squash(quote) not in provs[prov]:
            print(f"{path}: {kind} {fid}: quote not in {prov}: {quote}"); bad += 1
    for group in (doc.duties, doc.clocks, doc.quotas, doc.citations):
        for f in group:
            chk(type(f).__name__, f.id, f.provision, f.quote)
    for c in doc.clocks:
        for v in c.variants:
            chk("variant", c.id, v.provision or c.provision, v.quote)
        if c.extension:
            chk("extension", c.id, c.extension.provision or c.provision, c.extension.quote)
    for pr in doc.procedures:
        for s in pr.steps:
            chk("step", f"{pr.id}/{s.id}", s.provision, s.quote)
    print(f"{path}: {len(provs)} provisions, {len(doc.duties)} duties, {len(doc.clocks)} clocks, "
          f"{len(doc.quotas)} quotas, {len(doc.procedures)} procedures, {len(doc.citations)} citations, {bad} problems")
