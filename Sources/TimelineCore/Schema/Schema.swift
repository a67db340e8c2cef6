/// The timeline/1 schema, written once: every object's fields, the kind of value each holds, which
/// are required, and the rules values must follow.
///
/// The reference decoder reads fields by these tables, the fast event parser's key constants are
/// checked against `EventField` by a test, and `TimelineBuilder` checks values by the same rules, so
/// a file, an import and a test fixture are held to one standard. `Resources/timeline.schema.json`
/// says the same for other tools, and a test keeps the two in step.
///
/// Adding a field: a case in the object's table (with its kind and whether it is required), a column
/// or property in the model, and the compiler then points at every `switch` that must read or write it.
public protocol SchemaField: CaseIterable, Hashable, Sendable {
  /// The key in a timeline file.
  var name: String { get }
  var kind: FieldKind { get }
  var isRequired: Bool { get }
}

extension SchemaField {
  public static var names: [String] { allCases.map(\.name) }
  public static var requiredNames: [String] { allCases.filter(\.isRequired).map(\.name) }
  public init?(name: String) {
    guard let f = Self.allCases.first(where: { $0.name == name }) else { return nil }
    self = f
  }
}

/// What a field holds, and so which rule its value follows.
public enum FieldKind: Hashable, Sendable {
  /// An id (`Rules.isValidID`).
  case id
  /// Any text, possibly empty.
  case text
  /// Text with something besides white space in it.
  case nonBlankText
  /// A date (`TimelineDate.parse`).
  case date
  /// A BCP 47 language tag such as `fr` or `en-GB`.
  case language
  /// An ISO 3166-1 alpha-2 code, built in or declared by the file.
  case country
  /// One of the `Confidence` words.
  case confidence
  /// Ids of other objects (people or sources); `atLeastOne` when the list may not be empty.
  case ids(atLeastOne: Bool)
  /// Country codes.
  case countries
  /// Non-blank texts (tags, aliases).
  case texts
  /// The format marker, `timeline/1`.
  case format
  /// A list of objects described by another table.
  case objects
  /// The country declarations: codes to names.
  case countryDeclarations
}

/// The members of a timeline document.
public enum DocumentField: String, SchemaField {
  /// `"$schema"`: where editors find the JSON Schema to check the file against as it is written. Any
  /// string; the program itself checks by its own tables.
  case schema = "$schema"
  case format, title, description, countries, sources, people, eras, events

  public var name: String { rawValue }
  public var kind: FieldKind {
    switch self {
    case .schema: .text
    case .format: .format
    case .title: .nonBlankText
    case .description: .text
    case .countries: .countryDeclarations
    case .sources, .people, .eras, .events: .objects
    }
  }
  public var isRequired: Bool {
    switch self {
    case .title, .description, .sources, .events: true
    case .schema, .format, .countries, .people, .eras: false
    }
  }
}

/// The fields of an event.
///
/// The raw value is the field's bit in the parsers' "seen" masks (`bit`).
public enum EventField: Int, SchemaField {
  case id, date, end, title, summary, countries, people, tags, confidence, sources, notes

  public var name: String {
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
  public var kind: FieldKind {
    switch self {
    case .id: .id
    case .date, .end: .date
    case .title: .nonBlankText
    case .summary, .notes: .text
    case .countries: .countries
    case .people: .ids(atLeastOne: false)
    case .tags: .texts
    case .confidence: .confidence
    case .sources: .ids(atLeastOne: true)
    }
  }
  public var isRequired: Bool {
    switch self {
    case .id, .date, .title, .confidence, .sources: true
    case .end, .summary, .countries, .people, .tags, .notes: false
    }
  }

  /// The field's bit in a mask of fields seen.
  @inline(__always) var bit: Int { 1 << rawValue }

  /// The bits of the required fields.
  static var requiredBits: Int { allCases.reduce(0) { $1.isRequired ? $0 | $1.bit : $0 } }
}

/// The fields of a source.
public enum SourceField: String, SchemaField {
  case id, title, publisher, author, date, url, language, notes

  public var name: String { rawValue }
  public var kind: FieldKind {
    switch self {
    case .id: .id
    case .title, .publisher: .nonBlankText
    case .author, .url, .notes: .text
    case .date: .date
    case .language: .language
    }
  }
  public var isRequired: Bool {
    switch self {
    case .id, .title, .publisher, .language: true
    // A source's date may not be known: a link or a file cited by an imported timeline.
    case .author, .date, .url, .notes: false
    }
  }
}

/// The fields of a person.
public enum PersonField: String, SchemaField {
  case id, name, aliases, country, role

  public var name: String { rawValue }
  public var kind: FieldKind {
    switch self {
    case .id: .id
    case .name: .nonBlankText
    case .aliases: .texts
    case .country: .country
    case .role: .text
    }
  }
  public var isRequired: Bool {
    switch self {
    case .id, .name, .role: true
    case .aliases, .country: false
    }
  }
}

/// The fields of an era.
public enum EraField: String, SchemaField {
  case id, title, start, end, summary

  public var name: String { rawValue }
  public var kind: FieldKind {
    switch self {
    case .id: .id
    case .title: .nonBlankText
    case .start, .end: .date
    case .summary: .text
    }
  }
  public var isRequired: Bool { self != .summary }
}

/// The fields of a country declaration (`"countries": {"XK": {...}}`).
public enum CountryField: String, SchemaField {
  case name, nameFR = "name_fr", aliases

  public var name: String { rawValue }
  public var kind: FieldKind {
    switch self {
    case .name, .nameFR: .nonBlankText
    case .aliases: .texts
    }
  }
  public var isRequired: Bool { self == .name }
}

/// The rules values follow, with the words used to explain a broken one. Both parsers and the builder
/// call these; nothing else decides what is valid.
enum Rules {
  /// The format marker this program reads.
  static let formatName = "timeline/1"

  /// Keys starting with these are extensions: ignored wherever they appear.
  static func isExtensionKey<C: Collection<UInt8>>(_ key: C) -> Bool {
    var i = key.startIndex
    guard i != key.endIndex, key[i] == UInt8(ascii: "x") else { return false }
    i = key.index(after: i)
    return i != key.endIndex && (key[i] == UInt8(ascii: "-") || key[i] == UInt8(ascii: "_"))
  }

  // MARK: Ids

  static let maxIDLength = 200

  /// Whether a byte may appear in an id: letters, digits, and `._:-` after the first.
  @inline(__always) static func isIDByte(_ b: UInt8, first: Bool) -> Bool {
    let alnum = (b &- 0x30 < 10) || ((b | 0x20) &- 0x61 < 26)
    let punct = b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
    return alnum || (punct && !first)
  }

  /// Ids are 1 to 200 ASCII letters, digits, `.`, `_`, `:` or `-`, starting with a letter or digit.
  static func isValidID<C: Collection<UInt8>>(_ bytes: C) -> Bool {
    guard !bytes.isEmpty, bytes.count <= maxIDLength else { return false }
    var first = true
    for b in bytes {
      if !isIDByte(b, first: first) { return false }
      first = false
    }
    return true
  }

  static func invalidID(_ shown: String) -> String {
    "invalid id \"\(TerminalSafety.sanitized(shown))\": ids are 1 to 200 letters, digits, '.', '_', ':' or '-', starting with a letter or digit"
  }

  // MARK: Text

  static let blank = "must not be empty"

  /// Whether text is empty or only white space (Unicode's White_Space), however it is written: a raw
  /// no-break space and an escaped `\u00a0` are the same string and get the same answer.
  ///
  /// Character by character, escapes decoded on the way, to the first that is not white space: for a
  /// title that is the first one (decoding whole titles to answer took a sixth of loading a file whose
  /// strings were all escaped).
  static func isBlank(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> Bool {
    let n = raw.count
    var i = 0
    while i < n {
      let b = raw[i]
      var scalar: UInt32
      if b == UInt8(ascii: "\\") && escaped {
        guard i + 1 < n else { return false }
        switch raw[i + 1] {
        case UInt8(ascii: "t"): scalar = 0x09
        case UInt8(ascii: "n"): scalar = 0x0A
        case UInt8(ascii: "f"): scalar = 0x0C
        case UInt8(ascii: "r"): scalar = 0x0D
        case UInt8(ascii: "u"):
          guard i + 6 <= n else { return false }
          scalar = ByteScan.hex4(raw.baseAddress! + i + 2, ByteScan.hexTable)
          // No White_Space character needs a surrogate pair: a pair is some other character.
          guard scalar <= 0xFFFF, scalar & 0xF800 != 0xD800 else { return false }
          i += 4
        default: return false  // \" \\ \/ \b
        }
        i += 2
      } else if b < 0x80 {
        scalar = UInt32(b)
        i += 1
      } else {
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard length > 1, i + length <= n else { return false }
        scalar = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { scalar = scalar << 6 | UInt32(raw[i + k] & 0x3F) }
        i += length
      }
      let isSpace = scalar < 0x80 ? scalar == 0x20 || (scalar >= 0x09 && scalar <= 0x0D) : Unicode.Scalar(scalar)?.properties.isWhitespace ?? false
      if !isSpace { return false }
    }
    return true
  }

  static func isBlank(_ s: String) -> Bool { s.unicodeScalars.allSatisfy(\.properties.isWhitespace) }

  // MARK: Languages, dates, confidence

  /// A BCP 47 tag as the format accepts it: a 2–3 letter lower-case language, then subtags of 2–8
  /// letters or digits.
  static func isLanguageTag(_ s: String) -> Bool {
    let parts = s.split(separator: "-", omittingEmptySubsequences: false)
    guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
      return false
    }
    return parts.dropFirst().allSatisfy { p in (2...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
  }

  static func invalidLanguage(_ tag: String) -> String {
    "invalid language \"\(TerminalSafety.sanitized(tag))\": expected a BCP 47 tag such as \"fr\" or \"en-GB\""
  }

  static func invalidDate(_ written: String, _ error: TimelineDate.ParseError) -> String {
    "invalid date \"\(TerminalSafety.sanitized(written))\": \(error)"
  }

  /// Whether a span ends before it starts: its last day is before its first, or on that one day, both
  /// have times and the end's is earlier (a day without a time covers all of it).
  static func endsBeforeStart(_ start: TimelineDate, _ end: TimelineDate) -> Bool {
    if end.upperKey != start.lowerKey { return end.upperKey < start.lowerKey }
    guard let s = start.minuteOfDay, let e = end.minuteOfDay else { return false }
    return e < s
  }

  static func endsBeforeStart(_ what: String, _ start: TimelineDate, _ end: TimelineDate) -> String {
    "the \(what) ends (\(end)) before it starts (\(start))"
  }

  static let noSource = "an event must cite at least one source"

  static func invalidConfidence(_ word: String) -> String {
    let names = Confidence.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
    var message = "invalid confidence \"\(TerminalSafety.sanitized(word))\": expected one of \(names)"
    if let close = Suggestions.closest(to: word, among: Confidence.allCases.map(\.name), limit: 1).first {
      message += " (did you mean \"\(close)\"?)"
    }
    return message
  }

  // MARK: Countries

  /// The slot of a well-formed code (two capital letters), or nil.
  static func countrySlot<C: Collection<UInt8>>(_ code: C) -> Int? {
    guard code.count == 2 else { return nil }
    return CountryTable.slot(code[code.startIndex], code[code.index(after: code.startIndex)])
  }

  /// - Parameter hint: whether to look the text up as a country name (costly: only for problems that
  ///   will be listed).
  static func malformedCountry(_ shown: String, hint: Bool) -> String {
    let shown = TerminalSafety.sanitized(shown)
    var message = "invalid country code \"\(shown)\": expected an ISO 3166-1 alpha-2 code such as \"FR\""
    if hint, let resolved = try? NameResolver.country(shown, in: .builtIn) {
      message += " (\"\(shown)\" is \(resolved.code))"
    }
    return message
  }

  static func unknownCountry(_ code: String, known: CountryTable, hint: Bool) -> String {
    var message = "unknown country code \"\(code)\""
    let close = hint ? Suggestions.closest(to: code, among: known.all.map(\.code), limit: 3) : []
    if !close.isEmpty { message += " (did you mean \(close.map { "\"\($0)\"" }.joined(separator: " or "))?)" }
    return message + "; declare it under \"countries\" to use a code outside ISO 3166-1"
  }

  static func malformedDeclaredCountry(_ code: String) -> String {
    "invalid country code \"\(TerminalSafety.sanitized(code))\": codes are two capital letters A-Z"
  }

  // MARK: Objects

  static func missing(_ fields: [String]) -> String {
    "missing field\(fields.count == 1 ? "" : "s") " + fields.map { "\"\($0)\"" }.joined(separator: ", ")
  }

  static func unknownField(_ key: String, known: [String]) -> String {
    var message = "unknown field; known fields are " + known.map { "\"\($0)\"" }.joined(separator: ", ")
    message += " (extension fields start with \"x-\")"
    if let close = Suggestions.closest(to: key, among: known, limit: 1).first {
      message = "unknown field (did you mean \"\(close)\"?); " + message.dropFirst("unknown field; ".count)
    }
    return message
  }

  static func unknownReference(_ kind: String, _ id: String, known: [String], uses: Int, hint: Bool) -> String {
    var message = "unknown \(kind) \"\(TerminalSafety.sanitized(id))\""
    let close = hint ? Suggestions.closest(to: id, among: known, limit: 3) : []
    if !close.isEmpty { message += " (did you mean \(close.map { "\"\($0)\"" }.joined(separator: " or "))?)" }
    if uses > 1 { message += "; cited \(uses) times in all, first here" }
    return message
  }
}
