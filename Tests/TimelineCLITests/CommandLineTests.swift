import Foundation
import Testing

/// The conventions of a command-line tool: options where people expect them, standard input, the pager,
/// formats in any case, counts in the format asked for.
@Suite("command-line conventions")
struct CommandLineTests {
  let file = CaseFile.bundled

  @Test("the piped default takes list's options", arguments: [["--format", "csv"], ["--format", "json", "--country", "CY"], ["--count"]])
  func pipedDefaultTakesListOptions(_ args: [String]) {
    let plain = run(args)
    let list = run(["list"] + args)
    #expect(plain.status == 0, "\(plain)")
    #expect(plain.stderr == "")
    #expect(!plain.stdout.isEmpty)
    #expect(plain.stdout == list.stdout)
  }

  @Test("formats are read in any case")
  func formatCase() {
    for (given, canonical) in [("JSON", "json"), ("CsV", "csv"), ("Markdown", "markdown"), ("TEXT", "text")] {
      let r = run(["list", "--format", given])
      #expect(r.status == 0, "\(given): \(r)")
      #expect(r.stdout == run(["list", "--format", canonical]).stdout, "\(given)")
    }
  }

  @Test("--count speaks the format asked for")
  func countInFormat() throws {
    let n = file.events.count
    let json = run(["list", "--count", "--format", "json"])
    #expect(json.status == 0, "\(json)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object.count == 1)
    #expect(object["count"] as? Int == n)
    #expect(run(["list", "--count", "--format", "csv"]).stdout == "count\r\n\(n)\r\n")
    #expect(run(["list", "--count", "--format", "markdown"]).stdout == "\(n)\n")
    #expect(run(["list", "--count"]).stdout == "\(n)\n")
    let none = run(["list", "--count", "--format", "json", "--search", "zzqxv-nothing-matches"])
    #expect(none.stdout.filter { !$0.isWhitespace } == #"{"count":0}"#)
  }

  @Test("--data - reads the timeline from standard input")
  func dataFromStandardInput() throws {
    let document = try String(contentsOf: Package.bundledCase, encoding: .utf8)
    let r = run(["list", "--data", "-", "--country", "CY"], stdin: document)
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    #expect(r.stdout == run(["list", "--country", "CY"]).stdout)
    // The default command too, when its output is a pipe.
    #expect(run(["--data", "-", "--count"], stdin: document).stdout == "\(file.events.count)\n")
  }

  @Test("a bad document on standard input is named <stdin> in the message")
  func badStandardInput() {
    let r = run(["list", "--data", "-"], stdin: "{\n  \"title\": 3\n")
    #expect(r.status == 65, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("<stdin>:"), "\(r)")
  }

  /// A timeline with events before the common era.
  static let ancient = #"""
    {
      "title": "Rome", "description": "Before and after.",
      "sources": [{"id": "s", "title": "Lives", "publisher": "Suetonius", "date": "0121", "language": "la"}],
      "events": [
        {"id": "ides", "date": "-0043-03-15", "title": "The Ides of March", "confidence": "confirmed", "sources": ["s"]},
        {"id": "actium", "date": "-0030-09-02", "title": "Actium", "confidence": "confirmed", "sources": ["s"]},
        {"id": "fire", "date": "0064-07-18", "title": "The great fire", "confidence": "confirmed", "sources": ["s"]}
      ]
    }
    """#

  @Test("a negative year follows --from and --to as a separate word")
  func negativeYears() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("rome.json", Self.ancient, in: dir)
      let r = run(["list", "--data", path, "--from", "-0043", "--to", "-0031"])
      #expect(r.status == 0, "\(r)")
      #expect(r.stdoutLines.count == 1)
      #expect(r.stdout.contains("The Ides of March"))
      #expect(run(["list", "--data", path, "--from", "-0040"]).stdoutLines.count == 2)
      // The same as the --from=-0043 form.
      #expect(run(["list", "--data", path, "--from=-0043", "--to=-0031"]).stdout == r.stdout)
    }
  }

  @Test("Markdown keeps each source's URL as a link, and only web and mail addresses become links")
  func markdownSourceLinks() throws {
    let r = run(["list", "--format", "markdown"])
    #expect(r.status == 0, "\(r)")
    let urls = try bundledSourceURLs()
    #expect(!urls.isEmpty)
    for url in urls { #expect(r.stdout.contains("<\(url)>"), "\(url)") }

    let hostile = #"""
      {"title": "t", "description": "d",
       "sources": [
         {"id": "a", "title": "A", "publisher": "P", "date": "2020", "language": "en", "url": "https://example.org/a b>c<d"},
         {"id": "b", "title": "B", "publisher": "Q", "date": "2020", "language": "en", "url": "javascript:alert(1)"}],
       "events": [{"id": "e", "date": "2020", "title": "E", "confidence": "confirmed", "sources": ["a", "b"]}]}
      """#
    try withTemporaryDirectory { dir in
      let path = try writeFile("links.json", hostile, in: dir)
      let md = run(["list", "--format", "markdown", "--data", path])
      #expect(md.status == 0, "\(md)")
      #expect(md.stdout.contains("<https://example.org/a%20b%3Ec%3Cd>"), "\(md)")
      #expect(!md.stdout.contains("<javascript:"), "\(md)")
      #expect(md.stdout.contains("javascript:alert(1)"), "\(md)")
    }
  }

  private func bundledSourceURLs() throws -> [String] {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Package.bundledCase)) as? [String: Any])
    let sources = try #require(root["sources"] as? [[String: Any]])
    return sources.compactMap { $0["url"] as? String }
  }
}

/// CSV holds the data's exact text: control characters are kept, in quoted fields, as RFC 4180 readers
/// expect. Only a terminal gets placeholders instead (see `PagerTests`).
@Suite("CSV of text with control characters")
struct CSVControlCharacterTests {
  static let title = "Control \u{1B}[31mred\u{1B}[0m and bidi \u{202E}evil\u{202C} text,\ttab\r\nline"

  static var document: String {
    let json = String(data: try! JSONSerialization.data(withJSONObject: title, options: .fragmentsAllowed), encoding: .utf8)!
    return """
      {"title": "t", "description": "d",
       "sources": [{"id": "s", "title": "S", "publisher": "P", "date": "2020", "language": "en"}],
       "events": [{"id": "ctl", "date": "2021-08-01", "title": \(json), "summary": "=1+1", "confidence": "confirmed", "sources": ["s"]}]}
      """
  }

  @Test("the title reads back exactly from the CSV")
  func exactText() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("ctl.json", Self.document, in: dir)
      let r = run(["list", "--format", "csv", "--data", path])
      #expect(r.status == 0, "\(r)")
      let records = try #require(parseCSV(r.stdout))
      #expect(records.count == 2, "\(records)")
      let header = records[0]
      let row = Dictionary(uniqueKeysWithValues: zip(header, records[1]))
      #expect(row["title"] == Self.title)
      // The one change: a formula-like cell is kept from running in a spreadsheet.
      #expect(row["summary"] == "'=1+1")
      #expect(r.stdout.contains("\"" + Self.title + "\""), "the field is quoted")
    }
  }
}

/// An RFC 4180 reader: records of fields, quoted fields with doubled quotes, CRLF between records. Nil
/// when the text is not well-formed CSV.
func parseCSV(_ text: String) -> [[String]]? {
  var records: [[String]] = []
  var record: [String] = []
  var field = ""
  var scalars = Array(text.unicodeScalars)[...]
  var quoted = false
  while let s = scalars.popFirst() {
    if quoted {
      if s == "\"" {
        if scalars.first == "\"" {
          scalars.removeFirst()
          field.unicodeScalars.append("\"")
        } else {
          quoted = false
          guard let next = scalars.first, next == "," || next == "\r" else { return nil }
        }
      } else {
        field.unicodeScalars.append(s)
      }
    } else if s == "\"" && field.isEmpty {
      quoted = true
    } else if s == "," {
      record.append(field)
      field = ""
    } else if s == "\r" && scalars.first == "\n" {
      scalars.removeFirst()
      record.append(field)
      records.append(record)
      record = []
      field = ""
    } else if s == "\"" || s == "\r" || s == "\n" {
      return nil
    } else {
      field.unicodeScalars.append(s)
    }
  }
  return quoted || !field.isEmpty || !record.isEmpty ? nil : records
}

/// `list` on a terminal goes through the pager (as `git log` does); the tests run it on a pseudo-terminal
/// with a pager that records what it was given.
@Suite("the pager")
struct PagerTests {
  let file = CaseFile.bundled

  @Test("list on a terminal is written through TIMELINE_PAGER, with LESS=FRX when LESS is not set")
  func listGoesThroughPager() throws {
    try withTemporaryDirectory { dir in
      let r = runOnTerminal(
        ["list"], env: ["TIMELINE_PAGER": "echo \"$LESS\" > less.txt; cat > paged.txt", "LESS": nil, "PAGER": "false"], in: dir)
      #expect(r.status == 0, "\(r)")
      #expect(r.output == "", "nothing printed around the pager")
      let paged = try String(contentsOf: dir.appendingPathComponent("paged.txt"), encoding: .utf8)
      #expect(paged == run(["list"]).stdout)
      #expect(try String(contentsOf: dir.appendingPathComponent("less.txt"), encoding: .utf8) == "FRX\n")
    }
  }

  @Test("PAGER is used when TIMELINE_PAGER is not set; a LESS of the user's own is kept")
  func pagerVariable() throws {
    try withTemporaryDirectory { dir in
      let env: [String: String?] = ["TIMELINE_PAGER": nil, "PAGER": "echo \"$LESS\" > less.txt; cat > paged.txt", "LESS": "-S"]
      let r = runOnTerminal(["list", "--format", "markdown"], env: env, in: dir)
      #expect(r.status == 0, "\(r)")
      let paged = try String(contentsOf: dir.appendingPathComponent("paged.txt"), encoding: .utf8)
      #expect(paged == run(["list", "--format", "markdown"]).stdout)
      #expect(try String(contentsOf: dir.appendingPathComponent("less.txt"), encoding: .utf8) == "-S\n")
    }
  }

  @Test("--no-pager, an empty pager or cat print directly; so does --count", arguments: [
    (["list", "--no-pager"], "cat > paged.txt"), (["list"], ""), (["list"], "cat"), (["list", "--count"], "cat > paged.txt"),
  ])
  func direct(_ args: [String], pager: String) throws {
    try withTemporaryDirectory { dir in
      let r = runOnTerminal(args, env: ["TIMELINE_PAGER": pager], in: dir)
      #expect(r.status == 0, "\(r)")
      #expect(r.output == run(args).stdout)
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("paged.txt").path))
    }
  }

  @Test("a pager that cannot be run does not lose the list")
  func missingPager() {
    let r = runOnTerminal(["list"], env: ["TIMELINE_PAGER": "no-such-pager-here"])
    #expect(r.status == 0, "\(r)")
    #expect(r.output.hasSuffix(run(["list"]).stdout), "\(r)")
  }

  @Test("the default command with --format on a terminal prints the list through the pager")
  func defaultCommandWithFormat() throws {
    try withTemporaryDirectory { dir in
      let r = runOnTerminal(["--format", "csv", "--country", "CY"], env: ["TIMELINE_PAGER": "cat > paged.txt"], in: dir)
      #expect(r.status == 0, "\(r)")
      let paged = try String(contentsOf: dir.appendingPathComponent("paged.txt"), encoding: .utf8)
      #expect(paged == run(["list", "--format", "csv", "--country", "CY"]).stdout)
    }
  }

  @Test("CSV on a terminal shows control characters as placeholders; line ends and tabs stay")
  func csvOnTerminal() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("ctl.json", CSVControlCharacterTests.document, in: dir)
      // Printed directly, and through a pager that shows what it is given.
      for pager in ["", "cat -"] {
        let r = runOnTerminal(["list", "--format", "csv", "--data", path], env: ["TIMELINE_PAGER": pager])
        #expect(r.status == 0, "\(r)")
        #expect(!r.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(r.output.debugDescription)")
        #expect(r.output.contains("Control ␛[31mred␛[0m and bidi \u{FFFD}evil\u{FFFD} text,\ttab\r\nline"), "\(r.output.debugDescription)")
        #expect(r.output.hasPrefix("id,date,end,title,summary,countries,people,tags,confidence,sources,notes\r\n"))
      }
    }
  }
}
