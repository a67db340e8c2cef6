import Foundation
import Testing

/// Facts about `Resources/sparks-group.json` (the case the binary embeds), read from the file itself so
/// the expected counts follow the data. The file lists its events in the order the explorer shows them.
struct BundledCase {
  struct Event {
    var id: String
    var title: String
    var countries: [String]
    var people: [String]
    /// The text a search looks in: title, summary, notes, tags.
    var text: String
    /// The addresses of its sources, in order, each once.
    var sourceURLs: [String] = []
  }

  var title: String
  var events: [Event]
  /// Person name → id.
  var people: [String: String]

  static func load() throws -> BundledCase {
    let url = PackageFiles.root.appendingPathComponent("Resources/sparks-group.json")
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw E2EFailure("cannot read \(url.path): \(error)") }
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let title = root["title"] as? String,
      let events = root["events"] as? [[String: Any]]
    else { throw E2EFailure("\(url.path) is not a timeline document") }
    var urls: [String: String] = [:]
    for src in root["sources"] as? [[String: Any]] ?? [] {
      if let id = src["id"] as? String, let url = src["url"] as? String, !url.isEmpty { urls[id] = url }
    }
    var people: [String: String] = [:]
    for p in root["people"] as? [[String: Any]] ?? [] {
      if let id = p["id"] as? String, let name = p["name"] as? String { people[name] = id }
    }
    return BundledCase(
      title: title,
      events: events.map { e in
        let texts = [e["title"], e["summary"], e["notes"]].compactMap { $0 as? String } + (e["tags"] as? [String] ?? [])
        return Event(
          id: e["id"] as? String ?? "", title: e["title"] as? String ?? "",
          countries: e["countries"] as? [String] ?? [], people: e["people"] as? [String] ?? [],
          text: texts.joined(separator: "\n"),
          sourceURLs: (e["sources"] as? [String] ?? []).compactMap { urls[$0] }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
      },
      people: people)
  }

  var count: Int { events.count }

  func count(inCountry code: String) -> Int { events.filter { $0.countries.contains(code) }.count }

  func count(withPerson name: String) -> Int {
    guard let id = people[name] else { return 0 }
    return events.filter { $0.people.contains(id) }.count
  }

  /// Events whose text contains `word` (ASCII, case ignored).
  func matches(_ word: String) -> [Event] {
    events.filter { $0.text.range(of: word, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
  }
}

/// A fresh directory for one test, removed when the body returns.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
  let dir = FileManager.default.temporaryDirectory
    .appendingPathComponent("timeline-e2e-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  return try await body(dir)
}
