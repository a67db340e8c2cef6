import Foundation
import Testing

/// Small timeline documents for the data-file tests.
enum Documents {
  static let good = """
    {
      "title": "Good",
      "description": "",
      "sources": [
        {"id": "S1", "title": "A source", "publisher": "P", "date": "2020-01-01", "language": "en"}
      ],
      "people": [
        {"id": "p1", "name": "Ann Example", "role": "witness"}
      ],
      "events": [
        {"id": "e1", "date": "2020-01-02", "title": "First", "people": ["p1"], "confidence": "confirmed", "sources": ["S1"]},
        {"id": "e2", "date": "2020-02", "title": "Second", "confidence": "reported", "sources": ["S1"]}
      ]
    }

    """

  /// Three problems: a month 13, an unknown confidence and a source that does not exist.
  static let bad = """
    {
      "title": "Bad",
      "description": "",
      "sources": [
        {"id": "S1", "title": "t", "publisher": "p", "date": "2020-01-01", "language": "en"}
      ],
      "events": [
        {"id": "e1", "date": "2020-13-01", "title": "x", "confidence": "confirmed", "sources": ["S1"]},
        {"id": "e2", "date": "2020-01-01", "title": "y", "confidence": "sure", "sources": ["S9"]}
      ]
    }

    """

  /// Where `needle` is in the bad document, as `line:col`.
  static func badPosition(_ needle: String) -> String {
    let p = position(of: needle, in: bad)!
    return "\(p.line):\(p.column)"
  }
}

@Suite("timeline validate")
struct ValidateTests {
  let file = CaseFile.bundled

  @Test("the bundled file is valid")
  func bundledFile() {
    let r = run(["validate", "Resources/sparks-group.json"], in: Package.root)
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    #expect(
      r.stdout
        == "Resources/sparks-group.json: valid (\(file.events.count) events, \(file.people.count) people, \(file.sourceCount) sources)\n"
    )
  }

  @Test("a file with several problems: exit 65 and every problem as path:line:col")
  func severalProblems() throws {
    try withTemporaryDirectory { dir in
      try writeFile("bad.json", Documents.bad, in: dir)
      let r = run(["validate", "bad.json"], in: dir)
      #expect(r.status == 65, "\(r)")
      #expect(r.stdout == "")
      let lines = r.stderrLines
      #expect(lines.count == 3, "\(r)")
      #expect(
        lines.contains(
          "bad.json:\(Documents.badPosition("\"2020-13-01\"")): event \"e1\", field \"date\": invalid date \"2020-13-01\": the month must be 01 to 12"
        ), "\(r)")
      #expect(
        lines.contains(
          "bad.json:\(Documents.badPosition("\"sure\"")): event \"e2\", field \"confidence\": invalid confidence \"sure\": expected one of \"confirmed\", \"reported\", \"rumoured\", \"disputed\""
        ), "\(r)")
      #expect(lines.contains { $0.hasPrefix("bad.json:\(Documents.badPosition("\"S9\"")): event \"e2\", field \"sources\": unknown source \"S9\"") }, "\(r)")
      // In file order.
      #expect(lines.map { $0.split(separator: ":")[1] } == ["8", "9", "9"])
    }
  }

  @Test("the positions are those of the values at fault")
  func positionsAreExact() {
    #expect(Documents.badPosition("\"2020-13-01\"") == "8:26")
    #expect(Documents.badPosition("\"sure\"") == "9:68")
  }

  @Test("a missing file: exit 66, no such file")
  func missingFile() throws {
    try withTemporaryDirectory { dir in
      let r = run(["validate", "absent.json"], in: dir)
      #expect(r.status == 66, "\(r)")
      #expect(r.stdout == "")
      #expect(r.stderr == "timeline: cannot read absent.json: no such file\n")
    }
  }

  @Test("a directory: exit 66")
  func directory() throws {
    try withTemporaryDirectory { dir in
      let r = run(["validate", dir.path])
      #expect(r.status == 66, "\(r)")
      #expect(r.stdout == "")
      #expect(r.stderr == "timeline: cannot read \(dir.path): is a directory, not a timeline file\n")
    }
  }

  @Test("two files, one bad: exit 65, and the good one is still reported valid")
  func oneOfTwoBad() throws {
    try withTemporaryDirectory { dir in
      try writeFile("bad.json", Documents.bad, in: dir)
      try writeFile("good.json", Documents.good, in: dir)
      for order in [["bad.json", "good.json"], ["good.json", "bad.json"]] {
        let r = run(["validate"] + order, in: dir)
        #expect(r.status == 65, "\(r)")
        #expect(r.stdout == "good.json: valid (2 events, 1 person, 1 source)\n")
        #expect(r.stderrLines.count == 3)
        #expect(r.stderrLines.allSatisfy { $0.hasPrefix("bad.json:") })
      }
    }
  }

  @Test("an unreadable file outranks an invalid one: exit 66, and both are reported")
  func missingAndBad() throws {
    try withTemporaryDirectory { dir in
      try writeFile("bad.json", Documents.bad, in: dir)
      let r = run(["validate", "absent.json", "bad.json"], in: dir)
      #expect(r.status == 66, "\(r)")
      #expect(r.stderrLines.first == "timeline: cannot read absent.json: no such file")
      #expect(r.stderrLines.dropFirst().count == 3)
    }
  }

  @Test("several valid files: exit 0, one line each")
  func severalValid() throws {
    try withTemporaryDirectory { dir in
      try writeFile("good.json", Documents.good, in: dir)
      let r = run(["validate", "good.json", Package.bundledCase.path], in: dir)
      #expect(r.status == 0, "\(r)")
      #expect(r.stdoutLines.count == 2)
      #expect(r.stdoutLines.first == "good.json: valid (2 events, 1 person, 1 source)")
      #expect(r.stdoutLines.last?.hasPrefix("\(Package.bundledCase.path): valid (") == true)
    }
  }

  @Test("an empty file and a truncated file are invalid data, not unreadable")
  func emptyAndTruncated() throws {
    try withTemporaryDirectory { dir in
      try writeFile("empty.json", "", in: dir)
      try writeFile("cut.json", String(Documents.good.prefix(120)), in: dir)
      for name in ["empty.json", "cut.json"] {
        let r = run(["validate", name], in: dir)
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.hasPrefix("\(name):"), "\(r)")
      }
    }
  }
}

@Suite("--data")
struct DataOptionTests {
  @Test("--data with an invalid file: exit 65, naming the file with line and column")
  func invalidData() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("bad.json", Documents.bad, in: dir)
      for args in [["list", "--data", path], ["--data", path], ["list", "--count", "--data", path]] {
        let r = run(args)
        #expect(r.status == 65, "\(r)")
        #expect(r.stdout == "")
        #expect(r.stderrLines.first?.hasPrefix("\(path):\(Documents.badPosition("\"2020-13-01\"")): event \"e1\"") == true, "\(r)")
        #expect(r.stderrLines.count == 3)
      }
    }
  }

  @Test("--data with a missing file: exit 66")
  func missingData() throws {
    try withTemporaryDirectory { dir in
      let path = dir.appendingPathComponent("absent.json").path
      for args in [["list", "--data", path], ["--data", path]] {
        let r = run(args)
        #expect(r.status == 66, "\(r)")
        #expect(r.stdout == "")
        #expect(r.stderr == "timeline: cannot read \(path): no such file\n")
      }
    }
  }

  @Test("--data with a directory: exit 66")
  func directoryData() throws {
    try withTemporaryDirectory { dir in
      let r = run(["list", "--data", dir.path])
      #expect(r.status == 66, "\(r)")
      #expect(r.stderr.contains("is a directory"))
    }
  }

  @Test("--data opens another timeline, and filters apply to it")
  func otherTimeline() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("good.json", Documents.good, in: dir)
      let r = run(["list", "--data", path])
      #expect(r.status == 0, "\(r)")
      #expect(r.stdout == "2020-01-02  confirmed  First\n2020-02     reported   Second\n")
      #expect(run(["list", "--count", "--data", path, "--person", "ann"]).stdout == "1\n")
      // Names are resolved against the opened file, not the bundled case.
      let raid = run(["list", "--data", path, "--person", "raid"])
      #expect(raid.status == 64, "\(raid)")
    }
  }

  @Test("--data reads from a pipe (standard input via /dev/stdin)")
  func dataFromStdin() {
    let r = run(["list", "--count", "--data", "/dev/stdin"], stdin: Documents.good)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "2\n")
  }

  @Test("identical problems are grouped: three listed, the rest counted, and the other problems still shown")
  func identicalProblemsGrouped() throws {
    // A misspelt key in each of 16,108 events (as in a real file converted by a script), and one bad date.
    var events = (0..<16_108).map {
      #"{"id": "e\#($0)", "date": "2020-01-01", "title": "t", "confidence": "confirmed", "sources": ["S1"], "sumary": "s"}"#
    }
    events[9_000] = events[9_000].replacingOccurrences(of: "2020-01-01", with: "2020-13-01")
    let doc = """
      {"title": "Big", "description": "",
      "sources": [{"id": "S1", "title": "t", "publisher": "p", "date": "2020", "language": "en"}],
      "events": [
      \(events.joined(separator: ",\n"))
      ]}
      """
    try withTemporaryDirectory { dir in
      try writeFile("big.json", doc, in: dir)
      let r = run(["validate", "big.json"], in: dir)
      #expect(r.status == 65, "\(r)")
      #expect(r.stdout == "")
      let lines = r.stderrLines
      #expect(lines.count == 5, "\(r.stderr.prefix(2000))")
      guard lines.count == 5 else { return }
      for (k, line) in lines.prefix(3).enumerated() {
        #expect(line.hasPrefix("big.json:\(4 + k):") && line.contains(#"event "e\#(k)", field "sumary": unknown field (did you mean "summary"?)"#), "\(line)")
      }
      #expect(lines[3] == "… and 16,105 more like it")
      #expect(lines[4].hasPrefix("big.json:9004:") && lines[4].contains(#"invalid date "2020-13-01""#), "\(lines[4])")
    }
  }
}
