/* policykb: search box in the header, the search page, sortable and filterable tables.
 *
 * Search runs on Pagefind's JavaScript API (pagefind/pagefind.js, written by `policykb build`).
 * The index is built from a folded copy of every page (generator/search.py): NFKC, traditional →
 * simplified one character at a time, a space before every Han character.  Queries are folded
 * here with the same table (pagefind/policykb-t2s.json) and split the same way; an exact phrase
 * search decides which pages contain the query and an ordinary search over the same characters
 * ranks them.  Keep fold() in step with generator/search.py.
 */
(function () {
  "use strict";

  var HAN = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}";
  var TOKEN = new RegExp("[" + HAN + "]|[0-9a-z]+", "gu");
  var SPACE_AFTER_HAN = new RegExp("([" + HAN + "])((?:</?mark>)*)\\s+", "gu");
  var SPACE_BEFORE_HAN = new RegExp("\\s+((?:</?mark>)*)(?=[" + HAN + "])", "gu");
  var SPACE_IN_NUMBER = /(\d[^\s\w<>]+)((?:<\/?mark>)*)\s+((?:<\/?mark>)*)(?=\d)/g;
  var PAGE_SIZE = 10;

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
    var table = fetch(new URL("policykb-t2s.json", bundle).href).then(function (r) {
      if (!r.ok) {
        throw new Error("policykb-t2s.json: HTTP " + r.status);
      }
      return r.json();
    });
    return Promise.all([engine, table]).then(function (loaded) {
      var pagefind = loaded[0];
      var chars = Array.from(loaded[1].t2s);
      var map = new Map();
      for (var i = 0; i + 1 < chars.length; i += 2) {
        map.set(chars[i], chars[i + 1]);
      }
      return pagefind
        .options({ baseUrl: siteRoot().pathname, excerptLength: 36 })
        .then(function () {
          return { pagefind: pagefind, t2s: map };
        });
    });
  }

  /* The query-side twin of generator.search.fold: tokens of one space-separated word. */
  function fold(word, t2s) {
    var text = Array.from(word.normalize("NFKC"), function (c) {
      return t2s.get(c) || c;
    }).join("");
    return text.toLowerCase().match(TOKEN) || [];
  }

  function search(engine, query) {
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
    var all = [].concat.apply([], words);
    var multi = words.filter(function (tokens) {
      return tokens.length > 1;
    });
    var searches = [engine.pagefind.search(all.join(" "))].concat(
      multi.map(function (tokens) {
        return engine.pagefind.search('"' + tokens.join(" ") + '"');
      })
    );
    var marks = words.map(function (tokens) {
      return tokens.join("");
    });
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
      return { results: ranked, phrases: marks };
    });
  }

  /* Pagefind excerpts are escaped text with <mark> around every matching word.  The folded
   * index put spaces between Han characters and inside numbers (3. 14): they are taken out.  The ranking search marks
   * every character of the query wherever it occurs; only runs of marked characters that contain
   * one of the query's phrases stay marked. */
  function setExcerpt(element, excerpt, phrases) {
    var text = String(excerpt || "")
      .replace(SPACE_AFTER_HAN, "$1$2")
      .replace(SPACE_BEFORE_HAN, "$1")
      .replace(SPACE_IN_NUMBER, "$1$2$3");
    var runs = [];
    var marked = false;
    text.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
        return;
      }
      if (!part) {
        return;
      }
      var value = decodeEntities(part);
      var last = runs[runs.length - 1];
      if (last && last.marked === marked) {
        last.text += value;
      } else {
        runs.push({ text: value, marked: marked });
      }
    });
    runs.forEach(function (run) {
      var keep =
        run.marked &&
        (!phrases ||
          phrases.some(function (phrase) {
            return run.text.toLowerCase().indexOf(phrase) >= 0;
          }));
      var node = document.createTextNode(run.text);
      if (keep) {
        var mark = document.createElement("mark");
        mark.appendChild(node);
        node = mark;
      }
      element.appendChild(node);
    });
  }

  function decodeEntities(text) {
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + text, "text/html");
    return doc.body.textContent || "";
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

  function renderResult(data, phrases) {
    var item = document.createElement("li");
    item.className = "pk-result";
    var title = document.createElement("h3");
    title.appendChild(link(data.url, (data.meta && data.meta.title) || data.url));
    item.appendChild(title);
    var excerpt = document.createElement("p");
    excerpt.className = "pk-result__excerpt";
    setExcerpt(excerpt, data.excerpt, phrases);
    item.appendChild(excerpt);
    var subs = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url;
    });
    if (subs.length) {
      var list = document.createElement("ul");
      list.className = "pk-result__sections";
      subs.slice(0, 3).forEach(function (sub) {
        var li = document.createElement("li");
        li.appendChild(link(sub.url, setTitle(sub.title), "pk-result__section"));
        var p = document.createElement("p");
        p.className = "pk-result__excerpt";
        setExcerpt(p, sub.excerpt, phrases);
        li.appendChild(p);
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    return item;
  }

  function setTitle(text) {
    var holder = document.createElement("span");
    setExcerpt(holder, text, null);
    return holder.textContent;
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
          list.appendChild(renderResult(data, phrases));
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
      return search(engine, query).then(function (found) {
        if (current !== generation) {
          return undefined;
        }
        results = found ? found.results : [];
        phrases = found ? found.phrases : [];
        status.textContent = results.length
          ? "找到 " + results.length + " 个页面包含“" + query + "”"
          : "没有找到包含“" + query + "”的页面";
        return showMore();
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

  /* ---- sortable and filterable tables ------------------------------------------------- */

  function cellKey(cell) {
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
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
    var rows = Array.prototype.slice.call(body.rows);
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

    function updateCount(visible) {
      count.textContent = "显示 " + visible + " / " + rows.length + " 行";
    }
    updateCount(rows.length);

    filter.addEventListener("input", function () {
      var terms = foldForFilter(filter.value).split(/\s+/).filter(Boolean);
      var visible = 0;
      rows.forEach(function (row) {
        var text = foldForFilter(row.textContent);
        var match = terms.every(function (t) {
          return text.indexOf(t) >= 0;
        });
        row.hidden = !match;
        visible += match ? 1 : 0;
      });
      updateCount(visible);
    });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      th.classList.add("pk-sortable__header");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      th.title = "点击排序";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var keyed = Array.prototype.map.call(body.rows, function (row, index) {
          var cell = row.cells[column];
          return { row: row, key: cell ? cellKey(cell) : "", index: index };
        });
        keyed.sort(function (x, y) {
          var c = compareKeys(x.key, y.key);
          return (ascending ? c : -c) || x.index - y.index;
        });
        keyed.forEach(function (k) {
          body.appendChild(k.row);
        });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });
  }

  function enhanceTables() {
    var selector = ".md-typeset .pk-sortable table, .md-typeset table.pk-sortable";
    if (/\/indexes\/clocks\/?(index\.html)?$/.test(window.location.pathname)) {
      selector += ", .md-content .md-typeset table";
    }
    Array.prototype.forEach.call(document.querySelectorAll(selector), enhanceTable);
  }

  /* ---- start -------------------------------------------------------------------------- */

  function start() {
    var root = document.getElementById("pk-search");
    addHeaderSearch(Boolean(root));
    if (root) {
      initSearchPage(root);
    }
    enhanceTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
