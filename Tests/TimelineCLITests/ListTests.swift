import Foundation
import Testing

@Suite("timeline list and the default command")
struct ListTests {
  let file = CaseFile.bundled

  @Test("list prints every bundled event, one line each, in chronological order")
  func listsBundledCase() throws {
    let r = run(["list"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    #expect(r.stdout.hasSuffix("\n"))

    let lines = r.stdoutLines
    #expect(lines.count == file.events.count)

    // Each line is exactly what the event in the JSON says, and every event has its line.
    let width = file.events.map(\.dateSpan.count).max() ?? 0
    let expected = file.events.map { $0.listLine(dateWidth: width) }
    #expect(lines.sorted() == expected.sorted())

    // Chronological: start dates never go back.
    let byLine = Dictionary(expected.enumerated().map { ($1, file.events[$0]) }, uniquingKeysWith: { a, _ in a })
    let starts = lines.compactMap { byLine[$0]?.startKey }
    #expect(starts.count == lines.count)
    #expect(starts == starts.sorted(), "events out of chronological order")
    #expect(lines.first?.hasPrefix("2011") == true)
    #expect(lines.last?.hasPrefix("2022-02-07") == true)
  }

  @Test("timeline with no subcommand, stdout a pipe, prints the same as timeline list")
  func defaultCommandPrintsList() {
    let list = run(["list"])
    let plain = run([])
    #expect(plain.status == 0, "\(plain)")
    #expect(plain.stderr == "")
    #expect(!plain.stdout.isEmpty)
    #expect(plain.stdout == list.stdout)

    let filtered = run(["--country", "CY", "--search", "bridi"])
    let filteredList = run(["list", "--country", "CY", "--search", "bridi"])
    #expect(filtered.status == 0, "\(filtered)")
    #expect(filtered.stdout == filteredList.stdout)
    #expect(!filtered.stdout.isEmpty)
  }

  @Test("list does not read standard input")
  func ignoresStdin() {
    let r = run(["list", "--count"], stdin: "{ not a timeline }")
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "\(file.events.count)\n")
  }

  @Test("a filter that matches nothing prints nothing and exits 0")
  func emptyResult() {
    let r = run(["list", "--search", "zzqxv-nothing-matches"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr == "")
    #expect(run(["list", "--count", "--search", "zzqxv-nothing-matches"]).stdout == "0\n")
  }
}

/// A filter given on the command line and the events it should leave, worked out from the JSON.
struct FilterCase: Sendable, CustomTestStringConvertible {
  var args: [String]
  var expected: @Sendable (CaseFile) -> [String]
  var testDescription: String { args.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ") }
}

extension FilterCase {
  static func country(_ codes: Set<String>) -> @Sendable (CaseFile.Event) -> Bool {
    { !codes.isDisjoint(with: $0.countries) }
  }

  static func person(_ name: String, in file: CaseFile) -> (CaseFile.Event) -> Bool {
    let ids = Set(file.personIDs(named: name))
    precondition(ids.count == 1, "the test expects \(name) to name one person in the JSON")
    return { !ids.isDisjoint(with: $0.people) }
  }

  /// Free text as documented: the title, summary or notes contain the word, or a word of the name or
  /// alias of one of its people, of a tag, of a source's publisher, title or id, or its confidence,
  /// starts with it (country names are not needed for the words used here). Case and accents are
  /// ignored unless the word has a capital: then case counts.
  static func text(_ word: String, in file: CaseFile) -> (CaseFile.Event) -> Bool {
    let cased = word.contains { $0.isUppercase }
    let f: (String) -> String = { cased ? $0.folding(options: [.diacriticInsensitive], locale: nil) : fold($0) }
    func startsWord(_ name: String) -> Bool { f(name).split { !$0.isLetter && !$0.isNumber }.contains { $0.hasPrefix(f(word)) } }
    let people = Set(file.people.filter { ([$0.name] + $0.aliases).contains(where: startsWord) }.map(\.id))
    let sources = Set(file.sources.filter { [$0.publisher, $0.title, $0.id].contains(where: startsWord) }.map(\.id))
    return { e in
      [e.title, e.summary, e.notes].contains { f($0).contains(f(word)) }
        || !people.isDisjoint(with: e.people) || e.tags.contains(where: startsWord) || !sources.isDisjoint(with: e.sources)
        || startsWord(e.confidence)
    }
  }

  /// Events whose span meets an era's.
  static func era(_ id: String, in file: CaseFile) -> (CaseFile.Event) -> Bool {
    let era = file.eras.first { $0.id == id }!
    let d = dates(from: era.start, to: era.end)
    return { d($0) }
  }

  /// Events citing a source of a publisher.
  static func publisher(_ name: String, in file: CaseFile) -> (CaseFile.Event) -> Bool {
    let ids = Set(file.sources.filter { $0.publisher == name }.map(\.id))
    return { !ids.isDisjoint(with: $0.sources) }
  }

  static func dates(from: String, to: String) -> @Sendable (CaseFile.Event) -> Bool {
    let lower = DayRange(from).lower
    let upper = DayRange(to).upper
    return { $0.endKey >= lower && $0.startKey <= upper }
  }

  static let all: [FilterCase] = [
    FilterCase(args: []) { $0.ids { _ in true } },
    FilterCase(args: ["--country", "CY"]) { $0.ids(where: country(["CY"])) },
    FilterCase(args: ["--country", "cy"]) { $0.ids(where: country(["CY"])) },
    FilterCase(args: ["--country", "chypre"]) { $0.ids(where: country(["CY"])) },
    FilterCase(args: ["--country", "Cyprus"]) { $0.ids(where: country(["CY"])) },
    FilterCase(args: ["--country", "République tchèque"]) { $0.ids(where: country(["CZ"])) },
    FilterCase(args: ["--country", "republique tcheque"]) { $0.ids(where: country(["CZ"])) },
    FilterCase(args: ["--person", "raid"]) { f in f.ids(where: person("raid", in: f)) },
    FilterCase(args: ["--person", "Jonathan Correa"]) { f in f.ids(where: person("Jonathan Correa", in: f)) },
    FilterCase(args: ["--person", "jonatan-correa"]) { f in f.ids(where: person("jonatan-correa", in: f)) },
    FilterCase(args: ["--search", "olathe"]) { f in f.ids(where: text("olathe", in: f)) },
    FilterCase(args: ["--search", "Olathe"]) { f in f.ids(where: text("Olathe", in: f)) },
    // A capital makes case count: the file writes "Olathe".
    FilterCase(args: ["--search", "OLATHE"]) { f in f.ids(where: text("OLATHE", in: f)) },
    // Notes and sources are searched too.
    FilterCase(args: ["--search", "outlier"]) { f in f.ids(where: text("outlier", in: f)) },
    FilterCase(args: ["--search", "europol"]) { f in f.ids(where: text("europol", in: f)) },
    // Words left out, and either of two.
    FilterCase(args: ["--search", "bridi !cyprus"]) { f in
      let b = text("bridi", in: f), c = text("cyprus", in: f), cy = country(["CY"])
      return f.ids { b($0) && !c($0) && !cy($0) }
    },
    FilterCase(args: ["--search", "olathe | paphos"]) { f in
      let a = text("olathe", in: f), b = text("paphos", in: f)
      return f.ids { a($0) || b($0) }
    },
    FilterCase(args: ["--tag", "raid"]) { $0.ids { $0.tags.contains("raid") } },
    FilterCase(args: ["--tag", "raid", "--tag", "arrest"]) { $0.ids { $0.tags.contains("raid") || $0.tags.contains("arrest") } },
    FilterCase(args: ["--confidence", "rumoured", "--confidence", "disputed"]) { $0.ids { ["rumoured", "disputed"].contains($0.confidence) } },
    FilterCase(args: ["--era", "action-week"]) { f in f.ids(where: era("action-week", in: f)) },
    FilterCase(args: ["--era", "The court cases"]) { f in f.ids(where: era("court-cases", in: f)) },
    FilterCase(args: ["--source", "Europol"]) { f in f.ids(where: publisher("Europol", in: f)) },
    FilterCase(args: ["--source", "torrentfreak"]) { f in f.ids(where: publisher("TorrentFreak", in: f)) },
    // Leaving out: none of them.
    FilterCase(args: ["--not-country", "US"]) { f in let us = country(["US"]); return f.ids { !us($0) } },
    FilterCase(args: ["--not-confidence", "confirmed", "--not-confidence", "reported"]) { $0.ids { !["confirmed", "reported"].contains($0.confidence) } },
    FilterCase(args: ["--country", "NO", "--not-country", "US", "--not-tag", "raid"]) { f in
      let no = country(["NO"]), us = country(["US"])
      return f.ids { no($0) && !us($0) && !$0.tags.contains("raid") }
    },
    FilterCase(args: ["--from", "2021", "--to", "2021"]) { $0.ids(where: dates(from: "2021", to: "2021")) },
    FilterCase(args: ["--from", "2020-08-26"]) { $0.ids(where: dates(from: "2020-08-26", to: "9999")) },
    FilterCase(args: ["--to", "2020-08"]) { $0.ids(where: dates(from: "-9999", to: "2020-08")) },
    // Several values of one facet: any of them.
    FilterCase(args: ["--country", "CY", "--country", "CZ"]) { $0.ids(where: country(["CY", "CZ"])) },
    FilterCase(args: ["--country", "chypre", "--country", "Norway", "--country", "CH"]) {
      $0.ids(where: country(["CY", "NO", "CH"]))
    },
    // Different facets: all of them.
    FilterCase(args: ["--country", "US", "--person", "raid"]) { f in
      let c = country(["US"]), p = person("raid", in: f)
      return f.ids { c($0) && p($0) }
    },
    FilterCase(args: ["--country", "CY", "--person", "George Bridi"]) { f in
      let c = country(["CY"]), p = person("George Bridi", in: f)
      return f.ids { c($0) && p($0) }
    },
    FilterCase(args: ["--country", "NO", "--country", "US", "--person", "umar-ahmad", "--from", "2020"]) { f in
      let c = country(["NO", "US"]), p = person("umar-ahmad", in: f), d = dates(from: "2020", to: "9999")
      return f.ids { c($0) && p($0) && d($0) }
    },
  ]
}

@Suite("filters on the bundled case")
struct FilterTests {
  let file = CaseFile.bundled

  @Test("--count prints the number of matching events", arguments: FilterCase.all)
  func count(_ c: FilterCase) {
    let expected = c.expected(file)
    let r = run(["list", "--count"] + c.args)
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    #expect(r.stdout == "\(expected.count)\n")
  }

  @Test("the listed events are exactly the matching ones", arguments: FilterCase.all)
  func listedEvents(_ c: FilterCase) throws {
    let expected = c.expected(file)
    let r = run(["list", "--format", "json"] + c.args)
    #expect(r.status == 0, "\(r)")
    let listed = try CaseFile(data: Data(r.stdout.utf8)).events.map(\.id)
    #expect(listed.sorted() == expected.sorted())
    // And the text list has one line per match.
    #expect(run(["list"] + c.args).stdoutLines.count == expected.count)
  }

  @Test("the filter tests are not vacuous")
  func expectationsAreMeaningful() {
    func n(_ args: [String]) -> Int { FilterCase.all.first { $0.args == args }!.expected(file).count }
    #expect(n([]) == file.events.count)
    let single = [
      ["--country", "CY"], ["--country", "République tchèque"], ["--person", "raid"], ["--search", "olathe"],
      ["--from", "2021", "--to", "2021"], ["--search", "Olathe"], ["--search", "outlier"], ["--tag", "raid"], ["--era", "action-week"],
      ["--source", "Europol"], ["--not-country", "US"], ["--search", "bridi !cyprus"], ["--search", "olathe | paphos"],
      ["--confidence", "rumoured", "--confidence", "disputed"], ["--not-confidence", "confirmed", "--not-confidence", "reported"],
    ]
    for args in single {
      #expect(n(args) > 0, "\(args)")
      #expect(n(args) < file.events.count, "\(args)")
    }
    // OR grows, AND shrinks.
    #expect(n(["--country", "CY", "--country", "CZ"]) > max(n(["--country", "CY"]), n(["--country", "République tchèque"])))
    let us = file.ids(where: FilterCase.country(["US"])).count
    let and = n(["--country", "US", "--person", "raid"])
    #expect(and > 0 && and < min(us, n(["--person", "raid"])))
    // Case counts with a capital; exclusion takes away.
    #expect(n(["--search", "OLATHE"]) == 0 && n(["--search", "Olathe"]) == n(["--search", "olathe"]))
    #expect(n(["--not-country", "US"]) == file.events.count - us)
  }
}
