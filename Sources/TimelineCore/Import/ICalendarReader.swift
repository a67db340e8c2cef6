/// Reads the content lines and components of an iCalendar file (RFC 5545), keeping the line each
/// property starts on.
///
/// Lenient where real calendars are: LF as well as CRLF line ends, folded lines continued by a space or
/// a tab (folds may cut a character's bytes), property names and parameters in any case, a line that is
/// not a property (skipped, with a note the importer can report), components left open at the end.
struct ICalendarReader {
  struct Property {
    /// Upper-cased, as names are case-insensitive.
    var name: String
    /// Parameter names upper-cased; values with their quotes removed and RFC 6868 `^` escapes undone.
    var parameters: [(name: String, value: String)]
    /// The value as written, after unfolding (escapes are for the caller: their meaning depends on the
    /// property's type).
    var value: String
    /// The 1-based line the property starts on.
    var line: Int

    func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
  }

  struct Component {
    var name: String
    var properties: [Property] = []
    var children: [Component] = []
    /// The line of its BEGIN.
    var line: Int

    func first(_ name: String) -> Property? { properties.first { $0.name == name } }
    func all(_ name: String) -> [Property] { properties.filter { $0.name == name } }
  }

  /// A line that could not be read, for a warning.
  struct Problem {
    var line: Int
    var message: String
  }

  /// The top-level components (normally one VCALENDAR), and the lines that were not understood.
  static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> (components: [Component], problems: [Problem]) {
    var stack: [Component] = []
    var top: [Component] = []
    var problems: [Problem] = []
    for (line, number) in unfoldedLines(bytes) {
      if line.isEmpty { continue }
      guard let property = parse(line, number: number) else {
        problems.append(Problem(line: number, message: "not an iCalendar property (expected NAME:VALUE or NAME;PARAMETER=VALUE:VALUE)"))
        continue
      }
      switch property.name {
      case "BEGIN":
        stack.append(Component(name: property.value.uppercased().trimmingWhitespace(), line: number))
      case "END":
        let name = property.value.uppercased().trimmingWhitespace()
        // Close up to the matching BEGIN; an END without one is noted and ignored.
        guard let k = stack.lastIndex(where: { $0.name == name }) else {
          problems.append(Problem(line: number, message: "END:\(name) without a BEGIN:\(name)"))
          continue
        }
        while stack.count > k {
          let done = stack.removeLast()
          if stack.isEmpty { top.append(done) } else { stack[stack.count - 1].children.append(done) }
        }
      default:
        if stack.isEmpty {
          problems.append(Problem(line: number, message: "property \(property.name) outside of any component"))
        } else {
          stack[stack.count - 1].properties.append(property)
        }
      }
    }
    // Components never closed still count, without a complaint: a file cut off at its end (a download
    // that stopped, a calendar pasted without its last lines) keeps the events it has.
    while let done = stack.popLast() {
      if stack.isEmpty { top.append(done) } else { stack[stack.count - 1].children.append(done) }
    }
    return (top, problems)
  }

  /// Logical lines (folds joined) with the number of the physical line each starts on.
  static func unfoldedLines(_ bytes: UnsafeBufferPointer<UInt8>) -> [(String, Int)] {
    var result: [(String, Int)] = []
    var current: [UInt8] = []
    var currentLine = 0
    var lineNumber = 0
    var i = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    let n = bytes.count
    func finish() {
      if currentLine > 0 { result.append((String(decoding: current, as: UTF8.self), currentLine)) }
      current.removeAll(keepingCapacity: true)
    }
    while i < n {
      lineNumber += 1
      var end = i
      while end < n, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
      if end > i, bytes[i] == 0x20 || bytes[i] == 0x09, currentLine > 0 {
        // A continuation: the fold's one white-space character is dropped.
        current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]))
      } else {
        finish()
        current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
        currentLine = lineNumber
      }
      // One line end: CRLF, LF or CR.
      i = end
      if i < n, bytes[i] == 0x0D {
        i += 1
        if i < n, bytes[i] == 0x0A { i += 1 }
      } else if i < n {
        i += 1
      }
    }
    finish()
    return result
  }

  /// Splits `NAME;P=V;Q="a:b":VALUE`; nil when there is no name or no colon.
  static func parse(_ line: String, number: Int) -> Property? {
    let s = Array(line.utf8)
    var i = 0
    func isNameByte(_ b: UInt8) -> Bool {
      (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
        || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }
    while i < s.count, isNameByte(s[i]) { i += 1 }
    guard i > 0 else { return nil }
    let name = String(decoding: s[0..<i], as: UTF8.self).uppercased()
    var parameters: [(String, String)] = []
    while i < s.count, s[i] == UInt8(ascii: ";") {
      i += 1
      let start = i
      while i < s.count, isNameByte(s[i]) { i += 1 }
      let pname = String(decoding: s[start..<i], as: UTF8.self).uppercased()
      var values: [String] = []
      if i < s.count, s[i] == UInt8(ascii: "=") {
        i += 1
        // One or more values separated by commas, each possibly quoted.
        repeat {
          if i < s.count, s[i] == UInt8(ascii: ",") { i += 1 }
          if i < s.count, s[i] == UInt8(ascii: "\"") {
            let vs = i + 1
            var j = vs
            while j < s.count, s[j] != UInt8(ascii: "\"") { j += 1 }
            values.append(caretDecoded(String(decoding: s[vs..<j], as: UTF8.self)))
            i = min(j + 1, s.count)
          } else {
            let vs = i
            while i < s.count, s[i] != UInt8(ascii: ";"), s[i] != UInt8(ascii: ":"), s[i] != UInt8(ascii: ",") { i += 1 }
            values.append(caretDecoded(String(decoding: s[vs..<i], as: UTF8.self)))
          }
        } while i < s.count && s[i] == UInt8(ascii: ",")
      }
      parameters.append((pname, values.joined(separator: ",")))
    }
    guard i < s.count, s[i] == UInt8(ascii: ":") else { return nil }
    let value = String(decoding: s[(i + 1)...], as: UTF8.self)
    return Property(name: name, parameters: parameters, value: value, line: number)
  }

  /// RFC 6868: `^n` is a line break, `^'` a double quote, `^^` a caret, in parameter values.
  static func caretDecoded(_ s: String) -> String {
    guard s.contains("^") else { return s }
    var out = ""
    var it = s.makeIterator()
    while let c = it.next() {
      guard c == "^" else {
        out.append(c)
        continue
      }
      switch it.next() {
      case "n": out.append("\n")
      case "'": out.append("\"")
      case "^": out.append("^")
      case let other?: out.append("^"); out.append(other)
      case nil: out.append("^")
      }
    }
    return out
  }

  /// A TEXT value with its escapes undone: `\\`, `\;`, `\,`, `\n` or `\N`.
  static func text(_ value: String) -> String {
    guard value.contains("\\") else { return value }
    var out = ""
    var it = value.makeIterator()
    while let c = it.next() {
      guard c == "\\" else {
        out.append(c)
        continue
      }
      switch it.next() {
      case "n", "N": out.append("\n")
      case let other?: out.append(other)
      case nil: break
      }
    }
    return out
  }

  /// A list of TEXT values (CATEGORIES, RESOURCES): split on commas that are not escaped, each unescaped.
  static func textList(_ value: String) -> [String] {
    var items: [String] = []
    var current = ""
    var escaped = false
    for c in value {
      if escaped {
        current.append(c == "n" || c == "N" ? "\n" : c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == "," {
        items.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    items.append(current)
    return items.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
  }
}
