/// Writes chosen events as a TimelineJS3 document (the JSON format Knight Lab's TimelineJS shows), so a
/// timeline can be published on the web.
///
/// What TimelineJS can show is written in its own fields: dates with exactly the parts their precision
/// has (a year-precision date has no month, so TimelineJS shows the year alone), times of day, an
/// approximate date's wording as its `display_date` ("about August 2020"), the title as the headline,
/// the summary as paragraphs, people, countries, confidence, notes and sources as text under it, the
/// first country as the event's `group` (TimelineJS gives each group a row), eras, and the timeline's
/// title slide. Dates beyond TimelineJS's human scale switch the document to its cosmological scale.
///
/// What TimelineJS has no field for is also written in `x_` keys, which TimelineJS carries through
/// unused: ids of people and sources, country codes, tags, confidence, notes, and the people and sources
/// themselves. Reading the document back (`--data`) gives the same timeline, and the text paragraphs
/// that repeat those keys are marked `data-timeline-skip` so that they are not read into the summary.
enum TimelineJSWriter {
  /// TimelineJS's human scale ends here (JavaScript's `Date` range); beyond it, only years are shown.
  static let humanYears: ClosedRange<Int64> = -271_820...275_759

  static func render(_ t: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil) -> String {
    let selection = ExportSelection(t, events: events)
    var w = JSONOut()
    w.open("{")
    w.key("title")
    w.open("{")
    w.key("text")
    w.open("{")
    w.member("headline", .string(html(t.title)))
    w.member("text", .string(paragraphs(t.description)))
    w.close("}")
    w.close("}")
    let cosmological = selection.indexes.contains { i in
      !humanYears.contains(t.date(at: i).year) || t.endDate(at: i).map { !humanYears.contains($0.year) } ?? false
    }
    w.member("scale", .string(cosmological ? "cosmological" : "human"))

    w.key("events")
    w.open("[")
    for i in selection.indexes {
      w.element()
      w.open("{")
      w.member("unique_id", .string(t.id(at: i)))
      w.key("start_date")
      date(t.date(at: i), &w)
      if let end = t.endDate(at: i) {
        w.key("end_date")
        date(end, &w)
      }
      w.key("text")
      w.open("{")
      w.member("headline", .string(html(t.title(at: i))))
      w.member("text", .string(eventText(t, i)))
      w.close("}")
      let codes = t.countryCodes(at: i)
      if let first = codes.first { w.member("group", .string(t.countries.name(of: first))) }
      w.member("x_countries", .strings(codes), inline: true)
      w.member("x_people", .strings(t.personIndexes(at: i).map { t.people[Int($0)].id }), inline: true)
      w.member("x_tags", .strings(t.tagIndexes(at: i).map { t.tags[Int($0)] }), inline: true)
      w.member("x_confidence", .string(t.confidence(at: i).name))
      w.member("x_sources", .strings(t.sourceIndexes(at: i).map { t.sources[Int($0)].id }), inline: true)
      if let notes = t.notes(at: i) { w.member("x_notes", .string(notes)) }
      if let a = annotations {
        if a.isMarked(UInt32(i)) { w.member("x_marked", .bool(true)) }
        if let note = a.note(UInt32(i)) { w.member("x_user_note", .string(note)) }
      }
      w.close("}")
    }
    w.close("]")

    w.key("eras")
    w.open("[")
    for era in selection.eras {
      w.element()
      w.open("{")
      w.key("start_date")
      date(era.start, &w)
      w.key("end_date")
      date(era.end, &w)
      w.key("text")
      w.open("{")
      w.member("headline", .string(html(era.title)))
      if let s = era.summary { w.member("text", .string(paragraphs(s))) }
      w.close("}")
      w.member("x_id", .string(era.id))
      if let s = era.summary { w.member("x_summary", .string(s)) }
      w.close("}")
    }
    w.close("]")

    // The timeline's own records, for reading the document back without loss.
    w.key("x_timeline")
    w.open("{")
    w.member("format", .string(TimelineDecoder.formatName))
    w.member("title", .string(t.title))
    w.member("description", .string(t.description))
    selection.writeEntities(&w)
    w.close("}")
    w.close("}")
    return w.text + "\n"
  }

  /// A TimelineJS date object: the parts the precision has, numbers, and a display date for an
  /// approximate date.
  static func date(_ d: TimelineDate, _ w: inout JSONOut) {
    w.open("{")
    w.key("year")
    w.text += String(d.year)
    if d.month != 0 {
      w.key("month")
      w.text += String(d.month)
    }
    if d.day != 0 {
      w.key("day")
      w.text += String(d.day)
    }
    if let h = d.hour, let m = d.minute {
      w.key("hour")
      w.text += String(h)
      w.key("minute")
      w.text += String(m)
    }
    if d.isApproximate { w.member("display_date", .string(DateText.long(d))) }
    w.close("}")
  }

  /// The summary as paragraphs, then what TimelineJS has no field for, as text readers of the web page
  /// see (marked so that this program does not read it back into the summary).
  static func eventText(_ t: Timeline, _ i: Int) -> String {
    var out = paragraphs(t.summary(at: i))
    var facts: [String] = []
    let people = t.personIndexes(at: i).map { t.people[Int($0)].name }
    if !people.isEmpty { facts.append("People: " + people.map(html).joined(separator: ", ")) }
    let countries = t.countryCodes(at: i).map { t.countries.name(of: $0) }
    if !countries.isEmpty { facts.append("Countries: " + countries.map(html).joined(separator: ", ")) }
    facts.append("Confidence: " + t.confidence(at: i).name)
    out += "<p data-timeline-skip>" + facts.joined(separator: "<br>") + "</p>"
    if let notes = t.notes(at: i) { out += "<p data-timeline-skip>Notes: " + inline(notes) + "</p>" }
    let sources = t.sourceIndexes(at: i).map { t.sources[Int($0)] }
    if !sources.isEmpty {
      let cited = sources.map { s -> String in
        var text = html(s.publisher) + ", “" + html(s.title) + "”"
        if let url = s.url { text = "<a href=\"" + html(url) + "\">" + text + "</a>" }
        return text + (s.date.map { " (" + $0.description + ")" } ?? "")
      }
      out += "<p data-timeline-skip>Sources: " + cited.joined(separator: "; ") + "</p>"
    }
    return out
  }

  /// Text as HTML paragraphs: blank lines separate paragraphs, a single line break is `<br>`.
  static func paragraphs(_ text: String) -> String {
    if text.isEmpty { return "" }
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
    var out = ""
    var paragraph: [Substring] = []
    func flush() {
      if !paragraph.isEmpty { out += "<p>" + paragraph.map { inline(String($0)) }.joined(separator: "<br>") + "</p>" }
      paragraph.removeAll()
    }
    for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) { flush() } else { paragraph.append(line) }
    }
    flush()
    return out
  }

  /// One line of text in HTML: escaped, runs of spaces kept with non-breaking spaces (HTML would collapse
  /// them), tabs as character references.
  static func inline(_ text: String) -> String {
    var out = ""
    var previousSpace = true
    for ch in text {
      switch ch {
      case " ":
        out += previousSpace ? "&nbsp;" : " "
        previousSpace = true
        continue
      case "\t": out += "&#9;"
      case "\n", "\r\n": out += "<br>"
      default: out += html(String(ch))
      }
      previousSpace = false
    }
    if out.hasSuffix(" ") { out = String(out.dropLast()) + "&nbsp;" }
    return out
  }

  /// Text escaped for HTML content and attribute values.
  static func html(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}
