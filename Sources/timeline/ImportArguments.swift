import ArgumentParser
import Foundation
import TimelineCore

extension TimelineFormat: ExpressibleByArgument {}
extension DateReading.NumericOrder: ExpressibleByArgument {}
extension Confidence: ExpressibleByArgument {
  public init?(argument: String) { self.init(name: argument) }
}

/// How to read files in other programs' formats (TimelineJS, spreadsheets, calendars).
struct ImportArguments: ParsableArguments {
  @Option(
    name: .customLong("format-in"),
    help: ArgumentHelp(
      "Read the file as this format instead of recognising it: \(TimelineFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
      valueName: "format"))
  var formatIn: TimelineFormat?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Spreadsheet columns for the event fields, by header: date=When,title=Headline,people=Who,countries=Country (fields: \(ImportField.allCases.map(\.rawValue).joined(separator: ", "))). Columns not named are guessed from their headers.",
      valueName: "mapping"))
  var columns: String?

  @Option(name: .long, help: ArgumentHelp("A file with the column mapping, one field=Header a line.", valueName: "file"))
  var mapping: String?

  @Option(name: .long, help: ArgumentHelp("What separates several values in one spreadsheet cell (default ;).", valueName: "char"))
  var separator: String?

  @Option(name: .long, help: ArgumentHelp("How to read 01/02/2003: mdy (month first, the default) or dmy (day first).", valueName: "order"))
  var dates: DateReading.NumericOrder = .monthFirst

  @Flag(name: .long, help: "Load the rows that are fine and skip the others, saying which and how many.")
  var skipBadRows = false

  @Option(
    name: .long,
    help: ArgumentHelp("Confidence of imported events whose file gives none (default reported).", valueName: "confidence"))
  var defaultConfidence: Confidence = .reported

  /// The options these arguments describe; a bad mapping is a usage error (exit 64).
  func options() throws -> ImportOptions {
    var o = ImportOptions()
    o.format = formatIn
    o.dateOrder = dates
    o.skipBadRows = skipBadRows
    o.defaultConfidence = defaultConfidence
    if let separator {
      guard separator.count == 1, let c = separator.first else {
        Output.error("--separator: expected one character, such as ; or |")
        throw ExitCode(64)
      }
      o.separator = c
    }
    do {
      if let mapping {
        let text: String
        do {
          text = String(decoding: try TimelineFile.read(path: mapping), as: UTF8.self)
        } catch {
          Output.error("cannot read \(error)")
          throw ExitCode(66)
        }
        o.columns = try ImportOptions.parseColumns(text)
      }
      if let columns { o.columns.merge(try ImportOptions.parseColumns(columns)) { _, new in new } }
    } catch let error as ImportOptions.MappingError {
      Output.error("\(columns != nil ? "--columns" : "--mapping"): \(error)")
      throw ExitCode(64)
    }
    return o
  }

  /// Says which rows were left out, if any (`--skip-bad-rows`).
  static func reportSkipped(_ result: ImportResult, path: String) {
    guard result.skippedCount > 0 else { return }
    let n = result.skippedCount
    let unit = result.format == .ics || result.format == .timelinejs || result.format == .timelinejs2 ? "entr" : "row"
    let noun = unit == "row" ? (n == 1 ? "row" : "rows") : (n == 1 ? "entry" : "entries")
    Output.error("\(path): skipped \(n) bad \(noun) (--skip-bad-rows); \(result.timeline.count) events loaded:")
    Output.errorLines(DecodeFailure(diagnostics: result.skipped, omitted: result.omittedProblems).description)
  }
}
