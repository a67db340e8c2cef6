/// Reads TimelineJS documents: TimelineJS3 JSON (`events`, `title`, `eras`, `scale`), TimelineJS2 JSON
/// (`{"timeline": {"date": […], "era": […]}}`), and, through `Slide`, the spreadsheet template's rows.
///
/// A slide becomes an event: its headline the title, its text (HTML) the summary as plain text, its
/// links sources, its group a tag, its media and display date notes. TimelineJS has no people,
/// countries, confidence or sources; this program's own export keeps them in `x_` keys, which are read
/// back, and so are `x_people`, `x_countries`, `x_tags` written by hand (names or codes).
struct TimelineJSImporter {
  let session: ImportSession

  /// One TimelineJS slide, whatever it was read from, with the position of each of its fields.
  struct Slide {
    var position: SourcePosition
    /// Where each field was, by its name in the file (`start_date`, `Headline`, …).
    var fieldPositions: [String: SourcePosition] = [:]
    var start: TimelineDate?
    var end: TimelineDate?
    var headline = ""
    var text = ""
    var group: [String] = []
    var displayDate: String?
    var uniqueID: String?
    var media: (url: String, credit: String, caption: String)?
    var countries: [String] = []
    var people: [String] = []
    var tags: [String] = []
    var confidence: Confidence?
    var sources: [String] = []
    var notes: String?
    var eraID: String?
    var eraSummary: String?
    /// Problems found while reading the slide's fields.
    var problems: [(SourcePosition, String)] = []
    /// Whether a date was there but could not be read (so "no start date" is not said as well).
    var dateFailed = false

    func at(_ field: String) -> SourcePosition { fieldPositions[field] ?? position }
  }

  // MARK: - Slides to events

  /// Adds a slide as an event (or leaves it out with its problems).
  func addEvent(_ slide: Slide, number: Int, fallbackID: String) {
    var slide = slide
    if slide.start == nil && !slide.dateFailed {
      slide.problems.append((slide.position, "a slide needs a start date (only the title slide has none)"))
    }
    let title = HTMLText.plainText(slide.headline)
    let text = HTMLText.plainText(slide.text)
    let titleText = Self.title(headline: title.text, text: text.text, caption: slide.media?.caption)
    if titleText.isEmpty { slide.problems.append((slide.at("headline"), "the slide has no headline and no text to name it by")) }
    if let start = slide.start, let end = slide.end, Rules.endsBeforeStart(start, end) {
      slide.problems.append((slide.at("end_date"), Rules.endsBeforeStart("event", start, end)))
    }
    var countryCodes: [String] = []
    for c in slide.countries {
      switch session.country(c) {
      case .success(let code): if !countryCodes.contains(code) { countryCodes.append(code) }
      case .failure(let f): slide.problems.append((slide.at("x_countries"), f.description))
      }
    }
    if session.settle(slide.problems) { return }
    guard let start = slide.start else { return }

    var sources = slide.sources
    for link in text.links + title.links where !link.url.isEmpty {
      let id = session.source(url: link.url, title: link.text, at: slide.position)
      if !sources.contains(id) { sources.append(id) }
    }
    if sources.isEmpty { sources = [session.fileSource()] }
    let notes = Self.notes(slide.notes, displayDate: slide.displayDate, media: slide.media)
    let confidence = slide.confidence ?? session.options.defaultConfidence
    if slide.confidence == nil { session.usedDefaultConfidence = true }
    var people: [String] = []
    for name in slide.people {
      let id = session.personID(name, at: slide.at("x_people"))
      // Two spellings of one name ("Ann Lee;ann lee") are one person.
      if !people.contains(id) { people.append(id) }
    }
    var tags = slide.group + slide.tags
    tags = tags.enumerated().filter { k, t in !tags[..<k].contains(t) }.map(\.element)
    let event = Event(
      id: session.uniqueID(slide.uniqueID, fallback: fallbackID, kind: "event"), date: start, end: slide.end, title: titleText,
      summary: text.text, countries: countryCodes, people: people, tags: tags, confidence: confidence, sources: sources,
      notes: notes)
    session.builder.add(event, at: slide.position)
  }

  /// Adds a slide as an era (TimelineJS eras have a start, an end and a headline).
  func addEra(_ slide: Slide, fallbackID: String) {
    var problems = slide.problems
    let title = HTMLText.singleLine(HTMLText.plainText(slide.headline).text)
    if slide.start == nil && !slide.dateFailed { problems.append((slide.position, "an era needs a start date")) }
    if slide.end == nil && !slide.dateFailed { problems.append((slide.position, "an era needs an end date")) }
    if title.isEmpty { problems.append((slide.at("headline"), "an era needs a headline")) }
    if let s = slide.start, let e = slide.end, Rules.endsBeforeStart(s, e) { problems.append((slide.at("end_date"), Rules.endsBeforeStart("era", s, e))) }
    if session.settle(problems) { return }
    guard let start = slide.start, let end = slide.end else { return }
    let summary = slide.eraSummary ?? HTMLText.plainText(slide.text).text
    session.builder.add(
      Era(id: session.uniqueID(slide.eraID ?? title, fallback: fallbackID, kind: "era"), title: title, start: start, end: end,
          summary: summary.isEmpty ? nil : summary),
      at: slide.position)
  }

  /// An event's title: its headline (plain text, on one line), else the first line of its text (cut at
  /// 100 characters), else its media's caption; empty when there is none of them.
  static func title(headline: String, text: String, caption: String?) -> String {
    let line = HTMLText.singleLine(headline)
    if !line.isEmpty { return line }
    // TimelineJS shows slides without a headline; a title is needed here: the text's first line.
    let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
    if !firstLine.isEmpty { return firstLine.count > 100 ? String(firstLine.prefix(99)) + "…" : firstLine }
    if let caption, !caption.isEmpty { return HTMLText.plainText(caption).text }
    return ""
  }

  /// An event's notes: the file's own, then what TimelineJS shows that has no field here (a display
  /// date that is not just "about …", media with its caption and credit).
  static func notes(_ own: String?, displayDate: String?, media: (url: String, credit: String, caption: String)?) -> String? {
    var notes: [String] = []
    if let n = own, !n.isEmpty { notes.append(n) }
    if let d = displayDate, !d.isEmpty, !isApproximateWording(d) { notes.append("Shown as: \(d)") }
    if let media {
      var line = "Media: " + media.url
      let extra = [HTMLText.plainText(media.caption).text, HTMLText.plainText(media.credit).text].filter { !$0.isEmpty }
      if !extra.isEmpty { line += " (" + extra.joined(separator: "; ") + ")" }
      notes.append(line)
    }
    return notes.isEmpty ? nil : notes.joined(separator: "\n")
  }

  /// `about 1850`, `c. 1850`, `circa 1850`, `~1850`: a display date that says the date is approximate.
  static func isApproximateWording(_ s: String) -> Bool {
    let l = s.lowercased().trimmingWhitespace()
    return ["about ", "c. ", "c.", "ca. ", "circa ", "around ", "approx", "~", "vers "].contains { l.hasPrefix($0) }
  }

  // MARK: - TimelineJS3 JSON

  func importV3(_ root: JSONNode, lines: LineMap) {
    guard root.isObject else {
      session.report(place(root, lines), "expected a TimelineJS document (a JSON object with \"events\"), found \(root.kindName)")
      return
    }
    readOwnRecords(root["x_timeline"], lines: lines)
    guard let events = root["events"] else {
      session.report(place(root, lines), "missing \"events\": a TimelineJS document lists its slides under \"events\"")
      return
    }
    guard let list = events.elements else {
      session.report(place(events, lines), "\"events\" must be an array of slides, found \(events.kindName)")
      return
    }
    let cosmological = root["scale"]?.string?.lowercased() == "cosmological"
    for (k, node) in list.enumerated() {
      let slide = readSlideV3(node, record: .init(.event, k + 1), lines: lines, cosmological: cosmological)
      addEvent(slide, number: k + 1, fallbackID: "event-\(k + 1)")
    }
    if let eras = root["eras"] {
      guard let list = eras.elements else {
        session.report(place(eras, lines), "\"eras\" must be an array, found \(eras.kindName)")
        return
      }
      for (k, node) in list.enumerated() {
        addEra(readSlideV3(node, record: .init(.era, k + 1), lines: lines, cosmological: cosmological), fallbackID: "era-\(k + 1)")
      }
    }
  }

  /// The title slide's headline and text: the timeline's title and description.
  static func titleV3(_ root: JSONNode) -> (String?, String?) {
    if let own = root["x_timeline"], let t = own["title"]?.string { return (t, own["description"]?.string) }
    guard let slide = root["title"], let text = slide["text"] else { return (nil, nil) }
    let headline = text["headline"]?.text.map { HTMLText.singleLine(HTMLText.plainText($0).text) }
    let body = text["text"]?.text.map { HTMLText.plainText($0).text }
    return (headline, body.flatMap { $0.isEmpty ? nil : $0 })
  }

  private func place(_ node: JSONNode, _ lines: LineMap, record: SourcePosition.Record? = nil, key: String? = nil) -> SourcePosition {
    let (line, column) = lines.location(of: node.offset)
    return SourcePosition(line: line, column: column, record: record, field: key.map { .init(.key, $0) })
  }

  func readSlideV3(_ node: JSONNode, record: SourcePosition.Record, lines: LineMap, cosmological: Bool) -> Slide {
    var slide = Slide(position: place(node, lines, record: record))
    guard node.isObject else {
      slide.problems.append((slide.position, "expected a slide (an object), found \(node.kindName)"))
      return slide
    }
    for m in node.members {
      slide.fieldPositions[m.key] = place(m.value, lines, record: record, key: m.key)
    }
    func text(_ n: JSONNode?, _ key: String) -> String? {
      guard let n, !n.isNull else { return nil }
      guard let t = n.text else {
        slide.problems.append((slide.at(key), "expected text, found \(n.kindName)"))
        return nil
      }
      return t
    }
    func strings(_ key: String) -> [String] {
      guard let n = node[key], !n.isNull else { return [] }
      if let list = n.elements { return list.compactMap { $0.text }.filter { !$0.trimmingWhitespace().isEmpty } }
      if let t = n.text { return session.values(t) }
      slide.problems.append((slide.at(key), "expected a list of names, found \(n.kindName)"))
      return []
    }
    slide.start = readDateV3(node["start_date"], key: "start_date", &slide, cosmological: cosmological)
    slide.end = readDateV3(node["end_date"], key: "end_date", &slide, cosmological: cosmological)
    if let t = node["text"], t.isObject {
      slide.headline = text(t["headline"], "text") ?? ""
      slide.text = text(t["text"], "text") ?? ""
    } else if let t = node["text"], !t.isNull {
      slide.problems.append((slide.at("text"), "expected {\"headline\": …, \"text\": …}, found \(t.kindName)"))
    }
    if let g = text(node["group"], "group") {
      let plain = HTMLText.plainText(g).text
      if !plain.isEmpty { slide.group = [plain] }
    }
    slide.displayDate = text(node["display_date"], "display_date") ?? node["start_date"]?["display_date"]?.text
    slide.uniqueID = text(node["unique_id"], "unique_id") ?? text(node["x_id"], "x_id")
    slide.eraID = node["x_id"]?.string
    slide.eraSummary = node["x_summary"]?.string
    if let m = node["media"], m.isObject, let url = m["url"]?.text, !url.trimmingWhitespace().isEmpty {
      slide.media = (url.trimmingWhitespace(), m["credit"]?.text ?? "", m["caption"]?.text ?? "")
    }
    slide.countries = strings("x_countries")
    slide.people = strings("x_people")
    slide.tags = strings("x_tags")
    // This program's export writes the first country as the group and every tag in x_tags.
    if node["x_tags"] != nil { slide.group = [] }
    slide.sources = strings("x_sources")
    slide.notes = node["x_notes"]?.string
    if let c = text(node["x_confidence"], "x_confidence") {
      if let v = ImportSession.confidence(c) {
        slide.confidence = v
      } else {
        slide.problems.append((slide.at("x_confidence"), Rules.invalidConfidence(c)))
      }
    }
    if let start = slide.start, let d = slide.displayDate, Self.isApproximateWording(d) {
      slide.start = TimelineDate(year: start.year, month: start.month, day: start.day, hour: start.hour, minute: start.minute, approximate: true)
    }
    if let end = slide.end, let d = node["end_date"]?["display_date"]?.text, Self.isApproximateWording(d) {
      slide.end = TimelineDate(year: end.year, month: end.month, day: end.day, hour: end.hour, minute: end.minute, approximate: true)
    }
    return slide
  }

  /// A TimelineJS date object: parts as numbers or strings, empty ones absent; only the year on the
  /// cosmological scale.
  private func readDateV3(_ node: JSONNode?, key: String, _ slide: inout Slide, cosmological: Bool) -> TimelineDate? {
    guard let node, !node.isNull else { return nil }
    guard node.isObject else {
      slide.problems.append((slide.at(key), "expected a date object such as {\"year\": 1848, \"month\": 2}, found \(node.kindName)"))
      slide.dateFailed = true
      return nil
    }
    var parts: [String: Int64] = [:]
    for name in ["year", "month", "day", "hour", "minute"] {
      guard let n = node[name], !n.isNull else { continue }
      switch DateReading.integerPart(n.text) {
      case .success(let v): if let v { parts[name] = v }
      case .failure(let f):
        slide.problems.append((slide.at(key), "\(name): \(f.description)"))
        slide.dateFailed = true
        return nil
      }
    }
    if cosmological { parts = parts.filter { $0.key == "year" } }
    switch DateReading.timelineJSDate(year: parts["year"], month: parts["month"], day: parts["day"], hour: parts["hour"], minute: parts["minute"]) {
    case .success(let d): return d
    case .failure(let f):
      slide.problems.append((slide.at(key), "invalid date: \(f.description)"))
      slide.dateFailed = true
      return nil
    }
  }

  /// People, sources and declared countries this program's export keeps under `x_timeline`.
  private func readOwnRecords(_ node: JSONNode?, lines: LineMap) {
    guard let node, node.isObject else { return }
    if let countries = node["countries"] {
      for m in countries.members {
        guard let name = m.value["name"]?.string else { continue }
        let aliases = m.value["aliases"]?.elements?.compactMap(\.string) ?? []
        session.builder.declare(
          CountryTable.Country(code: m.key, name: name, nameFR: m.value["name_fr"]?.string, aliases: aliases),
          at: place(m.value, lines))
      }
    }
    for p in node["people"]?.elements ?? [] {
      guard let id = p["id"]?.string, let name = p["name"]?.string else { continue }
      session.add(
        Person(id: id, name: name, aliases: p["aliases"]?.elements?.compactMap(\.string) ?? [], country: p["country"]?.string,
               role: p["role"]?.string ?? ""),
        at: place(p, lines))
    }
    for s in node["sources"]?.elements ?? [] {
      guard let id = s["id"]?.string, let title = s["title"]?.string, let publisher = s["publisher"]?.string else { continue }
      let date = s["date"]?.string.flatMap { try? TimelineDate.parse($0).get() }
      session.add(
        Source(id: id, title: title, publisher: publisher, author: s["author"]?.string, date: date, url: s["url"]?.string,
               language: s["language"]?.string ?? "und", notes: s["notes"]?.string),
        at: place(s, lines))
    }
  }

  // MARK: - TimelineJS2 JSON

  func importV2(_ root: JSONNode, lines: LineMap) -> (String?, String?) {
    guard let timeline = root["timeline"], timeline.isObject else {
      session.report(place(root, lines), "expected a TimelineJS2 document: {\"timeline\": {\"date\": […]}}")
      return (nil, nil)
    }
    guard let dates = timeline["date"]?.elements else {
      session.report(place(timeline, lines), "missing \"date\": a TimelineJS2 document lists its entries under \"timeline\".\"date\"")
      return (nil, nil)
    }
    for (k, node) in dates.enumerated() {
      addEvent(readSlideV2(node, record: .init(.event, k + 1), lines: lines), number: k + 1, fallbackID: "event-\(k + 1)")
    }
    for (k, node) in (timeline["era"]?.elements ?? []).enumerated() {
      addEra(readSlideV2(node, record: .init(.era, k + 1), lines: lines), fallbackID: "era-\(k + 1)")
    }
    let title = timeline["headline"]?.text.map { HTMLText.plainText($0).text }
    let text = timeline["text"]?.text.map { HTMLText.plainText($0).text }
    return (title, text.flatMap { $0.isEmpty ? nil : $0 })
  }

  func readSlideV2(_ node: JSONNode, record: SourcePosition.Record, lines: LineMap) -> Slide {
    var slide = Slide(position: place(node, lines, record: record))
    guard node.isObject else {
      slide.problems.append((slide.position, "expected an entry (an object), found \(node.kindName)"))
      return slide
    }
    for m in node.members { slide.fieldPositions[m.key] = place(m.value, lines, record: record, key: m.key) }
    func date(_ key: String) -> TimelineDate? {
      guard let raw = node[key]?.text, !raw.trimmingWhitespace().isEmpty else { return nil }
      switch Self.dateV2(raw, order: session.options.dateOrder) {
      case .success(let d): return d
      case .failure(let f):
        slide.problems.append((slide.at(key), "invalid date \"\(TerminalSafety.sanitized(raw))\": \(f.description)"))
        slide.dateFailed = true
        return nil
      }
    }
    slide.start = date("startDate")
    slide.end = date("endDate")
    slide.headline = node["headline"]?.text ?? ""
    slide.text = node["text"]?.text ?? ""
    // `tag` holds one value, `tags` several separated by commas.
    var tags: [String] = []
    for key in ["tag", "tags"] {
      if let t = node[key]?.text { tags += t.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } }
      if let list = node[key]?.elements { tags += list.compactMap(\.text) }
    }
    slide.group = tags
    if let asset = node["asset"], let url = asset["media"]?.text, !url.trimmingWhitespace().isEmpty {
      slide.media = (url.trimmingWhitespace(), asset["credit"]?.text ?? "", asset["caption"]?.text ?? "")
    }
    return slide
  }

  /// TimelineJS2 dates: `"2011,3,23"`, `"1932"`, `"2011,3,23,10,30"`, and whatever else people wrote.
  static func dateV2(_ raw: String, order: DateReading.NumericOrder) -> Result<TimelineDate, DateReading.Failure> {
    let parts = raw.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
    if parts.count >= 2 || parts.first.map({ Int64($0) != nil }) == true {
      var values: [Int64?] = []
      for p in parts.prefix(5) {
        switch DateReading.integerPart(p) {
        case .success(let v): values.append(v)
        case .failure(let f): return .failure(f)
        }
      }
      while values.count < 5 { values.append(nil) }
      return DateReading.timelineJSDate(year: values[0], month: values[1], day: values[2], hour: values[3], minute: values[4])
    }
    return DateReading.flexible(raw, order: order)
  }
}
