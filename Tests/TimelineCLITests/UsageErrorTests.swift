import Foundation
import Testing

@Suite("usage errors exit 64")
struct UsageErrorTests {
  @Test("an unknown country is named, with the closest country suggested")
  func unknownCountry() {
    let r = run(["list", "--country", "Frnace"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.contains("unknown country \"Frnace\""))
    #expect(r.stderr.contains("France"))
    #expect(r.stderr == "timeline: --country: unknown country \"Frnace\"; did you mean \"France (FR)\"?\n")
  }

  @Test("the default command checks names the same way")
  func unknownCountryDefaultCommand() {
    let r = run(["--country", "Frnace"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.contains("unknown country \"Frnace\""))
  }

  @Test("an unknown person gets a suggestion")
  func unknownPerson() {
    let r = run(["list", "--person", "Umar Ahmd"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("timeline: --person: unknown person \"Umar Ahmd\"; did you mean "))
    #expect(r.stderr.contains("\"Umar Ahmad\""))
  }

  @Test("every facet's option checks its values: --tag, --confidence, --era, --source and the --not- forms")
  func otherFacets() {
    for (args, message) in [
      (["--tag", "raidd"], "timeline: --tag: unknown tag \"raidd\"; did you mean \"raid\"?\n"),
      (["--not-confidence", "sure"], "timeline: --not-confidence: unknown confidence \"sure\"\n"),
      (["--era", "cort cases"], "timeline: --era: unknown era \"cort cases\"; did you mean \"The court cases\"?\n"),
      (["--not-source", "Europl"], "timeline: --not-source: unknown source or publisher \"Europl\"; did you mean \"Europol\""),
    ] {
      let r = run(["list", "--count"] + args)
      #expect(r.status == 64, "\(args): \(r)")
      #expect(r.stderr.hasPrefix(message), "\(args)")
    }
    // A name that fits one value partly is taken: "court case" can only be the court cases.
    #expect(run(["list", "--count", "--era", "court case"]).status == 0)
  }

  @Test("a misspelt person gets one suggestion per person")
  func personSuggestedOnce() {
    let r = run(["list", "--person", "Jonatan Corea"])
    #expect(r.status == 64)
    #expect(r.stderr == "timeline: --person: unknown person \"Jonatan Corea\"; did you mean \"Jonatan Correa\"?\n")
    #expect(run(["list", "--person", "Bridy"]).stderr.contains("did you mean \"George Bridi\""))
  }

  @Test("an unknown person with nothing close is still exit 64")
  func unknownPersonNoSuggestion() {
    let r = run(["list", "--count", "--person", "Xyzzy"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr == "timeline: --person: unknown person \"Xyzzy\"\n")
  }

  @Test("a name that fits several countries asks which")
  func ambiguousCountry() {
    let r = run(["list", "--country", "Sud"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("timeline: --country: \"Sud\" could be several countries: "))
    #expect(r.stderr.contains("\"Sudan (SD)\""))
    #expect(r.stderr.contains("\"South Sudan (SS)\""))
    #expect(r.stderr.hasSuffix("; say which\n"))
  }

  @Test("a name that fits several sources or tags says so, in the facet's own words")
  func ambiguousOtherFacets() {
    let r = run(["list", "--source", "reuter"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stderr.hasPrefix("timeline: --source: \"reuter\" could be several sources: \"Reuters\""), "\(r)")
    #expect(r.stderr.hasSuffix("; say which\n"))
  }

  @Test("a bad date is a usage error", arguments: [["--from", "2020-13"], ["--to", "2020-02-30"], ["--from", "yesterday"]])
  func badDate(_ args: [String]) {
    let r = run(["list"] + args)
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("timeline: \(args[0]): invalid date \"\(args[1])\": "))
  }

  @Test("--from 2020-13 says what is wrong")
  func badMonth() {
    let r = run(["list", "--from", "2020-13"])
    #expect(r.status == 64)
    #expect(r.stderr == "timeline: --from: invalid date \"2020-13\": the month must be 01 to 12\n")
  }

  @Test("--to before --from is a usage error")
  func toBeforeFrom() {
    let r = run(["list", "--from", "2021", "--to", "2020-12-31"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr == "timeline: --to 2020-12-31 is before --from 2021\n")
    // The same day on both sides is a one-day range, not an error.
    #expect(run(["list", "--count", "--from", "2020-08-25", "--to", "2020-08-25"]).status == 0)
  }

  @Test(
    "unknown options and arguments are usage errors",
    arguments: [["list", "--bogus"], ["--bogus"], ["list", "extra"], ["frobnicate"], ["list", "--country"], ["validate"]])
  func unknownOption(_ args: [String]) {
    let r = run(args)
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.contains("Usage:") || r.stderr.contains("Error:"), "\(r)")
  }

  @Test("an unknown option is named")
  func unknownOptionNamed() {
    let r = run(["list", "--bogus"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("Unknown option '--bogus'"))
  }
}
