/// Where something is in the file it came from, in the terms of that file's format: a line and a
/// column in a JSON document, a row and a column in a spreadsheet, a line and a property in a calendar.
///
/// `Diagnostic` prints it compiler-style (`file.csv:13:5: row 12, column "Headline": …`) so that
/// editors and terminals can jump to it; and an event made by `TimelineBuilder` keeps the position it
/// was added with (`Timeline.origin(at:)`).
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
  /// 1-based line in the file, as an editor counts lines; 0 when unknown.
  public var line: Int
  /// 1-based column on that line, in characters (Unicode scalars); 0 for the whole line or unknown.
  public var column: Int
  /// The record the place belongs to, as the format counts them (a spreadsheet row, an event of a
  /// JSON list, a calendar's event).
  public var record: Record?
  /// The field as the file names it: a column header, a JSON key, a calendar property.
  public var field: Field?

  public struct Record: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
      /// A spreadsheet row, counted as the spreadsheet shows it (the header is row 1).
      case row
      /// An element of a list of events (1-based), or a calendar's VEVENT.
      case event
      /// An element of a list of eras (1-based).
      case era
    }
    public var kind: Kind
    public var number: Int
    public init(_ kind: Kind, _ number: Int) {
      self.kind = kind
      self.number = number
    }
  }

  public struct Field: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
      /// A spreadsheet column, by its header.
      case column
      /// A JSON object's key.
      case key
      /// An iCalendar property, such as DTSTART.
      case property
    }
    public var kind: Kind
    public var name: String
    public init(_ kind: Kind, _ name: String) {
      self.kind = kind
      self.name = name
    }
  }

  public init(line: Int = 0, column: Int = 0, record: Record? = nil, field: Field? = nil) {
    self.line = line
    self.column = column
    self.record = record
    self.field = field
  }

  /// A place in a text file: line and column.
  public static func text(line: Int, column: Int) -> SourcePosition { SourcePosition(line: line, column: column) }

  /// A spreadsheet cell: its row as the spreadsheet numbers it (the header is row 1), the column's
  /// header, and the line and column in the file where the cell starts (a quoted cell may hold line
  /// breaks, so rows and lines can differ).
  public static func cell(row: Int, header: String?, line: Int, column: Int) -> SourcePosition {
    SourcePosition(line: line, column: column, record: Record(.row, row), field: header.map { Field(.column, $0) })
  }

  /// A calendar property: the line it starts on (before unfolding), the event it is in, and its name.
  public static func calendar(line: Int, event: Int?, property: String?) -> SourcePosition {
    SourcePosition(line: line, record: event.map { Record(.event, $0) }, field: property.map { Field(.property, $0) })
  }

  /// The same place with another field, for a message about one field of a record.
  public func with(field: Field?) -> SourcePosition {
    var copy = self
    copy.field = field
    return copy
  }

  /// `12:3`, `12` or empty: what follows the file name.
  public var lineAndColumn: String {
    guard line > 0 else { return "" }
    return column > 0 ? "\(line):\(column)" : "\(line)"
  }

  /// `row 12, column "Headline"`, `event 3, property "DTSTART"`; nil when neither is known.
  public var label: String? {
    var parts: [String] = []
    if let record { parts.append("\(record.kind.rawValue) \(record.number)") }
    if let field { parts.append("\(field.kind.rawValue) \"\(field.name)\"") }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  public var description: String { [lineAndColumn, label ?? ""].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// An event's position without its field, in 16 bytes: a column of them for a million imported events
/// costs 16 MB instead of the 49 a `SourcePosition` takes.
struct PackedPosition: Sendable {
  var line: UInt32
  var column: UInt32
  var record: UInt32
  /// 0 for no record, else 1 + the index of the record's kind in `kinds`.
  var kind: UInt8

  private static let kinds: [SourcePosition.Record.Kind] = [.row, .event, .era]

  init(_ p: SourcePosition) {
    line = UInt32(clamping: p.line)
    column = UInt32(clamping: p.column)
    record = UInt32(clamping: p.record?.number ?? 0)
    kind = p.record.flatMap { r in Self.kinds.firstIndex(of: r.kind).map { UInt8($0 + 1) } } ?? 0
  }

  var position: SourcePosition {
    SourcePosition(line: Int(line), column: Int(column), record: kind == 0 ? nil : SourcePosition.Record(Self.kinds[Int(kind) - 1], Int(record)))
  }
}
