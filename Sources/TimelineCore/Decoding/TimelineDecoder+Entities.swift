/// Sources, people, eras and country declarations: the small top-level lists.
extension DecodeSession {
  mutating func readSource() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    let number = sources.count + 1
    currentSubject = .entity("source", number, nil)
    var id: String?, title: String?, publisher: String?, author: String?, date: TimelineDate?
    var url: String?, language: String?, notes: String?
    let known = ["id", "title", "publisher", "author", "date", "url", "language", "notes"]
    let isObject = try readObject(.entity("source", number, nil), nil, what: "a source") { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
      let subj = Subject.entity("source", number, id)
      s.currentSubject = subj
      s.currentField = key
      switch key {
      case "id":
        s.scanner.skipWhitespace()
        let idAt = s.scanner.pos
        if let r = try s.readString(subj, key), s.checkID(r, at: idAt, subj, key) { id = s.string(r) }
      case "title": title = try s.readString(subj, key, nonEmpty: true).map(s.string)
      case "publisher": publisher = try s.readString(subj, key, nonEmpty: true).map(s.string)
      case "author": author = try s.readString(subj, key).map(s.string)
      case "date": date = try s.readDate(subj, key)
      case "url": url = try s.readString(subj, key).map(s.string)
      case "language":
        s.scanner.skipWhitespace()
        let langAt = s.scanner.pos
        if let r = try s.readString(subj, key) {
          let tag = s.string(r)
          if Self.isLanguageTag(tag) {
            language = tag
          } else {
            s.report(langAt, subj, key, "invalid language \"\(TerminalSafety.sanitized(tag))\": expected a BCP 47 tag such as \"fr\" or \"en-GB\"")
          }
        }
      case "notes": notes = try s.readString(subj, key).map(s.string)
      default: try s.unknownKey(key, at: keyAt, subject: subj, known: known)
      }
    }
    guard isObject else { return }
    let subj = Subject.entity("source", number, id)
    var missing: [String] = []
    if id == nil { missing.append("id") }
    if title == nil { missing.append("title") }
    if publisher == nil { missing.append("publisher") }
    if date == nil { missing.append("date") }
    if language == nil { missing.append("language") }
    reportMissing(missing, at: at, subj)
    if let id, let title, let publisher, let date, let language {
      sources.append(Source(id: id, title: title, publisher: publisher, author: author, date: date, url: url, language: language, notes: notes))
      sourceOffsets.append(at)
    }
  }

  mutating func readPerson() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    let number = people.count + 1
    currentSubject = .entity("person", number, nil)
    var id: String?, name: String?, aliases: [String] = [], country: String?, role: String?
    let known = ["id", "name", "aliases", "country", "role"]
    let isObject = try readObject(.entity("person", number, nil), nil, what: "a person") { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
      let subj = Subject.entity("person", number, id)
      s.currentSubject = subj
      s.currentField = key
      switch key {
      case "id":
        s.scanner.skipWhitespace()
        let idAt = s.scanner.pos
        if let r = try s.readString(subj, key), s.checkID(r, at: idAt, subj, key) { id = s.string(r) }
      case "name": name = try s.readString(subj, key, nonEmpty: true).map(s.string)
      case "aliases":
        _ = try s.readArray(subj, key) { (s: inout DecodeSession) throws(SyntaxError) in
          if let r = try s.readString(subj, key, nonEmpty: true) { aliases.append(s.string(r)) }
        }
      case "country":
        if let slot = try s.readCountry(subj, key) { country = CountryTable.code(ofSlot: slot) }
      case "role": role = try s.readString(subj, key).map(s.string)
      default: try s.unknownKey(key, at: keyAt, subject: subj, known: known)
      }
    }
    guard isObject else { return }
    let subj = Subject.entity("person", number, id)
    var missing: [String] = []
    if id == nil { missing.append("id") }
    if name == nil { missing.append("name") }
    if role == nil { missing.append("role") }
    reportMissing(missing, at: at, subj)
    if let id, let name, let role {
      people.append(Person(id: id, name: name, aliases: aliases, country: country, role: role))
      personOffsets.append(at)
    }
  }

  mutating func readEra() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    let number = eras.count + 1
    currentSubject = .entity("era", number, nil)
    var id: String?, title: String?, start: TimelineDate?, end: TimelineDate?, summary: String?
    var endAt = at
    let known = ["id", "title", "start", "end", "summary"]
    let isObject = try readObject(.entity("era", number, nil), nil, what: "an era") { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
      let subj = Subject.entity("era", number, id)
      s.currentSubject = subj
      s.currentField = key
      switch key {
      case "id":
        s.scanner.skipWhitespace()
        let idAt = s.scanner.pos
        if let r = try s.readString(subj, key), s.checkID(r, at: idAt, subj, key) { id = s.string(r) }
      case "title": title = try s.readString(subj, key, nonEmpty: true).map(s.string)
      case "start": start = try s.readDate(subj, key)
      case "end":
        s.scanner.skipWhitespace()
        endAt = s.scanner.pos
        end = try s.readDate(subj, key)
      case "summary": summary = try s.readString(subj, key).map(s.string)
      default: try s.unknownKey(key, at: keyAt, subject: subj, known: known)
      }
    }
    guard isObject else { return }
    let subj = Subject.entity("era", number, id)
    var missing: [String] = []
    if id == nil { missing.append("id") }
    if title == nil { missing.append("title") }
    if start == nil { missing.append("start") }
    if end == nil { missing.append("end") }
    reportMissing(missing, at: at, subj)
    if let start, let end, end.upperKey < start.lowerKey {
      report(endAt, subj, "end", "the era ends (\(end)) before it starts (\(start))")
      return
    }
    if let id, let title, let start, let end {
      if eras.contains(where: { $0.id == id }) {
        report(at, subj, "id", "duplicate era id \"\(id)\"")
      }
      eras.append(Era(id: id, title: title, start: start, end: end, summary: summary))
    }
  }

  mutating func readCountries() throws(SyntaxError) {
    _ = try readObject(.none, "countries", what: "the country declarations") { (s: inout DecodeSession, code, codeAt) throws(SyntaxError) in
      let subject = "country \"\(TerminalSafety.sanitized(code))\""
      s.currentSubject = .text(subject)
      guard CountryTable.slot(of: code) != nil else {
        s.report(codeAt, .text("countries"), nil, "invalid country code \"\(TerminalSafety.sanitized(code))\": codes are two capital letters A-Z")
        try s.scanner.skipValue()
        return
      }
      s.scanner.skipWhitespace()
      let at = s.scanner.pos
      var name: String?, nameFR: String?, aliases: [String] = []
      let known = ["name", "name_fr", "aliases"]
      let isObject = try s.readObject(.text(subject), nil, what: "a country") { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
        s.currentField = key
        switch key {
        case "name": name = try s.readString(.text(subject), key, nonEmpty: true).map(s.string)
        case "name_fr": nameFR = try s.readString(.text(subject), key, nonEmpty: true).map(s.string)
        case "aliases":
          _ = try s.readArray(.text(subject), key) { (s: inout DecodeSession) throws(SyntaxError) in
            if let r = try s.readString(.text(subject), key, nonEmpty: true) { aliases.append(s.string(r)) }
          }
        default: try s.unknownKey(key, at: keyAt, subject: .text(subject), known: known)
        }
      }
      guard isObject else { return }
      guard let name else {
        s.report(at, .text(subject), nil, "missing field \"name\"")
        return
      }
      s.declaredCountries.append(CountryTable.Country(code: code, name: name, nameFR: nameFR, aliases: aliases))
    }
  }

  mutating func reportMissing(_ fields: [String], at: Int, _ subject: Subject) {
    guard !fields.isEmpty else { return }
    let list = fields.map { "\"\($0)\"" }.joined(separator: ", ")
    report(at, subject, nil, "missing field\(fields.count == 1 ? "" : "s") \(list)")
  }

  static func isLanguageTag(_ s: String) -> Bool {
    let parts = s.split(separator: "-", omittingEmptySubsequences: false)
    guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
      return false
    }
    return parts.dropFirst().allSatisfy { p in (2...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
  }
}
