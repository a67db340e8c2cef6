import ArgumentParser
import BundledTimeline
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// Which timeline to open.
struct DataOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A timeline file to open instead of the bundled Sparks Group case: this program's JSON, TimelineJS (JSON or spreadsheet), iCalendar, or any CSV or TSV with a header; - reads standard input.",
      valueName: "file"),
    completion: .file())
  var data: String?

  @OptionGroup(title: "Reading other formats (TimelineJS, spreadsheets, calendars)") var importing: ImportArguments

  /// Loads the timeline, printing why it cannot be loaded and exiting 65 (bad data) or 66 (unreadable).
  func load() throws -> Timeline {
    guard let path = try data ?? Config.current().data else {
      do {
        return try TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
      } catch {
        Output.errorLines(error.description)
        throw ExitCode(65)
      }
    }
    if path == "-" { return try Self.loadStandardInput(importing: importing.options()) }
    return try Self.load(path: path, importing: importing.options(), options: TimelineLoader.Options())
  }

  /// `--data -`: the document on standard input, named `<stdin>` in messages. (The explorer then reads
  /// keys from the terminal itself, as `less` does.)
  static func loadStandardInput(importing: ImportOptions) throws -> Timeline {
    let name = "<stdin>"
    do {
      let result = try TimelineImport.decode(try TimelineFile.readAll(STDIN_FILENO, sizeHint: 0, name: name), fileName: name, options: importing)
      ImportArguments.reportSkipped(result, path: name)
      return result.timeline
    } catch let e as TimelineFile.ReadError {
      Output.error("cannot read \(e)")
      throw ExitCode(66)
    } catch {
      Output.errorLines("\(error)")
      throw ExitCode(65)
    }
  }

  /// Loads a file, reporting failures as the command line does.
  static func load(path: String, importing: ImportOptions, options: TimelineLoader.Options) throws -> Timeline {
    do {
      let result = try TimelineImport.load(path: path, options: importing, loader: options)
      ImportArguments.reportSkipped(result, path: path)
      return result.timeline
    } catch {
      switch error {
      case .cannotRead(let e):
        Output.error("cannot read \(e)")
        throw ExitCode(66)
      case .invalid(let failure):
        Output.errorLines(failure.description)
        throw ExitCode(65)
      case .cancelled:
        throw ExitCode(130)
      }
    }
  }
}

/// Which events to show; shared by the explorer, `list` and `render`.
struct FilterOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("Only events in this country: \(Facet.country.optionHelp) (repeat: any of them).", valueName: "country"), completion: ShellCompletion.facet(.country))
  var country: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only events involving this person: \(Facet.person.optionHelp) (repeat: any of them).", valueName: "person"), completion: ShellCompletion.facet(.person))
  var person: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only events with this tag (repeat: any of them).", valueName: "tag"), completion: ShellCompletion.facet(.tag))
  var tag: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only events of this confidence: \(Facet.confidence.optionHelp) (repeat: any of them).", valueName: "level"), completion: ShellCompletion.facet(.confidence))
  var confidence: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only events during this era: \(Facet.era.optionHelp) (repeat: any of them).", valueName: "era"), completion: ShellCompletion.facet(.era))
  var era: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only events citing this source: \(Facet.source.optionHelp) (repeat: any of them).", valueName: "source"), completion: ShellCompletion.facet(.source))
  var source: [String] = []

  @Option(name: .customLong("not-country"), help: ArgumentHelp("Leave out events in this country (repeat: none of them).", valueName: "country"), completion: ShellCompletion.facet(.country))
  var notCountry: [String] = []

  @Option(name: .customLong("not-person"), help: ArgumentHelp("Leave out events involving this person.", valueName: "person"), completion: ShellCompletion.facet(.person))
  var notPerson: [String] = []

  @Option(name: .customLong("not-tag"), help: ArgumentHelp("Leave out events with this tag.", valueName: "tag"), completion: ShellCompletion.facet(.tag))
  var notTag: [String] = []

  @Option(name: .customLong("not-confidence"), help: ArgumentHelp("Leave out events of this confidence.", valueName: "level"), completion: ShellCompletion.facet(.confidence))
  var notConfidence: [String] = []

  @Option(name: .customLong("not-era"), help: ArgumentHelp("Leave out events during this era.", valueName: "era"), completion: ShellCompletion.facet(.era))
  var notEra: [String] = []

  @Option(name: .customLong("not-source"), help: ArgumentHelp("Leave out events citing this source or publisher.", valueName: "source"), completion: ShellCompletion.facet(.source))
  var notSource: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only events whose text matches: words (all of them), \"a phrase\", !word to leave out, a | b for either; case and accents ignored unless a word has a capital. In the explorer the search starts as a filter (& shows every event again, with the matches highlighted).",
      valueName: "text"))
  var search: String?

  @Flag(name: .long, help: "Read --search as a regular expression.")
  var regex = false

  // Unconditional: a negative year is the date, not an option (`--from -0044`).
  @Option(
    name: .long, parsing: .unconditional,
    help: ArgumentHelp("Only events that end on or after this date (YYYY, YYYY-MM or YYYY-MM-DD; -0044 is 45 BC).", valueName: "date"))
  var from: String?

  @Option(
    name: .long, parsing: .unconditional,
    help: ArgumentHelp("Only events that start on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
  var to: String?

  /// The values given for a facet: included, then excluded.
  private func values(_ facet: Facet) -> (included: [String], excluded: [String]) {
    switch facet {
    case .country: (country, notCountry)
    case .person: (person, notPerson)
    case .tag: (tag, notTag)
    case .confidence: (confidence, notConfidence)
    case .era: (era, notEra)
    case .source: (source, notSource)
    }
  }

  /// The query these options describe, with names resolved against the timeline; an unknown name or a
  /// bad date is a usage error (exit 64) that suggests the closest names.
  func query(for timeline: Timeline) throws -> Query {
    var q = Query()
    for facet in Facet.allCases {
      let (included, excluded) = values(facet)
      for (names, prefix, state) in [(included, "--", FacetFilter.State.on), (excluded, "--not-", .excluded)] {
        for name in names {
          do {
            q[facet].set(try NameResolver.value(facet, name, in: timeline), state)
          } catch {
            Output.error("\(prefix)\(facet.name): \(error)")
            throw ExitCode(64)
          }
        }
      }
    }
    q.text = search ?? ""
    q.regex = regex
    if regex, let error = q.pattern.regex?.error {
      Output.error("--search: \(error) \"\(TerminalSafety.sanitized(q.text))\"")
      throw ExitCode(64)
    }
    q.from = try Self.date(from, option: "--from")
    q.to = try Self.date(to, option: "--to")
    if let f = q.from, let t = q.to, t.upperKey < f.lowerKey {
      Output.error("--to \(t) is before --from \(f)")
      throw ExitCode(64)
    }
    return q
  }

  private static func date(_ text: String?, option: String) throws -> TimelineDate? {
    guard let text else { return nil }
    switch TimelineDate.parse(text) {
    case .success(let d): return d
    case .failure(let e):
      Output.error("\(option): invalid date \"\(TerminalSafety.sanitized(text))\": \(e)")
      throw ExitCode(64)
    }
  }
}
