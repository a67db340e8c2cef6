import Foundation

/// The bundled case read straight from `Resources/sparks-group.json` with JSONSerialization, so that the
/// tests' expectations do not come from the code under test.
struct CaseFile: Sendable {
  struct Event: Sendable {
    var id: String
    var date: String
    var end: String?
    var title: String
    var summary: String
    var countries: [String]
    var people: [String]
    var tags: [String]
    var confidence: String
    var sources: [String]
    var notes: String
  }

  struct Source: Sendable {
    var id: String
    var title: String
    var publisher: String
  }

  struct Era: Sendable {
    var id: String
    var title: String
    var start: String
    var end: String
  }

  struct Person: Sendable {
    var id: String
    var name: String
    var aliases: [String]
  }

  var title: String
  var events: [Event]
  var people: [Person]
  var sources: [Source]
  var eras: [Era]
  var sourceCount: Int { sources.count }

  static let bundled: CaseFile = {
    do {
      return try CaseFile(contentsOf: Package.bundledCase)
    } catch {
      fatalError("cannot read \(Package.bundledCase.path): \(error)")
    }
  }()

  init(contentsOf url: URL) throws {
    try self.init(data: Data(contentsOf: url))
  }

  init(data: Data) throws {
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CocoaError(.fileReadCorruptFile)
    }
    title = root["title"] as? String ?? ""
    sources = (root["sources"] as? [[String: Any]] ?? []).map {
      Source(id: $0["id"] as! String, title: $0["title"] as! String, publisher: $0["publisher"] as! String)
    }
    eras = (root["eras"] as? [[String: Any]] ?? []).map {
      Era(id: $0["id"] as! String, title: $0["title"] as! String, start: $0["start"] as! String, end: $0["end"] as! String)
    }
    people = (root["people"] as? [[String: Any]] ?? []).map {
      Person(id: $0["id"] as! String, name: $0["name"] as! String, aliases: $0["aliases"] as? [String] ?? [])
    }
    events = (root["events"] as? [[String: Any]] ?? []).map {
      Event(
        id: $0["id"] as! String, date: $0["date"] as! String, end: $0["end"] as? String, title: $0["title"] as! String,
        summary: $0["summary"] as? String ?? "", countries: $0["countries"] as? [String] ?? [],
        people: $0["people"] as? [String] ?? [], tags: $0["tags"] as? [String] ?? [],
        confidence: $0["confidence"] as! String, sources: $0["sources"] as? [String] ?? [], notes: $0["notes"] as? String ?? "")
    }
  }

  /// Ids of the people an input names (id, name or alias; case and accents ignored), as the CLI documents.
  func personIDs(named input: String) -> [String] {
    let key = fold(input)
    if let p = people.first(where: { fold($0.id) == key }) { return [p.id] }
    return people.filter { ([$0.name] + $0.aliases).contains { fold($0) == key } }.map(\.id)
  }

  /// Ids of the events satisfying `predicate`, in file order.
  func ids(where predicate: (Event) -> Bool) -> [String] { events.filter(predicate).map(\.id) }
}

/// Case- and accent-insensitive form of a text.
func fold(_ s: String) -> String {
  s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
}

/// Whether a word of `name` starts with `term` (both folded).
func hasWord(startingWith term: String, in name: String) -> Bool {
  fold(name).split { !$0.isLetter && !$0.isNumber }.contains { $0.hasPrefix(fold(term)) }
}

/// A date of the file format (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, optional `~`) as comparable day keys.
/// Every month is given 31 days: no real date falls between a month's last day and its 31st, so
/// comparisons come out the same.
struct DayRange: Sendable {
  var lower: Int
  var upper: Int

  init(_ text: String) {
    var s = Substring(text)
    if s.hasSuffix("~") { s = s.dropLast() }
    let negative = s.hasPrefix("-")
    if negative { s = s.dropFirst() }
    let parts = s.split(separator: "-").map { Int($0)! }
    let year = negative ? -parts[0] : parts[0]
    let base = year * 10_000
    switch parts.count {
    case 1: (lower, upper) = (base + 101, base + 1231)
    case 2: (lower, upper) = (base + parts[1] * 100 + 1, base + parts[1] * 100 + 31)
    default: (lower, upper) = (base + parts[1] * 100 + parts[2], base + parts[1] * 100 + parts[2])
    }
  }
}

extension CaseFile.Event {
  var startKey: Int { DayRange(date).lower }
  var endKey: Int { DayRange(end ?? date).upper }

  /// The line `timeline list` prints for this event, given the width of the date column.
  func listLine(dateWidth: Int) -> String {
    var line = dateSpan.padding(toLength: dateWidth, withPad: " ", startingAt: 0) + "  "
    line += confidence.padding(toLength: 9, withPad: " ", startingAt: 0) + "  " + title
    if !countries.isEmpty { line += "  [" + countries.joined(separator: " ") + "]" }
    return line
  }

  var dateSpan: String {
    guard let end, end != date else { return date }
    return "\(date) – \(end)"
  }
}
