import ArgumentParser
import TimelineCore

/// `timeline list`: prints the matching events.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "Print the events that match the filters, in chronological order.",
    discussion: """
      --format json prints a timeline document holding the matching events and the people, sources and \
      eras they refer to; it opens again with --data. --format timelinejs prints a TimelineJS3 document \
      to publish with Knight Lab's TimelineJS, --format ics an iCalendar file for calendar programs.
      """
  )

  @OptionGroup var data: DataOptions
  @OptionGroup var filters: FilterOptions
  @OptionGroup var sessionOptions: SessionOptions

  @OptionGroup var output: ListOutputOptions

  mutating func run() throws {
    let timeline = try data.load()
    let query = try filters.query(for: timeline)
    if let view = try sessionOptions.apply(to: timeline, query: query, dataFile: data.data) {
      output.print(timeline, events: view.events, annotations: view.annotations)
    } else {
      // One search: reading the text once beats building the word index first.
      output.print(timeline, events: timeline.evaluate(query, textSearch: .scan))
    }
  }
}
