import Foundation
import Testing

@testable import TimelineCore

/// The fast way through large TimelineJS spreadsheets must give the reference importer's timeline.
@Suite("Import: the spreadsheet fast path equals the reference")
struct SpreadsheetFastPathTests {
  /// A TimelineJS spreadsheet of `rows` rows with the quirks real ones have, the same for a seed.
  static func sheet(rows: Int, seed: UInt64) -> String {
    var r = SplitMix64(seed: seed)
    func int(_ n: Int) -> Int { Int(r.next() % UInt64(n)) }
    func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
    let header = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "Display Date", "Headline", "Text", "Media", "Media Caption", "Type", "Group", "Country", "People"]
    var lines = [header.joined(separator: ",")]
    if int(2) == 0 { lines.append(",,,,,,,,The title,\"Its text,\nover two lines\",,,title,,,") }
    // Names, groups and countries are read as bytes on the fast path: the same name in two normalisation
    // forms, Unicode spaces around it and doubled quotes must come out as the reference's strings do.
    let names = ["Ann Lee", "ann lee", "Bob Ray", "Zoë Ürban", "Ann Lee ", "東京 太郎", "Zoe\u{308} U\u{308}rban", "\u{A0}Bob Ray\u{3000}", "Ann \"A\" Lee"]
    let countries = ["FR", "DE", "France", "Allemagne", "États-Unis", "cy", "US", "\u{A0}FR", " ;DE;", "Fr"]
    let texts = [
      "Plain text", "<p>One</p><p>Two &amp; three</p>", "\"Quoted, with \"\"marks\"\"\nand a line\"", "", " spaced ",
      "<ul><li>a</li><li>b</li></ul>", "caf&eacute; &unknown;",
    ]
    for k in 0..<rows {
      if int(40) == 0 {
        lines.append(",,,,,,,,,,,,,,,")
        continue
      }
      if int(30) == 0 {
        lines.append("\(1900 + int(50)),,,,\(1960 + int(20)),,,,Era \(k),,,,era,,,")
        continue
      }
      let year = pick(["\(1800 + int(220))", "-44", "1,848", "0850", "-13800000000"])
      let month = int(3) == 0 ? "" : pick(["\(1 + int(12))", "07", "2"])
      let day = month.isEmpty || int(3) == 0 ? "" : "\(1 + int(28))"
      let time = day.isEmpty ? (int(20) == 0 && !month.isEmpty ? "10:30" : "") : pick(["", "", "9:05 pm", "2130", "07:00", "9:05", "23:59", "0:00", " 7:30"])
      let endYear = int(8) == 0 && !year.contains("-") ? "\((Int(year.filter(\.isNumber)) ?? 1900) + 1)" : ""
      let display = pick(["", "", "", "about 1900", "Spring"])
      let headline = pick(["Event \(k)", "", "Two\nlines \(k)", "<b>Bold</b> \(k)", "Ünïcödé \(k)"])
      let text = headline.isEmpty ? pick(["Fallback text \(k)", "<p>A first line</p><p>then more</p>"]) : pick(texts)
      let media = int(10) == 0 ? "https://example.org/\(k).jpg" : ""
      let caption = media.isEmpty ? "" : pick(["", "<i>cap</i>"])
      let group = pick(["", "raid", "Raid", "<b>court</b>", "café", "cafe\u{301}", "R&amp;D", "\u{A0}raid", "\"quoted\" group", " raid "])
      let country = pick(["", pick(countries), pick(countries) + ";" + pick(countries)])
      let people = pick(["", pick(names), pick(names) + ";" + pick(names)])
      func cell(_ s: String) -> String { s.contains(",") || s.contains("\n") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
      let cells = [year, month, day, time, endYear, "", "", display, headline, text, media, caption, "", group, country, people]
      lines.append(cells.map { $0.hasPrefix("\"") ? $0 : cell($0) }.joined(separator: ","))
    }
    return lines.joined(separator: pick(["\n", "\r\n"])) + "\n"
  }

  static func both(_ text: String) throws -> (fast: ImportResult, reference: ImportResult, tookFastPath: Bool) {
    var fastOptions = ImportOptions()
    fastOptions.fastPathThreshold = 0
    var referenceOptions = ImportOptions()
    referenceOptions.allowFastPath = false
    let bytes = Array(text.utf8)
    let session = ImportSession(fileName: "sheet.csv", format: .timelinejsCSV, options: fastOptions)
    let took = bytes.withUnsafeBufferPointer { SpreadsheetFastPath.run($0, session: session, delimiter: UInt8(ascii: ",")) } != nil
    let fast = try TimelineImport.decode(bytes, fileName: "sheet.csv", format: .timelinejsCSV, options: fastOptions)
    let reference = try TimelineImport.decode(bytes, fileName: "sheet.csv", format: .timelinejsCSV, options: referenceOptions)
    return (fast, reference, took)
  }

  static func expectSame(_ a: Timeline, _ b: Timeline, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.title == b.title, sourceLocation: sourceLocation)
    #expect(a.description == b.description, sourceLocation: sourceLocation)
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    if let k = (0..<min(a.count, b.count)).first(where: { a.event(at: $0) != b.event(at: $0) }) {
      Issue.record("event \(k) differs:\n  fast:      \(a.event(at: k))\n  reference: \(b.event(at: k))", sourceLocation: sourceLocation)
    }
    #expect(a.people == b.people, sourceLocation: sourceLocation)
    #expect(a.sources == b.sources, sourceLocation: sourceLocation)
    #expect(a.eras == b.eras, sourceLocation: sourceLocation)
    #expect(a.tags == b.tags, sourceLocation: sourceLocation)
    #expect((0..<a.count).map { a.origin(at: $0)?.position } == (0..<b.count).map { b.origin(at: $0)?.position }, sourceLocation: sourceLocation)
    #expect((0..<a.count).map(a.fileIndex(at:)) == (0..<b.count).map(b.fileIndex(at:)), sourceLocation: sourceLocation)
    #expect(a.checkInvariants() == nil, sourceLocation: sourceLocation)
  }

  @Test("random sheets with quirks, read in two halves: the same timeline, positions included", arguments: 1...12)
  func sameTimeline(seed: Int) throws {
    let text = Self.sheet(rows: 300, seed: UInt64(seed))
    let (fast, reference, took) = try Self.both(text)
    #expect(took, "the fast path gave up on a sheet it should read")
    Self.expectSame(fast.timeline, reference.timeline)
  }

  @Test("what the fast path does not read, it leaves to the reference importer: links, bad rows, other columns")
  func givesUp() throws {
    let base = "Year,Headline,Text\n1900,A,x\n"
    for text in [
      base + "1901,B,<a href=\"https://x.org\">link</a>\n",
      base + "1901,B,x\n1902,C,x,extra\n",
      "Year,Headline,Notes\n1900,A,note\n",
      base + "march,B,x\n",
    ] {
      let bytes = Array(text.utf8)
      var options = ImportOptions()
      options.fastPathThreshold = 0
      options.skipBadRows = true
      let session = ImportSession(fileName: "s.csv", format: .timelinejsCSV, options: options)
      #expect(bytes.withUnsafeBufferPointer { SpreadsheetFastPath.run($0, session: session, delimiter: UInt8(ascii: ",")) } == nil, "\(text)")
      var reference = options
      reference.allowFastPath = false
      Self.expectSame(
        try TimelineImport.decode(bytes, fileName: "s.csv", format: .timelinejsCSV, options: options).timeline,
        try TimelineImport.decode(bytes, fileName: "s.csv", format: .timelinejsCSV, options: reference).timeline)
    }
  }
}
