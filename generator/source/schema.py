"""The policy file format: pydantic models with ``extra="forbid"``.

The loader hands every scalar over as a string, so the models here are the single place where
text becomes an int, a date or an enum.  Field descriptions are the field reference: they are
emitted into the JSON Schema (``policykb schema``) and into the format page in ``docs/``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from generator.vocabulary import (
    NUMERIC_UNITS,
    STRICTER_FOR_KIND,
    AnswerKind,
    Attribution,
    Kind,
    Level,
    Period,
    Qualifier,
    Role,
    Script,
    Status,
    StepKind,
    Stricter,
    Unit,
)

#: ASCII slug used for every id that may become a file name or an anchor.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MAX_LENGTH = 64

#: Names that would collide with files MkDocs, Pagefind or Windows reserve.
RESERVED_IDS = frozenset(
    {
        "index", "search", "sitemap", "readme", "assets", "404", "site", "docs", "static",
        "con", "prn", "aux", "nul", "pagefind", "downloads", "javascripts", "stylesheets",
        *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
    }
)


def _check_id(value: str) -> str:
    if not re.fullmatch(ID_PATTERN, value) or len(value) > ID_MAX_LENGTH:
        raise ValueError(
            f"invalid id {value!r}: use lower-case ASCII letters, digits and single hyphens, "
            f"at most {ID_MAX_LENGTH} characters"
        )
    if value in RESERVED_IDS:
        raise ValueError(f"invalid id {value!r}: the name is reserved")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("text is blank; write the words, or null where the format allows it")
    return value


Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_check_text)]

#: Characters per quote.  Quotes and short texts are printed in table cells, headings and link
#: text, which Python-Markdown parses in time quadratic in their length (a 2,000-character cell
#: of punctuation took 20 ms, one of 32,000 characters 8.4 s); provision text and descriptions
#: are raw HTML blocks and have no such cap.
MAX_QUOTE = 500
#: Characters per short text: titles, headings, names, what a duty or quota is, a clock's
#: trigger and action, a variant's condition.
MAX_SHORT_TEXT = 200
TOO_LONG = "text too long"


def _at_most(limit: int) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"{TOO_LONG}: {len(value)} characters; at most {limit}")
        return value

    return AfterValidator(check)


Quote = Annotated[Text, _at_most(MAX_QUOTE)]
ShortText = Annotated[Text, _at_most(MAX_SHORT_TEXT)]


class AsciiDigits:
    """Marks a text field made of digits (a code, a by_date date) for the typing pass.

    Integers and dates are digit fields by their type; these are text with a pattern, and
    pydantic's ``\\d`` would accept full-width or Arabic-Indic digits.  The typing pass refuses
    non-ASCII digits in every digit field with one message (PK108).
    """


DIGITS = AsciiDigits()

# --- limits the checker enforces (documented in the field descriptions and the encoding guide) --

#: No policy of the People's Republic bears an earlier date.
EARLIEST_DATE = dt.date(1949, 10, 1)
#: ``issued``, ``published``, ``retrieved`` and ``verified`` may lie this many days after today
#: (time zones).
FUTURE_GRACE_DAYS = 1
#: ``effective`` may lie this many days after ``issued``/``published`` (or after today).
EFFECTIVE_AHEAD_DAYS = 366
#: A ``by_date`` deadline may lie this many years after the document's date (or after today).
DEADLINE_AHEAD_YEARS = 30
#: Steps per procedure: Graphviz needs 30 s for a 200-step chart and crashed at 400.
MAX_PROCEDURE_STEPS = 60
#: Characters per step label; the quote carries the detail.
MAX_STEP_LABEL = 20
#: Characters per edge condition (the label on an arrow).
MAX_EDGE_CONDITION = 30
#: A quote proves a fact only with some words in it: at least this many Chinese characters …
MIN_QUOTE_HAN = 2
#: … or at least this many letters and digits in all.
MIN_QUOTE_ALNUM = 4


def _check_url(value: str) -> str:
    scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
    if scheme not in {"http", "https"}:
        raise ValueError(f"URL scheme {scheme!r} not allowed; use http or https")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if not host or any(c.isspace() for c in value):
        raise ValueError(f"URL {value!r} has no valid host; write it as https://host/path")
    return value


Url = Annotated[str, AfterValidator(_check_url)]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --- registries -------------------------------------------------------------------------------


class Jurisdiction(Strict):
    """One administrative division; the tree is built from ``parent``."""

    id: Id = Field(description="Stable ASCII slug, e.g. xilinhot")
    name: Text = Field(description="Official name, e.g. 锡林浩特市")
    level: Level = Field(description="Administrative level")
    parent: Id | None = Field(None, description="Id of the enclosing jurisdiction")
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$"), DIGITS] | None = Field(
        None, description="GB/T 2260 six-digit division code"
    )


class ActorType(Strict):
    """A shared kind of party, so that 苏木镇(街道) and 镇（街道） line up across documents."""

    id: Id = Field(description="Stable ASCII slug, e.g. township")
    name: Text = Field(description="Chinese name shown in matrices")
    description: Text | None = Field(None, description="Which parties belong to the type")
    order: int = Field(100, description="Position in cross-jurisdiction matrices (lower first)")


class Topic(Strict):
    """A subject on which documents are compared side by side."""

    id: Id = Field(description="Stable ASCII slug, e.g. case-transfer")
    name: Text = Field(description="Chinese name of the topic")
    question: Text = Field(description="The question every jurisdiction is asked on the topic page")
    description: Text | None = Field(None, description="Scope of the topic")
    order: int = Field(100, description="Position in lists (lower first)")


class Question(Strict):
    """One question of the codebook: every jurisdiction's answer to it is compared side by side.

    Facts name the question they answer (``answers``); comparisons, training figures and the
    coded matrix are computed per question, never over a topic's pooled facts.
    """

    id: Id = Field(description="Stable ASCII slug, e.g. transfer-deadline")
    topic: Id = Field(description="Topic id from topics.yaml")
    name: ShortText = Field(description="Short Chinese name used as a table heading, e.g. 移送时限")
    question: ShortText = Field(
        description="The question in Chinese, e.g. 发现属于对方管辖的违法行为后，应在多长时间内"
        "移送？")
    kind: AnswerKind = Field(
        description="duration, frequency, deadline (a calendar date), count (a quota), actor "
        "(who: a duty), escalation (a chain: a procedure) or yes_no (a duty)")
    stricter: Stricter = Field(
        description="Which answer is stricter: shorter (durations, deadlines), more (quotas of "
        "不少于, frequencies), fewer (quotas of 不超过), none (actors, chains, yes/no)")
    definition: ShortText | None = Field(None, description="What the question asks, in a sentence")
    include: list[ShortText] = Field(
        default_factory=list, description="Coding notes: what counts as an answer")
    exclude: list[ShortText] = Field(
        default_factory=list, description="Coding notes: what does not count as an answer")
    order: int = Field(100, description="Position within its topic (lower first)")

    @model_validator(mode="after")
    def _direction_fits_kind(self) -> Question:
        allowed = STRICTER_FOR_KIND[self.kind]
        if self.stricter not in allowed:
            options = ", ".join(sorted(d.value for d in allowed))
            raise ValueError(f"stricter {self.stricter.value!r} does not fit questions of kind "
                             f"{self.kind.value!r}; use {options}")
        return self


class JurisdictionRegistry(Strict):
    jurisdictions: list[Jurisdiction] = Field(min_length=1)


class ActorTypeRegistry(Strict):
    actor_types: list[ActorType] = Field(min_length=1)


class TopicRegistry(Strict):
    topics: list[Topic] = Field(min_length=1)


class QuestionRegistry(Strict):
    questions: list[Question] = Field(min_length=1)


# --- documents ---------------------------------------------------------------------------------


class Limit(Strict):
    """How long a clock may run: a number with a unit, a word such as 立即, or a recurrence."""

    unit: Unit = Field(description="Kind of limit; see the encoding guide for each unit")
    value: Annotated[int, Field(gt=0, le=10000)] | None = Field(
        None, description="Required for working_days, calendar_days, hours and recurring"
    )
    per: Period | None = Field(None, description="Recurring clocks only: the period")
    date: Annotated[
        str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"), DIGITS
    ] | None = Field(
        None,
        description=f"by_date only: YYYY-MM or YYYY-MM-DD, from {EARLIEST_DATE} to "
        f"{DEADLINE_AHEAD_YEARS} years after the document's date",
    )
    upper_bound: bool = Field(
        True, description="false when the limit is a floor (不少于) rather than a ceiling (以内)"
    )

    @model_validator(mode="after")
    def _unit_fields(self) -> Limit:
        needs_value = self.unit in NUMERIC_UNITS or self.unit is Unit.RECURRING
        if needs_value and self.value is None:
            raise ValueError(f"limit with unit {self.unit.value!r} needs a value")
        if not needs_value and self.value is not None:
            raise ValueError(f"limit with unit {self.unit.value!r} takes no value")
        if (self.unit is Unit.RECURRING) != (self.per is not None):
            raise ValueError("'per' is required for recurring limits and only for them")
        if (self.unit is Unit.BY_DATE) != (self.date is not None):
            raise ValueError("'date' is required for by_date limits and only for them")
        if self.date is not None:
            parts = [int(p) for p in self.date.split("-")]
            try:
                dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
            except ValueError:
                raise ValueError(f"invalid date {self.date!r}") from None
        return self


class Fact(Strict):
    """Anything taken from the text: it names its provision and quotes it verbatim."""

    provision: Id = Field(description="Id of the provision the fact comes from")
    quote: Quote = Field(
        description="Verbatim excerpt of that provision's heading or text (whitespace aside); "
        f"at least {MIN_QUOTE_HAN} Chinese characters or {MIN_QUOTE_ALNUM} letters and digits, "
        f"at most {MAX_QUOTE} characters"
    )


class Answering(Strict):
    """What a fact contributes to the codebook: the question it answers and how it answers."""

    answers: Id | None = Field(None, description="Id of the codebook question (questions.yaml) "
                               "this fact answers")
    applies_to: ShortText | None = Field(
        None, description="The case this answer covers, when one document answers the same "
        "question twice (镇 / 街道); each answer then names its own case")
    qualifier: Qualifier | None = Field(
        None, description="A qualifying word of the quote, shown with the answer: in_principle "
        "原则上, generally 一般, may 可/可以, as_needed 视情/根据工作需要, at_most 不超过")


class Attributed(Strict):
    """Whether the provision names who bears the fact, or the editors inferred it."""

    attribution: Attribution = Field(
        Attribution.STATED, description="stated: the provision names every actor (by name or "
        "alias); editorial: an actor is inferred from the context (the site marks it 编者推定)")
    attribution_reason: ShortText | None = Field(
        None, description="Editorial attributions only: why the actor is read so, in one line")

    @model_validator(mode="after")
    def _reason_with_editorial(self) -> Attributed:
        editorial = self.attribution is Attribution.EDITORIAL
        if editorial and self.attribution_reason is None:
            raise ValueError("an editorial attribution needs attribution_reason: say in one line "
                             "why the actor is read so")
        if not editorial and self.attribution_reason is not None:
            raise ValueError("attribution_reason is for editorial attributions only; add "
                             "attribution: editorial or remove the reason")
        return self


class Provision(Strict):
    """One node of the document's own numbering (一、 / （一） / 1. / paragraph)."""

    id: Id = Field(description="Stable anchor id, e.g. s3-2 for 三、（二）")
    number: str | None = Field(None, description="The number as printed: 一、 （二） 3.")
    heading: Annotated[str, _at_most(MAX_SHORT_TEXT)] | None = Field(
        None, description=f"Heading text as printed, without the number (at most {MAX_SHORT_TEXT} "
        "characters)")
    text: str | None = Field(None, description="Body text; paragraphs separated by newlines")
    children: list[Provision] = Field(default_factory=list, description="Sub-provisions")

    @model_validator(mode="after")
    def _has_content(self) -> Provision:
        if not (self.heading or self.text or self.children):
            raise ValueError("a provision needs a heading, a text or children")
        return self


class Issuer(Strict):
    name: ShortText = Field(description="Issuing body as printed, e.g. 金湖县人民政府办公室")
    jurisdiction: Id | None = Field(None, description="Jurisdiction id of the issuer")


class Dates(Strict):
    """Dates stated in the text, each from 1949-10-01 on and none far in the future."""

    issued: dt.date | None = Field(
        None, description=f"成文日期 / signing date stated in the text; from {EARLIEST_DATE}, not "
        "after today"
    )
    published: dt.date | None = Field(
        None, description=f"发布日期 / publication date; from {EARLIEST_DATE}, not after today"
    )
    effective: dt.date | None = Field(
        None,
        description=f"施行日期, only when stated; at most {EFFECTIVE_AHEAD_DAYS} days after "
        "issued/published",
    )


class Source(Strict):
    seed: Text | None = Field(None, description="File name of the source text in the seed set")
    url: Url | None = Field(None, description="http(s) address of the published text")
    publisher: str | None = Field(None, description="Where it was published (来源)")
    retrieved: dt.date | None = Field(
        None, description="When the source was retrieved; not after today"
    )
    verified: dt.date | None = Field(
        None, description="数据核对日期 / when an editor last checked every fact of this file "
        "against its source text; not after today, not before the document's date; shown "
        "beside every fact as 数据核对于…"
    )


class Actor(Strict):
    """A party as the document names it, mapped to a shared actor type."""

    id: Id = Field(description="Id local to the document, e.g. county-dept")
    name: ShortText = Field(description="The document's own wording")
    type: Id = Field(description="Actor type id from actor-types.yaml")
    aliases: list[Text] = Field(default_factory=list, description="Other wordings in the text")
    note: str | None = Field(None, description="Editorial note on the mapping")


class Duty(Fact, Answering, Attributed):
    id: Id = Field(description="Id local to the document")
    actors: list[Id] = Field(min_length=1, description="Actor ids that bear the duty")
    role: Role = Field(description="lead 牵头, responsible 负责, cooperates 配合, supports 支持, "
                       "supervises 监督, informed 被告知")
    topic: Id = Field(description="Topic id from topics.yaml")
    what: ShortText = Field(description="The duty in a short phrase, in the document's language")


class Variant(Answering):
    """A different limit under a condition (情况紧急, 违法行为正在进行)."""

    when: ShortText = Field(description="The condition as printed, e.g. 情况紧急")
    limit: Limit = Field(description="The limit under that condition")
    action: str | None = Field(None, description="A different action, when the text gives one")
    provision: Id | None = Field(None, description="Defaults to the clock's provision")
    quote: Quote = Field(description="Verbatim excerpt stating the variant")


class Extension(Answering):
    """How a clock may be extended (事先告知, 最长不超过10个工作日)."""

    condition: ShortText = Field(description="When an extension is allowed")
    max: Limit | None = Field(None, description="Cap on the extended total, when stated")
    requires: str | None = Field(None, description="What must be done to extend, e.g. 事先告知")
    provision: Id | None = Field(None, description="Defaults to the clock's provision")
    quote: Quote = Field(description="Verbatim excerpt stating the extension")


class Clock(Fact, Answering, Attributed):
    """A time limit: from a trigger to an action, owned by an actor."""

    id: Id = Field(description="Id local to the document")
    answers: Id = Field(description="Id of the codebook question (questions.yaml) the clock "
                        "answers; every clock answers exactly one")
    topic: Id = Field(description="Topic id from topics.yaml")
    actors: list[Id] = Field(min_length=1, description="Who must act")
    recipient: list[Id] = Field(default_factory=list, description="To whom the action is directed")
    trigger: ShortText = Field(description="What starts the clock, e.g. 发现违法行为属于对方管辖")
    action: ShortText = Field(description="What must be done before it runs out")
    limit: Limit = Field(description="The normal limit")
    variants: list[Variant] = Field(default_factory=list, description="Urgent / in-progress limits")
    extension: Extension | None = Field(None, description="How the limit may be extended")
    consequence: str | None = Field(None, description="What follows a breach, when stated")
    note: str | None = Field(None, description="Editorial note")


class Quota(Fact, Answering, Attributed):
    """A minimum (or maximum) quantity that is not a time limit.

    A requirement only: a number inside a condition (连续两年考核不合格的 …) or a description of
    what was done (14个区市全部制定) is not a quota.
    """

    id: Id = Field(description="Id local to the document")
    answers: Id = Field(description="Id of the codebook question (questions.yaml) the quota "
                        "answers; every quota answers exactly one")
    topic: Id = Field(description="Topic id from topics.yaml")
    actors: list[Id] = Field(default_factory=list, description="Who must meet the quantity")
    what: ShortText = Field(description="What is counted, in the text's words")
    comparator: str = Field("at_least", pattern=r"^(at_least|at_most|exactly)$",
                            description="at_least 不少于, at_most 不超过, exactly")
    value: Annotated[int, Field(ge=0)] = Field(description="The number")
    unit: Text = Field(description="Counted thing as printed: 学时, 人, 次, 个")
    per: Period | None = Field(None, description="Period for a recurring quantity (每年)")
    scope: str | None = Field(None, description="To whom it applies, e.g. 每个镇")


class Step(Fact):
    id: Id = Field(description="Id local to the procedure")
    actor: Id = Field(description="The lane (actor id) the step belongs to")
    label: Text = Field(
        description=f"Short label shown in the flowchart (at most {MAX_STEP_LABEL} characters)"
    )
    kind: StepKind = Field(StepKind.TASK, description="start, task, decision or end")


class Edge(Strict):
    source: Id = Field(alias="from", description="Step id the edge leaves")
    target: Id = Field(alias="to", description="Step id the edge enters")
    condition: str | None = Field(
        None,
        description=f"Edge label, e.g. 情况紧急 / 是 / 否 (at most {MAX_EDGE_CONDITION} "
        "characters)",
    )
    clock: Id | None = Field(None, description="Clock id that governs this edge")
    variant: int | None = Field(None, ge=0, description="Index into the clock's variants")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Procedure(Strict):
    """Steps in actor lanes with conditional edges; escalation chains are procedures too."""

    id: Id = Field(description="Id local to the document; names the flowchart file")
    title: ShortText = Field(description="Chinese title of the flowchart")
    topic: Id = Field(description="Topic id from topics.yaml")
    description: str | None = Field(None, description="One sentence shown under the chart")
    lanes: list[Id] = Field(min_length=1, description="Actor ids, one lane each, in order")
    steps: list[Step] = Field(
        min_length=2,
        description=f"Exactly one start, at least one end; at most {MAX_PROCEDURE_STEPS} steps",
    )
    edges: list[Edge] = Field(min_length=1, description="Transitions; every step reachable")
    answers: Id | None = Field(None, description="Id of the codebook question (an escalation "
                               "question) the procedure answers")
    applies_to: ShortText | None = Field(
        None, description="The case this chain covers, when the document answers the question "
        "twice")


class Citation(Fact):
    """A document the policy cites; resolved to a knowledge-base document when present."""

    id: Id = Field(description="Id local to the document")
    title: ShortText = Field(description="Title as printed, without 《》")
    doc_number: str | None = Field(None, description="文号 as printed, null when not printed")
    issuer: str | None = Field(None, description="Issuer as printed")
    document: Id | None = Field(None, description="Id of the cited document in this knowledge base")


class Document(Strict):
    """One policy document with its full text and every fact in it."""

    id: Id = Field(description="Stable ASCII slug; names the page, e.g. jinhu-2021-coordination")
    title: ShortText = Field(description="Title as printed (in the document's script)")
    notice_title: str | None = Field(None, description="Title of the 通知 that issued it, if any")
    doc_number: str | None = Field(description="文号 as printed, or null when the text has none")
    issuers: list[Issuer] = Field(min_length=1, description="Issuing bodies as printed")
    jurisdiction: Id = Field(description="Jurisdiction id from jurisdictions.yaml")
    kind: Kind = Field(description="mechanism, implementing-opinion, guiding-opinion, work-report")
    status: Status = Field(description="trial 试行, in-force, superseded, unknown")
    dates: Dates = Field(description="Dates stated in the text")
    source: Source = Field(description="Provenance of the text")
    script: Script = Field(description="simplified or traditional, as in the source")
    summary: str | None = Field(None, description="One-paragraph editorial summary")
    notes: list[Text] = Field(
        default_factory=list, description="Editorial notes: cleaning done, facts not stated"
    )
    provisions: list[Provision] = Field(min_length=1, description="The full text as a tree")
    actors: list[Actor] = Field(min_length=1, description="Parties named in the text")
    duties: list[Duty] = Field(default_factory=list, description="Every duty on every topic")
    clocks: list[Clock] = Field(default_factory=list, description="Every time limit")
    quotas: list[Quota] = Field(default_factory=list, description="Every minimum quantity")
    procedures: list[Procedure] = Field(default_factory=list, description="Described processes")
    citations: list[Citation] = Field(default_factory=list, description="Cited documents")

    @field_validator("doc_number")
    @classmethod
    def _doc_number_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("doc_number is blank; write null when the text states none")
        return value


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a document file, published with the site."""
    schema = Document.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "policykb/document.schema.json"
    return schema
