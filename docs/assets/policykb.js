/* policykb: search box in the header, the search page, every table (row headers, captions,
 * cards on a phone), sortable and filterable tables, 复制引用 for every provision, the duty
 * matrix's counts that open the duty list, the closed drawer kept out of the tab order, and
 * the print header's address and date.
 *
 * Search runs on Pagefind's JavaScript API (pagefind/pagefind.js, written by `policykb build`).
 * The index is built from a folded copy of every page (generator/publish/search.py): traditional →
 * simplified one character at a time, full-width letters and digits → half-width, a space
 * before every Han character.  Queries are folded here with the same table
 * (pagefind/policykb-t2s.json) and split the same way; an exact phrase search decides which
 * pages contain the query and an ordinary search over the same characters ranks them.  Keep
 * fold() in step with generator/publish/search.py.
 *
 * Excerpts are built here, not by Pagefind: the stored text of a page carries marks (a
 * traditional character's private-use mark after its simplified form, ^ for a space of the page,
 * a backtick at the end of a block, | after a punctuation mark that is full-width on the page;
 * a backslash before a character of the page that would read as a mark), so the excerpt shows
 * the page's own text around the first place the phrase occurs, and each further section that
 * contains it links to its anchor.
 */
(function () {
  "use strict";

  var HAN = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}";
  var TOKEN = new RegExp("[" + HAN + "]|[0-9a-z]+", "gu");
  var WORD_CHAR = new RegExp("[" + HAN + "0-9A-Za-z]", "u");
  var PUA = /[\ue000-\uf8ff]/g;
  var SPACE_MARK = "^"; // marks in the stored text, as generator/publish/search.py writes them
  var BLOCK_MARK = "`";
  var WIDE_MARK = "|";
  var ESCAPE_MARK = "\\"; // the character after it is the page's own, never a mark
  var PAGE_SIZE = 5; // results whose text is fetched at a time ("显示更多结果" loads the next)
  var BEFORE = 16; // words (about characters) shown before the phrase in an excerpt
  var AFTER = 44; // and after its start
  var MAX_SECTIONS = 3;

  function siteRoot() {
    var base = ".";
    var node = document.getElementById("__config");
    if (node) {
      try {
        base = JSON.parse(node.textContent).base || ".";
      } catch (e) {
        base = ".";
      }
    }
    var url = new URL(base.replace(/\/?$/, "/"), window.location.href);
    url.search = "";
    url.hash = "";
    return url;
  }

  function searchPageUrl() {
    return new URL("about/search/", siteRoot());
  }

  /* ---- header search box -------------------------------------------------------------- */

  function addHeaderSearch(onSearchPage) {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".pk-header-search")) {
      return;
    }
    var form = document.createElement("form");
    form.className = "pk-header-search";
    form.setAttribute("role", "search");
    form.method = "get";
    form.action = searchPageUrl().href;
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "搜索";
    input.autocomplete = "off";
    input.setAttribute("aria-label", "搜索本站");
    form.appendChild(input);
    inner.insertBefore(form, inner.querySelector(".md-header__source"));
    form.hidden = onSearchPage;
  }

  /* ---- search page -------------------------------------------------------------------- */

  function loadEngine() {
    var bundle = new URL("pagefind/", siteRoot());
    var engine = import(new URL("pagefind.js", bundle).href);
    function json(name) {
      return fetch(new URL(name, bundle).href).then(function (r) {
        if (!r.ok) {
          throw new Error(name + ": HTTP " + r.status);
        }
        return r.json();
      });
    }
    var table = json("policykb-t2s.json");
    /* The values of each facet and their page counts (generator/publish/search.py,
     * FACETS_FILE); the facets of every page (FACET_PAGES_FILE) wait for a chosen filter. */
    var facets = json("policykb-facets.json");
    var pages = null;
    function facetPages() {
      pages = pages || json("policykb-facet-pages.json").then(function (loaded) {
        return loaded.pages;
      });
      return pages;
    }
    return Promise.all([engine, table, facets]).then(function (loaded) {
      var pagefind = loaded[0];
      var chars = Array.from(loaded[1].t2s);
      var t2s = new Map();
      var marks = new Map();
      for (var i = 0; i + 2 < chars.length; i += 3) {
        marks.set(chars[i], chars[i + 1]);
        t2s.set(chars[i + 1], chars[i + 2]);
      }
      /* pageLength 0: a long page is not ranked down for its length.  The overview pages (a
       * topic, a document) are the long ones, and an officer typing a topic word (移送) wants
       * them first; with the default (0.75) the topic page came third behind two procedures. */
      var options = { baseUrl: siteRoot().pathname, ranking: { pageLength: 0 } };
      return pagefind.options(options).then(function () {
        return { pagefind: pagefind, t2s: t2s, marks: marks, facets: loaded[2],
          facetPages: facetPages };
      });
    });
  }

  /* The query-side twin of generator.publish.search.fold: tokens of one space-separated word. */
  function fold(word, t2s) {
    var text = Array.from(word.normalize("NFKC"), function (c) {
      return t2s.get(c) || c;
    }).join("");
    return text.toLowerCase().match(TOKEN) || [];
  }

  /* ---- numbers written either way ---------------------------------------------------------
   * 二十四小时 must find what 24小时 finds (and 三个工作日 / 3个工作日, 十个 / 10个, 两个 / 2个):
   * a number followed by a counter is also looked for in its other form, and the results of
   * every form are shown together.  The conversions are those of generator/deadlines/numerals.py
   * (0–9999, only well-formed numerals; the tests compare the two). */
  var CN_DIGITS = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9 };
  var CN_UNITS = { "十": 10, "百": 100, "千": 1000 };
  var WRITE_DIGITS = "零一二三四五六七八九";
  var COUNTERS = "(?:个工作日|个月|个|工作日|小时|分钟|学时|日|天|周|年|次|人|名|项|件|条|倍|%)";
  var NUMBER_BEFORE_COUNTER = new RegExp(
    "([0-9]+|[〇零一二两三四五六七八九十百千]+)(?=" + COUNTERS + ")", "g");

  function toChinese(value) {
    if (!(value >= 0 && value <= 9999)) {
      return null;
    }
    if (value === 0) {
      return "零";
    }
    var parts = [];
    var rest = value;
    var pendingZero = false;
    [[1000, "千"], [100, "百"], [10, "十"]].forEach(function (unit) {
      var digit = Math.floor(rest / unit[0]);
      rest = rest % unit[0];
      if (digit) {
        if (pendingZero) {
          parts.push("零");
        }
        parts.push(WRITE_DIGITS[digit] + unit[1]);
        pendingZero = false;
      } else if (parts.length) {
        pendingZero = true;
      }
    });
    if (rest) {
      if (pendingZero) {
        parts.push("零");
      }
      parts.push(WRITE_DIGITS[rest]);
    }
    var text = parts.join("");
    return text.indexOf("一十") === 0 ? text.slice(1) : text;
  }

  /* A Chinese numeral as written in texts (十, 二十四, 一百零五, 两) → number, else null. */
  function fromChinese(text) {
    var chars = Array.from(text);
    if (!chars.length || chars.some(function (c) { return !(c in CN_DIGITS) && !(c in CN_UNITS); })) {
      return null;
    }
    if (!chars.some(function (c) { return c in CN_UNITS; })) {
      return chars.length === 1 ? CN_DIGITS[chars[0]] : null;
    }
    var total = 0;
    var digit = 0;
    chars.forEach(function (c) {
      if (c in CN_DIGITS) {
        digit = CN_DIGITS[c];
      } else {
        total += (digit || 1) * CN_UNITS[c];
        digit = 0;
      }
    });
    total += digit;
    var written = text.replace(/两/g, "二").replace(/〇/g, "零");
    var canonical = toChinese(total);
    return canonical !== null && (written === canonical || written === "一" + canonical) ?
      total : null;
  }

  /* The forms a number may take in a text: 2 is also 二 and 两. */
  function numberForms(value) {
    var forms = [String(value)];
    var chinese = toChinese(value);
    if (chinese !== null) {
      forms.push(chinese);
    }
    if (value === 2) {
      forms.push("两");
    }
    return forms;
  }

  /* The query with each number before a counter written every way (at most 27 variants). */
  function numeralVariants(query) {
    var variants = [""];
    var at = 0;
    var text = query.normalize("NFKC");
    var found = 0;
    text.replace(NUMBER_BEFORE_COUNTER, function (match, number, offset) {
      var value = /^[0-9]+$/.test(number) ? parseInt(number, 10) : fromChinese(number);
      var gap = text.slice(at, offset);
      at = offset + match.length;
      var forms = value === null || found >= 3 ? [number] : numberForms(value);
      if (forms.indexOf(number) < 0) {
        forms.unshift(number);
      }
      found += 1;
      var next = [];
      variants.forEach(function (v) {
        forms.forEach(function (f) {
          next.push(v + gap + f);
        });
      });
      variants = next;
      return match;
    });
    return variants.map(function (v) {
      return v + text.slice(at);
    }).filter(function (v, i, all) {
      return all.indexOf(v) === i;
    });
  }

  /* One way of writing the query: pages containing it (the exact-phrase rule), best first. */
  function searchOne(engine, query, filters) {
    var words = query
      .split(/\s+/)
      .map(function (w) {
        return fold(w, engine.t2s);
      })
      .filter(function (tokens) {
        return tokens.length > 0;
      });
    if (words.length === 0) {
      return Promise.resolve(null);
    }
    var options = {};
    var all = [].concat.apply([], words);
    var multi = words.filter(function (tokens) {
      return tokens.length > 1;
    });
    var searches = [engine.pagefind.search(all.join(" "), options)].concat(
      multi.map(function (tokens) {
        return engine.pagefind.search('"' + tokens.join(" ") + '"', options);
      })
    );
    return Promise.all(searches).then(function (found) {
      var ranked = found[0] ? found[0].results : [];
      found.slice(1).forEach(function (exact) {
        var ids = new Set(
          (exact ? exact.results : []).map(function (r) {
            return r.id;
          })
        );
        ranked = ranked.filter(function (r) {
          return ids.has(r.id);
        });
      });
      return { results: ranked, phrases: words };
    });
  }

  /* Does the page of result ``id`` have every chosen facet value?  (``pages``: the facets of
   * every page, by result id.) */
  function hasFacets(engine, pages, id, filters) {
    var page = pages[id] || {};
    return Object.keys(filters).every(function (name) {
      var wanted = engine.facets.values[name].indexOf(filters[name][0]);
      return (page[name] || []).indexOf(wanted) >= 0;
    });
  }

  /* Every way of writing the query's numbers; the pages any of them finds (and that have the
   * chosen facets), best score first. */
  function search(engine, query, filters) {
    var filtered = Object.keys(filters).length > 0;
    var pages = filtered ? engine.facetPages() : Promise.resolve({});
    return Promise.all([pages].concat(numeralVariants(query).map(function (variant) {
      return searchOne(engine, variant, filters);
    }))).then(function (loaded) {
      var facetsOf = loaded[0];
      var found = loaded.slice(1).filter(Boolean);
      if (!found.length) {
        return null;
      }
      var best = new Map();
      var phrases = [];
      found.forEach(function (one) {
        phrases = phrases.concat(one.phrases);
        one.results.forEach(function (r) {
          if (filtered && !hasFacets(engine, facetsOf, r.id, filters)) {
            return;
          }
          var seen = best.get(r.id);
          if (!seen || r.score > seen.score) {
            best.set(r.id, r);
          }
        });
      });
      var results = Array.from(best.values()).sort(function (a, b) {
        return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      return { results: results, phrases: phrases };
    });
  }

  /* For the tests: the numeral rules, to hold against generator/deadlines/numerals.py. */
  window.PolicykbSearch = { toChinese: toChinese, fromChinese: fromChinese,
    numeralVariants: numeralVariants };

  /* ---- excerpts in the page's own script ------------------------------------------------ */

  /* One stored word as the page shows it: marks decoded (see generator/publish/search.py), a
   * traditional character put back, a full-width punctuation mark widened again, a character
   * after ESCAPE_MARK taken as it is. */
  function showWord(word, marks) {
    var chars = Array.from(word);
    var out = "";
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      var text = c === ESCAPE_MARK && i + 1 < chars.length;
      if (text) {
        i += 1;
        c = chars[i];
      }
      var original = text ? undefined : marks.get(c);
      if (chars[i + 1] === WIDE_MARK && /[!-~]/.test(c) && !/[0-9A-Za-z]/.test(c)) {
        out += String.fromCharCode(c.charCodeAt(0) + 0xfee0);
        i += 1;
      } else if (text) {
        out += c;
      } else if (original !== undefined) {
        out = Array.from(out).slice(0, -1).join("") + original;
      } else if (c === SPACE_MARK || c === BLOCK_MARK) {
        out += " ";
      } else if (c !== WIDE_MARK && !/[\ue000-\uf8ff]/.test(c)) {
        out += c;
      }
    }
    return out;
  }

  function showText(text, marks) {
    return String(text || "")
      .trim()
      .split(/\s+/)
      .map(function (w) {
        return showWord(w, marks);
      })
      .join("")
      .replace(/\s+/g, " ")
      .trim();
  }

  /* The stored text of a result: its words (as Pagefind counts them), how each is shown, and
   * the search tokens with the word each comes from. */
  function pageText(data, marks) {
    var words = String(data.content || "").trim().split(/[\r\n\s]+/);
    var tokens = [];
    var wordOf = [];
    words.forEach(function (word, index) {
      (word.replace(PUA, "").toLowerCase().match(TOKEN) || []).forEach(function (token) {
        tokens.push(token);
        wordOf.push(index);
      });
    });
    return {
      words: words,
      shown: words.map(function (w) {
        return showWord(w, marks);
      }),
      tokens: tokens,
      wordOf: wordOf,
    };
  }

  /* Every place a phrase occurs: [first word, last word], in page order.  A one-token phrase
   * matches as a prefix, as Pagefind's ordinary search does. */
  function occurrences(text, phrases) {
    var found = [];
    phrases.forEach(function (phrase) {
      var n = phrase.length;
      for (var i = 0; i + n <= text.tokens.length; i++) {
        var match = true;
        for (var j = 0; j < n && match; j++) {
          var token = text.tokens[i + j];
          match = n === 1 ? token.indexOf(phrase[0]) === 0 : token === phrase[j];
        }
        if (match) {
          found.push([text.wordOf[i], text.wordOf[i + n - 1]]);
        }
      }
    });
    return found.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
  }

  function tokenSpan(shown) {
    var chars = Array.from(shown);
    var first = -1;
    var last = -1;
    chars.forEach(function (c, i) {
      if (WORD_CHAR.test(c)) {
        first = first < 0 ? i : first;
        last = i;
      }
    });
    return first < 0 ? [0, chars.length] : [first, last + 1];
  }

  /* Fill ``element`` with the words around ``hit`` (a [first, last] pair), every occurrence in
   * view marked as one run from its first letter to its last. */
  function fillExcerpt(element, text, hit, found) {
    var start = Math.max(0, hit[0] - BEFORE);
    var end = Math.min(text.words.length, hit[0] + AFTER);
    var chars = [];
    var offsets = [];
    for (var w = start; w < end; w++) {
      offsets[w] = chars.length;
      Array.prototype.push.apply(chars, Array.from(text.shown[w]));
    }
    offsets[end] = chars.length;
    var ranges = [];
    found.forEach(function (occ) {
      if (occ[0] < start || occ[1] >= end) {
        return;
      }
      var from = offsets[occ[0]] + tokenSpan(text.shown[occ[0]])[0];
      var to = offsets[occ[1]] + tokenSpan(text.shown[occ[1]])[1];
      var last = ranges[ranges.length - 1];
      if (last && from <= last[1]) {
        last[1] = Math.max(last[1], to);
      } else {
        ranges.push([from, to]);
      }
    });
    var pieces = [];
    var at = 0;
    ranges.forEach(function (r) {
      pieces.push([chars.slice(at, r[0]).join(""), false]);
      pieces.push([chars.slice(r[0], r[1]).join(""), true]);
      at = r[1];
    });
    pieces.push([chars.slice(at).join(""), false]);
    pieces.forEach(function (piece, i) {
      var value = piece[0].replace(/\s+/g, " ");
      if (i === 0) {
        value = (start > 0 ? "…" : "") + value.replace(/^\s+/, "");
      }
      if (i === pieces.length - 1) {
        value = value.replace(/\s+$/, "") + (end < text.words.length ? "…" : "");
      }
      if (!value) {
        return;
      }
      var node = document.createTextNode(value);
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.appendChild(node);
        node = mark;
      }
      element.appendChild(node);
    });
  }

  function link(href, text, className) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) {
      a.className = className;
    }
    return a;
  }

  function excerptParagraph(text, hit, found) {
    var p = document.createElement("p");
    p.className = "pk-result__excerpt";
    fillExcerpt(p, text, hit, found);
    return p;
  }

  /* The anchor (any element with an id) and the heading each occurrence falls under. */
  function placeOf(anchors, word) {
    var place = { anchor: null, heading: null };
    anchors.forEach(function (a) {
      if (a.location <= word) {
        place.anchor = a;
        if (/^h[2-6]$/i.test(a.element)) {
          place.heading = a;
        }
      }
    });
    return place;
  }

  function renderResult(data, phrases, marks) {
    var item = document.createElement("li");
    item.className = "pk-result";
    var title = document.createElement("h2");
    title.className = "pk-result__title";
    title.appendChild(link(data.url, (data.meta && data.meta.title) || data.url));
    item.appendChild(title);
    var text = pageText(data, marks);
    var found = occurrences(text, phrases);
    if (!found.length) {
      return item;
    }
    var count = document.createElement("span");
    count.className = "pk-result__count";
    count.textContent = found.length + " 处";
    title.appendChild(count);
    item.appendChild(excerptParagraph(text, found[0], found));

    var anchors = (data.anchors || [])
      .filter(function (a) {
        return a.id && !/^h1$/i.test(a.element);
      })
      .sort(function (a, b) {
        return a.location - b.location;
      });
    var first = placeOf(anchors, found[0][0]).anchor;
    var seen = new Set([first ? first.id : ""]);
    var list = document.createElement("ul");
    list.className = "pk-result__sections";
    found.forEach(function (hit) {
      var place = placeOf(anchors, hit[0]);
      if (!place.anchor || seen.has(place.anchor.id) || seen.size > MAX_SECTIONS) {
        return;
      }
      seen.add(place.anchor.id);
      var heading = place.heading ? showText(place.heading.text, marks) : "";
      var li = document.createElement("li");
      var href = data.url.replace(/#.*$/, "") + "#" + encodeURIComponent(place.anchor.id);
      li.appendChild(link(href, heading || "本节", "pk-result__section"));
      li.appendChild(excerptParagraph(text, hit, found));
      list.appendChild(li);
    });
    if (list.childNodes.length) {
      item.appendChild(list);
    }
    return item;
  }

  function initSearchPage(root) {
    var form = document.createElement("form");
    form.className = "pk-search__form";
    form.setAttribute("role", "search");
    var input = document.createElement("input");
    input.type = "search";
    input.id = "pk-search-input";
    input.name = "q";
    input.placeholder = "输入关键词，例如 移送、首问负责、24小时";
    input.autocomplete = "off";
    input.setAttribute("aria-label", "搜索关键词");
    form.appendChild(input);
    var filterBar = document.createElement("div");
    filterBar.className = "pk-filters";
    filterBar.hidden = true;
    form.appendChild(filterBar);
    var status = document.createElement("p");
    status.className = "pk-search__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = document.createElement("ol");
    list.className = "pk-results";
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button pk-search__more";
    more.textContent = "显示更多结果";
    more.hidden = true;
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(list);
    root.appendChild(more);

    var engine = null;
    var generation = 0;
    var selects = {};

    /* The facets written by generator/publish/search.py, as one select each. */
    var FILTERS = [["place", "辖区"], ["topic", "专题"], ["validity", "效力"]];

    /* Pages per value of each facet (counted by generator/publish/search.py). */
    function facetCounts(facets) {
      var counts = {};
      FILTERS.forEach(function (pair) {
        var name = pair[0];
        counts[name] = {};
        (facets.values[name] || []).forEach(function (value, i) {
          counts[name][value] = facets.counts[name][i];
        });
      });
      return counts;
    }

    function addFilters(available) {
      FILTERS.forEach(function (pair) {
        var values = Object.keys(available[pair[0]] || {}).sort(function (a, b) {
          return a.localeCompare(b, "zh-Hans-CN");
        });
        if (!values.length) {
          return;
        }
        var label = document.createElement("label");
        label.className = "pk-filter";
        label.appendChild(document.createTextNode(pair[1] + " "));
        var select = document.createElement("select");
        select.name = pair[0];
        select.appendChild(new Option("全部", ""));
        values.forEach(function (value) {
          select.appendChild(new Option(value + "（" + available[pair[0]][value] + "）", value));
        });
        select.value = new URLSearchParams(window.location.search).get(pair[0]) || "";
        select.addEventListener("change", function () {
          run();
        });
        label.appendChild(select);
        filterBar.appendChild(label);
        selects[pair[0]] = select;
      });
      filterBar.hidden = !filterBar.childNodes.length;
    }

    function chosenFilters() {
      var chosen = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) {
          chosen[name] = [selects[name].value];
        }
      });
      return chosen;
    }
    var results = [];
    var phrases = [];
    var shown = 0;

    function showMore() {
      var batch = results.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      var current = generation;
      return Promise.all(
        batch.map(function (r) {
          return r.data();
        })
      ).then(function (datas) {
        if (current !== generation) {
          return;
        }
        datas.forEach(function (data) {
          list.appendChild(renderResult(data, phrases, engine.marks));
        });
        root.setAttribute("data-pk-state", "done");
      });
    }

    function run() {
      var query = input.value.trim();
      var current = ++generation;
      var url = new URL(window.location.href);
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      var filters = chosenFilters();
      FILTERS.forEach(function (pair) {
        if (filters[pair[0]]) {
          url.searchParams.set(pair[0], filters[pair[0]][0]);
        } else {
          url.searchParams.delete(pair[0]);
        }
      });
      window.history.replaceState(null, "", url.href);
      list.textContent = "";
      more.hidden = true;
      results = [];
      shown = 0;
      if (!query) {
        status.textContent = "";
        root.setAttribute("data-pk-state", "idle");
        return Promise.resolve();
      }
      root.setAttribute("data-pk-state", "searching");
      status.textContent = "正在搜索…";
      return search(engine, query, filters).then(function (found) {
        if (current !== generation) {
          return undefined;
        }
        results = found ? found.results : [];
        phrases = found ? found.phrases : [];
        status.textContent = results.length
          ? "找到 " + results.length + " 个页面包含“" + query + "”"
          : "没有找到包含“" + query + "”的页面";
        return showMore();
      }, function (error) {
        if (current !== generation) {
          return;
        }
        root.setAttribute("data-pk-state", "error");
        status.textContent = "搜索未能完成（" + error.message + "）。请刷新页面后重试。";
      });
    }

    var timer = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      run();
    });
    more.addEventListener("click", showMore);

    input.value = new URLSearchParams(window.location.search).get("q") || "";
    root.setAttribute("data-pk-state", "loading");
    loadEngine().then(
      function (loaded) {
        engine = loaded;
        addFilters(facetCounts(engine.facets));
        return run();
      },
      function (error) {
        root.setAttribute("data-pk-state", "error");
        status.textContent =
          "搜索索引未能加载（" + error.message + "）。请通过 http(s) 访问本站，而不是直接打开文件。";
      }
    );
    input.focus();
  }

  /* ---- every table: row headers, a caption, labelled cells for the phone layout --------- */

  /* Column headers that name the answer a reader looks for first (on a phone the cell of that
   * column comes first in its card); a table's wrapper may name its own with data-pk-key. */
  var KEY_COLUMNS = ["时限", "主要时限", "要求", "答案", "角色", "规定"];
  var EMPTY_CELL = /^[—–-]?$/;

  function cleanText(element) {
    var copy = element.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".headerlink, .pk-cite"), function (e) {
      e.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* The heading a table sits under: its caption unless the wrapper says otherwise. */
  function tableCaptions(article) {
    var captions = new Map();
    var heading = "";
    var count = 0;
    article.querySelectorAll("h1, h2, h3, h4, h5, h6, table").forEach(function (node) {
      if (node.tagName !== "TABLE") {
        heading = cleanText(node);
        count = 0;
        return;
      }
      count += 1;
      var holder = node.closest("[data-pk-caption]");
      var text = holder ? holder.getAttribute("data-pk-caption") : heading;
      captions.set(node, count > 1 && !holder ? text + "（表" + count + "）" : text);
    });
    return captions;
  }

  /* A body cell as a row header: the same content in a <th scope="row">. */
  function asRowHeader(cell) {
    if (cell.tagName === "TH") {
      cell.setAttribute("scope", "row");
      return cell;
    }
    var th = document.createElement("th");
    Array.prototype.forEach.call(cell.attributes, function (a) {
      th.setAttribute(a.name, a.value);
    });
    while (cell.firstChild) {
      th.appendChild(cell.firstChild);
    }
    th.setAttribute("scope", "row");
    cell.parentNode.replaceChild(th, cell);
    return th;
  }

  function prepareTable(table, caption) {
    if (table.getAttribute("data-pk-prepared") || !table.tHead || !table.tBodies.length) {
      return;
    }
    table.setAttribute("data-pk-prepared", "true");
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, cleanText);
    if (caption && !table.caption) {
      var node = table.createCaption();
      node.className = "pk-caption";
      node.textContent = caption;
    }
    var wide = heads.length >= 3;
    var holder = table.closest("[data-pk-key]");
    var key = heads.indexOf(holder ? holder.getAttribute("data-pk-key") : "");
    for (var k = 0; key < 0 && k < KEY_COLUMNS.length; k++) {
      key = heads.indexOf(KEY_COLUMNS[k]);
    }
    if (wide) {
      /* Explicit roles: a table laid out as cards (display: block) keeps its semantics. */
      table.setAttribute("data-pk-cards", "true");
      table.setAttribute("role", "table");
      Array.prototype.forEach.call(table.querySelectorAll("thead, tbody"), function (group) {
        group.setAttribute("role", "rowgroup");
      });
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        th.setAttribute("role", "columnheader");
        th.setAttribute("scope", "col");
      });
    }
    Array.prototype.forEach.call(table.rows, function (row) {
      if (wide) {
        row.setAttribute("role", "row");
      }
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (!row.cells.length) {
        return;
      }
      var first = asRowHeader(row.cells[0]);
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (wide) {
          cell.setAttribute("role", cell === first ? "rowheader" : "cell");
          if (heads[i]) {
            cell.setAttribute("data-label", heads[i]);
          }
          if (i === key && cell !== first) {
            cell.setAttribute("data-pk-key", "true");
          }
          if (cell !== first && EMPTY_CELL.test(cell.textContent.trim())) {
            cell.setAttribute("data-pk-empty", "true");
          }
        }
      });
    });
  }

  function prepareTables() {
    var article = document.querySelector(".md-content article");
    if (!article) {
      return;
    }
    var captions = tableCaptions(article);
    article.querySelectorAll("table").forEach(function (table) {
      prepareTable(table, captions.get(table));
    });
  }

  /* ---- sortable and filterable tables ------------------------------------------------- */

  /* The sort key of a cell: the data-sort of the cell or of an element inside it (the
   * templates open a cell with <span class="pk-sortkey" data-sort="…">, as Markdown tables
   * cannot set attributes on cells), else the cell's text. */
  function cellKey(cell) {
    var holder = cell.hasAttribute("data-sort") ? cell : cell.querySelector("[data-sort]");
    return holder ? holder.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compareKeys(a, b) {
    var numeric = /^-?\d+(\.\d+)?$/;
    if (numeric.test(a) && numeric.test(b)) {
      return parseFloat(a) - parseFloat(b);
    }
    if (a === "" || b === "") {
      return a === "" ? (b === "" ? 0 : 1) : -1;
    }
    return a.localeCompare(b, "zh-Hans-CN");
  }

  function foldForFilter(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function enhanceTable(table) {
    if (table.getAttribute("data-pk-enhanced") || !table.tHead || !table.tBodies.length) {
      return;
    }
    table.setAttribute("data-pk-enhanced", "true");
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, index: index, text: foldForFilter(row.textContent) };
    });
    var anchor = table.closest(".md-typeset__scrollwrap") || table;

    var bar = document.createElement("div");
    bar.className = "pk-table-tools";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "pk-table-filter";
    filter.placeholder = "筛选此表（可输入多个词，用空格分隔）";
    filter.setAttribute("aria-label", "筛选此表");
    var count = document.createElement("span");
    count.className = "pk-table-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(filter);
    bar.appendChild(count);
    anchor.parentNode.insertBefore(bar, anchor);

    function applyFilter() {
      var terms = foldForFilter(filter.value).split(/\s+/).filter(Boolean);
      var visible = 0;
      rows.forEach(function (r) {
        var match = terms.every(function (t) {
          return r.text.indexOf(t) >= 0;
        });
        r.row.hidden = !match;
        visible += match ? 1 : 0;
      });
      count.textContent = "显示 " + visible + " / " + rows.length + " 行";
    }
    filter.addEventListener("input", applyFilter);
    applyFilter();

    function sortBy(th, column) {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) {
        other.setAttribute("aria-sort", other === th ? (ascending ? "ascending" : "descending") : "none");
      });
      var keyed = rows.map(function (r) {
        var cell = r.row.cells[column];
        return { row: r.row, key: cell ? cellKey(cell) : "", index: r.index };
      });
      keyed.sort(function (x, y) {
        var c = compareKeys(x.key, y.key);
        return (ascending ? c : -c) || x.index - y.index;
      });
      keyed.forEach(function (k) {
        body.appendChild(k.row);
      });
    }

    headers.forEach(function (th, column) {
      th.classList.add("pk-sortable__header");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      th.title = "点击排序";
      th.addEventListener("click", function () {
        sortBy(th, column);
      });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortBy(th, column);
        }
      });
    });
  }

  /* Tables inside a .pk-sortable wrapper (or carrying the class themselves). */
  function enhanceTables() {
    var tables = document.querySelectorAll(
      ".md-typeset .pk-sortable table, .md-typeset table.pk-sortable"
    );
    Array.prototype.forEach.call(tables, enhanceTable);
  }

  /* ---- the navigation drawer on a phone --------------------------------------------------
   * Closed, the drawer is off screen but its links stayed in the tab order (Tab stops 3–11
   * landed there): it is inert while closed on screens where it is a drawer. */
  function guardDrawer() {
    var toggle = document.getElementById("__drawer");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !drawer) {
      return;
    }
    var asDrawer = window.matchMedia("(max-width: 76.2344em)");
    function update() {
      var hidden = asDrawer.matches && !toggle.checked;
      drawer.inert = hidden;
      if (hidden) {
        drawer.setAttribute("aria-hidden", "true");
      } else {
        drawer.removeAttribute("aria-hidden");
      }
    }
    toggle.addEventListener("change", update);
    if (asDrawer.addEventListener) {
      asDrawer.addEventListener("change", update);
    }
    update();
  }

  /* ---- 复制引用: a formal citation of a clause --------------------------------------------- */

  function liveRegion() {
    var region = document.getElementById("pk-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "pk-live";
      region.className = "pk-live";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  /* The clipboard API needs a secure context (https or localhost); an intranet address over
   * http is not one, so the old way is the fallback. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try {
        done = document.execCommand("copy");
      } catch (e) {
        done = false;
      }
      area.remove();
      if (done) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  /* The page link of a clause: this page's address (as the reader reached it) and its anchor. */
  function clauseUrl(anchor) {
    var url = new URL(window.location.href);
    url.search = "";
    url.hash = anchor;
    return url.href;
  }

  /* A 复制引用 button for every provision (elements with data-pk-clause: the clause number as
   * printed; the clause's anchor is the element's id, or data-pk-for on the tools paragraph of
   * a heading): it copies 《title》（文号）, the clause number and the page link of the clause.
   * Made here, so that a page read without JavaScript has no dead button. */
  function enableCitations() {
    var holder = document.querySelector(".md-typeset [data-pk-cite-document]");
    if (!holder) {
      return;
    }
    var documentCite = holder.textContent.trim();
    var clauses = document.querySelectorAll(".md-typeset [data-pk-clause]");
    Array.prototype.forEach.call(clauses, function (clause) {
      var label = clause.getAttribute("data-pk-clause");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pk-cite";
      button.textContent = "复制引用";
      button.setAttribute("aria-label", "复制引用：" + label);
      button.setAttribute("data-pk-cite", documentCite + label);
      button.setAttribute("data-pk-anchor", clause.getAttribute("data-pk-for") || clause.id);
      var first = clause.tagName === "P" ? clause : clause.querySelector("p");
      var after = first && first.querySelector(":scope > strong") ||
        first && first.querySelector(":scope > a:first-child");
      if (after) {
        after.insertAdjacentElement("afterend", button);
      } else if (first) {
        first.insertBefore(button, first.firstChild);
      } else {
        clause.appendChild(button);
      }
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-pk-cite") + "，" +
          clauseUrl(button.getAttribute("data-pk-anchor"));
        copyText(text).then(
          function () {
            button.setAttribute("data-pk-copied", "true");
            liveRegion().textContent = "已复制引用：" + text;
            window.setTimeout(function () {
              button.removeAttribute("data-pk-copied");
            }, 3000);
          },
          function () {
            liveRegion().textContent = "无法写入剪贴板，请手动复制：" + text;
            window.prompt("请复制以下引用：", text);
          }
        );
      });
    });
  }

  /* The counts of a document's duty matrix (负责 3项) link to the duty list: a click filters
   * that list to the row's actor, the column's topic and the role (a count that opens its
   * list).  Without JavaScript the link leads to the whole list. */
  var DUTY_LIST = "kb--duty-list";

  function enableFilterLinks() {
    document.addEventListener("click", function (event) {
      var a = event.target.closest ? event.target.closest('a[href="#' + DUTY_LIST + '"]') : null;
      var cell = a && a.closest("td");
      var row = cell && cell.parentNode;
      var table = row && row.closest("table");
      var target = document.getElementById(DUTY_LIST);
      var input = target && target.querySelector(".pk-table-filter");
      if (!cell || !table || !table.tHead || !input) {
        return;
      }
      var topic = cleanText(table.tHead.rows[0].cells[cell.cellIndex]);
      var role = a.textContent.replace(/\s*\d+项$/, "");
      input.value = [cleanText(row.cells[0]), topic, role].join(" ");
      input.dispatchEvent(new Event("input"));
    });
  }

  /* ---- a printed page says where it comes from ------------------------------------------- */

  /* The page's address and today's date, after the print header's source line. */
  function fillPrintInfo() {
    var info = document.querySelector(".md-typeset .pk-print-info");
    if (!info) {
      return;
    }
    var line = info.querySelector(".pk-print-where");
    if (!line) {
      line = document.createElement("span");
      line.className = "pk-print-where";
      info.appendChild(document.createElement("br"));
      info.appendChild(line);
    }
    var today = new Date();
    var url = new URL(window.location.href);
    url.hash = "";
    line.textContent = "网址：" + url.href + " · 打印于" + today.getFullYear() + "年" +
      (today.getMonth() + 1) + "月" + today.getDate() + "日";
  }

  /* ---- charts wider than the column: say that they scroll --------------------------------- */

  function markWideCharts() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset .pk-diagram"), function (box) {
      var hint = box.previousElementSibling;
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (hint && hint.classList.contains("pk-diagram-hint")) {
        hint.hidden = !wide;
      }
    });
  }

  /* ---- print: collapsed and tabbed content in full ------------------------------------- */

  function preparePrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      fillPrintInfo();
      Array.prototype.forEach.call(document.querySelectorAll(".md-typeset details"), function (d) {
        if (!d.open) {
          d.open = true;
          opened.push(d);
        }
      });
      var blocks = document.querySelectorAll(".md-typeset .tabbed-set");
      Array.prototype.forEach.call(blocks, function (set) {
        var labels = set.querySelectorAll(".tabbed-labels > label");
        var panels = set.querySelectorAll(".tabbed-content > .tabbed-block");
        Array.prototype.forEach.call(panels, function (panel, i) {
          if (labels[i]) {
            panel.setAttribute("data-pk-label", labels[i].textContent.trim());
          }
        });
      });
    });
    window.addEventListener("afterprint", function () {
      opened.splice(0).forEach(function (d) {
        d.open = false;
      });
    });
  }

  /* ---- start -------------------------------------------------------------------------- */

  function start() {
    var root = document.getElementById("pk-search");
    addHeaderSearch(Boolean(root));
    if (root) {
      initSearchPage(root);
    }
    guardDrawer();
    prepareTables();
    enhanceTables();
    enableCitations();
    enableFilterLinks();
    fillPrintInfo();
    markWideCharts();
    window.addEventListener("resize", markWideCharts);
    preparePrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
