/// Events: the hot path of decoding (a large file is almost all events), so keys are matched on raw
/// bytes, ids interned without making strings, and each event appends one row to every column.
extension DecodeSession {
  /// The event field a key names (`EventField.named` matches raw keys as the fast parser does).
  func eventField(_ key: TextRef) -> EventField? {
    key.escaped ? EventField(name: string(key)) : EventField.named(bytes(key))
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
        if seen & field.bit != 0 {
          report(keyAt, subject, field.name, "duplicate key; each key may appear once in an event")
          try scanner.skipValue()
          continue
        }
        seen |= field.bit
        switch field {
        case .id:
          scanner.skipWhitespace()
          let idAt = scanner.pos
          guard let ref = try readString(subject, field.name), checkID(ref, at: idAt, subject, field.name) else { break }
          id = ref
          currentSubject = eventSubject(ref)
          let (n, isNew) = withDecoded(ref) { eventIDs.intern($0) }
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
              report(cAt, subject, field.name, Rules.invalidConfidence(word))
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
            let (n, isNew) = s.withDecoded(ref) { s.citedPeople.intern($0) }
            if isNew { s.citedPersonFirst.append(.init(place: refAt, subject: subject, uses: 0)) }
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
            let (n, isNew) = s.withDecoded(ref) { s.citedSources.intern($0) }
            if isNew { s.citedSourceFirst.append(.init(place: refAt, subject: subject, uses: 0)) }
            s.citedSourceFirst[n].uses += 1
            s.columns.sources.values.append(UInt32(n))
          }
        }
      } while try scanner.commaOrClose(UInt8(ascii: "}"), "in an event")
    }

    let subject = eventSubject(id)
    // A field that is there but invalid has its own message; "missing" is only for absent ones.
    reportMissing(EventField.allCases.filter { $0.isRequired && seen & $0.bit == 0 }.map(\.name), at: at, subject)
    if sawSources && sourceElements == 0 {
      report(at, subject, EventField.sources.name, Rules.noSource)
    }
    if let date, let end, Rules.endsBeforeStart(date, end) {
      report(endAt, subject, EventField.end.name, Rules.endsBeforeStart("event", date, end))
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
    let result = withDecoded(ref) { tagInterner.intern($0) }
    if result.isNew { tagNames.append(string(ref)) }
    return result.id
  }
}
