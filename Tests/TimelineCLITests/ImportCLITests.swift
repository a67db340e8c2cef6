import Foundation
import Testing

@Suite("Bring your own timeline: import, convert, round trips")
struct ImportCLITests {
  static let sheet = """
    Year,Month,Day,Headline,Text,Group,Country,People,Type
    ,,,Raids of 2020,The summer's raids,,,,title
    2020,8,25,Raids in 18 countries,"<p>Europol <a href=""https://europol.example/1"">says</a>.</p>",raid,Cyprus;FR,Jonatan Correa,
    2020,8,,Arrest,,arrest,États-Unis,George Bridi,
    """

  @Test("--data opens a TimelineJS spreadsheet; list, validate and the explorer's plain output agree")
  func openSpreadsheet() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("raids.csv", Self.sheet, in: dir)
      let list = run(["list", "--data", path])
      #expect(list.status == 0, "\(list)")
      #expect(list.stdout == "2020-08     reported   Arrest  [US]\n2020-08-25  reported   Raids in 18 countries  [CY FR]\n")
      #expect(run(["--data", path]).stdout == list.stdout)
      let validate = run(["validate", "raids.csv"], in: dir)
      #expect(validate.status == 0, "\(validate)")
      #expect(validate.stdout == "raids.csv: valid (TimelineJS spreadsheet: 2 events, 2 people, 2 sources)\n")
      let json = run(["list", "--data", path, "--format", "json", "--person", "Jonatan Correa"])
      #expect(json.stdout.contains("\"url\": \"https://europol.example/1\""))
    }
  }

  @Test("a bad row fails the load with its row and column; --skip-bad-rows loads the rest and says how many")
  func badRows() throws {
    try withTemporaryDirectory { dir in
      let text = Self.sheet + "\n2020,13,1,Bad month,,,,\n2020,9,1,Bad country,,,Atlantis,\n"
      try writeFile("raids.csv", text, in: dir)
      let failed = run(["list", "--data", "raids.csv"], in: dir)
      #expect(failed.status == 65)
      #expect(
        failed.stderrLines == [
          "raids.csv:5:6: row 5, column \"Month\": invalid date: the month must be 1 to 12, not 13",
          "raids.csv:6:24: row 6, column \"Country\": unknown country \"Atlantis\"",
        ])
      let skipped = run(["list", "--data", "raids.csv", "--skip-bad-rows", "--count"], in: dir)
      #expect(skipped.status == 0, "\(skipped)")
      #expect(skipped.stdout == "2\n")
      #expect(skipped.stderrLines.first == "timeline: raids.csv: skipped 2 bad rows (--skip-bad-rows); 2 events loaded:")
      #expect(skipped.stderrLines.count == 3)
      // validate reports every problem even when asked to skip.
      #expect(run(["validate", "--skip-bad-rows", "raids.csv"], in: dir).status == 65)
    }
  }

  @Test("--columns maps a spreadsheet's own headers; --format-in overrides recognition; a bad mapping is a usage error")
  func mapping() throws {
    try withTemporaryDirectory { dir in
      try writeFile("log.txt", "Quand|Quoi|Qui\n25/08/2020|Raids|Ann, Bob\n", in: dir)
      let r = run(
        ["list", "--data", "log.txt", "--format-in", "csv", "--columns", "date=Quand,title=Quoi,people=Qui", "--dates", "dmy",
         "--separator", ",", "--format", "csv"], in: dir)
      // The header has no comma: the whole line is one column, so the mapping names a missing column.
      #expect(r.status == 65)
      #expect(r.stderr.contains("no column \"Quand\" for date"))
      try writeFile("log.tsv", "Quand\tQuoi\tQui\n25/08/2020\tRaids\tAnn, Bob\n", in: dir)
      let ok = run(["list", "--data", "log.tsv", "--columns", "date=Quand,title=Quoi,people=Qui", "--dates", "dmy", "--separator", ","], in: dir)
      #expect(ok.status == 0, "\(ok)")
      #expect(ok.stdout == "2020-08-25  reported   Raids\n")
      let bad = run(["list", "--data", "log.tsv", "--columns", "when=Quand"], in: dir)
      #expect(bad.status == 64)
      #expect(bad.stderr.hasPrefix("timeline: --columns: unknown field \"when\""))
      try writeFile("map.txt", "# my sheet\ndate = Quand\ntitle = Quoi\n", in: dir)
      #expect(run(["list", "--data", "log.tsv", "--mapping", "map.txt", "--dates", "dmy", "--count"], in: dir).stdout == "1\n")
    }
  }

  @Test("ours → TimelineJS → ours keeps every field; without the x_ keys, dates with their precision, titles and text")
  func timelineJSRoundTrip() throws {
    try withTemporaryDirectory { dir in
      let exported = run(["list", "--format", "timelinejs"])
      #expect(exported.status == 0, "\(exported)")
      try writeFile("tl.json", exported.stdout, in: dir)
      #expect(run(["list", "--data", "tl.json", "--format", "json"], in: dir).stdout == run(["list", "--format", "json"]).stdout)

      // As TimelineJS itself (or another tool) would keep it: its own fields only.
      var root = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
      root["x_timeline"] = nil
      root["events"] = (root["events"] as? [[String: Any]])?.map { $0.filter { !$0.key.hasPrefix("x_") } }
      try JSONSerialization.data(withJSONObject: root).write(to: dir.appendingPathComponent("plain.json"))
      let original = try records(run(["list", "--format", "csv"]).stdout)
      let plain = try records(run(["list", "--data", "plain.json", "--format", "csv"], in: dir).stdout)
      // id, date, end, title, summary
      #expect(plain.map { Array($0[0..<5]) } == original.map { Array($0[0..<5]) })
      #expect(plain.count == CaseFile.bundled.events.count + 1)
    }
  }

  @Test("ours → iCalendar → ours keeps dates with their precision, titles, tags and people")
  func icsRoundTrip() throws {
    try withTemporaryDirectory { dir in
      let exported = run(["convert", Package.bundledCase.path, "case.ics"], in: dir)
      #expect(exported.status == 0, "\(exported)")
      let original = try records(run(["list", "--format", "csv"]).stdout)
      let back = try records(run(["list", "--data", "case.ics", "--format", "csv"], in: dir).stdout)
      // id, date, end, title, people, tags
      let columns = [0, 1, 2, 3, 6, 7]
      #expect(back.map { r in columns.map { r[$0] } } == original.map { r in columns.map { r[$0] } })
    }
  }

  @Test("convert writes whole files by extension or --to, replaces a symbolic link instead of writing through it")
  func convert() throws {
    try withTemporaryDirectory { dir in
      try writeFile("raids.csv", Self.sheet, in: dir)
      #expect(run(["convert", "raids.csv", "raids.json"], in: dir).status == 0)
      #expect(run(["validate", "raids.json"], in: dir).stdout == "raids.json: valid (2 events, 2 people, 2 sources)\n")
      let target = try writeFile("precious.txt", "keep me\n", in: dir)
      try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("out.ics").path, withDestinationPath: target)
      #expect(run(["convert", "raids.json", "out.ics"], in: dir).status == 0)
      #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")
      #expect(try String(contentsOfFile: dir.appendingPathComponent("out.ics").path, encoding: .utf8).hasPrefix("BEGIN:VCALENDAR\r\n"))
      let tl = run(["convert", "raids.csv", "-", "--to", "timelinejs", "--country", "CY"], in: dir)
      #expect(tl.status == 0, "\(tl)")
      #expect(tl.stdout.contains("\"headline\": \"Raids in 18 countries\"") && !tl.stdout.contains("\"headline\": \"Arrest\""))
      let unknown = run(["convert", "raids.csv", "out.xyz"], in: dir)
      #expect(unknown.status == 64)
      #expect(unknown.stderr.hasPrefix("timeline: cannot tell the output format from \"out.xyz\""))
      #expect(run(["convert", "raids.csv", "-", "--to", "xml"], in: dir).status == 64)
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".timeline-convert") }
      #expect(leftovers.isEmpty)
    }
  }

  @Test("iCalendar cannot hold years before 0: those events are left out, with a warning")
  func icsOmissions() throws {
    try withTemporaryDirectory { dir in
      try writeFile("old.csv", "Year,Headline\n-44,Ides of March\n2020,Now\n", in: dir)
      let r = run(["list", "--data", "old.csv", "--format", "ics"], in: dir)
      #expect(r.status == 0)
      #expect(r.stderr == "timeline: 1 event left out: iCalendar holds only years 0 to 9999\n")
      #expect(r.stdout.components(separatedBy: "BEGIN:VEVENT").count == 2)
    }
  }
}

/// CSV records (RFC 4180) of a CSV text, for comparing columns.
private func records(_ text: String) throws -> [[String]] {
  var out: [[String]] = []
  var row: [String] = []
  var field = ""
  var quoted = false
  var it = Array(text.unicodeScalars).makeIterator()
  var pending: Unicode.Scalar?
  while let c = pending ?? it.next() {
    pending = nil
    if quoted {
      if c == "\"" {
        if let n = it.next() {
          if n == "\"" { field.unicodeScalars.append(c) } else { quoted = false; pending = n }
        } else { quoted = false }
      } else { field.unicodeScalars.append(c) }
    } else if c == "\"" {
      quoted = true
    } else if c == "," {
      row.append(field); field = ""
    } else if c == "\r" {
      continue
    } else if c == "\n" {
      row.append(field); out.append(row); row = []; field = ""
    } else {
      field.unicodeScalars.append(c)
    }
  }
  return out
}
