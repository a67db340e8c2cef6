/// One problem found in a timeline file, with where it is and what is wrong.
///
/// Printed like a compiler message, so editors and terminals can jump to it:
/// `case.json:12:16: event "raid-2020", field "date": invalid date "2020-13-01": the month must be 01 to 12`
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  public var file: String
  /// 1-based; 0 when the problem has no single place (such as a file that cannot be read).
  public var line: Int
  /// 1-based, counted in characters (Unicode scalars), not bytes.
  public var column: Int
  /// What the problem belongs to: `event "id"`, `person "id"`, `event #12` when it has no id yet.
  public var subject: String?
  public var field: String?
  public var message: String

  public init(file: String, line: Int, column: Int, subject: String? = nil, field: String? = nil, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.subject = subject
    self.field = field
    self.message = message
  }

  public var description: String {
    var s = file
    if line > 0 { s += ":\(line):\(column)" }
    s += ": "
    var context: [String] = []
    if let subject { context.append(subject) }
    if let field { context.append("field \"\(field)\"") }
    if !context.isEmpty { s += context.joined(separator: ", ") + ": " }
    // File names, keys and values quoted in messages come from the user's data: keep them printable.
    return TerminalSafety.sanitized(s + message)
  }
}

/// Why a timeline could not be loaded: every problem found, in file order.
public struct DecodeFailure: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]
  /// Problems found beyond those listed (the list stops at `Self.limit` to stay readable).
  public var omitted: Int

  public static let limit = 200

  public init(diagnostics: [Diagnostic], omitted: Int = 0) {
    self.diagnostics = diagnostics
    self.omitted = omitted
  }

  public var description: String {
    var lines = diagnostics.map(\.description)
    if omitted > 0 { lines.append("… and \(omitted) more problem\(omitted == 1 ? "" : "s")") }
    return lines.joined(separator: "\n")
  }
}

/// Turns byte offsets into 1-based line and column numbers.
struct LineMap {
  private let lineStarts: [Int]
  private let bytes: UnsafeBufferPointer<UInt8>

  /// Indexes line starts once, so many diagnostics cost one pass over the file.
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var starts = [0]
    for i in 0..<bytes.count where bytes[i] == 0x0A { starts.append(i + 1) }
    lineStarts = starts
    self.bytes = bytes
  }

  func location(of offset: Int) -> (line: Int, column: Int) {
    let o = max(0, min(offset, bytes.count))
    // The last line start not after the offset.
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
    }
    var start = lineStarts[lo]
    // A byte-order mark is not a column.
    if lo == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF, o >= 3 { start = 3 }
    // Characters before the offset on its line, counted by their first bytes.
    var column = 1
    var i = start
    while i < o {
      if bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return (lo + 1, column)
  }
}
