/// Sources, people, eras and country declarations: the small top-level lists, read by their field
/// tables (`SourceField`, `PersonField`, `EraField`, `CountryField`).
extension DecodeSession {
  /// A value read for a field of a small object.
  enum Value {
    case text(String)
    case date(TimelineDate)
    case texts([String])
  }

  /// The fields of one object: the values read (a field that is absent or invalid has none), the
  /// fields that were present, and the object's id once read.
  struct Fields<F: SchemaField> {
    var values: [F: Value] = [:]
    var present = Set<F>()
    var id: String?
    var offsets: [F: Int] = [:]

    func text(_ f: F) -> String? {
      if case .text(let s) = values[f] { return s }
      return nil
    }
    func date(_ f: F) -> TimelineDate? {
      if case .date(let d) = values[f] { return d }
      return nil
    }
    func texts(_ f: F) -> [String] {
      if case .texts(let list) = values[f] { return list }
      return []
    }
    /// The required fields that are absent (one that is present but invalid has its own message).
    var missing: [String] { F.allCases.filter { $0.isRequired && !present.contains($0) }.map(\.name) }
  }

  /// Reads an object by its field table: each member's value by the field's kind, unknown keys
  /// reported and extension keys skipped. Nil if the value is not an object (reported).
  mutating func readFields<F: SchemaField>(
    _ table: F.Type, what: String, subject: (String?) -> Subject
  ) throws(SyntaxError) -> Fields<F>? {
    var fields = Fields<F>()
    let isObject = try readObject(subject(nil), nil, what: what) { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
      let subj = subject(fields.id)
      s.currentSubject = subj
      s.currentField = key
      guard let field = F(name: key) else {
        try s.unknownKey(key, at: keyAt, subject: subj, known: F.names)
        return
      }
      fields.present.insert(field)
      s.scanner.skipWhitespace()
      fields.offsets[field] = s.scanner.pos
      guard let value = try s.readValue(field.kind, subj, key) else { return }
      fields.values[field] = value
      if field.kind == .id, case .text(let id) = value { fields.id = id }
    }
    return isObject ? fields : nil
  }

  /// Reads one value of a small object's field by its kind.
  mutating func readValue(_ kind: FieldKind, _ subject: Subject, _ field: String) throws(SyntaxError) -> Value? {
    scanner.skipWhitespace()
    let at = scanner.pos
    switch kind {
    case .id:
      guard let r = try readString(subject, field), checkID(r, at: at, subject, field) else { return nil }
      return .text(string(r))
    case .text: return try readString(subject, field).map { .text(string($0)) }
    case .nonBlankText: return try readString(subject, field, nonEmpty: true).map { .text(string($0)) }
    case .date: return try readDate(subject, field).map(Value.date)
    case .language:
      guard let r = try readString(subject, field) else { return nil }
      let tag = string(r)
      guard Rules.isLanguageTag(tag) else {
        report(at, subject, field, Rules.invalidLanguage(tag))
        return nil
      }
      return .text(tag)
    case .country: return try readCountry(subject, field).map { .text(CountryTable.code(ofSlot: $0)) }
    case .texts:
      var list: [String] = []
      let isArray = try readArray(subject, field) { (s: inout DecodeSession) throws(SyntaxError) in
        if let r = try s.readString(subject, field, nonEmpty: true) { list.append(s.string(r)) }
      }
      return isArray ? .texts(list) : nil
    case .confidence, .ids, .countries, .format, .objects, .countryDeclarations:
      // Not kinds of a small object's fields (events are read in `readEvent`, the document in `readDocument`).
      preconditionFailure("no small object has a field of kind \(kind)")
    }
  }

  mutating func readSource() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    let number = sources.count + 1
    currentSubject = .entity("source", number, nil)
    guard let f = try readFields(SourceField.self, what: "a source", subject: { .entity("source", number, $0) }) else { return }
    reportMissing(f.missing, at: at, .entity("source", number, f.id))
    if let id = f.text(.id), let title = f.text(.title), let publisher = f.text(.publisher),
      let language = f.text(.language)
    {
      sources.append(
        Source(
          id: id, title: title, publisher: publisher, author: f.text(.author), date: f.date(.date), url: f.text(.url),
          language: language, notes: f.text(.notes)))
      sourceOffsets.append(at)
    }
  }

  mutating func readPerson() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    let number = people.count + 1
    currentSubject = .entity("person", number, nil)
    guard let f = try readFields(PersonField.self, what: "a person", subject: { .entity("person", number, $0) }) else { return }
    reportMissing(f.missing, at: at, .entity("person", number, f.id))
    if let id = f.text(.id), let name = f.text(.name), let role = f.text(.role) {
      people.append(Person(id: id, name: name, aliases: f.texts(.aliases), country: f.text(.country), role: role))
      personOffsets.append(at)
    }
  }

  mutating func readEra() throws(SyntaxError) {
    scanner.skipWhitespace()
    let at = scanner.pos
    let number = eras.count + 1
    currentSubject = .entity("era", number, nil)
    guard let f = try readFields(EraField.self, what: "an era", subject: { .entity("era", number, $0) }) else { return }
    let subj = Subject.entity("era", number, f.id)
    reportMissing(f.missing, at: at, subj)
    if let start = f.date(.start), let end = f.date(.end), Rules.endsBeforeStart(start, end) {
      report(f.offsets[.end] ?? at, subj, EraField.end.name, Rules.endsBeforeStart("era", start, end))
      return
    }
    if let id = f.text(.id), let title = f.text(.title), let start = f.date(.start), let end = f.date(.end) {
      if eras.contains(where: { $0.id == id }) {
        report(at, subj, "id", "duplicate era id \"\(id)\"")
      }
      eras.append(Era(id: id, title: title, start: start, end: end, summary: f.text(.summary)))
    }
  }

  mutating func readCountries() throws(SyntaxError) {
    _ = try readObject(.none, DocumentField.countries.name, what: "the country declarations") { (s: inout DecodeSession, code, codeAt) throws(SyntaxError) in
      let subject = Subject.text("country \"\(TerminalSafety.sanitized(code))\"")
      s.currentSubject = subject
      guard Rules.countrySlot(code.utf8) != nil else {
        s.report(codeAt, .text(DocumentField.countries.name), nil, Rules.malformedDeclaredCountry(code))
        try s.scanner.skipValue()
        return
      }
      s.scanner.skipWhitespace()
      let at = s.scanner.pos
      guard let f = try s.readFields(CountryField.self, what: "a country", subject: { _ in subject }) else { return }
      s.reportMissing(f.missing, at: at, subject)
      guard let name = f.text(.name) else { return }
      s.declaredCountries.append(CountryTable.Country(code: code, name: name, nameFR: f.text(.nameFR), aliases: f.texts(.aliases)))
    }
  }

  mutating func reportMissing(_ fields: [String], at: Int, _ subject: Subject) {
    guard !fields.isEmpty else { return }
    report(at, subject, nil, Rules.missing(fields))
  }
}
