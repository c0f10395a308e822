/* policykb · 期限计算 — the browser twin of generator/deadlines/engine.py.
 *
 * Hand-written ES2017, no dependencies, no build step; works from file:// and offline.
 * PolicykbDeadline.due(limit, start, holidays) returns the same object as the Python engine's
 * DueResult.to_json() (tests/browser/test_deadline_agreement.py compares the two on every case
 * of tests/data/due-cases.yaml).  `holidays` is window.PolicykbHolidays, the script that
 * generator/deadlines/browser_data.py writes from the same table the Python engine reads.
 * PolicykbDeadline.toICS(result, options) makes an RFC 5545 calendar event of a result.
 * PolicykbDeadline.parseLimit(text) reads a limit as written (5个工作日内, 二十四小时) like
 * generator/deadlines/parse.py and numerals.py (tests/data/limit-cases.yaml holds both to it).
 *
 * Dates are day numbers (days since 1970-01-01) and times minutes since midnight, Beijing time;
 * no Date object ever applies the browser's own time zone.
 */
(function (root) {
  "use strict";

  var WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
  var DAY_LABEL = {
    workday: "工作日", makeup: "调休上班", weekend: "周末", holiday: "法定节假日", in_lieu: "调休放假"
  };
  var CIVIL_CODE = "《中华人民共和国民法典》";
  function rule(id, text, source, quote) {
    return { id: id, text: text, source: source, quote: quote };
  }
  var RULES = {
    start: rule("start-not-counted", "起算当日不计入，自次日开始计算", CIVIL_CODE + "第二百零一条第一款",
      "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"),
    working: rule("working-days", "只计工作日：周六、周日、法定节假日和调休放假日不计入，调休上班的周末计入",
      "《国务院关于职工工作时间的规定》第七条；国务院办公厅关于部分节假日安排的通知",
      "国家机关、事业单位实行统一的工作时间，星期六和星期日为周休息日。"),
    calendar: rule("calendar-days", "按自然日计算，期间内的周末和节假日一并计入", CIVIL_CODE + "第二百条",
      "民法所称的期间按照公历年、月、日、小时计算。"),
    hours: rule("hours", "按小时计算，自起算时刻开始，节假日照常计算", CIVIL_CODE + "第二百零一条第二款",
      "按照小时计算期间的，自法律规定或者当事人约定的时间开始计算。"),
    lastDayRest: rule("last-day-rest", "期限最后一日是法定休假日的，顺延至休假日结束的次日",
      CIVIL_CODE + "第二百零三条第一款",
      "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"),
    midnight: rule("ends-at-midnight", "最后一日的截止时间为二十四时", CIVIL_CODE + "第二百零三条第二款",
      "期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。"),
    sameDay: rule("same-day", "当日：在起算的同一日内办理", "文件原文", "当日")
  };
  var NOT_COMPUTED = {
    immediately: "立即：应当立即办理，没有可计算的日期",
    timely: "及时：文件未规定具体期限，不计算日期",
    periodic: "定期：文件未规定具体周期，不计算日期",
    recurring: "周期性要求：按周期重复，没有单一的截止日期",
    by_date: "固定日期：文件直接规定了截止时间，无需计算"
  };
  var FLOOR = "下限：这是至少应有的期间，不是截止期限，不计算日期";
  var SAME_DAY_REASON = "当日：截止于起算当日二十四时";
  var MS_PER_DAY = 86400000;

  class DeadlineError extends Error {
    constructor(message) {
      super(message);
      this.name = "DeadlineError";
    }
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function ymd(day) {
    var d = new Date(day * MS_PER_DAY);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
  }

  function isoDay(day) {
    var p = ymd(day);
    return pad(p.y, 4) + "-" + pad(p.m, 2) + "-" + pad(p.d, 2);
  }

  function isoMinute(day, minutes) {
    return isoDay(day) + "T" + pad(Math.floor(minutes / 60), 2) + ":" + pad(minutes % 60, 2);
  }

  function weekdayIndex(day) {
    return (new Date(day * MS_PER_DAY).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  }

  /** "2025-01-27" or "2025-01-27T15:30" → {day, minutes (null for a date)}. */
  function parseStart(text) {
    var problem = "无法识别的起算时间“" + text + "”：请写作 2025-01-27 或 2025-01-27T15:30";
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(String(text).trim());
    if (!m) throw new DeadlineError(problem);
    var y = +m[1], mo = +m[2], d = +m[3];
    var day = Date.UTC(y, mo - 1, d) / MS_PER_DAY;
    var back = ymd(day);
    if (back.y !== y || back.m !== mo || back.d !== d || mo < 1 || mo > 12) {
      throw new DeadlineError(problem);
    }
    if (m[4] === undefined) return { day: day, minutes: null };
    var h = +m[4], mi = +m[5];
    if (h > 23 || mi > 59) throw new DeadlineError(problem);
    return { day: day, minutes: h * 60 + mi };
  }

  function calendarDay(day, holidays) {
    var p = ymd(day);
    if (p.y < holidays.first_year || p.y > holidays.last_year) {
      throw new DeadlineError("节假日数据仅覆盖" + holidays.first_year + "—" + holidays.last_year +
        "年；本次计算需要" + p.y + "年" + p.m + "月" + p.d + "日的节假日安排，无法计算");
    }
    var iso = isoDay(day);
    var weekday = weekdayIndex(day);
    var special = holidays.days[iso];
    var kind = special ? special[0] : (weekday >= 5 ? "weekend" : "workday");
    return {
      date: iso, weekday: WEEKDAYS[weekday], kind: kind, label: DAY_LABEL[kind],
      holiday: special ? special[1] : null
    };
  }

  function isWorking(info) {
    return info.kind === "workday" || info.kind === "makeup";
  }

  function result(limit, startText, kind, due, working) {
    var full = {
      rules: [], counted: [], skipped: [], makeup: [], through: [], nominal_due: null, reason: null
    };
    Object.keys(working).forEach(function (key) { full[key] = working[key]; });
    return { limit: limit, start: startText, kind: kind, due: due, working: full };
  }

  function workingDays(limit, start, startText, holidays) {
    var counted = [], skipped = [], day = start.day;
    while (counted.length < limit.value) {
      day += 1;
      var info = calendarDay(day, holidays);
      (isWorking(info) ? counted : skipped).push(info);
    }
    return result(limit, startText, "date", isoDay(day), {
      rules: [RULES.start, RULES.working, RULES.midnight],
      counted: counted, skipped: skipped,
      makeup: counted.filter(function (d) { return d.kind === "makeup"; })
    });
  }

  function calendarDays(limit, start, startText, holidays) {
    var counted = [];
    for (var n = 1; n <= limit.value; n++) counted.push(calendarDay(start.day + n, holidays));
    var last = counted[counted.length - 1];
    if (isWorking(last)) {
      return result(limit, startText, "date", last.date, {
        rules: [RULES.start, RULES.calendar, RULES.midnight], counted: counted,
        makeup: last.kind === "makeup" ? [last] : []
      });
    }
    var skipped = [], day = start.day + limit.value + 1, info = calendarDay(day, holidays);
    while (!isWorking(info)) {
      skipped.push(info);
      day += 1;
      info = calendarDay(day, holidays);
    }
    return result(limit, startText, "date", info.date, {
      rules: [RULES.start, RULES.calendar, RULES.lastDayRest, RULES.midnight],
      counted: counted, skipped: skipped, makeup: info.kind === "makeup" ? [info] : [],
      nominal_due: last.date
    });
  }

  function hours(limit, start, startText, holidays) {
    if (start.minutes === null) {
      throw new DeadlineError("按小时计算的期限需要起算时刻：请写作 " + isoDay(start.day) +
        "T09:30 这样的形式");
    }
    var end = start.day * 1440 + start.minutes + limit.value * 60;
    var endDay = Math.floor(end / 1440), endMinutes = end % 1440;
    var lastDay = endMinutes !== 0 ? endDay : endDay - 1;
    var through = [];
    for (var day = start.day; day <= lastDay; day++) {
      var info = calendarDay(day, holidays);
      if (!isWorking(info)) through.push(info);
    }
    return result(limit, startText, "datetime", isoMinute(endDay, endMinutes), {
      rules: [RULES.hours], through: through
    });
  }

  /**
   * The due date of `limit` ({unit, value, upper_bound, …} as in the policy files) started at
   * `start` ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", Beijing time), with its working.
   * Throws DeadlineError (a one-line Chinese message) when it cannot be computed.
   */
  function due(limit, start, holidays) {
    var parsed = parseStart(start);
    var startText = parsed.minutes === null ? isoDay(parsed.day) : isoMinute(parsed.day, parsed.minutes);
    if (limit.upper_bound === false) {
      return result(limit, startText, "none", null, { reason: FLOOR });
    }
    switch (limit.unit) {
      case "working_days": return workingDays(limit, parsed, startText, holidays);
      case "calendar_days": return calendarDays(limit, parsed, startText, holidays);
      case "hours": return hours(limit, parsed, startText, holidays);
      case "same_day":
        return result(limit, startText, "same_day", isoDay(parsed.day), {
          rules: [RULES.sameDay, RULES.midnight], reason: SAME_DAY_REASON
        });
      default:
        if (!(limit.unit in NOT_COMPUTED)) throw new DeadlineError("未知的期限单位：" + limit.unit);
        return result(limit, startText, "none", null, { reason: NOT_COMPUTED[limit.unit] });
    }
  }

  // --- limits as written (generator/deadlines/parse.py, numerals.py) -------------------------

  var NUMERAL_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9
  };
  var NUMERAL_UNITS = { "十": 10, "百": 100, "千": 1000 };
  var NUMERAL_CHARS = "〇零一二两三四五六七八九十百千";
  var WRITE_DIGITS = "零一二三四五六七八九";
  var MAX_NUMERAL = 9999;
  var MAX_LIMIT_VALUE = 10000;
  var LIMIT_UNITS = { "工作日": "working_days", "小时": "hours", "自然日": "calendar_days",
    "日": "calendar_days", "天": "calendar_days" };
  var LIMIT_WORDS = { "立即": "immediately", "及时": "timely", "当日": "same_day",
    "当天": "same_day", "定期": "periodic" };
  var LIMIT_PATTERN = new RegExp("^([0-9" + NUMERAL_CHARS + "]+)" +
    "(?:个?(工作日|小时|自然日)|(日|天))(?:内|以内|之内)?$");
  var LIMIT_HINT = "可写作 3个工作日、5个工作日内、24小时、二十四小时、10日、三日内、7天、立即、当日";

  /** 24 → 二十四, 10 → 十, 105 → 一百零五 (numerals.to_chinese). */
  function toChinese(value) {
    if (value === 0) return "零";
    var parts = [], rest = value, pendingZero = false;
    [[1000, "千"], [100, "百"], [10, "十"]].forEach(function (unit) {
      var digit = Math.floor(rest / unit[0]);
      rest = rest % unit[0];
      if (digit) {
        if (pendingZero) parts.push("零");
        parts.push(WRITE_DIGITS[digit] + unit[1]);
        pendingZero = false;
      } else if (parts.length) {
        pendingZero = true;
      }
    });
    if (rest) {
      if (pendingZero) parts.push("零");
      parts.push(WRITE_DIGITS[rest]);
    }
    var text = parts.join("");
    return text.indexOf("一十") === 0 ? text.slice(1) : text;
  }

  /** A quantity (numerals.parse_number with digit_strings=False); null when not well formed. */
  function parseQuantity(text) {
    if (/^[0-9]+$/.test(text)) return parseInt(text, 10);
    var chars = Array.from(text);
    if (!chars.every(function (c) { return c in NUMERAL_DIGITS || c in NUMERAL_UNITS; })) {
      return null;
    }
    var hasUnit = chars.some(function (c) { return c in NUMERAL_UNITS; });
    if (!hasUnit) return chars.length === 1 ? NUMERAL_DIGITS[chars[0]] : null;
    var total = 0, digit = 0;
    chars.forEach(function (c) {
      if (c in NUMERAL_DIGITS) {
        digit = NUMERAL_DIGITS[c];
      } else {
        total += (digit || 1) * NUMERAL_UNITS[c];
        digit = 0;
      }
    });
    total += digit;
    var written = text.replace(/两/g, "二").replace(/〇/g, "零");
    var canonical = total <= MAX_NUMERAL ? toChinese(total) : "";
    var accepted = canonical.charAt(0) === "十" ? "一" + canonical : canonical;
    return written === canonical || written === accepted ? total : null;
  }

  /**
   * "5个工作日内" → {unit: "working_days", value: 5}; "立即" → {unit: "immediately", value: null}.
   * Throws DeadlineError with the Python parser's message for anything else.
   */
  function parseLimit(text) {
    var written = String(text).normalize("NFKC").trim().replace(/ /g, "");
    if (Object.prototype.hasOwnProperty.call(LIMIT_WORDS, written)) {
      return { unit: LIMIT_WORDS[written], value: null };
    }
    var m = LIMIT_PATTERN.exec(written);
    if (!m) throw new DeadlineError("无法识别的期限“" + text + "”：" + LIMIT_HINT);
    var value = parseQuantity(m[1]);
    if (value === null) {
      throw new DeadlineError("无法识别的期限“" + text + "”：数字写法不规范；" + LIMIT_HINT);
    }
    if (value < 1 || value > MAX_LIMIT_VALUE) {
      throw new DeadlineError("无法计算的期限“" + text + "”：数值须在1到" + MAX_LIMIT_VALUE + "之间");
    }
    return { unit: LIMIT_UNITS[m[2] || m[3]], value: value };
  }

  // --- calendar event (RFC 5545) ---------------------------------------------------------------

  function utf8Length(char) {
    var cp = char.codePointAt(0);
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  /** Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1). */
  function fold(line) {
    var out = "", used = 0, limit = 75;
    for (var char of line) {
      var size = utf8Length(char);
      if (used + size > limit) {
        out += "\r\n ";
        used = 1;
      }
      out += char;
      used += size;
    }
    return out;
  }

  function escapeText(text) {
    return String(text).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
      .replace(/\r?\n/g, "\\n");
  }

  function compactDay(iso) {
    return iso.slice(0, 10).replace(/-/g, "");
  }

  function utcStamp(date) {
    return pad(date.getUTCFullYear(), 4) + pad(date.getUTCMonth() + 1, 2) + pad(date.getUTCDate(), 2) +
      "T" + pad(date.getUTCHours(), 2) + pad(date.getUTCMinutes(), 2) + pad(date.getUTCSeconds(), 2) + "Z";
  }

  function describe(res) {
    var lines = ["起算：" + res.start.replace("T", " "),
      "截止：" + res.due.replace("T", " ") + (res.kind === "datetime" ? "" : " 24时")];
    res.working.rules.forEach(function (r) { lines.push(r.text + "（" + r.source + "）"); });
    if (res.working.skipped.length) {
      lines.push("跳过：" + res.working.skipped.map(function (d) {
        return d.date + d.label + (d.holiday ? "·" + d.holiday : "");
      }).join("、"));
    }
    return lines.join("\n");
  }

  /**
   * An .ics text with one event at the due date: all-day for a date, at the due minute (in UTC)
   * for an hour limit.  options: dtstamp (required, a Date or an ISO string, so the text is
   * reproducible), summary, description, key (e.g. "DOC/CLOCK", part of the stable UID), url.
   */
  function toICS(res, options) {
    var opts = options || {};
    if (res.due === null) throw new DeadlineError("没有可计算的截止日期，无法生成日历事件");
    var stamp = opts.dtstamp instanceof Date ? opts.dtstamp : new Date(opts.dtstamp);
    if (opts.dtstamp === undefined || isNaN(stamp.getTime())) {
      throw new DeadlineError("toICS 需要 dtstamp（生成时间）");
    }
    var uidParts = [opts.key || "limit", res.limit.unit, res.limit.value || "", res.start, res.due];
    var uid = "due-" + uidParts.join("-").replace(/[^A-Za-z0-9-]+/g, "-") + "@policykb";
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//policykb//deadline//ZH",
      "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT", "UID:" + uid,
      "DTSTAMP:" + utcStamp(stamp)];
    if (res.kind === "datetime") {
      var moment = parseStart(res.due);
      var utc = new Date((moment.day * 1440 + moment.minutes - 8 * 60) * 60000); // UTC+8, no DST
      lines.push("DTSTART:" + utcStamp(utc));
    } else {
      var day = parseStart(res.due).day;
      lines.push("DTSTART;VALUE=DATE:" + compactDay(res.due));
      lines.push("DTEND;VALUE=DATE:" + compactDay(isoDay(day + 1)));
    }
    var label = res.limit.label ? res.limit.label : "";
    lines.push("SUMMARY:" + escapeText(opts.summary || ("期限截止" + (label ? "：" + label : ""))));
    lines.push("DESCRIPTION:" + escapeText(opts.description || describe(res)));
    if (opts.url) lines.push("URL:" + opts.url);
    lines.push("END:VEVENT", "END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  root.PolicykbDeadline = {
    due: due, toICS: toICS, parseStart: parseStart, parseLimit: parseLimit,
    DeadlineError: DeadlineError
  };
})(typeof window !== "undefined" ? window : this);
