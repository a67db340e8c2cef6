/// One problem found in a timeline file, with where it is and what is wrong.
///
/// Printed like a compiler message, so editors and terminals can jump to it:
/// `case.json:12:16: event "raid-2020", field "date": invalid date "2020-13-01": the month must be 01 to 12`;
/// for an imported file, in the file's own terms:
/// `events.csv:13:5: row 12, column "Year": invalid date "2020-13-01": the month must be 01 to 12`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  public var file: String
  /// Where in the file; `line` 0 when the problem has no single place (such as a file that cannot be read).
  public var position: SourcePosition
  /// What the problem belongs to: `event "id"`, `person "id"`, `event #12` when it has no id yet.
  public var subject: String?
  public var field: String?
  public var message: String
  /// Identical problems (the same message for the same field of the same kind of subject) found after
  /// this one and only counted: `description` of the failure says "… and N more like it".
  public var moreLikeIt = 0

  public init(file: String, line: Int, column: Int, subject: String? = nil, field: String? = nil, message: String) {
    self.init(file: file, position: .text(line: line, column: column), subject: subject, field: field, message: message)
  }

  public init(file: String, position: SourcePosition, subject: String? = nil, field: String? = nil, message: String) {
    self.file = file
    self.position = position
    self.subject = subject
    self.field = field
    self.message = message
  }

  /// 1-based; 0 when the problem has no single place.
  public var line: Int {
    get { position.line }
    set { position.line = newValue }
  }

  /// 1-based, counted in characters (Unicode scalars), not bytes.
  public var column: Int {
    get { position.column }
    set { position.column = newValue }
  }

  public var description: String {
    var s = file
    let at = position.lineAndColumn
    if !at.isEmpty { s += ":" + at }
    s += ": "
    var context: [String] = []
    if let label = position.label { context.append(label) }
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
    var lines: [String] = []
    for d in diagnostics {
      lines.append(d.description)
      if d.moreLikeIt > 0 { lines.append("… and \(Self.grouped(d.moreLikeIt)) more like it") }
    }
    if omitted > 0 { lines.append("… and \(Self.grouped(omitted)) more problem\(omitted == 1 ? "" : "s")") }
    return lines.joined(separator: "\n")
  }

  /// 15907 as "15,907".
  static func grouped(_ n: Int) -> String {
    var digits = String(n)
    var out = ""
    while digits.count > 3 {
      out = "," + digits.suffix(3) + out
      digits.removeLast(3)
    }
    return digits + out
  }
}
