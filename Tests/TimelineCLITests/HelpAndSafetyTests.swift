import Foundation
import Testing

@Suite("--help and --version")
struct HelpTests {
  @Test("--help lists the subcommands and exit codes")
  func help() {
    let r = run(["--help"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    #expect(r.stdout.contains("SUBCOMMANDS:"))
    #expect(r.stdout.contains("  list "))
    #expect(r.stdout.contains("  validate "))
    #expect(r.stdout.contains("64 usage error"))
  }

  @Test("subcommand help", arguments: [["list", "--help"], ["help", "list"], ["validate", "-h"]])
  func subcommandHelp(_ args: [String]) {
    let r = run(args)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("USAGE: timeline \(args.first == "help" ? args[1] : args[0])"), "\(r)")
  }

  @Test("list --help documents the formats")
  func listHelp() {
    let r = run(["list", "--help"])
    #expect(r.stdout.contains("--format <format>"))
    let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("text - one line per event (the default)"))
    for format in ["json", "csv", "markdown", "timelinejs", "ics"] { #expect(words.contains(" \(format) - "), "\(format)") }
    #expect(r.stdout.contains("--count"))
  }

  @Test("--version prints the program name and a version")
  func version() throws {
    let r = run(["--version"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    let line = r.stdout
    #expect(line.hasPrefix("timeline "))
    #expect(line.hasSuffix("\n"))
    let version = line.dropFirst("timeline ".count).dropLast()
    let parts = version.split(separator: ".")
    #expect(parts.count >= 2 && parts.allSatisfy { Int($0) != nil }, "not a version: \(line)")
  }
}

/// A data file whose text tries to drive the terminal.
enum Hostile {
  static let document = #"""
    {
      "title": "Case \u001b[2J",
      "description": "d\u0007",
      "sources": [{"id": "S1", "title": "t\u001b]0;x\u0007", "publisher": "p\u009b", "date": "2020", "language": "en"}],
      "people": [{"id": "p1", "name": "Evil\u001b[31m", "role": "r\u001b"}],
      "events": [
        {"id": "e1", "date": "2020", "title": "\u001b]0;pwned\u0007 hello", "summary": "s\u001b[1m\u0007 \u202eevil",
         "notes": "n\u001bc", "countries": ["FR"], "people": ["p1"], "tags": ["t\u001b"], "confidence": "confirmed", "sources": ["S1"]}
      ]
    }
    """#

  /// Bytes that must never reach a terminal from a data file: ESC, BEL, the C1 CSI, and RIGHT-TO-LEFT OVERRIDE.
  static func unsafe(_ s: String) -> [String] {
    s.unicodeScalars.filter { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" || $0 == "\u{202E}" }
      .map { "U+" + String($0.value, radix: 16, uppercase: true) }
  }
}

@Suite("terminal safety")
struct TerminalSafetyTests {
  // CSV keeps the exact text in a pipe or a file, and shows placeholders only on a terminal: see
  // CSVControlCharacterTests and PagerTests.
  @Test(
    "an escape sequence in a title is shown, not sent",
    arguments: [["list"], [], ["list", "--format", "markdown"], ["list", "--format", "json"]])
  func escapeInTitle(_ args: [String]) throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("hostile.json", Hostile.document, in: dir)
      let r = run(args + ["--data", path])
      #expect(r.status == 0, "\(r)")
      #expect(!r.stdout.utf8.contains(0x1B), "ESC in stdout")
      #expect(!r.stdout.utf8.contains(0x07), "BEL in stdout")
      #expect(Hostile.unsafe(r.stdout) == [])
      #expect(r.stdout.contains("pwned"))
    }
  }

  @Test("the text list shows the escape as visible placeholders")
  func placeholders() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("hostile.json", Hostile.document, in: dir)
      let r = run(["list", "--data", path])
      #expect(r.stdout == "2020  confirmed  \u{241B}]0;pwned\u{2407} hello  [FR]\n")
    }
  }

  @Test("names suggested from a data file are made safe on standard error")
  func suggestionFromData() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("hostile.json", Hostile.document, in: dir)
      let r = run(["list", "--data", path, "--person", "Evil31m"])
      #expect(r.status == 64, "\(r)")
      #expect(r.stderr.contains("did you mean"), "\(r)")
      #expect(Hostile.unsafe(r.stderr) == [], "\(r)")
    }
  }

  @Test("what the user typed is made safe in messages")
  func typedInput() {
    for args in [["list", "--country", "Fr\u{1B}[2Jance"], ["list", "--from", "20\u{1B}]0;x\u{07}"], ["list", "--person", "\u{1B}[31m"]] {
      let r = run(args)
      #expect(r.status == 64, "\(r)")
      #expect(Hostile.unsafe(r.stderr) == [], "\(args)")
    }
  }

  @Test("validate diagnostics quoting the file are made safe")
  func diagnostics() throws {
    try withTemporaryDirectory { dir in
      let doc = #"""
        {"title": "x", "description": "", "sources": [{"id": "S1", "title": "t", "publisher": "p", "date": "20\u001b]0;x\u0007", "language": "en"}],
         "events": [{"id": "e\u001b1", "date": "2020", "title": "t", "confidence": "c\u001b[2J", "sources": ["S\u001b2"]}],
         "x\u001bkey": 1}
        """#
      try writeFile("evil.json", doc, in: dir)
      let r = run(["validate", "evil.json"], in: dir)
      #expect(r.status == 65, "\(r)")
      #expect(r.stderrLines.count >= 5, "\(r)")
      #expect(r.stderrLines.allSatisfy { $0.hasPrefix("evil.json:") }, "\(r)")
      #expect(Hostile.unsafe(r.stderr) == [], "\(r)")
    }
  }

  @Test("file names with control characters are made safe")
  func fileNames() throws {
    try withTemporaryDirectory { dir in
      let name = "f\u{1B}[2J.json"
      try writeFile(name, Documents.good, in: dir)
      let valid = run(["validate", name], in: dir)
      #expect(valid.status == 0, "\(valid)")
      #expect(Hostile.unsafe(valid.stdout) == [], "\(valid)")
      #expect(valid.stdout.hasPrefix("f\u{241B}[2J.json: valid"))

      try writeFile("b\u{1B}[2J.json", Documents.bad, in: dir)
      let invalid = run(["validate", "b\u{1B}[2J.json", "m\u{1B}[2J.json"], in: dir)
      #expect(invalid.status == 66, "\(invalid)")
      #expect(invalid.stderrLines.count == 4, "\(invalid)")
      #expect(Hostile.unsafe(invalid.stderr) == [], "\(invalid)")
    }
  }
}
