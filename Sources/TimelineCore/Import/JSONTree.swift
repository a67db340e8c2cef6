/// A JSON document read into values that remember where they start, for importing other programs'
/// JSON (TimelineJS) with messages that give a line and a column.
///
/// Built on `JSONScanner`, so it accepts exactly RFC 8259 JSON, refuses what the timeline decoder
/// refuses (invalid UTF-8, lone surrogates, raw control characters in strings) with the same messages,
/// and never recurses deeper than `maxDepth`. Foundation's `JSONSerialization` gives no positions.
/// Meant for files of a few megabytes (TimelineJS documents are loaded whole by browsers too).
struct JSONNode {
  indirect enum Value {
    case object([Member])
    case array([JSONNode])
    case string(String)
    /// A number as written, so that `-13800000000` or `007` is judged by the importer, not rounded here.
    case number(String)
    case bool(Bool)
    case null
  }

  struct Member {
    var key: String
    var keyOffset: Int
    var value: JSONNode
  }

  /// Byte offset of the value's first byte.
  var offset: Int
  var value: Value

  static let maxDepth = 64

  /// Reads a whole document; a JavaScript assignment around it (`var timeline_json = {…};`, as some
  /// sites serve their TimelineJS data) is tolerated.
  static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> JSONNode {
    var scanner = JSONScanner(buffer)
    if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { scanner.pos = 3 }
    scanner.skipWhitespace()
    if scanner.atEnd { throw SyntaxError(offset: scanner.pos, message: "the file is empty; expected a JSON document") }
    var wrapped = false
    if let b = scanner.peek(), b != UInt8(ascii: "{"), b != UInt8(ascii: "["), let start = assignmentEnd(buffer, from: scanner.pos) {
      scanner.pos = start
      wrapped = true
    }
    let node = try read(&scanner, depth: 0)
    scanner.skipWhitespace()
    if wrapped, scanner.peek() == UInt8(ascii: ";") {
      scanner.pos += 1
      scanner.skipWhitespace()
    }
    if !scanner.atEnd {
      throw SyntaxError(offset: scanner.pos, message: "unexpected \(scanner.describeByte(at: scanner.pos)) after the end of the JSON document")
    }
    return node
  }

  /// For `var name = {`, `window.name = {` or `name = [`: where the value starts.
  private static func assignmentEnd(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    var i = from
    let limit = min(s.count, from + 200)
    while i < limit, s[i] != UInt8(ascii: "=") {
      let b = s[i]
      let ok = (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        || b == UInt8(ascii: "_") || b == UInt8(ascii: "$") || b == UInt8(ascii: ".") || b == 0x20 || b == 0x09
      guard ok else { return nil }
      i += 1
    }
    guard i < limit else { return nil }
    i += 1
    while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D { i += 1 }
    guard i < s.count, s[i] == UInt8(ascii: "{") || s[i] == UInt8(ascii: "[") else { return nil }
    return i
  }

  private static func read(_ s: inout JSONScanner, depth: Int) throws(SyntaxError) -> JSONNode {
    s.skipWhitespace()
    let at = s.pos
    guard let b = s.peek() else { throw SyntaxError(offset: at, message: "unexpected end of file: expected a value") }
    if depth > maxDepth { throw SyntaxError(offset: at, message: "values nested deeper than \(maxDepth) levels") }
    switch b {
    case UInt8(ascii: "{"):
      s.pos += 1
      var members: [Member] = []
      if s.consumeIfClose(UInt8(ascii: "}")) { return JSONNode(offset: at, value: .object(members)) }
      repeat {
        s.skipWhitespace()
        let keyAt = s.pos
        let key = string(s, try s.readString())
        try s.expect(UInt8(ascii: ":"), "':' after the key \"\(TerminalSafety.sanitized(key))\"")
        members.append(Member(key: key, keyOffset: keyAt, value: try read(&s, depth: depth + 1)))
      } while try s.commaOrClose(UInt8(ascii: "}"), "in an object")
      return JSONNode(offset: at, value: .object(members))
    case UInt8(ascii: "["):
      s.pos += 1
      var elements: [JSONNode] = []
      if s.consumeIfClose(UInt8(ascii: "]")) { return JSONNode(offset: at, value: .array(elements)) }
      repeat {
        elements.append(try read(&s, depth: depth + 1))
      } while try s.commaOrClose(UInt8(ascii: "]"), "in an array")
      return JSONNode(offset: at, value: .array(elements))
    case UInt8(ascii: "\""):
      return JSONNode(offset: at, value: .string(string(s, try s.readString())))
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      try s.skipValue()
      return JSONNode(offset: at, value: b == UInt8(ascii: "n") ? .null : .bool(b == UInt8(ascii: "t")))
    default:
      try s.skipValue()
      let text = String(decoding: UnsafeBufferPointer(start: s.base + at, count: s.pos - at), as: UTF8.self)
      return JSONNode(offset: at, value: .number(text))
    }
  }

  private static func string(_ s: JSONScanner, _ ref: TextRef) -> String {
    JSONString.string(UnsafeBufferPointer(start: s.base + ref.offset, count: ref.length), escaped: ref.escaped)
  }

  // MARK: - Reading

  subscript(key: String) -> JSONNode? {
    guard case .object(let members) = value else { return nil }
    return members.first { $0.key == key }?.value
  }

  var members: [Member] {
    if case .object(let m) = value { return m }
    return []
  }

  var elements: [JSONNode]? {
    if case .array(let a) = value { return a }
    return nil
  }

  var isObject: Bool {
    if case .object = value { return true }
    return false
  }

  var string: String? {
    if case .string(let s) = value { return s }
    return nil
  }

  /// A string, or a number or boolean as text (TimelineJS writers disagree on which they use).
  var text: String? {
    switch value {
    case .string(let s): s
    case .number(let n): n
    case .bool(let b): b ? "true" : "false"
    default: nil
    }
  }

  var isNull: Bool {
    if case .null = value { return true }
    return false
  }

  var kindName: String {
    switch value {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .number: "a number"
    case .bool: "true or false"
    case .null: "null"
    }
  }
}
