import ArgumentParser
import BundledTimeline
import TimelineCore

/// Which timeline to open.
struct DataOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("A timeline file to open instead of the bundled Sparks Group case.", valueName: "file"))
  var data: String?

  /// Loads the timeline, printing why it cannot be loaded and exiting 65 (bad data) or 66 (unreadable).
  func load() throws -> Timeline {
    guard let path = data else {
      do {
        return try TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
      } catch {
        Output.errorLines(error.description)
        throw ExitCode(65)
      }
    }
    return try Self.load(path: path, options: TimelineLoader.Options())
  }

  /// Loads a file, reporting failures as the command line does.
  static func load(path: String, options: TimelineLoader.Options) throws -> Timeline {
    do {
      return try TimelineLoader.load(path: path, options: options)
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

/// Which events to show; shared by the explorer and `list`.
struct FilterOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only events in this country: an ISO code or a name in English or French (repeat for several: any of them).",
      valueName: "country"))
  var country: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp("Only events involving this person: an id, a name or an alias (repeat for several: any of them).", valueName: "person"))
  var person: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only events whose text matches every word (case and accents ignored).", valueName: "text"))
  var search: String?

  @Option(name: .long, help: ArgumentHelp("Only events that end on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
  var from: String?

  @Option(name: .long, help: ArgumentHelp("Only events that start on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
  var to: String?

  /// The query these options describe, with names resolved against the timeline; an unknown name or a
  /// bad date is a usage error (exit 64) that suggests the closest names.
  func query(for timeline: Timeline) throws -> Query {
    var q = Query()
    for name in country {
      do {
        q.countries.insert(try NameResolver.country(name, in: timeline.countries).code)
      } catch {
        Output.error("--country: \(error)")
        throw ExitCode(64)
      }
    }
    for name in person {
      do {
        q.people.insert(timeline.people[try NameResolver.person(name, in: timeline.people)].id)
      } catch {
        Output.error("--person: \(error)")
        throw ExitCode(64)
      }
    }
    q.text = search ?? ""
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
