/// What a problem belongs to. Kept as a value and described only when a problem is reported: making
/// the text for every event would cost more than decoding the event.
enum Subject {
  case none
  case text(String)
  /// An event, by id once known, else by its position in the file (1-based).
  case event(id: TextRef?, number: Int)
  /// A source, person or era, by id once known, else by its position in its list (1-based).
  case entity(StaticString, Int, String?)

  /// The words for messages; `text` turns an event id's reference into its text.
  func describe(_ text: (TextRef) -> String) -> String? {
    switch self {
    case .none: return nil
    case .text(let s): return s
    case .event(let id, let number):
      if let id { return "event \"\(TerminalSafety.sanitized(text(id)))\"" }
      return "event #\(number)"
    case .entity(let kind, let number, let id):
      if let id { return "\(kind) \"\(id)\"" }
      return "\(kind) #\(number)"
    }
  }
}

/// The problems found in one file, each at a place of the finder's kind: a byte offset for the JSON
/// decoder (turned into lines and columns only if there are problems), a `SourcePosition` for the
/// builder. The list stops at `DecodeFailure.limit`; later problems are only counted.
struct Problems<Place> {
  struct Problem {
    var place: Place
    var subject: Subject
    var field: String?
    var message: String
    /// Another place the message refers to ("… first used at line 3, column 5").
    var related: Place?
  }

  var list: [Problem] = []
  var omitted = 0

  var isEmpty: Bool { list.isEmpty && omitted == 0 }

  /// Whether the next problem will be listed: costly hints ("did you mean") are only worth making then.
  var listsNext: Bool { list.count < DecodeFailure.limit }

  mutating func report(_ place: Place, _ subject: Subject, _ field: String?, _ message: String, related: Place? = nil) {
    if list.count >= DecodeFailure.limit {
      omitted += 1
      return
    }
    list.append(Problem(place: place, subject: subject, field: field, message: message, related: related))
  }
}
