import Foundation
import Testing

/// The completion scripts call the binary back (`timeline ---completion [subcommand] -- OPTION INDEX
/// CURSOR WORDS...`) for the values of the facet options; these tests make that call as the scripts do.
/// The scripts themselves are driven in real shells by the end-to-end tests (CompletionE2ETests).
@Suite("shell completion")
struct CompletionTests {
  let file = CaseFile.bundled

  /// The candidates the binary offers for `option`, with `words` on the command line (the word being
  /// completed last).
  func candidates(_ option: String, subcommand: [String] = [], words: [String], in directory: URL? = nil) -> [String] {
    let r = run(["---completion"] + subcommand + ["--", option, "\(words.count - 1)", "\(words.last!.count)"] + words, in: directory)
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "", "\(r)")
    return r.stdoutLines
  }

  @Test("--country offers the codes and the English and French names of the countries in the bundled case")
  func countries() {
    let offered = candidates("--country", words: ["timeline", "--country", ""])
    let used = Set(file.events.flatMap(\.countries))
    #expect(Set(offered.filter { $0.count == 2 && $0.uppercased() == $0 }) == used)
    for name in ["France", "United States", "États-Unis", "Chypre", "Cyprus", "Corée du Sud"] { #expect(offered.contains(name), "\(name)") }
    // Only countries some event has.
    #expect(!offered.contains("Japan"))
    #expect(Set(offered).count == offered.count, "each name once")
  }

  @Test("--person and --not-person offer every id, name and alias of the people in the bundled case")
  func people() {
    for (option, subcommand) in [("--person", ["list"]), ("--not-person", [])] {
      let offered = candidates(option, subcommand: subcommand, words: ["timeline"] + subcommand + [option, "Jo"])
      for p in file.people {
        #expect(offered.contains(p.name), "\(p.name)")
        for alias in p.aliases { #expect(offered.contains(alias), "\(alias)") }
      }
    }
  }

  @Test("the other facets complete too", arguments: [("--tag", "raid"), ("--confidence", "rumoured"), ("--era", "action-week"), ("--source", "Europol")])
  func otherFacets(_ option: String, expected: String) {
    #expect(candidates(option, subcommand: ["list"], words: ["timeline", "list", option, ""]).contains(expected))
  }

  static let other = #"""
    {"title": "Elsewhere", "description": "d",
     "countries": {"XK": {"name": "Kosovo", "name_fr": "Kosovo (FR)"}},
     "sources": [{"id": "s", "title": "S", "publisher": "P", "date": "2020", "language": "en"}],
     "people": [{"id": "zoe", "name": "Zoë Exemple", "aliases": ["Zed"], "role": "r"}],
     "events": [{"id": "e", "date": "2020", "title": "E", "countries": ["XK", "JP"], "people": ["zoe"], "confidence": "confirmed", "sources": ["s"]}]}
    """#

  @Test("the values come from the file named by --data, however the path was typed")
  func fromDataFile() throws {
    try withTemporaryDirectory { dir in
      let sub = dir.appendingPathComponent("my cases")
      try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
      let path = try writeFile("other.json", Self.other, in: sub)
      for typed in [
        ["--data", path], ["--data=\(path)"], ["--data", "'\(path)'"], ["--data", "\"\(path)\""],
        ["--data", path.replacingOccurrences(of: " ", with: "\\ ")], ["--data", "my\\ cases/other.json"],
      ] {
        let people = candidates("--person", subcommand: ["list"], words: ["timeline", "list"] + typed + ["--person", ""], in: dir)
        #expect(people == ["zoe", "Zoë Exemple", "Zed"], "\(typed)")
        let countries = candidates("--country", words: ["timeline"] + typed + ["--country", "K"], in: dir)
        #expect(countries == ["JP", "Japan", "Japon", "XK", "Kosovo", "Kosovo (FR)"], "\(typed)")
      }
    }
  }

  @Test("a spreadsheet after --data is read with the import options typed on the line")
  func importOptions() throws {
    try withTemporaryDirectory { dir in
      try writeFile("sheet.txt", "When,Headline,Who,Where\n2020-01-02,Meeting,Zoë Exemple,JP\n", in: dir)
      let data = ["--data", "sheet.txt", "--format-in", "csv"]
      // Without the mapping, "Where" is not known to hold countries.
      #expect(candidates("--country", words: ["timeline"] + data + ["--country", ""], in: dir) == [])
      for mapping in [["--columns", "countries=Where"], ["--columns=countries=Where"], ["--columns", "'countries=Where'"]] {
        #expect(
          candidates("--country", words: ["timeline"] + data + mapping + ["--country", ""], in: dir) == ["JP", "Japan", "Japon"],
          "\(mapping)")
      }
    }
  }

  @Test("a ~ in the --data path is the home directory")
  func tildePath() throws {
    try withTemporaryDirectory { dir in
      try writeFile("other.json", Self.other, in: dir)
      let r = run(["---completion", "--", "--person", "3", "0", "timeline", "--data", "~/other.json", "--person", ""], env: ["HOME": dir.path])
      #expect(r.status == 0, "\(r)")
      #expect(r.stdoutLines == ["zoe", "Zoë Exemple", "Zed"])
    }
  }

  @Test("a --data file that cannot be read or decoded gives no candidates and no message")
  func badDataFile() throws {
    try withTemporaryDirectory { dir in
      try writeFile("bad.json", "{ \"title\": ", in: dir)
      for path in ["bad.json", "missing.json", "-"] {
        #expect(candidates("--country", words: ["timeline", "--data", path, "--country", ""], in: dir) == [], "\(path)")
      }
    }
  }

  @Test("names with control characters are not offered")
  func unsafeNames() throws {
    try withTemporaryDirectory { dir in
      let path = try writeFile("hostile.json", Hostile.document, in: dir)
      let offered = candidates("--person", words: ["timeline", "--data", path, "--person", ""])
      #expect(offered == ["p1"], "\(offered)")
    }
  }

  @Test("the scripts for bash, zsh and fish are generated, and --help mentions them")
  func scripts() {
    for shell in ["bash", "zsh", "fish"] {
      let r = run(["--generate-completion-script", shell])
      #expect(r.status == 0, "\(r)")
      #expect(r.stdout.contains("---completion -- --country"), "\(shell)")
    }
    #expect(run(["--help"]).stdout.contains("--generate-completion-script"))
  }
}
