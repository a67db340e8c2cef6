import ArgumentParser
import TimelineCore

extension ListFormat: ExpressibleByArgument {
  /// Any case: `--format JSON` is `--format json`.
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }

  /// What each format is, for --help and the manual page.
  public static var allValueDescriptions: [String: String] {
    Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.summary) })
  }

  var summary: String {
    switch self {
    case .text: "one line per event (the default)"
    case .json: "a timeline document with the people, sources and eras the events refer to; it opens again with --data"
    case .csv: "a header, then one record per event; the exact text, quoted as RFC 4180 readers expect"
    case .markdown: "a document: a heading per year, each event with its summary, people, notes and sources"
    case .timelinejs: "a TimelineJS3 document, to publish with Knight Lab's TimelineJS"
    case .ics: "an iCalendar file for calendar programs"
    }
  }
}

/// How matching events are printed: by `timeline list`, and by `timeline` itself when its output is not
/// a terminal or when --format or --count asks for a list.
struct ListOutputOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp("Output format, in any case:", valueName: "format"))
  var format: ListFormat?

  @Flag(name: .long, help: "Print only the number of matching events (a JSON object with --format json, a CSV record with csv).")
  var count = false

  @Flag(
    name: .long,
    help: "On a terminal, print directly instead of through the pager ($TIMELINE_PAGER, the configuration's pager, $PAGER or less -FRX).")
  var noPager = false

  /// Whether the options ask for a printed list rather than the explorer.
  var asksForList: Bool { format != nil || count }

  /// Loads the data and prints the events the filters (and `--marked`, `--session`) keep.
  func printList(_ data: DataOptions, _ filters: FilterOptions, _ session: SessionOptions) throws {
    let timeline = try data.load()
    let query = try filters.query(for: timeline)
    if let view = try session.apply(to: timeline, query: query, dataFile: data.data) {
      print(timeline, events: view.events, annotations: view.annotations)
    } else {
      // One search: reading the text once beats building the word index first.
      print(timeline, events: timeline.evaluate(query, textSearch: .scan))
    }
  }

  /// Prints the events (or their number) in the chosen format. On a terminal the text goes through the
  /// pager unless --no-pager, and its control characters are shown as placeholders (see `Output.list`).
  func print(_ timeline: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil) {
    let format = format ?? .text
    if count {
      Output.list(format.renderCount(events.count), paging: false)
    } else {
      if let warning = format.omissions(timeline, events: events) { Output.error(warning) }
      Output.list(format.render(timeline, events: events, annotations: annotations), paging: !noPager)
    }
  }
}
