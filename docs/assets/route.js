/* policykb · 案件去向: the guide on tools/case-routing/ — place, situation, the procedure's own
 * questions, then the answer with its clauses, time limits (计算期限) and the chart.
 *
 * Hand-written ES2017, no dependencies, no build step.  The data are script files written by
 * generator/render/routing.py (read its docstring for what they hold): data/route/index.js
 * (places, documents, topics) and one data/route/<document>.js per document, loaded when a place
 * it applies to is chosen.  Every situation, question and answer is in the data, worked out at
 * build time; this script only shows them.
 *
 * Every state is a URL: #j=<place>&e=<document>/<procedure>/<situation>&c=<option>.<option>…
 * Choices are links, so the keyboard, the back button and a shared link all work; after a
 * choice the focus moves to the next question (or the answer).
 *
 * The chart is the procedure's own SVG file (diagrams/<document>/<procedure>.svg), fetched and
 * put in the page so the chosen path can be marked: classes on the nodes and edges whose ids
 * generator/render/procedures.py gives them.  A page opened from disk cannot fetch it: the chart
 * is then shown as an image, unmarked (the steps above it say the path in words).
 */
(function () {
  "use strict";

  var C = window.PolicykbCalculator;
  var ROUTE = "data-pk-route";
  var MAX_SUGGESTIONS = 30;
  var SUFFIX = /(特别行政区|自治区|自治州|自治县|自治旗|街道|苏木|省|市|县|区|盟|旗|州|镇|乡)$/;

  var mount = null;
  var root = "";
  var index = null;
  var places = {};
  var documents = {};

  function el(tag, attrs, children) {
    return C.el(tag, attrs, children);
  }

  function link(href, text, attrs) {
    var a = el("a", attrs || {}, [text]);
    a.href = href;
    return a;
  }

  /* ---- state in the URL -------------------------------------------------------------- */

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var choices = params.get("c");
    return {
      j: params.get("j") || "",
      e: params.get("e") || "",
      c: choices ? choices.split(".").map(Number) : []
    };
  }

  function hash(state) {
    var parts = [];
    if (state.j) parts.push("j=" + encodeURIComponent(state.j));
    if (state.e) parts.push("e=" + state.e);
    if (state.c && state.c.length) parts.push("c=" + state.c.join("."));
    return "#" + parts.join("&");
  }

  /* ---- places ------------------------------------------------------------------------ */

  function chain(place) {
    var out = [];
    for (var p = place; p; p = p.parent === null ? null : index.jurisdictions[p.parent]) {
      out.unshift(p);
    }
    return out;
  }

  function chainText(place) {
    return chain(place).filter(function (p) { return p.parent !== null; })
      .map(function (p) { return p.name; }).join(" › ");
  }

  function fold(text) {
    return String(text).normalize("NFKC").replace(/\s+/g, "");
  }

  /** Places whose name contains the query, or whose short name (金湖 for 金湖县) it contains. */
  function matches(query) {
    var q = fold(query);
    if (!q) return [];
    var found = [];
    index.jurisdictions.forEach(function (p, order) {
      if (p.parent === null) return;
      var name = fold(p.name);
      var short = name.replace(SUFFIX, "");
      var rank = name === q || short === q ? 0 : name.indexOf(q) === 0 ? 1 :
        name.indexOf(q) > 0 ? 2 : short.length > 1 && q.indexOf(short) >= 0 ? 3 : -1;
      if (rank >= 0) found.push({ place: p, rank: rank, order: order });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    return found.map(function (f) { return f.place; });
  }

  /** The documents that apply to `place`: its own, then each level above, most specific first. */
  function applicable(place) {
    return chain(place).reverse().filter(function (p) { return p.documents.length; })
      .map(function (p) {
        return { place: p, own: p === place, documents: p.documents.map(function (i) {
          return index.documents[i];
        }) };
      });
  }

  function below(place) {
    var position = index.jurisdictions.indexOf(place);
    return index.jurisdictions.filter(function (p) {
      if (!p.documents.length) return false;
      for (var q = p; q.parent !== null; q = index.jurisdictions[q.parent]) {
        if (q.parent === position) return true;
      }
      return false;
    });
  }

  /* ---- sections ---------------------------------------------------------------------- */

  function section(id, title) {
    var heading = el("h2", { id: id, tabindex: "-1", text: title });
    return el("section", { className: "pk-route__step", "aria-labelledby": id }, [heading]);
  }

  function chosen(text, changeHref, changeLabel) {
    return el("p", { className: "pk-route__chosen" }, [el("strong", { text: text }), " ",
      link(changeHref, "更改", { "aria-label": "更改" + changeLabel })]);
  }

  function placeSection(state) {
    var s = section("pk-route-place", "1. 所在地区");
    var place = places[state.j];
    if (place) {
      s.appendChild(chosen(chainText(place), "#", "所在地区"));
      return s;
    }
    var inputId = "pk-route-place-input";
    var input = el("input", { id: inputId, type: "search", autocomplete: "off",
      enterkeyhint: "go", placeholder: "例如 金湖", "aria-describedby": inputId + "-hint" });
    var status = el("p", { className: "pk-route__hint", id: inputId + "-hint",
      "aria-live": "polite" });
    var list = el("ul", { className: "pk-route__options" });
    s.appendChild(el("p", { className: "pk-route__field" }, [
      el("label", { "for": inputId, text: "输入县（市、区）、市或省的名称" }), input]));
    s.appendChild(status);
    s.appendChild(list);
    function show() {
      var query = input.value;
      var found = query.trim() ? matches(query) : index.jurisdictions.filter(function (p) {
        return p.documents.length;
      });
      list.textContent = "";
      found.slice(0, MAX_SUGGESTIONS).forEach(function (p) {
        var own = p.documents.length ? "本级文件 " + p.documents.length + " 份" : "无本级文件";
        list.appendChild(el("li", {}, [link(hash({ j: p.id }), p.name, {}),
          el("span", { className: "pk-route__note", text: chainText(p) + " · " + own })]));
      });
      if (!query.trim()) {
        status.textContent = "收录了文件的地区如下；也可以输入其他地区的名称。";
      } else if (!found.length) {
        status.textContent = "没有找到“" + query.trim() + "”。请换一种写法（例如“金湖”或“金湖县”）；" +
          "本站只收录部分地区。";
      } else {
        status.textContent = "找到 " + found.length + " 个地区" +
          (found.length > MAX_SUGGESTIONS ? "，显示前 " + MAX_SUGGESTIONS + " 个" : "") +
          "；按回车键选择第一个。";
      }
    }
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var first = list.querySelector("a");
      if (first) {
        event.preventDefault();
        window.location.hash = first.getAttribute("href");
      }
    });
    show();
    return s;
  }

  function documentLink(doc) {
    return link(root + doc.url, doc.short, { title: doc.title });
  }

  /** What applies to the place, said plainly: own documents, documents above, or none. */
  function coverage(place, groups) {
    var box = el("div", { className: "pk-route__coverage", role: "note" });
    if (!groups.length) {
      box.appendChild(el("p", { text: "本站没有收录适用于" + place.name + "的文件（本级和上级地区都没有）。" }));
      var under = below(place);
      if (under.length) {
        var items = under.map(function (p) {
          return el("li", {}, [link(hash({ j: p.id }), p.name), "（" + chainText(p) + "）"]);
        });
        box.appendChild(el("p", { text: "下级地区有文件的：" }));
        box.appendChild(el("ul", {}, items));
      }
      return box;
    }
    var own = groups.filter(function (g) { return g.own; })[0];
    var above = groups.filter(function (g) { return !g.own; });
    var lines = [];
    if (own) {
      lines.push(el("p", {}, [place.name + "有本级文件：",
        join(own.documents.map(documentLink)), "。"]));
    } else {
      box.classList.add("pk-route__coverage--fallback");
      lines.push(el("p", {}, [el("strong", { text: place.name + "没有收录本级文件" }),
        "，以下改用上级地区" + above.map(function (g) { return g.place.name; }).join("、") +
        "的文件。"]));
    }
    above.forEach(function (g) {
      lines.push(el("p", {}, ["上级地区" + g.place.name + "的文件：",
        join(g.documents.map(documentLink)), "。"]));
    });
    if (groups.length > 1) {
      lines.push(el("p", { text: "几份文件都适用时，" + groups[0].place.name +
        "的文件适用范围更小、规定更具体；上级文件同样有效，请一并遵守。" }));
    }
    lines.forEach(function (line) { box.appendChild(line); });
    return box;
  }

  function join(nodes) {
    var span = el("span");
    nodes.forEach(function (node, i) {
      if (i) span.appendChild(document.createTextNode("、"));
      span.appendChild(node);
    });
    return span;
  }

  function levelNote(group) {
    return group.own ? "本级文件" : "上级文件：" + group.place.name;
  }

  /** Every situation of the applicable documents, by topic, the most specific document first. */
  function situations(groups) {
    var byTopic = {};
    groups.forEach(function (group) {
      group.documents.forEach(function (docInfo) {
        var doc = documents[docInfo.id];
        doc.procedures.forEach(function (proc, p) {
          proc.entries.forEach(function (entry, n) {
            (byTopic[proc.topic] = byTopic[proc.topic] || []).push({
              key: doc.id + "/" + proc.id + "/" + n, doc: doc, proc: proc, entry: entry,
              group: group, order: p
            });
          });
        });
      });
    });
    return index.topics.filter(function (t) { return byTopic[t.id]; }).map(function (t) {
      return { topic: t, items: byTopic[t.id] };
    });
  }

  function situationSection(state, groups, topics) {
    var s = section("pk-route-situation", "2. 遇到的情形");
    var current = find(topics, state.e);
    if (current) {
      s.appendChild(chosen(current.entry.label + "（" + current.proc.lanes[current.entry.lane] +
        "）", hash({ j: state.j }), "情形"));
      s.appendChild(el("p", { className: "pk-route__note" }, [current.proc.title + " · ",
        documentLink(current.doc), "（" + levelNote(current.group) + "）"]));
      return s;
    }
    if (!topics.length) {
      s.appendChild(el("p", { text: "适用的文件中没有整理出流程。" }));
      return s;
    }
    topics.forEach(function (t) {
      var headingId = C.uid("pk-route-topic");
      s.appendChild(el("h3", { id: headingId, text: t.topic.name }));
      s.appendChild(el("p", { className: "pk-route__note", text: t.topic.question }));
      var list = el("ul", { className: "pk-route__options", "aria-labelledby": headingId });
      t.items.forEach(function (item) {
        var who = item.proc.lanes[item.entry.lane];
        list.appendChild(el("li", {}, [
          link(hash({ j: state.j, e: item.key }), item.entry.label + "（" + who + "）"),
          el("span", { className: "pk-route__note", text: item.proc.title + " · " +
            item.doc.short + (groups.length > 1 || !item.group.own ?
              "（" + levelNote(item.group) + "）" : "") })]));
      });
      s.appendChild(list);
    });
    return s;
  }

  function find(topics, key) {
    for (var i = 0; i < topics.length; i++) {
      for (var k = 0; k < topics[i].items.length; k++) {
        if (topics[i].items[k].key === key) return topics[i].items[k];
      }
    }
    return null;
  }

  /* ---- questions and the answer ------------------------------------------------------ */

  function clause(item) {
    return el("span", { className: "pk-route__clause" }, [
      link(root + item.url, item.clause), "：“" + item.quote + "”"]);
  }

  function stepName(proc, n) {
    return "第" + (n + 1) + "步「" + proc.steps[n].label + "」";
  }

  function walk(tree, choices) {
    var node = tree, asked = [];
    for (var i = 0; node.options; i++) {
      var option = node.options[choices[i]];
      if (choices[i] === undefined || !option) break;
      asked.push({ node: node, index: choices[i], option: option });
      node = option.next;
    }
    return { asked: asked, node: node };
  }

  function questionSection(state, item, path) {
    var s = section("pk-route-questions", "3. 流程中的判断");
    var proc = item.proc;
    if (!path.asked.length && !path.node.options) {
      s.appendChild(el("p", { text: "这个流程没有需要判断的分支。" }));
      return s;
    }
    var done = el("ol", { className: "pk-route__answered" });
    path.asked.forEach(function (a, i) {
      done.appendChild(el("li", {}, [a.node.question + " ", el("strong", { text: a.option.label }), " ",
        link(hash({ j: state.j, e: state.e, c: state.c.slice(0, i) }), "更改",
          { "aria-label": "更改：" + a.node.question })]));
    });
    if (path.asked.length) s.appendChild(done);
    var node = path.node;
    if (node.options) {
      var qId = "pk-route-question";
      s.appendChild(el("h3", { id: qId, tabindex: "-1", text: node.question }));
      s.appendChild(el("p", { className: "pk-route__note" }, [stepName(proc, node.ask) + " · ",
        clause(proc.steps[node.ask])]));
      var list = el("ul", { className: "pk-route__options pk-route__choices",
        "aria-labelledby": qId });
      node.options.forEach(function (option, k) {
        list.appendChild(el("li", {}, [link(hash({ j: state.j, e: state.e,
          c: state.c.slice(0, path.asked.length).concat([k]) }), option.label)]));
      });
      s.appendChild(list);
    }
    return s;
  }

  function limitItem(item, edgeIndex) {
    var doc = item.doc, proc = item.proc;
    var edge = proc.edges[edgeIndex];
    var clock = doc.clocks[edge.clock];
    var limit = clock.limits[edge.option];
    var lane = proc.lanes[proc.steps[edge.to].lane];
    var li = el("li", {}, [
      el("strong", { text: (limit.case === "一般情形" ? "" : limit.case + "：") + limit.label }),
      "　" + lane + "：" + clock.action + " · ", clause(limit)]);
    if (clock.calculator && limit.computed) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(C.button(clock.calculator, edge.option));
    }
    return li;
  }

  function stepItem(item, n) {
    var proc = item.proc, step = proc.steps[n];
    var li = el("li", {}, [stepName(proc, n) + "【" + proc.lanes[step.lane] + "】 ",
      clause(step)]);
    if (step.text) {
      li.appendChild(el("details", {}, [el("summary", { text: "条款全文" }),
        el("p", { text: step.text })]));
    }
    return li;
  }

  function row(term, items) {
    if (!items.length) return [];
    return [el("dt", { text: term }), el("dd", {}, [el("ul", {}, items)])];
  }

  function answerSection(state, item, answer, others) {
    var s = section("pk-route-answer", "答案");
    var proc = item.proc;
    if (answer.list) {
      s.appendChild(el("p", { text: "这个流程的分支较多，不逐一提问；下面列出全部步骤。" }));
    }
    var to = answer.to.map(function (t) {
      var edge = proc.edges[t.edge];
      return el("li", {}, [el("strong", { text: t.name }), "　" + stepName(proc, edge.from) +
        " → " + stepName(proc, edge.to) + " · ", clause(proc.steps[edge.from])]);
    });
    var list = el("dl", { className: "pk-route__answer" });
    var rows = [].concat(
      row("交给谁", to),
      row("以谁的名义", answer.name.map(function (n) { return stepItem(item, n); })),
      row("带什么材料", answer.materials.map(function (n) { return stepItem(item, n); })),
      row("多长时间内", answer.limits.map(function (e) { return limitItem(item, e); })),
      row("之后", answer.next.map(function (n) { return stepItem(item, n); }))
    );
    if (!rows.length) rows = [el("dt", { text: "结果" }), el("dd", { text: "见下面的步骤。" })];
    rows.concat(row("依据", [el("li", {}, [documentLink(item.doc), "（效力：" +
      item.doc.validity + "；" + item.doc.verified + "）"])]))
      .forEach(function (node) { list.appendChild(node); });
    s.appendChild(list);
    s.appendChild(el("h3", { text: "全部步骤" }));
    s.appendChild(el("ol", { className: "pk-route__steps" },
      answer.steps.map(function (n) { return stepItem(item, n); })));
    if (others.length) {
      s.appendChild(el("h3", { text: "其他适用文件中的同类流程" }));
      s.appendChild(el("ul", {}, others.map(function (o) {
        return el("li", {}, [link(hash({ j: state.j, e: o.key }), o.entry.label + "（" +
          o.proc.lanes[o.entry.lane] + "）"), "　" + o.proc.title + " · " + o.doc.short + "（" +
          levelNote(o.group) + "，" + (o.group.own ? "更具体" : "适用范围更大") + "）"]);
      })));
    }
    s.appendChild(el("h3", { text: "流程图（已标出所选路径）" }));
    var chart = el("div", { className: "pk-route__chart" });
    s.appendChild(chart);
    s.appendChild(el("p", {}, [link(root + proc.url, "打开流程页"), "　",
      link(window.location.href, "本答案的网址（可分享）")]));
    drawChart(chart, item, answer);
    return s;
  }

  function drawChart(box, item, answer) {
    var proc = item.proc;
    var url = new URL(proc.chart, root).href;
    var fallback = function () {
      box.textContent = "";
      box.appendChild(el("img", { src: url, alt: "流程图：" + proc.title }));
      box.appendChild(el("p", { className: "pk-route__note",
        text: "（从本地文件打开时无法在图中标出路径；所选路径见上面的步骤。）" }));
    };
    if (!window.fetch || window.location.protocol === "file:") {
      fallback();
      return;
    }
    box.textContent = "正在加载流程图…";
    window.fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (text) {
      var svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      if (svg.nodeName !== "svg") throw new Error("not an SVG");
      Array.prototype.forEach.call(svg.querySelectorAll("a"), function (a) {
        ["href", "xlink:href"].forEach(function (name) {
          var value = a.getAttribute(name);
          if (value) a.setAttribute(name, new URL(value, url).href);
        });
      });
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "流程图：" + proc.title + "，已标出所选路径");
      box.textContent = "";
      box.appendChild(document.importNode(svg, true));
      box.classList.add("pk-route__chart--path");
      var prefix = proc.chartPrefix;
      answer.steps.forEach(function (n) { mark(box, prefix + proc.steps[n].svg); });
      answer.edges.forEach(function (e) {
        var id = prefix + proc.edges[e].svg;
        mark(box, id);  // the arrow (its last part when it carries words)
        mark(box, id + "a");  // the parts before: to the condition, to the limit
        mark(box, id + "b");
        mark(box, id + "c", "pk-route-on--label");  // the condition's words
        mark(box, id + "l", "pk-route-on--label");  // the limit's words
      });
    }).catch(fallback);
  }

  function mark(box, id, kind) {
    var node = box.querySelector("[id=\"" + id + "\"]");
    if (node) node.classList.add("pk-route-on", kind || "pk-route-on--part");
  }

  /* ---- the page ---------------------------------------------------------------------- */

  function loadDocuments(groups) {
    var wanted = [];
    groups.forEach(function (g) { wanted = wanted.concat(g.documents); });
    return Promise.all(wanted.map(function (doc) {
      return C.loadScript(root + doc.script).then(function () {
        documents[doc.id] = window.PolicykbRouteDocuments[doc.id];
      });
    }));
  }

  function render(moveFocus) {
    var state = readHash();
    var place = places[state.j];
    var view = el("div", { className: "pk-route__view" });
    view.appendChild(placeSection(state));
    mount.textContent = "";
    mount.appendChild(view);
    if (!place) {
      focus(moveFocus, state.j ? "pk-route-place-input" : null);
      return Promise.resolve();
    }
    var groups = applicable(place);
    view.appendChild(coverage(place, groups));
    if (!groups.length) {
      focus(moveFocus, "pk-route-place");
      return Promise.resolve();
    }
    return loadDocuments(groups).then(function () {
      var topics = situations(groups);
      view.appendChild(situationSection(state, groups, topics));
      var item = find(topics, state.e);
      if (!item) {
        focus(moveFocus, "pk-route-situation");
        return;
      }
      var path = walk(item.entry.tree, state.c);
      view.appendChild(questionSection(state, item, path));
      if (path.node.options) {
        focus(moveFocus, "pk-route-question");
        return;
      }
      var others = [];
      topics.forEach(function (t) {
        t.items.forEach(function (o) {
          if (o.proc.topic === item.proc.topic && o.doc !== item.doc && o.entry.kind === "start") {
            others.push(o);
          }
        });
      });
      view.appendChild(answerSection(state, item, path.node.answer, others));
      C.attach(view);
      focus(moveFocus, "pk-route-answer");
    }, function (error) {
      view.appendChild(el("p", { className: "pk-calc__error", text: error.message }));
    });
  }

  function focus(move, id) {
    if (!move || !id) return;
    var target = document.getElementById(id);
    if (target) target.focus();
  }

  function start() {
    mount = document.querySelector("[" + ROUTE + "]");
    if (!mount) return;
    root = C.siteRoot();
    C.loadScript(root + mount.getAttribute(ROUTE)).then(function () {
      index = window.PolicykbRouteIndex;
      index.jurisdictions.forEach(function (p) { places[p.id] = p; });
      render(false);
      window.addEventListener("hashchange", function () { render(true); });
    }, function (error) {
      mount.appendChild(el("p", { className: "pk-calc__error", text: error.message }));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
