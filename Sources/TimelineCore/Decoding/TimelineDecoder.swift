/// Reads a timeline document and checks everything about it, or says precisely what is wrong.
///
/// One pass over the bytes with `JSONScanner` fills the event columns and collects problems; a second,
/// short pass resolves references (people and sources cited by events, country codes declared later in
/// the file). Syntax errors stop the decoder (nothing after them can be trusted); every other problem is
/// recorded and decoding goes on, so `timeline validate` reports them all at once.
public enum TimelineDecoder {
  /// The format marker this program reads.
  public static let formatName = "timeline/1"

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

  /// Problems so far, as (offset, subject, field, message); placed on lines at the end.
  var problems: [(offset: Int, subject: Subject, field: String?, message: String, related: Int?)] = []
  var omitted = 0

  // Top level.
  var title: String?
  var description: String?
  var sources: [Source] = []
  var sourceOffsets: [Int] = []
  var people: [Person] = []
  var personOffsets: [Int] = []
  var eras: [Era] = []
  var declaredCountries: [CountryTable.Country] = []
  var sawTitle = false
  var sawDescription = false
  var sawSources = false
  var sawEvents = false

  // Events.
  var columns = EventColumns()
  var eventIDs = ByteInterner(capacity: 1024)
  var eventIDFirstOffset: [Int] = []
  /// Ids cited by events, interned; resolved to people and sources once the whole file is read.
  var citedPeople = ByteInterner()
  var citedPersonFirst: [(offset: Int, event: Subject, uses: Int)] = []
  var citedSources = ByteInterner()
  var citedSourceFirst: [(offset: Int, event: Subject, uses: Int)] = []
  var tagInterner = ByteInterner()
  var tagNames: [String] = []
  /// Country codes not in the built-in table, checked again once the file's own declarations are known.
  var pendingCountries: [(slot: Int, offset: Int, subject: Subject, field: String)] = []

  init(buffer: UnsafeBufferPointer<UInt8>, fileName: String) {
    self.buffer = buffer
    self.fileName = fileName
    scanner = JSONScanner(buffer)
  }

  // MARK: - Reporting

  /// What a problem belongs to. Kept as a value and described only when a problem is reported: making
  /// the text for every event would cost more than decoding the event.
  enum Subject {
    case none
    case text(String)
    /// An event, by id once known, else by its position in the file (1-based).
    case event(id: TextRef?, number: Int)
    /// A source, person or era, by id once known, else by its position in its list (1-based).
    case entity(StaticString, Int, String?)
  }

  func describe(_ subject: Subject) -> String? {
    switch subject {
    case .none: return nil
    case .text(let s): return s
    case .event(let id, let number):
      if let id { return "event \"\(TerminalSafety.sanitized(string(id)))\"" }
      return "event #\(number)"
    case .entity(let kind, let number, let id):
      if let id { return "\(kind) \"\(id)\"" }
      return "\(kind) #\(number)"
    }
  }

  /// Records a problem. With `related`, the message ends with that offset's line and column
  /// ("… first used at line 3, column 5"), computed only if the file turns out invalid.
  mutating func report(_ offset: Int, _ subject: Subject, _ field: String?, _ message: String, related: Int? = nil) {
    if problems.count >= DecodeFailure.limit {
      omitted += 1
      return
    }
    problems.append((offset, subject, field, message, related))
  }

  func failure(extra: [Diagnostic] = []) -> DecodeFailure {
    let lines = LineMap(buffer)
    var list = problems.map { p -> Diagnostic in
      let (line, column) = lines.location(of: p.offset)
      var message = p.message
      if let related = p.related {
        let r = lines.location(of: related)
        message += " line \(r.line), column \(r.column)"
      }
      return Diagnostic(file: fileName, line: line, column: column, subject: describe(p.subject), field: p.field, message: message)
    }
    list.append(contentsOf: extra)
    return DecodeFailure(diagnostics: list, omitted: omitted)
  }

  // MARK: - Small readers

  func string(_ ref: TextRef) -> String {
    JSONString.string(UnsafeBufferPointer(rebasing: buffer[ref.range]), escaped: ref.escaped)
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
    if nonEmpty && isBlank(ref) {
      report(at, subject, field, "must not be empty")
      return nil
    }
    return ref
  }

  func isBlank(_ ref: TextRef) -> Bool {
    if ref.isEmpty { return true }
    if ref.escaped { return string(ref).allSatisfy(\.isWhitespace) }
    for i in ref.range where buffer[i] != 0x20 && buffer[i] != 0x09 { return false }
    return true
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
    // Objects here are small: a list beats hashing every key.
    var seen: [String] = []
    repeat {
      scanner.skipWhitespace()
      let keyAt = scanner.pos
      let key = keyName(try scanner.readString())
      try scanner.expect(UInt8(ascii: ":"), "':' after the key \"\(key)\"")
      if seen.contains(key) {
        report(keyAt, subject, key, "duplicate key; each key may appear once in an object")
        try scanner.skipValue()
        continue
      }
      seen.append(key)
      try member(&self, key, keyAt)
    } while try scanner.commaOrClose(UInt8(ascii: "}"), "in \(what)")
    return true
  }

  static func isExtensionKey(_ key: String) -> Bool { key.hasPrefix("x-") || key.hasPrefix("x_") }

  mutating func unknownKey(_ key: String, at: Int, subject: Subject, known: [String]) throws(SyntaxError) {
    if Self.isExtensionKey(key) {
      try scanner.skipValue()
      return
    }
    var message = "unknown field; known fields are " + known.map { "\"\($0)\"" }.joined(separator: ", ")
    message += " (extension fields start with \"x-\")"
    if let close = Suggestions.closest(to: key, among: known, limit: 1).first {
      message = "unknown field (did you mean \"\(close)\"?); " + message.dropFirst("unknown field; ".count)
    }
    report(at, subject, key, message)
    try scanner.skipValue()
  }

  /// Checks an id: letters, digits and `._:-`, starting with a letter or digit, at most 200 bytes.
  mutating func checkID(_ ref: TextRef, at: Int, _ subject: Subject, _ field: String) -> Bool {
    var ok = !ref.escaped && ref.length > 0 && ref.length <= 200
    if ok {
      for i in ref.range {
        let b = buffer[i]
        let alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        let punct = b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        if !(alnum || (punct && i != ref.offset)) {
          ok = false
          break
        }
      }
    }
    if !ok {
      let shown = TerminalSafety.sanitized(string(ref))
      report(at, subject, field, "invalid id \"\(shown)\": ids are 1 to 200 letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
    }
    return ok
  }

  /// Reads a date string and parses it.
  mutating func readDate(_ subject: Subject, _ field: String) throws(SyntaxError) -> TimelineDate? {
    scanner.skipWhitespace()
    let at = scanner.pos
    guard let ref = try readString(subject, field) else { return nil }
    let result: Result<TimelineDate, TimelineDate.ParseError>
    if ref.escaped {
      result = TimelineDate.parse(string(ref))
    } else {
      result = TimelineDate.parse(UnsafeBufferPointer(rebasing: buffer[ref.range]))
    }
    switch result {
    case .success(let d): return d
    case .failure(let e):
      report(at, subject, field, "invalid date \"\(TerminalSafety.sanitized(string(ref)))\": \(e)")
      return nil
    }
  }

  /// Reads a two-letter code and returns its slot, reporting malformed codes; unknown codes are
  /// queued for a check against the file's own declarations.
  mutating func readCountry(_ subject: Subject, _ field: String) throws(SyntaxError) -> Int? {
    scanner.skipWhitespace()
    let at = scanner.pos
    guard let ref = try readString(subject, field) else { return nil }
    guard ref.length == 2, !ref.escaped, let slot = CountryTable.slot(buffer[ref.offset], buffer[ref.offset + 1]) else {
      let shown = TerminalSafety.sanitized(string(ref))
      var message = "invalid country code \"\(shown)\": expected an ISO 3166-1 alpha-2 code such as \"FR\""
      // The hint costs thousands of foldings: only for a problem that will be listed (a hostile file may
      // hold a million bad codes, and everything past the limit is only counted).
      if problems.count < DecodeFailure.limit, let resolved = try? NameResolver.country(shown, in: .builtIn) {
        message += " (\"\(shown)\" is \(resolved.code))"
      }
      report(at, subject, field, message)
      return nil
    }
    if !CountryTable.builtIn.contains(slot: slot) {
      pendingCountries.append((slot, at, subject, field))
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
    let known = ["format", "title", "description", "countries", "sources", "people", "eras", "events"]
    _ = try readObject(.none, nil, what: "the timeline document") { (s: inout DecodeSession, key, keyAt) throws(SyntaxError) in
      s.currentField = key
      switch key {
      case "format":
        s.scanner.skipWhitespace()
        let at = s.scanner.pos
        if let ref = try s.readString(.none, key), s.string(ref) != TimelineDecoder.formatName {
          s.report(at, .none, key, "unsupported format \"\(TerminalSafety.sanitized(s.string(ref)))\"; this program reads \"\(TimelineDecoder.formatName)\"")
        }
      case "title":
        s.sawTitle = true
        s.title = try s.readString(.none, key, nonEmpty: true).map(s.string)
      case "description":
        s.sawDescription = true
        s.description = try s.readString(.none, key).map(s.string)
      case "countries": try s.readCountries()
      case "sources":
        s.sawSources = true
        _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readSource() }
      case "people": _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readPerson() }
      case "eras": _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readEra() }
      case "events":
        s.sawEvents = true
        _ = try s.readArray(.none, key) { (s: inout DecodeSession) throws(SyntaxError) in try s.readEvent() }
      default: try s.unknownKey(key, at: keyAt, subject: .none, known: known)
      }
      s.currentField = nil
      s.currentSubject = .none
    }
    scanner.skipWhitespace()
    if !scanner.atEnd {
      throw SyntaxError(offset: scanner.pos, message: "unexpected \(scanner.describeByte(at: scanner.pos)) after the end of the timeline document")
    }
    // A field that is there but invalid has its own message; "missing" is only for absent ones.
    for (name, present) in [("title", sawTitle), ("description", sawDescription), ("sources", sawSources), ("events", sawEvents)]
    where !present {
      report(topAt, .none, nil, "missing field \"\(name)\"")
    }
  }
}
