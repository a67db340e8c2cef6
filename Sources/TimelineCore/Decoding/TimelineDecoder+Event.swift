/// Events: the hot path of decoding (a large file is almost all events), so keys are matched on raw
/// bytes, ids interned without making strings, and each event appends one row to every column.
extension DecodeSession {
  enum EventField: Int, CaseIterable {
    case id, date, end, title, summary, countries, people, tags, confidence, sources, notes

    var name: String {
      switch self {
      case .id: "id"
      case .date: "date"
      case .end: "end"
      case .title: "title"
      case .summary: "summary"
      case .countries: "countries"
      case .people: "people"
      case .tags: "tags"
      case .confidence: "confidence"
      case .sources: "sources"
      case .notes: "notes"
      }
    }

    static let names = allCases.map(\.name)
  }

  func eventField(_ key: TextRef) -> EventField? {
    if key.escaped {
      let s = string(key)
      return EventField.allCases.first { $0.name == s }
    }
    switch key.length {
    case 2: if scanner.equals(key, "id") { return .id }
    case 3: if scanner.equals(key, "end") { return .end }
    case 4:
      if scanner.equals(key, "date") { return .date }
      if scanner.equals(key, "tags") { return .tags }
    case 5:
      if scanner.equals(key, "title") { return .title }
      if scanner.equals(key, "notes") { return .notes }
    case 6: if scanner.equals(key, "people") { return .people }
    case 7:
      if scanner.equals(key, "summary") { return .summary }
      if scanner.equals(key, "sources") { return .sources }
    case 9: if scanner.equals(key, "countries") { return .countries }
    case 10: if scanner.equals(key, "confidence") { return .confidence }
    default: break
    }
    return nil
  }

  /// The subject for messages about the event being read: its id once known, else its position.
  func eventSubject(_ id: TextRef?) -> Subject { .event(id: id, number: columns.ids.count + 1) }

  mutating func readEvent() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    currentSubject = eventSubject(nil)
    currentField = nil
    let kind = scanner.kind(at: at)
    guard kind == .object else {
      report(at, eventSubject(nil), nil, "expected an event (an object), found \(kind.rawValue)")
      try scanner.skipValue()
      return
    }
    scanner.pos += 1

    var seen = 0
    var id: TextRef?
    var date: TimelineDate?
    var end: TimelineDate?
    var endAt = at
    var title: TextRef?
    var summary = TextRef.empty
    var notes = TextRef.empty
    var confidence: Confidence?
    var sawSources = false
    var sourceElements = 0
    // Person and source ids are interned now and resolved after the file is read (people may be
    // listed after the events that cite them).

    if !scanner.consumeIfClose(UInt8(ascii: "}")) {
      repeat {
        scanner.skipWhitespace()
        let keyAt = scanner.pos
        let key = try scanner.readString()
        try scanner.expect(UInt8(ascii: ":"), "':' after a key")
        let subject = eventSubject(id)
        currentSubject = subject
        guard let field = eventField(key) else {
          let name = keyName(key)
          currentField = name
          try unknownKey(name, at: keyAt, subject: subject, known: EventField.names)
          continue
        }
        currentField = field.name
        if seen & (1 << field.rawValue) != 0 {
          report(keyAt, subject, field.name, "duplicate key; each key may appear once in an event")
          try scanner.skipValue()
          continue
        }
        seen |= 1 << field.rawValue
        switch field {
        case .id:
          scanner.skipWhitespace()
          let idAt = scanner.pos
          guard let ref = try readString(subject, field.name), checkID(ref, at: idAt, subject, field.name) else { break }
          id = ref
          currentSubject = eventSubject(ref)
          let (n, isNew) = eventIDs.intern(UnsafeBufferPointer(rebasing: buffer[ref.range]))
          if isNew {
            eventIDFirstOffset.append(idAt)
          } else {
            report(idAt, eventSubject(ref), "id", "duplicate event id; it is first used at", related: eventIDFirstOffset[n])
          }
        case .date: date = try readDate(subject, field.name)
        case .end:
          scanner.skipWhitespace()
          endAt = scanner.pos
          end = try readDate(subject, field.name)
        case .title: title = try readString(subject, field.name, nonEmpty: true)
        case .summary: summary = try readString(subject, field.name) ?? .empty
        case .notes: notes = try readString(subject, field.name) ?? .empty
        case .confidence:
          scanner.skipWhitespace()
          let cAt = scanner.pos
          if let ref = try readString(subject, field.name) {
            let word = string(ref)
            if let c = Confidence(name: word) {
              confidence = c
            } else {
              let names = Confidence.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
              var message = "invalid confidence \"\(TerminalSafety.sanitized(word))\": expected one of \(names)"
              if let close = Suggestions.closest(to: word, among: Confidence.allCases.map(\.name), limit: 1).first {
                message += " (did you mean \"\(close)\"?)"
              }
              report(cAt, subject, field.name, message)
            }
          }
        case .countries:
          _ = try readArray(subject, field.name) { (s: inout DecodeSession) throws(SyntaxError) in
            if let slot = try s.readCountry(subject, field.name) { s.columns.countries.values.append(UInt16(slot)) }
          }
        case .people:
          _ = try readArray(subject, field.name) { (s: inout DecodeSession) throws(SyntaxError) in
            s.scanner.skipWhitespace()
            let refAt = s.scanner.pos
            guard let ref = try s.readString(subject, field.name), s.checkID(ref, at: refAt, subject, field.name) else { return }
            let (n, isNew) = s.citedPeople.intern(UnsafeBufferPointer(rebasing: s.buffer[ref.range]))
            if isNew { s.citedPersonFirst.append((refAt, subject, 0)) }
            s.citedPersonFirst[n].uses += 1
            s.columns.people.values.append(UInt32(n))
          }
        case .tags:
          _ = try readArray(subject, field.name) { (s: inout DecodeSession) throws(SyntaxError) in
            guard let ref = try s.readString(subject, field.name, nonEmpty: true) else { return }
            s.columns.tags.values.append(UInt32(s.internTag(ref)))
          }
        case .sources:
          sawSources = try readArray(subject, field.name) { (s: inout DecodeSession) throws(SyntaxError) in
            sourceElements += 1
            s.scanner.skipWhitespace()
            let refAt = s.scanner.pos
            guard let ref = try s.readString(subject, field.name), s.checkID(ref, at: refAt, subject, field.name) else { return }
            let (n, isNew) = s.citedSources.intern(UnsafeBufferPointer(rebasing: s.buffer[ref.range]))
            if isNew { s.citedSourceFirst.append((refAt, subject, 0)) }
            s.citedSourceFirst[n].uses += 1
            s.columns.sources.values.append(UInt32(n))
          }
        }
      } while try scanner.commaOrClose(UInt8(ascii: "}"), "in an event")
    }

    let subject = eventSubject(id)
    var missing: [String] = []
    if id == nil && seen & (1 << EventField.id.rawValue) == 0 { missing.append("id") }
    if date == nil && seen & (1 << EventField.date.rawValue) == 0 { missing.append("date") }
    if title == nil && seen & (1 << EventField.title.rawValue) == 0 { missing.append("title") }
    if confidence == nil && seen & (1 << EventField.confidence.rawValue) == 0 { missing.append("confidence") }
    if seen & (1 << EventField.sources.rawValue) == 0 { missing.append("sources") }
    reportMissing(missing, at: at, subject)
    if sawSources && sourceElements == 0 {
      report(at, subject, "sources", "an event must cite at least one source")
    }
    if let date, let end, end.upperKey < date.lowerKey {
      report(endAt, subject, "end", "the event ends (\(end)) before it starts (\(date))")
    }

    // One row per event, even an invalid one, so the columns stay aligned; an invalid file never
    // becomes a Timeline anyway.
    columns.ids.append(id ?? .empty)
    columns.titles.append(title ?? .empty)
    columns.summaries.append(summary)
    columns.notes.append(notes)
    columns.starts.append(date ?? TimelineDate(year: 0)!)
    columns.ends.append(end)
    columns.confidences.append(confidence ?? .confirmed)
    columns.fileOrder.append(UInt32(columns.fileOrder.count))
    columns.countries.closeList()
    columns.people.closeList()
    columns.tags.closeList()
    columns.sources.closeList()
  }

  /// Interns a tag by its decoded text (tags may hold escapes, unlike ids).
  mutating func internTag(_ ref: TextRef) -> Int {
    let result: (id: Int, isNew: Bool)
    if ref.escaped {
      var bytes: [UInt8] = []
      JSONString.unescape(UnsafeBufferPointer(rebasing: buffer[ref.range]), into: &bytes)
      result = bytes.withUnsafeBufferPointer { tagInterner.intern($0) }
    } else {
      result = tagInterner.intern(UnsafeBufferPointer(rebasing: buffer[ref.range]))
    }
    if result.isNew { tagNames.append(string(ref)) }
    return result.id
  }
}
