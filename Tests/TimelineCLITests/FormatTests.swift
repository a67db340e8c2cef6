import Foundation
import Testing

@Suite("list --format")
struct FormatTests {
  let file = CaseFile.bundled

  @Test(
    "--format json loads again with --data and lists the same CSV",
    arguments: [[], ["--country", "CY"], ["--person", "raid", "--from", "2021"], ["--search", "europol"]])
  func jsonRoundTrip(_ filters: [String]) throws {
    try withTemporaryDirectory { dir in
      let json = run(["list", "--format", "json"] + filters)
      #expect(json.status == 0, "\(json)")
      #expect(json.stderr == "")
      let path = try writeFile("export.json", json.stdout, in: dir)

      let original = run(["list", "--format", "csv"] + filters)
      let reloaded = run(["list", "--format", "csv", "--data", path])
      #expect(original.status == 0, "\(original)")
      #expect(reloaded.status == 0, "\(reloaded)")
      #expect(!original.stdout.isEmpty)
      #expect(reloaded.stdout == original.stdout)

      // The export is a complete timeline: the same text list, and it exports to itself.
      #expect(run(["list", "--data", path]).stdout == run(["list"] + filters).stdout)
      #expect(run(["list", "--format", "json", "--data", path]).stdout == json.stdout)
    }
  }

  @Test("--format json output passes timeline validate")
  func jsonValidates() throws {
    try withTemporaryDirectory { dir in
      let json = run(["list", "--format", "json"])
      #expect(json.status == 0, "\(json)")
      try writeFile("all.json", json.stdout, in: dir)
      let r = run(["validate", "all.json"], in: dir)
      #expect(r.status == 0, "\(r)")
      #expect(r.stderr == "")
      #expect(
        r.stdout == "all.json: valid (\(file.events.count) events, \(file.people.count) people, \(file.sourceCount) sources)\n")
    }
  }

  @Test("--format json keeps the title and only what the matching events use")
  func jsonContents() throws {
    let r = run(["list", "--format", "json", "--country", "CY"])
    #expect(r.status == 0, "\(r)")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(root["format"] as? String == "timeline/1")
    #expect(root["title"] as? String == file.title)
    let exported = try CaseFile(data: Data(r.stdout.utf8))
    let usedPeople = Set(exported.events.flatMap(\.people))
    #expect(Set(exported.people.map(\.id)) == usedPeople)
    let sources = try #require(root["sources"] as? [[String: Any]])
    let events = try #require(root["events"] as? [[String: Any]])
    let cited = Set(events.flatMap { $0["sources"] as? [String] ?? [] })
    #expect(Set(sources.compactMap { $0["id"] as? String }) == cited)
  }

  @Test("--format csv has the documented header and one record per event")
  func csv() {
    let r = run(["list", "--format", "csv"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasPrefix("id,date,end,title,summary,countries,people,tags,confidence,sources,notes\r\n"))
    // Records start with an event id and its date, and come in the order of the text list.
    let ids = Set(file.events.map(\.id))
    let records = r.stdout.components(separatedBy: "\r\n").dropFirst().filter { line in
      ids.contains(String(line.prefix { $0 != "," }))
    }
    #expect(records.count == file.events.count)
    let first = file.events.min { $0.startKey < $1.startKey }!
    #expect(records.first?.hasPrefix("\(first.id),\(first.date),") == true)
  }

  @Test("--format markdown is a document titled after the case")
  func markdown() {
    let r = run(["list", "--format", "markdown"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasPrefix("# The Sparks Group case\n"))
    #expect(r.stdout.contains("\n\(file.events.count) of \(file.events.count) events.\n"))
    #expect(r.stdout.contains("\n## 2011\n"))
    #expect(r.stdout.contains("\n## 2022\n"))

    let some = run(["list", "--format", "markdown", "--country", "CY"])
    let n = file.ids(where: FilterCase.country(["CY"])).count
    #expect(some.stdout.hasPrefix("# The Sparks Group case\n"))
    #expect(some.stdout.contains("\n\(n) of \(file.events.count) events.\n"))
  }

  @Test("--format text is the default")
  func textIsDefault() {
    #expect(run(["list", "--format", "text"]).stdout == run(["list"]).stdout)
  }

  @Test("an unknown --format is a usage error")
  func unknownFormat() {
    let r = run(["list", "--format", "yaml"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.contains("yaml"))
  }
}
