"""The home page: what is inside, where each audience starts, the jurisdiction tree."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.jurisdiction import HOME_TREE_ITEMS, Tree, tree


@dataclass(frozen=True)
class Count:
    label: Markup
    value: int
    link: Markup


@dataclass(frozen=True)
class Audience:
    name: Markup
    steps: list[Markup]


@dataclass(frozen=True)
class HomePage:
    title: Markup
    front_title: Markup
    counts: list[Count]
    audiences: list[Audience]
    tree: Tree


def home_page(ctx: RenderContext) -> HomePage:
    page = links.HOME
    kb = ctx.kb

    def link(text: str, target: str, anchor: str | None = None) -> Markup:
        return escape.md_link(text, links.relative(page, target, anchor))

    counts = [
        Count(escape.md_cell("文件"), len(kb.documents), link("全部文件", links.DOCUMENTS_INDEX)),
        Count(escape.md_cell("辖区"), len(kb.documents_by_jurisdiction),
              link("辖区树", links.JURISDICTIONS_INDEX)),
        Count(escape.md_cell("时限"), sum(len(d.clocks) for d in kb.documents),
              link("全部时限", links.CLOCKS_INDEX)),
        Count(escape.md_cell("职责"), sum(len(d.duties) for d in kb.documents),
              link("职责矩阵", links.MATRIX_INDEX)),
        Count(escape.md_cell("流程"), sum(len(d.procedures) for d in kb.documents),
              link("专题", links.TOPICS_INDEX)),
        Count(escape.md_cell("引用"), sum(len(d.citations) for d in kb.documents),
              link("引用关系", links.CITATIONS_INDEX)),
    ]
    audiences = [
        Audience(escape.md_text("执法人员"), [
            escape.concat(link("案件去向", links.ROUTE_PAGE),
                          escape.md_text("：选择所在地区和遇到的情形，回答流程中的几个问题，"
                                         "得到交给谁、带什么材料、几日内（可算出截止日期）及条款原文")),
            escape.concat(link("按辖区找到本地文件", links.JURISDICTIONS_INDEX),
                          escape.md_text("：文件页上有时限表、职责矩阵和带条款锚点的原文；"
                                         "每个流程一页，写明向谁移送、什么材料、几日内")),
            escape.concat(link("全部时限", links.CLOCKS_INDEX),
                          escape.md_text("：按时长排序、按辖区或专题筛选")),
        ]),
        Audience(escape.md_text("培训人员"), [
            escape.concat(link("培训材料", links.TRAINING_INDEX),
                          escape.md_text("：每个专题一页，要点数字、练习题和附条款原文的答案，"
                                         "答案另起一页打印")),
            escape.concat(link("专题", links.TOPICS_INDEX),
                          escape.md_text("：按编码手册的问题逐一并排比较各辖区，标出同一问题内"
                                         "最严与最宽的答案和未作规定的辖区，可直接打印")),
        ]),
        Audience(escape.md_text("研究审查人员"), [
            escape.concat(link("编码手册", links.CODEBOOK_INDEX),
                          escape.md_text("：比较所依据的问题、定义和编码说明；"),
                          link("上下级规定比较", links.CONFLICTS_INDEX)),
            escape.concat(link("跨辖区职责矩阵", links.MATRIX_INDEX), escape.md_text("、"),
                          link("引用关系", links.CITATIONS_INDEX)),
            escape.concat(link("数据下载", links.DATA_INDEX),
                          escape.md_text("：JSON、CSV、XLSX，每项事实附条款编号与原文引文")),
        ]),
    ]
    return HomePage(
        title=escape.md_text("行政执法协作机制知识库"),
        front_title=escape.front_matter("首页"),
        counts=counts,
        audiences=audiences,
        tree=tree(ctx, page, ctx.graph.roots(), HOME_TREE_ITEMS),
    )
