"""Synthesise N realistic policy documents (plus registries) for the performance benchmark.

The real documents in ``policies/documents/`` are the templates: each synthetic document is one
of them moved to another jurisdiction and varied the way real documents vary --

* place names, 文号 prefixes and years rewritten for a jurisdiction drawn from a generated
  province → prefecture → county registry (thousands of entries, GB/T 2260-style codes:
  districts 01–20, counties 21–80, county-level cities 81–99);
* clock values changed together with the text that states them (``5个工作日`` → ``7个工作日``
  in every provision *and* in the clock's ``limit``), dates and 文号 shifted by whole years;
* actor wording varied (镇（街道） / 乡镇（街道）, 综合行政执法 / 综合执法 …);
* provision text permuted (paragraphs, sentences) and padded with real sentences from the other
  templates;
* citations added to earlier synthetic documents (``document:`` set) and to external national
  documents; about 6 % of the simplified templates are converted to traditional script.

Everything is applied to every string of the document in one regex pass, so a quote stays a
verbatim excerpt of its provision; the few quotes a change cuts through are re-chosen from the
provision and counted in the manifest.  Only templates that pass ``check_knowledge_base`` are
used (``tests/fixtures/valid-kb`` when none does).  Same seed and templates → same bytes.

    python -m benchmarks.synth 1000 benchmarks/out/work/n1000/policies --seed 1
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # ``python benchmarks/synth.py`` as well as ``-m``
    sys.path.insert(0, str(REPO))

from generator.pipeline import check_policies  # noqa: E402
from generator.source.files import display_path  # noqa: E402
from generator.source.schema import RESERVED_IDS  # noqa: E402
from generator.source.yaml_loader import load_file  # noqa: E402

DEFAULT_TEMPLATES = REPO / "policies"
FALLBACK_TEMPLATES = REPO / "tests" / "fixtures" / "valid-kb"

#: GB/T 2260 province codes, full name, short name, one-character abbreviation, id, municipality.
PROVINCES: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("11", "北京市", "北京", "京", "beijing", True),
    ("12", "天津市", "天津", "津", "tianjin", True),
    ("13", "河北省", "河北", "冀", "hebei", False),
    ("14", "山西省", "山西", "晋", "shanxi", False),
    ("15", "内蒙古自治区", "内蒙古", "蒙", "nei-mongol", False),
    ("21", "辽宁省", "辽宁", "辽", "liaoning", False),
    ("22", "吉林省", "吉林", "吉", "jilin", False),
    ("23", "黑龙江省", "黑龙江", "黑", "heilongjiang", False),
    ("31", "上海市", "上海", "沪", "shanghai", True),
    ("32", "江苏省", "江苏", "苏", "jiangsu", False),
    ("33", "浙江省", "浙江", "浙", "zhejiang", False),
    ("34", "安徽省", "安徽", "皖", "anhui", False),
    ("35", "福建省", "福建", "闽", "fujian", False),
    ("36", "江西省", "江西", "赣", "jiangxi", False),
    ("37", "山东省", "山东", "鲁", "shandong", False),
    ("41", "河南省", "河南", "豫", "henan", False),
    ("42", "湖北省", "湖北", "鄂", "hubei", False),
    ("43", "湖南省", "湖南", "湘", "hunan", False),
    ("44", "广东省", "广东", "粤", "guangdong", False),
    ("45", "广西壮族自治区", "广西", "桂", "guangxi", False),
    ("46", "海南省", "海南", "琼", "hainan", False),
    ("50", "重庆市", "重庆", "渝", "chongqing", True),
    ("51", "四川省", "四川", "川", "sichuan", False),
    ("52", "贵州省", "贵州", "黔", "guizhou", False),
    ("53", "云南省", "云南", "滇", "yunnan", False),
    ("54", "西藏自治区", "西藏", "藏", "xizang", False),
    ("61", "陕西省", "陕西", "陕", "shaanxi", False),
    ("62", "甘肃省", "甘肃", "甘", "gansu", False),
    ("63", "青海省", "青海", "青", "qinghai", False),
    ("64", "宁夏回族自治区", "宁夏", "宁", "ningxia", False),
    ("65", "新疆维吾尔自治区", "新疆", "新", "xinjiang", False),
)
#: Provinces with autonomous prefectures (自治州) or 地区 among their prefectures.
_AUTONOMOUS = frozenset({"22", "42", "43", "51", "52", "53", "62", "63", "65"})

#: Characters common in Chinese place names, with their pinyin (ids are the joined pinyin).
_PLACE_CHAR_TEXT = (
    "安an 宝bao 北bei 滨bin 博bo 昌chang 长chang 城cheng 崇chong 川chuan 春chun 大da 丹dan 德de "
    "定ding 东dong 丰feng 凤feng 福fu 阜fu 富fu 甘gan 高gao 固gu 广guang 贵gui 桂gui 海hai 汉han "
    "和he 河he 鹤he 衡heng 红hong 洪hong 湖hu 华hua 淮huai 怀huai 黄huang 会hui 惠hui 吉ji 济ji "
    "嘉jia 建jian 江jiang 金jin 锦jin 晋jin 靖jing 景jing 九jiu 开kai 康kang 兰lan 蓝lan 乐le "
    "黎li 丽li 临lin 灵ling 陵ling 柳liu 龙long 隆long 芦lu 鹿lu 罗luo 洛luo 茂mao 梅mei 蒙meng "
    "明ming 牟mu 南nan 宁ning 盘pan 沛pei 平ping 蒲pu 普pu 祁qi 黔qian 青qing 清qing 庆qing "
    "琼qiong 泉quan 仁ren 荣rong 瑞rui 沙sha 山shan 邵shao 绍shao 石shi 寿shou 舒shu 顺shun "
    "松song 嵩song 泰tai 太tai 汤tang 陶tao 滕teng 天tian 通tong 桐tong 万wan 威wei 卫wei 文wen "
    "温wen 吴wu 武wu 西xi 溪xi 夏xia 仙xian 湘xiang 襄xiang 萧xiao 新xin 兴xing 秀xiu 盱xu 延yan "
    "盐yan 扬yang 阳yang 伊yi 宜yi 沂yi 义yi 英ying 颍ying 永yong 雍yong 玉yu 元yuan 岳yue 云yun "
    "泽ze 彰zhang 漳zhang 昭zhao 肇zhao 柘zhe 中zhong 舟zhou 淄zi 遵zun"
)
PLACE_CHARS: tuple[tuple[str, str], ...] = tuple(
    (pair[0], pair[1:]) for pair in _PLACE_CHAR_TEXT.split()
)

_NAME_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "自治州", "自治县", "地区",
                  "省", "市", "县", "区", "旗", "盟")

#: National documents synthetic policies cite (external: not in the knowledge base).
EXTERNAL_CITATIONS: tuple[tuple[str, str | None, str], ...] = (
    ("中华人民共和国行政处罚法", None, "全国人民代表大会常务委员会"),
    ("中华人民共和国行政强制法", None, "全国人民代表大会常务委员会"),
    ("行政执法机关移送涉嫌犯罪案件的规定", "国务院令第310号", "国务院"),
    ("关于推进基层整合审批服务执法力量的实施意见", None, "中共中央办公厅、国务院办公厅"),
    ("法治政府建设实施纲要（2021—2025年）", None, "中共中央、国务院"),
)

#: Actor and term wording that differs between real documents: (pattern, alternatives).
WORDING: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("县级执法业务主管部门",
     ("县级执法业务主管部门", "县级行政执法主管部门", "县直执法业务主管部门")),
    ("市级业务主管部门", ("市级业务主管部门", "市直业务主管部门")),
    ("(?<![乡木])镇（街道）", ("镇（街道）", "乡镇（街道）")),
    ("(?<![乡木])镇\\(街道\\)", ("镇(街道)", "乡镇(街道)")),
    ("综合行政执法", ("综合行政执法", "综合执法")),
    ("协调联动", ("协调联动", "协作联动")),
    ("协作配合", ("协作配合", "协调配合")),
    ("首问负责", ("首问负责", "首问责任")),
    ("联席会议", ("联席会议", "联席会商")),
)

_WORKING_DAY_VALUES = (1, 2, 3, 5, 7, 10, 15, 20, 30)
_HOUR_VALUES = (2, 4, 6, 8, 12, 24, 48, 72)
_NUMBER = r"(?<![\d.])(\d{1,3})(个工作日|個工作日|小时|小時)"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DOCNO = (r"[\u4e00-\u9fff]{1,8}[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]\s*第?\d{1,4}\s*[号號]")
_DOCNO_PARTS = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,8})(?P<open>[〔\[［]\s*)(?P<year>(?:19|20)\d{2})"
    r"(?P<close>\s*[〕\]］]\s*第?)(?P<number>\d{1,4})(?P<end>\s*[号號])"
)


# --- Chinese script helpers ---------------------------------------------------------------------


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    return str(_opencc("s2t").convert(text))


def to_simplified(text: str) -> str:
    return str(_opencc("t2s").convert(text))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=4096)
def _char_forms(ch: str) -> tuple[str, ...]:
    return tuple(sorted({ch, to_traditional(ch), to_simplified(ch)}))


def _both_scripts(literal: str) -> str:
    """Regex matching ``literal`` written in simplified, traditional or a mix (灌云縣)."""
    out = []
    for ch in literal:
        forms = _char_forms(ch)
        out.append(re.escape(ch) if len(forms) == 1 else "[" + "".join(forms) + "]")
    return "".join(out)


# --- the jurisdiction registry ------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    level: str
    parent: str | None
    code: str | None
    abbr: str = ""

    @property
    def short(self) -> str:
        for suffix in _NAME_SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) > len(suffix) + 1:
                return self.name[: -len(suffix)]
        return self.name


@dataclass
class Registry:
    places: list[Place]
    by_id: dict[str, Place] = field(default_factory=dict)
    _candidates: dict[tuple[str, ...], list[Place]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.places}

    def candidates(self, levels: tuple[str, ...]) -> list[Place]:
        """Places whose parent chain has exactly these levels (else: the same level)."""
        if levels not in self._candidates:
            same = [p for p in self.places if p.level == levels[0] and p.code]
            exact = [p for p in same if tuple(q.level for q in self.chain(p.id)) == levels]
            self._candidates[levels] = exact or same
        return self._candidates[levels]

    def chain(self, place_id: str) -> list[Place]:
        """The place and its ancestors, nearest first (a parent walk)."""
        out: list[Place] = []
        current: str | None = place_id
        while current is not None and current in self.by_id and len(out) < 10:
            out.append(self.by_id[current])
            current = self.by_id[current].parent
        return out


def build_registry(base: list[dict[str, Any]], rng: random.Random) -> Registry:
    """The real registry entries plus a generated province → prefecture → county tree."""
    abbr_by_code = {f"{p[0]}0000": p[3] for p in PROVINCES}
    places = [Place(str(b["id"]), str(b["name"]), str(b["level"]), b.get("parent"), b.get("code"),
                    abbr_by_code.get(str(b.get("code")), "")) for b in base]
    used_ids = {p.id for p in places} | set(RESERVED_IDS)
    used_names = {p.name for p in places} | {p.short for p in places}
    used_codes = {p.code for p in places if p.code}
    by_code = {p.code: p for p in places if p.code}
    country = next((p for p in places if p.level == "country"), None)
    if country is None:
        country = Place("cn", "中华人民共和国", "country", None, None)
        places.insert(0, country)
        used_ids.add("cn")

    def new_name(suffix: str) -> tuple[str, str]:
        for _ in range(1000):
            (c1, p1), (c2, p2) = rng.sample(PLACE_CHARS, 2)
            short = c1 + c2
            if short in used_names or short + suffix in used_names:
                continue
            used_names.update({short, short + suffix})
            return short + suffix, p1 + p2
        raise RuntimeError("place-name pool exhausted")  # pragma: no cover

    def add(name: str, pinyin: str, level: str, parent: str, code: str) -> Place:
        pid = pinyin if pinyin not in used_ids else f"{pinyin}-{code}"
        used_ids.add(pid)
        used_codes.add(code)
        place = Place(pid, name, level, parent, code)
        places.append(place)
        return place

    def counties(parent: Place, pp: str, cc: str, province: str) -> None:
        plan = [("区", 1, rng.randint(1, 5)), ("县", 21, rng.randint(2, 8)),
                ("市", 81, rng.randint(0, 2))]
        for suffix, first, count in plan:
            for k in range(first, first + count):
                code = f"{pp}{cc}{k:02d}"
                if code in used_codes:
                    continue
                s = suffix
                if suffix == "县" and province == "15" and rng.random() < 0.5:
                    s = "旗"
                elif suffix == "县" and province in _AUTONOMOUS and rng.random() < 0.05:
                    s = "自治县"
                add(*new_name(s), level="county", parent=parent.id, code=code)

    for pp, name, _short, abbr, pid, municipality in PROVINCES:
        code = f"{pp}0000"
        province = by_code.get(code)
        if province is None:
            province = Place(pid if pid not in used_ids else f"{pid}-{pp}", name, "province",
                             country.id, code, abbr)
            used_ids.add(province.id)
            used_codes.add(code)
            places.append(province)
        if municipality:
            counties(province, pp, "01", pp)
            continue
        for k in range(1, rng.randint(8, 16) + 1):
            pcode = f"{pp}{k:02d}00"
            prefecture = by_code.get(pcode)
            if prefecture is None:
                suffix = "市"
                if pp == "15" and rng.random() < 0.3:
                    suffix = "盟"
                elif pp in _AUTONOMOUS and rng.random() < 0.12:
                    suffix = "自治州" if pp != "65" else "地区"
                prefecture = add(*new_name(suffix), level="prefecture", parent=province.id,
                                 code=pcode)
            counties(prefecture, pp, f"{k:02d}", pp)
    return Registry(places)


def registry_yaml(registry: Registry) -> str:
    lines = ["# Synthetic jurisdictions for the performance benchmark (benchmarks/synth.py).",
             "# Real entries first, then a generated province → prefecture → county tree.",
             "jurisdictions:"]
    for p in registry.places:
        parent = p.parent if p.parent is not None else "null"
        code = f'"{p.code}"' if p.code else "null"
        lines.append(f"  - {{id: {p.id}, name: {p.name}, level: {p.level}, parent: {parent}, "
                     f"code: {code}}}")
    return "\n".join(lines) + "\n"


# --- templates ----------------------------------------------------------------------------------


@dataclass
class Template:
    path: Path
    data: dict[str, Any]
    digest: str

    @property
    def id(self) -> str:
        return str(self.data["id"])


def load_templates(root: Path) -> tuple[Path, list[Template]]:
    """Documents under ``root`` that pass ``check_knowledge_base`` (errors only)."""
    for candidate in (root, FALLBACK_TEMPLATES):
        _kb, report = check_policies(candidate)
        bad = {d.location.path for d in report.errors}
        if any("/registries/" in "/" + p for p in bad):
            continue
        templates = []
        for path in sorted((candidate / "documents").glob("*.yaml")):
            if display_path(path) in bad:
                continue
            loaded, _ = load_file(path)
            if loaded is not None:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
                templates.append(Template(path, loaded.data, digest))
        if templates:
            return candidate, templates
    raise SystemExit("benchmarks.synth: no valid template document found")


def _strings(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _map_strings(node: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(node, str):
        return fn(node) if _CJK.search(node) else node
    if isinstance(node, dict):
        return {k: _map_strings(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        return [_map_strings(v, fn) for v in node]
    return node


def _walk_provisions(provisions: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    stack = list(reversed(provisions))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.get("children") or []))


def _half_width(data: dict[str, Any]) -> bool:
    """True when the document punctuates with half-width commas (as some sources do)."""
    text = "".join(str(p.get("text") or "") for p in _walk_provisions(data.get("provisions") or []))
    return text.count(",") > text.count("，")


def sentence_pool(templates: list[Template], registry: Registry) -> dict[bool, list[str]]:
    """Real sentences (simplified) that name no template place and no 文号: the filler.

    Keyed by punctuation style (half-width commas or not), so that filler matches its host.
    """
    names: set[str] = set()
    for t in templates:
        for place in registry.chain(str(t.data.get("jurisdiction"))):
            names.update({place.name, place.short})
    names = {n for n in names if len(n) >= 2}
    pool: dict[bool, list[str]] = {True: [], False: []}
    seen: set[str] = set()
    for t in templates:
        for prov in _walk_provisions(t.data.get("provisions") or []):
            text = prov.get("text")
            if not isinstance(text, str) or prov.get("id") in {"notice", "closing"}:
                continue
            for sentence in re.findall(r"[^。\n]{15,150}。", to_simplified(text)):
                if (sentence in seen or re.search(_DOCNO, sentence)
                        or any(n in sentence for n in names) or "《" in sentence):
                    continue
                seen.add(sentence)
                pool["," in sentence and "，" not in sentence].append(sentence)
    return pool


# --- one synthetic document ---------------------------------------------------------------------


@dataclass
class Published:
    """What later documents need to cite an earlier synthetic one."""

    id: str
    title: str
    doc_number: str | None
    issuer: str | None
    year: int


@dataclass
class Stats:
    documents: int = 0
    traditional: int = 0
    citations_internal: int = 0
    citations_external: int = 0
    quotes_rechosen: int = 0
    bytes: int = 0
    by_template: dict[str, int] = field(default_factory=dict)


def _shift_date(value: Any, years: int) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        return value
    parts = [int(p) for p in value.split("-")]
    year = parts[0] + years
    if len(parts) == 2:
        return f"{year:04d}-{parts[1]:02d}"
    try:
        return dt.date(year, parts[1], parts[2]).isoformat()
    except ValueError:  # 29 February
        return dt.date(year, parts[1], 28).isoformat()


def _template_year(data: dict[str, Any]) -> int:
    issued = (data.get("dates") or {}).get("issued")
    if isinstance(issued, str) and re.match(r"\d{4}", issued):
        return int(issued[:4])
    found = re.search(r"(?:19|20)\d{2}", str(data.get("id")))
    return int(found.group()) if found else 2020


def _id_tail(template_id: str, jurisdiction_id: str) -> str:
    drop = set(jurisdiction_id.split("-"))
    parts = [p for p in template_id.split("-") if p not in drop and not re.fullmatch(r"\d{4}", p)]
    return "-".join(parts) or "policy"


class DocumentSynth:
    """Turns one template into one synthetic document (plain data, all strings)."""

    def __init__(self, template: Template, registry: Registry, pool: dict[bool, list[str]],
                 rng: random.Random) -> None:
        self.t = template
        self.registry = registry
        self.pool = pool[_half_width(template.data)] or pool[True] + pool[False]
        self.rng = rng
        self.traditional_source = template.data.get("script") == "traditional"
        self.year = 0

    # choose where and when
    def _target(self) -> tuple[list[Place], list[Place]]:
        old = self.registry.chain(str(self.t.data["jurisdiction"]))
        if not old:
            return [], []
        candidates = self.registry.candidates(tuple(p.level for p in old))
        new = self.registry.chain(self.rng.choice(candidates).id) if candidates else old
        return old, new

    def _rewriter(self, old: list[Place], new: list[Place], delta: int,
                  data: dict[str, Any]) -> Callable[[str], str]:
        rng = self.rng
        trad = self.traditional_source
        conv: Callable[[str], str] = to_traditional if trad else (lambda s: s)
        alternatives: list[tuple[str, str, Callable[[re.Match[str]], str]]] = []

        # 1. 文号: prefix characters of the old places → the new places, year shifted
        first_chars: dict[str, str] = {}
        for o, n in zip(old, new, strict=False):
            pairs = [(o.short[:1], n.short[:1])]
            if o.abbr and n.abbr:
                pairs.append((o.abbr, n.abbr))
            for a, b in pairs:
                if a and b:
                    for form in {a, to_traditional(a), to_simplified(a)}:
                        first_chars.setdefault(form, conv(b))
        docnos: dict[str, str] = {}
        for text in _strings(data):
            for token in re.findall(_DOCNO, text):
                if token in docnos:
                    continue
                m = _DOCNO_PARTS.fullmatch(token)
                if m is None:  # pragma: no cover - _DOCNO and _DOCNO_PARTS agree
                    docnos[token] = token
                    continue
                # the prefix regex also takes the words before it (所引金办发): replace the
                # rightmost place character among its last five characters
                prefix = m["prefix"]
                for pos in range(len(prefix) - 1, max(len(prefix) - 6, -1), -1):
                    if prefix[pos] in first_chars:
                        prefix = prefix[:pos] + first_chars[prefix[pos]] + prefix[pos + 1:]
                        break
                serial = rng.randint(1, 180)
                docnos[token] = (f"{prefix}{m['open']}{int(m['year']) + delta}{m['close']}"
                                 f"{serial}{m['end']}")
        if docnos:
            alternatives.append(("docno", "|".join(re.escape(t) for t in
                                                   sorted(docnos, key=len, reverse=True)),
                                 lambda found: docnos[found.group()]))

        # 2. place names, full and short, in either script
        names: list[tuple[str, str]] = []
        for o, n in zip(old, new, strict=False):
            names.append((o.name, n.name))
            if len(o.short) >= 2 and len(n.short) >= 2:
                names.append((o.short, n.short))
        names.sort(key=lambda pair: len(pair[0]), reverse=True)
        for i, (o_name, n_name) in enumerate(names):
            alternatives.append((f"p{i}", _both_scripts(o_name), _const(conv(n_name))))

        # 3. wording (simplified sources only)
        if not trad:
            for i, (wording, variants) in enumerate(WORDING):
                alternatives.append((f"w{i}", wording, _const(rng.choice(variants))))

        # 4. clock values with the text that states them
        self.number_maps: dict[str, dict[int, int]] = {"wd": {}, "h": {}}
        for text in _strings(data):
            for value, unit in re.findall(_NUMBER, text):
                key = "wd" if "工作日" in unit else "h"
                table = self.number_maps[key]
                if int(value) not in table:
                    values = _WORKING_DAY_VALUES if key == "wd" else _HOUR_VALUES
                    table[int(value)] = (rng.choice(values) if rng.random() < 0.5
                                         else int(value))
        maps = self.number_maps

        def clock_value(found: re.Match[str]) -> str:
            text = found.group()
            digits = text.rstrip("个個工作日小时時")
            rest = text[len(digits):]
            table = maps["wd" if "工作日" in rest else "h"]
            return f"{table.get(int(digits), int(digits))}{rest}"

        alternatives.append(("num", r"(?<![\d.])\d{1,3}(?:个工作日|個工作日|小时|小時)",
                             clock_value))

        # 5. years stated in the text
        alternatives.append(("year", r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?=年)",
                             lambda found: str(int(found.group()) + delta)))

        combined = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx, _ in alternatives))
        handlers = {name: fn for name, _, fn in alternatives}

        def rewrite(text: str) -> str:
            return combined.sub(lambda found: handlers[found.lastgroup or ""](found), text)

        return rewrite

    def _vary_text(self, data: dict[str, Any], trad: bool) -> None:
        rng = self.rng
        for prov in _walk_provisions(data.get("provisions") or []):
            text = prov.get("text")
            if not isinstance(text, str) or prov.get("id") in {"notice", "closing", "preamble"}:
                continue
            if rng.random() < 0.25:
                paragraphs = text.split("\n")
                if len(paragraphs) >= 3:
                    rest = paragraphs[1:]
                    rng.shuffle(rest)
                    text = "\n".join([paragraphs[0], *rest])
                else:
                    sentences = re.findall(r"[^。]*。|[^。]+$", paragraphs[-1])
                    if len(sentences) >= 3:
                        rest = sentences[1:]
                        rng.shuffle(rest)
                        paragraphs[-1] = "".join([sentences[0], *rest])
                        text = "\n".join(paragraphs)
            if self.pool and rng.random() < 0.35:
                extra = "".join(rng.choice(self.pool) for _ in range(rng.randint(1, 3)))
                text = f"{text}\n{to_traditional(extra) if trad else extra}"
            prov["text"] = text

    def _cite(self, data: dict[str, Any], earlier: list[Published], stats: Stats) -> None:
        rng = self.rng
        provisions = data.get("provisions") or []
        host = next((p for p in provisions if p.get("id") == "preamble"), None)
        if host is None:
            host = next((p for p in _walk_provisions(provisions) if p.get("text")), provisions[0])
        citations = data.setdefault("citations", [])
        added: list[str] = []
        earlier = [e for e in earlier if e.year <= self.year]  # older documents only
        count = rng.choice((0, 1, 1, 2, 2, 3)) if earlier else 0
        script = to_traditional if self.traditional_source else to_simplified
        forms = ("参照{issuer}《{title}》{no}的有关规定执行。",
                 "本文件与{issuer}印发的《{title}》{no}配套实施。",
                 "《{title}》{no}与本文件规定不一致的，以本文件为准。")
        for k, target in enumerate(rng.sample(earlier, min(count, len(earlier)))):
            # cited titles are printed in the citing document's script
            title = script(target.title)
            docno = script(target.doc_number) if target.doc_number else None
            issuer = script(target.issuer) if target.issuer else None
            no = f"（{docno}）" if docno else ""
            added.append(rng.choice(forms).format(issuer=issuer or "", title=title, no=no))
            citations.append({"id": f"kb-ref-{k + 1}", "title": title, "doc_number": docno,
                              "issuer": issuer, "document": target.id, "provision": host["id"],
                              "quote": f"《{title}》{no}"})
            stats.citations_internal += 1
        if rng.random() < 0.4:
            title, docno, issuer = rng.choice(EXTERNAL_CITATIONS)
            no = f"（{docno}）" if docno else ""
            added.append(f"依照《{title}》{no}等规定，依法履行相关职责。")
            citations.append({"id": "ext-ref-1", "title": title, "doc_number": docno,
                              "issuer": issuer, "document": None, "provision": host["id"],
                              "quote": f"《{title}》{no}"})
            stats.citations_external += 1
        if added:
            joined = "".join(added)
            if self.traditional_source:
                joined = to_traditional(joined)
                for c in citations[len(citations) - len(added):]:
                    c["quote"] = to_traditional(c["quote"])
            host["text"] = f"{host['text']}\n{joined}" if host.get("text") else joined

    def build(self, index: int, earlier: list[Published], used_ids: set[str],
              stats: Stats) -> dict[str, Any]:
        rng = self.rng
        data: dict[str, Any] = copy.deepcopy(self.t.data)
        old, new = self._target()
        year = self.year = rng.randint(2012, 2025)
        delta = year - _template_year(data)
        rewrite = self._rewriter(old, new, delta, data)
        data = dict(_map_strings(data, rewrite))

        # ids, jurisdiction, dates, limits, source
        place_map = {o.id: n.id for o, n in zip(old, new, strict=False)}
        jurisdiction = place_map.get(str(data["jurisdiction"]), str(data["jurisdiction"]))
        base = f"{jurisdiction}-{year}-{_id_tail(self.t.id, str(self.t.data['jurisdiction']))}"
        base = base[:58].rstrip("-")
        doc_id, k = base, 2
        while doc_id in used_ids:
            doc_id, k = f"{base}-{k}", k + 1
        used_ids.add(doc_id)
        data["id"] = doc_id
        data["jurisdiction"] = jurisdiction
        for issuer in data.get("issuers") or []:
            if issuer.get("jurisdiction") in place_map:
                issuer["jurisdiction"] = place_map[issuer["jurisdiction"]]
        dates = data.get("dates") or {}
        for key in list(dates):
            dates[key] = _shift_date(dates[key], delta)
        source = data.get("source")
        if isinstance(source, dict):
            source["seed"] = f"synthetic/{doc_id}.txt"
            retrieved = source.get("retrieved")
            if isinstance(retrieved, str):
                # shifted, but never past the template's own retrieval or the document's latest
                # date: a retrieval date in the future is refused by the checker (PK107)
                stated = (dates.get("issued"), dates.get("published"))
                cap = max([retrieved, *(d for d in stated if isinstance(d, str))])
                source["retrieved"] = min(_shift_date(retrieved, delta), cap)
            if source.get("url") is not None:
                source["url"] = None
        for node in _dicts(data):
            unit = node.get("unit")
            if unit in {"working_days", "hours"} and isinstance(node.get("value"), str):
                table = self.number_maps["wd" if unit == "working_days" else "h"]
                node["value"] = str(table.get(int(node["value"]), int(node["value"])))
            elif unit == "by_date":
                node["date"] = _shift_date(node.get("date"), delta)
        for citation in data.get("citations") or []:
            if citation.get("document") is not None:
                citation["document"] = None

        trad = self.traditional_source
        to_trad = not trad and rng.random() < 0.06
        self._vary_text(data, trad)
        self._cite(data, earlier, stats)
        if to_trad:
            data = dict(_map_strings(data, to_traditional))
            data["script"] = "traditional"
        notes = data.setdefault("notes", [])
        note = (f"合成文档：由 benchmarks/synth.py 根据 {self.t.id} 生成（第{index}号），"
                "仅用于性能测试，地名、文号、日期与时限均为虚构。")
        notes.append(to_traditional(note) if (trad or to_trad) else note)
        stats.quotes_rechosen += repair_quotes(data)
        if data.get("script") == "traditional":
            stats.traditional += 1
        return data


def _const(value: str) -> Callable[[re.Match[str]], str]:
    return lambda _found: value


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _facts(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """(object holding ``quote``, provision id) for every quoted fact of a document."""
    for group in ("duties", "quotas", "citations"):
        for fact in data.get(group) or []:
            yield fact, str(fact.get("provision"))
    for clock in data.get("clocks") or []:
        yield clock, str(clock.get("provision"))
        for variant in clock.get("variants") or []:
            yield variant, str(variant.get("provision") or clock.get("provision"))
        if clock.get("extension"):
            ext = clock["extension"]
            yield ext, str(ext.get("provision") or clock.get("provision"))
    for procedure in data.get("procedures") or []:
        for step in procedure.get("steps") or []:
            yield step, str(step.get("provision"))


def repair_quotes(data: dict[str, Any]) -> int:
    """Re-choose the quotes a rewrite cut through: the provision clause closest to the old one."""
    texts = {str(p.get("id")): (p.get("heading") or "") + (p.get("text") or "")
             for p in _walk_provisions(data.get("provisions") or [])}
    squashed = {k: squash(v) for k, v in texts.items()}
    repaired = 0
    for fact, provision in _facts(data):
        quote = fact.get("quote")
        if provision not in squashed or not isinstance(quote, str):
            continue
        if squash(quote) in squashed[provision]:
            continue
        clauses = [c for c in re.split(r"[，。；：,;:\n]", texts[provision]) if len(c.strip()) >= 2]
        if not clauses:
            continue
        wanted = set(quote)
        fact["quote"] = max(clauses, key=lambda c: len(wanted & set(c))).strip()
        repaired += 1
    return repaired


# --- output -------------------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_document(data: dict[str, Any], header: str) -> bytes:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000,
                     default_flow_style=False)
    return (header + body).encode("utf-8")


def synth_digest() -> str:
    """Digest of this file: a manifest made by another version of the synthesiser is stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def up_to_date(n: int, out: Path, *, seed: int = 0,
               templates_root: Path = DEFAULT_TEMPLATES) -> dict[str, Any] | None:
    """The manifest of ``out`` when it already holds exactly what ``synthesise`` would write."""
    try:
        manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    _root, templates = load_templates(templates_root)
    wanted = [{"id": t.id, "sha256": t.digest} for t in templates]
    if (manifest.get("seed"), manifest.get("documents"), manifest.get("synth_sha256"),
            manifest.get("templates")) != (seed, n, synth_digest(), wanted):
        return None
    if len(list((out / "documents").glob("*.yaml"))) != n:
        return None
    return manifest


def synthesise(n: int, out: Path, *, seed: int = 0, templates_root: Path = DEFAULT_TEMPLATES,
               ) -> dict[str, Any]:
    """Write ``n`` documents and the registries under ``out``; returns the manifest."""
    root, templates = load_templates(templates_root)
    base_registry, _ = load_file(root / "registries" / "jurisdictions.yaml")
    assert base_registry is not None
    registry = build_registry(list(base_registry.data["jurisdictions"]),
                              random.Random(f"{seed}:registry"))
    pool = sentence_pool(templates, registry)

    docs_dir = out / "documents"
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    (out / "registries").mkdir(parents=True, exist_ok=True)
    (out / "registries" / "jurisdictions.yaml").write_text(registry_yaml(registry),
                                                           encoding="utf-8")
    for name in ("actor-types.yaml", "topics.yaml", "questions.yaml"):
        shutil.copyfile(root / "registries" / name, out / "registries" / name)

    stats = Stats()
    earlier: list[Published] = []
    used_ids: set[str] = set()
    for i in range(n):
        template = templates[i % len(templates)]
        rng = random.Random(f"{seed}:{i}")
        synth = DocumentSynth(template, registry, pool, rng)
        data = synth.build(i, earlier, used_ids, stats)
        header = (f"# Synthetic benchmark document {i} from {template.id} (seed {seed}); "
                  "generated by benchmarks/synth.py, do not edit.\n")
        raw = dump_document(data, header)
        (docs_dir / f"{data['id']}.yaml").write_bytes(raw)
        issuers = data.get("issuers") or [{}]
        earlier.append(Published(data["id"], data["title"], data.get("doc_number"),
                                 issuers[0].get("name"), synth.year))
        stats.documents += 1
        stats.bytes += len(raw)
        stats.by_template[template.id] = stats.by_template.get(template.id, 0) + 1

    manifest = {
        "seed": seed,
        "documents": n,
        "synth_sha256": synth_digest(),
        "jurisdictions": len(registry.places),
        "templates": [{"id": t.id, "sha256": t.digest} for t in templates],
        "template_root": display_path(root),
        "stats": stats.__dict__,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out", type=Path, help="output policies folder (documents/ is replaced)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--templates", type=Path, default=DEFAULT_TEMPLATES,
                        help="policies folder whose valid documents are the templates")
    args = parser.parse_args(argv)
    manifest = synthesise(args.n, args.out, seed=args.seed, templates_root=args.templates)
    print(json.dumps(manifest, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
