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

  @OptionGroup var output: ListOutputOptions

  mutating func run() throws {
    let timeline = try data.load()
    // One search: reading the text once beats building the word index first.
    output.print(timeline, events: timeline.evaluate(try filters.query(for: timeline), textSearch: .scan))
  }
}
