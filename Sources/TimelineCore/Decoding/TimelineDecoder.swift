/// Reads a timeline document and checks everything about it, or says precisely what is wrong.
///
/// One pass over the bytes with `JSONScanner` fills the event columns and collects problems; then
/// `TimelineAssembler` does the checks that need the whole file (references, unique ids, declared
/// countries), sorts and indexes. Syntax errors stop the decoder (nothing after them can be trusted);
/// every other problem is recorded and decoding goes on, so `timeline validate` reports them all at once.
/// What is valid is decided by `Schema.swift` (field tables and `Rules`), shared with the fast parser
/// and `TimelineBuilder`.
public enum TimelineDecoder {
  /// The format marker this program reads.
  public static let formatName = Rules.formatName

  /// Decodes a whole document held in memory.
  /// - Parameter fileName: used in messages, as the user named the file.
  public static func decode(_ bytes: [UInt8], fileName: String) throws(DecodeFailure) -> Timeline {
    let outcome: Result<Timeline, DecodeFailure> = bytes.withUnsafeBufferPointer { buffer in
      var session = DecodeSession(buffer: buffer, fileName: fileName)
      return session.run(document: DocumentText(bytes: bytes))
    }
    return try outcome.get()
  }
}

/// What a decoding pass knows while it walks the document.
struct DecodeSession {
  var scanner: JSONScanner
  let buffer: UnsafeBufferPointer<UInt8>
  let fileName: String

  /// Problems so far, at byte offsets; placed on lines at the end.
  var problems = Problems<Int>()

  // Top level.
  var title: String?
  var description: String?
  var sources: [Source] = []
  var sourceOffsets: [Int] = []
  var people: [Person] = []
  var personOffsets: [Int] = []
  var eras: [Era] = []
  var declaredCountries: [CountryTable.Country] = []

  // Events.
  var columns = EventColumns()
  var eventIDs = ByteInterner(capacity: 1024)
  var eventIDFirstOffset: [Int] = []
  /// Ids cited by events, interned; resolved to people and sources once the whole file is read.
  var citedPeople = ByteInterner()
  var citedPersonFirst: [TimelineAssembler.Citation<Int>] = []
  var citedSources = ByteInterner()
  var citedSourceFirst: [TimelineAssembler.Citation<Int>] = []
  var tagInterner = ByteInterner()
  var tagNames: [String] = []
  /// Country codes not in the built-in table, checked again once the file's own declarations are known.
  var pendingCountries: [TimelineAssembler.CountryUse<Int>] = []

  init(buffer: UnsafeBufferPointer<UInt8>, fileName: String) {
    self.buffer = buffer
    self.fileName = fileName
    scanner = JSONScanner(buffer)
  }

  // MARK: - Reporting

  /// Records a problem. With `related`, the message ends with that offset's line and column
  /// ("… first used at line 3, column 5"), computed only if the file turns out invalid.
  mutating func report(_ offset: Int, _ subject: Subject, _ field: String?, _ message: String, related: Int? = nil) {
    problems.report(offset, subject, field, message, related: related)
  }

  func failure() -> DecodeFailure {
    let lines = LineMap(buffer)
    let list = problems.list.map { p -> Diagnostic in
      let (line, column) = lines.location(of: p.place)
      var message = p.message
      if let related = p.related {
        let r = lines.location(of: related)
        message += " line \(r.line), column \(r.column)"
      }
      var d = Diagnostic(file: fileName, line: line, column: column, subject: p.subject.describe(string), field: p.field, message: message)
      d.moreLikeIt = p.moreLikeIt
      return d
    }
    return DecodeFailure(diagnostics: list, omitted: problems.omitted)
  }

  // MARK: - Small readers

  func string(_ ref: TextRef) -> String {
    JSONString.string(UnsafeBufferPointer(rebasing: buffer[ref.range]), escaped: ref.escaped)
  }

  func bytes(_ ref: TextRef) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[ref.range]) }

  /// Calls `body` with what a string stands for: its raw bytes, or its escapes decoded. A value is what
  /// it decodes to, however it is written (`"\u0046R"` is `"FR"`).
  func withDecoded<R>(_ ref: TextRef, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if !ref.escaped { return body(bytes(ref)) }
    var decoded: [UInt8] = []
    JSONString.unescape(bytes(ref), into: &decoded)
    return decoded.withUnsafeBufferPointer(body)
  }

  /// The key's text; keys are short, so making a String here costs little and handles escapes.
  func keyName(_ ref: TextRef) -> String { string(ref) }

  /// Reads a string value, or reports a type error and skips the value.
  mutating func readString(_ subject: Subject, _ field: String, nonEmpty: Bool = false) throws(SyntaxError) -> TextRef? {
    scanner.skipWhitespace()
    let at = scanner.pos
    let kind = scanner.kind(at: at)
    guard kind == .string else {
      report(at, subject, field, "expected a string, found \(kind.rawValue)")
      try scanner.skipValue()
      return nil
    }
    let ref = try scanner.readString()
    if nonEmpty && Rules.isBlank(bytes(ref), escaped: ref.escaped) {
      report(at, subject, field, Rules.blank)
      return nil
    }
    return ref
  }

  /// Reads an array, calling `element` for each item; reports a type error if it is not an array.
  mutating func readArray(
    _ subject: Subject, _ field: String, _ element: (inout DecodeSession) throws(SyntaxError) -> Void
  ) throws(SyntaxError) -> Bool {
    scanner.skipWhitespace()
    let at = scanner.pos
    let kind = scanner.kind(at: at)
    guard kind == .array else {
      report(at, subject, field, "expected an array, found \(kind.rawValue)")
      try scanner.skipValue()
      return false
    }
    scanner.pos += 1
    if scanner.consumeIfClose(UInt8(ascii: "]")) { return true }
    // Between elements, a syntax error belongs to the array, not to the element just read.
    let (arraySubject, arrayField) = (currentSubject, currentField)
    repeat {
      try element(&self)
      (currentSubject, currentField) = (arraySubject, arrayField)
    } while try scanner.commaOrClose(UInt8(ascii: "]"), "in the \"\(field)\" array")
    return true
  }

  /// Reads an object member by member: `member` gets each key (as text and raw) and must consume the value.
  mutating func readObject(
    _ subject: Subject, _ field: String?, what: String,
    _ member: (inout DecodeSession, String, Int) throws(SyntaxError) -> Void
  ) throws(SyntaxError) -> Bool {
    scanner.skipWhitespace()
    let at = scanner.pos
    let kind = scanner.kind(at: at)
    guard kind == .object else {
      report(at, subject, field, "expected \(what) (an object), found \(kind.rawValue)")
      try scanner.skipValue()
      return false
    }
    scanner.pos += 1
    if scanner.consumeIfClose(UInt8(ascii: "}")) { return true }
    // Objects here are small: a list beats hashing every key. Keys are compared as scalars, not as
    // Swift Strings (which would call "é" and "e" + U+0301 the same key; JSON does not).
    var seen: [[Unicode.Scalar]] = []
    repeat {
      scanner.skipWhitespace()
      let keyAt = scanner.pos
      // The key read first, then named: `keyName(try scanner.readString())` reads `self` for the call
      // while the argument changes it, which copies the whole session (~50k instructions a person).
      let keyRef = try scanner.readString()
      let key = keyName(keyRef)
      try scanner.expect(UInt8(ascii: ":"), "':' after the key \"\(key)\"")
      let scalars = Array(key.unicodeScalars)
      if seen.contains(scalars) {
        report(keyAt, subject, key, "duplicate key; each key may appear once in an object")
        try scanner.skipValue()
        continue
      }
      seen.append(scalars)
      try member(&self, key, keyAt)
    } while try scanner.commaOrClose(UInt8(ascii: "}"), "in \(what)")
    return true
  }

  mutating func unknownKey(_ key: String, at: Int, subject: Subject, known: [String]) throws(SyntaxError) {
    if Rules.isExtensionKey(key.utf8) {
      try scanner.skipValue()
      return
    }
    report(at, subject, key, Rules.unknownField(key, known: known))
    try scanner.skipValue()
  }

  /// Checks an id's grammar (`Rules.isValidID`).
  mutating func checkID(_ ref: TextRef, at: Int, _ subject: Subject, _ field: String) -> Bool {
    let ok = withDecoded(ref) { Rules.isValidID($0) }
    if !ok { report(at, subject, field, Rules.invalidID(string(ref))) }
    return ok
  }

  /// Reads a date string and parses it.
  mutating func readDate(_ subject: Subject, _ field: String) throws(SyntaxError) -> TimelineDate? {
    scanner.skipWhitespace()
    let at = scanner.pos
    guard let ref = try readString(subject, field) else { return nil }
    let result = ref.escaped ? TimelineDate.parse(string(ref)) : TimelineDate.parse(bytes(ref))
    switch result {
    case .success(let d): return d
    case .failure(let e):
      report(at, subject, field, Rules.invalidDate(string(ref), e))
      return nil
    }
  }

  /// Reads a two-letter code and returns its slot, reporting malformed codes; unknown codes are
  /// queued for a check against the file's own declarations.
  mutating func readCountry(_ subject: Subject, _ field: String) throws(SyntaxError) -> Int? {
    scanner.skipWhitespace()
    let at = scanner.pos
    guard let ref = try readString(subject, field) else { return nil }
    guard let slot = withDecoded(ref, { Rules.countrySlot($0) }) else {
      let shown = string(ref)
      problems.report(at, subject, field, hinted: { Rules.malformedCountry(shown, hint: $0) })
      return nil
    }
    if !CountryTable.builtIn.contains(slot: slot) {
      pendingCountries.append(.init(slot: slot, place: at, subject: subject, field: field))
    }
    return slot
  }

  // MARK: - Document

  mutating func run(document: DocumentText) -> Result<Timeline, DecodeFailure> {
    do throws(SyntaxError) {
      try readDocument()
    } catch {
      report(error.offset, currentSubject, currentField, error.message)
      return .failure(failure())
    }
    return finish(document: document)
  }

  var currentSubject: Subject = .none
  var currentField: String?

  mutating func readDocument() throws(SyntaxError) {
    // A UTF-8 byte-order mark is allowed and ignored.
    if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { scanner.pos = 3 }
    scanner.skipWhitespace()
    if scanner.atEnd {
      throw SyntaxError(offset: scanner.pos, message: "the file is empty; expected a timeline document (a JSON object)")
    }
    let topAt = scanner.pos
    guard scanner.peek() == UInt8(ascii: "{") else {
      throw SyntaxError(offset: topAt, message: "expected a timeline document (a JSON object), found \(scanner.kind(at: topAt).rawValue)")
    }
    var seen = Set<DocumentField>()
    _ = try readObject(.none, nil, what: "the timeline document") { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
      s.currentField = key
      guard let field = DocumentField(name: key) else {
        try s.unknownKey(key, at: keyAt, subject: .none, known: DocumentField.names)
        s.currentField = nil
        return
      }
      seen.insert(field)
      switch field {
      case .schema: _ = try s.readString(.none, key)
      case .format:
        s.scanner.skipWhitespace()
        let at = s.scanner.pos
        if let ref = try s.readString(.none, key), s.string(ref) != Rules.formatName {
          s.report(at, .none, key, "unsupported format \"\(TerminalSafety.sanitized(s.string(ref)))\"; this program reads \"\(Rules.formatName)\"")
        }
      case .title: s.title = try s.readString(.none, key, nonEmpty: true).map(s.string)
      case .description: s.description = try s.readString(.none, key).map(s.string)
      case .countries: try s.readCountries()
      case .sources: _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readSource() }
      case .people: _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readPerson() }
      case .eras: _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readEra() }
      case .events: _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readEvent() }
      }
      s.currentField = nil
      s.currentSubject = .none
    }
    scanner.skipWhitespace()
    if !scanner.atEnd {
      throw SyntaxError(offset: scanner.pos, message: "unexpected \(scanner.describeByte(at: scanner.pos)) after the end of the timeline document")
    }
    // A field that is there but invalid has its own message; "missing" is only for absent ones.
    for field in DocumentField.allCases where field.isRequired && !seen.contains(field) {
      report(topAt, .none, nil, Rules.missing([field.name]))
    }
  }

  /// The second pass: the checks that need the whole file, then the timeline.
  mutating func finish(document: DocumentText) -> Result<Timeline, DecodeFailure> {
    let assembler = TimelineAssembler(
      title: title ?? "", description: description ?? "", sources: sources, people: people, eras: eras,
      declaredCountries: declaredCountries)
    assembler.checkCountries(pendingCountries, into: &problems)
    assembler.checkUniqueIDs(people: personOffsets, sources: sourceOffsets, into: &problems)
    let personMap = assembler.resolvePeople(citedPeople, { citedPersonFirst[$0] }, into: &problems)
    let sourceMap = assembler.resolveSources(citedSources, { citedSourceFirst[$0] }, into: &problems)
    if !problems.isEmpty {
      problems.list.sort { $0.place < $1.place }
      return .failure(failure())
    }
    var timings = TimelineLoader.Timings()
    return .success(assembler.timeline(columns, people: personMap, sources: sourceMap, tags: tagNames, document: document, timings: &timings))
  }
}
