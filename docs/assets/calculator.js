/* policykb · 计算期限: the control beside every clock's limit, and the stand-alone calculator.
 *
 * Hand-written ES2017, no dependencies, no build step; works offline and from file://.
 * Every clock limit that can give a date is followed by <span class="pk-due" data-pk-due="{…}">
 * (generator/render/due_control.py): the clock's key, row URL (from the site root), trigger,
 * action and options, each {case, limit} with the limit as the date engine takes it.  This
 * script puts a 计算期限 button after each such span; the button opens a dialog that asks for
 * the case (一般情形, 情况紧急 …, 延长后) and the start, and shows the due date with its working
 * and a calendar event (.ics) to download.  [data-pk-calculator] (tools/due-dates/) becomes a
 * calculator where the limit is typed (5个工作日, 二十四小时).  Without JavaScript the page is
 * unchanged.
 *
 * The date engine (assets/deadline.js, the twin of generator/deadlines) and the holiday table
 * (data/holidays.js, about 28 KB) are loaded on the first calculation only, by script tags (a
 * page opened from disk cannot fetch), and then cached by the browser like any other file.
 *
 * The button's visible text comes from the stylesheet (tools.css) and its name from aria-label,
 * so a table's text (what policykb.js filters and sorts on) never includes it.
 *
 * window.PolicykbCalculator: siteRoot(), loadScript(url), attach(root), button(data, option),
 * el(tag, attrs, children), uid(prefix): used by assets/route.js, which this file loads where a
 * page asks for it ([data-pk-load], the 案件去向 page).
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript ? document.currentScript.src : "";
  var WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
  var loaded = {};
  var counter = 0;

  /** The site's root URL: this file is <root>/assets/calculator.js. */
  function siteRoot() {
    return new URL("../", SCRIPT || window.location.href).href;
  }

  /** Load a script once (by URL); resolves when it has run. */
  function loadScript(url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = function () { resolve(); };
        tag.onerror = function () {
          delete loaded[url];
          reject(new Error("无法加载 " + url));
        };
        document.head.appendChild(tag);
      });
    }
    return loaded[url];
  }

  function loadEngine() {
    var root = siteRoot();
    return Promise.all([loadScript(root + "assets/deadline.js"),
      loadScript(root + "data/holidays.js")]);
  }

  /* ---- small DOM helpers ------------------------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function uid(prefix) {
    counter += 1;
    return prefix + "-" + counter;
  }

  /* ---- dates as the page shows them -------------------------------------------------- */

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /** Today and now in Beijing time, as the date and time inputs want them. */
  function beijingNow() {
    var d = new Date(Date.now() + 8 * 3600000);
    return {
      date: d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()),
      time: pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes())
    };
  }

  function weekday(iso) {
    var p = iso.split("-");
    return WEEKDAYS[(new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])).getUTCDay() + 6) % 7];
  }

  /** "2025-02-07" → "2025年2月7日（周五）"; with "T22:30" the time follows. */
  function moment(iso, withYear) {
    var day = iso.slice(0, 10);
    var p = day.split("-");
    var text = (withYear === false ? "" : +p[0] + "年") + +p[1] + "月" + +p[2] + "日（" +
      weekday(day) + "）";
    return iso.length > 10 ? text + iso.slice(11) : text;
  }

  /** A day of the working: 1月28日（周二，法定节假日·春节）. */
  function dayText(d) {
    var note = [d.weekday];
    if (d.kind !== "workday") note.push(d.label + (d.holiday ? "·" + d.holiday : ""));
    var p = d.date.split("-");
    return +p[1] + "月" + +p[2] + "日（" + note.join("，") + "）";
  }

  function days(list) {
    return list.map(dayText).join("、");
  }

  /* ---- the form ---------------------------------------------------------------------- */

  /**
   * A calculator in `host`: options (from a clock's data) or a typed limit (standalone), a
   * start date (and time for hour limits), the result with its working, the .ics link.
   * config: {data: clock data or null, option: index, title: for the calendar event}.
   */
  function buildForm(host, config) {
    var data = config.data;
    var fields = el("div", { className: "pk-calc__fields" });
    var limitInput = null;
    var radios = [];
    if (!data) {
      var limitId = uid("pk-calc-limit");
      limitInput = el("input", { id: limitId, type: "text", autocomplete: "off",
        value: config.limit || "5个工作日", "aria-describedby": limitId + "-hint" });
      fields.appendChild(el("p", { className: "pk-calc__field" }, [
        el("label", { "for": limitId, text: "期限" }), limitInput,
        el("span", { id: limitId + "-hint", className: "pk-calc__hint",
          text: "例如 5个工作日、二十四小时、10日、三日内" })]));
    } else if (data.options.length > 1) {
      var name = uid("pk-calc-case");
      var set = el("fieldset", { className: "pk-calc__cases" }, [el("legend", { text: "情形" })]);
      data.options.forEach(function (option, i) {
        var id = name + "-" + i;
        var radio = el("input", { type: "radio", name: name, id: id, value: String(i),
          checked: i === (config.option || 0) });
        radios.push(radio);
        set.appendChild(el("div", { className: "pk-calc__case" }, [radio,
          el("label", { "for": id, text: option.case + "：" + option.limit.label })]));
      });
      fields.appendChild(set);
    }
    var dateId = uid("pk-calc-date");
    var timeId = uid("pk-calc-time");
    var now = beijingNow();
    var dateInput = el("input", { id: dateId, type: "date", value: config.start || now.date,
      required: true });
    var timeInput = el("input", { id: timeId, type: "time", value: config.time || now.time });
    var startHint = data ? "起算事项：" + data.trigger + "。起算当日不计入。" : "起算当日不计入。";
    fields.appendChild(el("p", { className: "pk-calc__field" }, [
      el("label", { "for": dateId, text: "起算日期" }), dateInput,
      el("span", { className: "pk-calc__hint", id: dateId + "-hint", text: startHint })]));
    dateInput.setAttribute("aria-describedby", dateId + "-hint");
    var timeField = el("p", { className: "pk-calc__field" }, [
      el("label", { "for": timeId, text: "起算时刻（北京时间）" }), timeInput]);
    fields.appendChild(timeField);
    var result = el("div", { className: "pk-calc__result", role: "status",
      "aria-live": "polite" });
    var download = el("a", { className: "md-button pk-calc__ics", hidden: true,
      text: "下载日历事件（.ics）" });
    host.appendChild(fields);
    host.appendChild(result);
    host.appendChild(el("p", { className: "pk-calc__actions" }, [download]));

    function chosenLimit() {
      if (limitInput) {
        var parsed = window.PolicykbDeadline.parseLimit(limitInput.value);
        parsed.label = limitInput.value.trim();
        return { case: null, limit: parsed };
      }
      var index = config.option || 0;
      radios.forEach(function (r) { if (r.checked) index = +r.value; });
      return data.options[index];
    }

    var loaded = false;

    function update() {
      var D = window.PolicykbDeadline;
      download.hidden = true;
      if (!loaded) {
        /* a date picked before the engine and the holidays arrive: loadEngine() calls update
         * again with whatever the fields hold then */
        result.textContent = "正在加载节假日数据…";
        return;
      }
      result.textContent = "";
      var option;
      try {
        option = chosenLimit();
      } catch (error) {
        showError(result, error);
        timeField.hidden = true;
        return;
      }
      var hours = option.limit.unit === "hours";
      timeField.hidden = !hours;
      var start = dateInput.value + (hours ? "T" + timeInput.value : "");
      var res;
      try {
        if (!dateInput.value) throw new D.DeadlineError("请选择起算日期");
        if (hours && !timeInput.value) throw new D.DeadlineError("请选择起算时刻");
        res = D.due(option.limit, start, window.PolicykbHolidays);
      } catch (error) {
        showError(result, error);
        return;
      }
      showResult(result, res, option);
      if (res.due !== null) offerEvent(download, res, option, data);
    }

    [dateInput, timeInput, limitInput].concat(radios).forEach(function (input) {
      if (input) {
        input.addEventListener("input", update);
        input.addEventListener("change", update);
      }
    });
    result.textContent = "正在加载节假日数据…";
    loadEngine().then(function () {
      loaded = true;
      update();
    }, function (error) { showError(result, error); });
    var checked = radios.filter(function (r) { return r.checked; })[0];
    return { focus: function () { (checked || limitInput || dateInput).focus(); } };
  }

  function showError(result, error) {
    result.textContent = "";
    result.appendChild(el("p", { className: "pk-calc__error", text: error.message }));
  }

  function showResult(result, res, option) {
    var w = res.working;
    var lines = [];
    if (res.kind === "none") {
      lines.push(el("p", { className: "pk-calc__due" }, [el("strong", { text: w.reason })]));
      result.appendChild(lines[0]);
      return;
    }
    var due = res.kind === "datetime" ? moment(res.due) : moment(res.due) + "24时";
    result.appendChild(el("p", { className: "pk-calc__due" }, [
      el("strong", { text: "截止：" + due })]));
    var what = (option.case ? option.case + "，" : "") + option.limit.label + "；起算：" +
      moment(res.start);
    result.appendChild(el("p", { className: "pk-calc__what", text: what }));
    var items = [];
    w.rules.forEach(function (r) {
      items.push(el("li", {}, [r.text + "（" + r.source + "）",
        r.quote && r.quote !== "当日" ? el("q", { text: r.quote }) : null]));
    });
    if (w.counted.length && res.limit.unit === "working_days") {
      items.push(el("li", { text: "计入的工作日（" + w.counted.length + "天）：" + days(w.counted) }));
    }
    if (w.nominal_due) {
      items.push(el("li", { text: "第" + w.counted.length + "日 " + moment(w.nominal_due) +
        " 是休息日，顺延至 " + moment(res.due) }));
    }
    if (w.skipped.length) {
      items.push(el("li", { text: "跳过的休息日（" + w.skipped.length + "天）：" + days(w.skipped) }));
    }
    if (w.makeup.length) {
      items.push(el("li", { text: "调休上班、计入的周末：" + days(w.makeup) }));
    }
    if (w.through.length) {
      items.push(el("li", { text: "期间经过的休息日（照常计算）：" + days(w.through) }));
    }
    if (w.reason) items.push(el("li", { text: w.reason }));
    result.appendChild(el("details", { className: "pk-calc__working" }, [
      el("summary", { text: "计算过程" }), el("ul", {}, items)]));
  }

  function offerEvent(link, res, option, data) {
    var label = (option.case && option.case !== "一般情形" ? option.case + " " : "") +
      option.limit.label;
    var summary = "期限截止：" + (data ? data.action + "（" + label + "）" : label);
    var options = { dtstamp: new Date(), summary: summary };
    if (data) {
      options.key = data.key;
      options.url = new URL(data.url, siteRoot()).href;
    }
    var text = window.PolicykbDeadline.toICS(res, options);
    if (link.href && link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
    link.setAttribute("download", "due-" + res.due.slice(0, 10) + ".ics");
    link.hidden = false;
  }

  /* ---- the dialog -------------------------------------------------------------------- */

  var dialog = null;

  function openDialog(opener, data, option) {
    var supported = typeof window.HTMLDialogElement === "function";
    if (dialog) dialog.remove();
    var titleId = uid("pk-calc-title");
    var body = el("div", { className: "pk-calc" });
    var close = el("button", { type: "button", className: "pk-calc__close", text: "关闭" });
    dialog = el(supported ? "dialog" : "div", { className: "pk-calc-dialog md-typeset",
      "aria-labelledby": titleId, role: supported ? null : "region" }, [
      el("h2", { id: titleId, text: "计算期限" }),
      el("p", { className: "pk-calc__matter", text: data.action }),
      body, el("p", { className: "pk-calc__actions" }, [close])]);
    var form = buildForm(body, { data: data, option: option });
    close.addEventListener("click", function () { shut(); });
    function shut() {
      if (supported && dialog.open) dialog.close();
      else if (!supported) dialog.remove();
    }
    if (supported) {
      document.body.appendChild(dialog);
      dialog.addEventListener("close", function () { opener.focus(); });
      dialog.showModal();
    } else {
      opener.parentNode.insertBefore(dialog, opener.nextSibling);
    }
    form.focus();
  }

  /** A 计算期限 button for a clock's data (option: the case chosen first). */
  function button(data, option) {
    var chosen = data.options[option || 0];
    var b = el("button", { type: "button", className: "pk-due-button",
      "aria-haspopup": "dialog",
      "aria-label": "计算期限：" + (chosen.case === "一般情形" ? "" : chosen.case + "，") +
        chosen.limit.label + "，" + data.action });
    b.addEventListener("click", function () { openDialog(b, data, option || 0); });
    return b;
  }

  /** Turn every .pk-due span under `root` into a button (once). */
  function attach(root) {
    var spans = (root || document).querySelectorAll(".pk-due[data-pk-due]");
    Array.prototype.forEach.call(spans, function (span) {
      if (span.hasAttribute("data-pk-ready")) return;
      span.setAttribute("data-pk-ready", "");
      var data;
      try {
        data = JSON.parse(span.getAttribute("data-pk-due"));
      } catch (e) {
        return;
      }
      var option = +(span.getAttribute("data-pk-option") || 0);
      var after = span.parentNode.tagName === "STRONG" ? span.parentNode : span;
      after.parentNode.insertBefore(button(data, option), after.nextSibling);
    });
  }

  /** Scripts a page asks for by [data-pk-load] (from the site root): generated pages may not
   * carry <script> elements, and the 案件去向 page's script is not needed anywhere else. */
  function loadRequested() {
    var asking = document.querySelectorAll("[data-pk-load]");
    Array.prototype.forEach.call(asking, function (node) {
      loadScript(siteRoot() + node.getAttribute("data-pk-load")).catch(function (error) {
        node.appendChild(el("p", { className: "pk-calc__error", text: error.message }));
      });
    });
  }

  function start() {
    attach(document);
    loadRequested();
    var mounts = document.querySelectorAll("[data-pk-calculator]");
    Array.prototype.forEach.call(mounts, function (mount) {
      mount.textContent = "";
      mount.appendChild(el("h2", { id: "kb--due-calculator", text: "计算" }));
      buildForm(mount, { data: null });
    });
  }

  window.PolicykbCalculator = {
    siteRoot: siteRoot, loadScript: loadScript, attach: attach, button: button, el: el,
    uid: uid
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
