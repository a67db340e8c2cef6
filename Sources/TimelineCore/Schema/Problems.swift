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
/// builder.
///
/// Identical problems (the same kind of subject, field and message, at different places: a key
/// misspelled in every event) are listed `listedPerKind` times, and the rest only counted under the
/// last one listed ("… and 15,905 more like it"), so that one mistake repeated does not bury the others.
/// The list stops at `DecodeFailure.limit` different problems; later ones are only counted.
struct Problems<Place> {
  struct Problem {
    var place: Place
    var subject: Subject
    var field: String?
    var message: String
    /// Another place the message refers to ("… first used at line 3, column 5").
    var related: Place?
    /// Problems like this one found after it, counted instead of listed.
    var moreLikeIt = 0
  }

  /// How many problems of one kind are listed with their places.
  static var listedPerKind: Int { 3 }

  var list: [Problem] = []
  var omitted = 0
  /// Each kind listed so far: how many of it are listed, and where the last one is in `list`.
  private var kinds: [Kind: (listed: Int, last: Int)] = [:]

  private struct Kind: Hashable {
    var subject: String
    var field: String?
    var message: String
  }

  var isEmpty: Bool { list.isEmpty && omitted == 0 }

  mutating func report(_ place: Place, _ subject: Subject, _ field: String?, _ message: String, related: Place? = nil) {
    report(place, subject, field, hinted: { _ in message }, related: related)
  }

  /// Records a problem whose message may end with a costly hint ("did you mean …": thousands of
  /// foldings and edit distances), made only when the problem is listed; a hostile file may hold a
  /// million such problems. `message(false)` is the message without the hint, which names its kind.
  mutating func report(_ place: Place, _ subject: Subject, _ field: String?, hinted message: (Bool) -> String, related: Place? = nil) {
    let kind = Kind(subject: subject.kind, field: field, message: message(false))
    let known = kinds[kind]
    if let known, known.listed >= Self.listedPerKind {
      list[known.last].moreLikeIt += 1
      return
    }
    if list.count >= DecodeFailure.limit {
      omitted += 1
      return
    }
    kinds[kind] = (listed: (known?.listed ?? 0) + 1, last: list.count)
    list.append(Problem(place: place, subject: subject, field: field, message: message(true), related: related))
  }
}

extension Subject {
  /// What kind of thing the subject is, the same for every event (for grouping identical problems).
  var kind: String {
    switch self {
    case .none: ""
    case .text(let s): s
    case .event: "event"
    case .entity(let kind, _, _): "\(kind)"
    }
  }
}
