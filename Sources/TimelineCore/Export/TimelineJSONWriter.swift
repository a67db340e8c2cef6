/// Writes a timeline document in this program's format, holding chosen events and what they refer to.
///
/// `timeline list --format json` uses it so that a filtered view is itself a timeline: the events that
/// matched, the people and sources they cite, the eras their dates meet and the country declarations
/// they rely on. Loading the output with `--data` gives the same events back (the round trip is tested).
enum TimelineJSONWriter {
  static func render(_ t: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil) -> String {
    let selection = ExportSelection(t, events: events)
    let indexes = selection.indexes
    var w = JSONOut()
    w.open("{")
    w.member("format", .string(TimelineDecoder.formatName))
    w.member("title", .string(t.title))
    w.member("description", .string(t.description))
    selection.writeEntities(&w)
    w.key("eras")
    w.open("[")
    for e in selection.eras {
      w.element()
      w.open("{")
      w.member("id", .string(e.id))
      w.member("title", .string(e.title))
      w.member("start", .string(e.start.description))
      w.member("end", .string(e.end.description))
      if let s = e.summary { w.member("summary", .string(s)) }
      w.close("}")
    }
    w.close("]")
    w.key("events")
    w.open("[")
    for (i, e) in zip(indexes, events) {
      w.element()
      w.open("{")
      w.member("id", .string(t.id(at: i)))
      w.member("date", .string(t.date(at: i).description))
      if let end = t.endDate(at: i) { w.member("end", .string(end.description)) }
      w.member("title", .string(t.title(at: i)))
      w.member("summary", .string(t.summary(at: i)))
      w.member("countries", .strings(t.countryCodes(at: i)), inline: true)
      w.member("people", .strings(t.personIndexes(at: i).map { t.people[Int($0)].id }), inline: true)
      w.member("tags", .strings(t.tagIndexes(at: i).map { t.tags[Int($0)] }), inline: true)
      w.member("confidence", .string(t.confidence(at: i).name))
      w.member("sources", .strings(t.sourceIndexes(at: i).map { t.sources[Int($0)].id }), inline: true)
      if let n = t.notes(at: i) { w.member("notes", .string(n)) }
      if let a = annotations {
        if a.isMarked(e) { w.member("x-marked", .bool(true)) }
        if let note = a.note(e) { w.member("x-user-note", .string(note)) }
      }
      w.close("}")
    }
    w.close("]")
    w.close("}")
    return w.text + "\n"
  }
}

/// A small pretty-printer for JSON (two-space indent, one member per line, short lists inline).
struct JSONOut {
  enum Value {
    case string(String)
    case strings([String])
    case bool(Bool)
  }

  var text = ""
  private var depth = 0
  private var needsComma: [Bool] = []

  private mutating func newline() { text += "\n" + String(repeating: "  ", count: depth) }

  /// Starts an element of an array (a comma and a new line as needed).
  mutating func element() {
    if needsComma.last == true { text += "," }
    if !needsComma.isEmpty { needsComma[needsComma.count - 1] = true }
    newline()
  }

  mutating func key(_ name: String) {
    element()
    text += JSONString.quoted(name) + ": "
  }

  mutating func open(_ bracket: String) {
    text += bracket
    depth += 1
    needsComma.append(false)
  }

  mutating func close(_ bracket: String) {
    depth -= 1
    let hadItems = needsComma.removeLast()
    if hadItems { newline() }
    text += bracket
  }

  mutating func member(_ name: String, _ value: Value, inline: Bool = false) {
    key(name)
    switch value {
    case .string(let s): text += JSONString.quoted(s)
    case .bool(let b): text += b ? "true" : "false"
    case .strings(let list):
      if inline || list.count <= 3 {
        text += "[" + list.map(JSONString.quoted).joined(separator: ", ") + "]"
      } else {
        open("[")
        for s in list {
          element()
          text += JSONString.quoted(s)
        }
        close("]")
      }
    }
  }
}
