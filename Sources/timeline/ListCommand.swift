import ArgumentParser
import TimelineCore

/// `timeline list`: prints the matching events.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "Print the events that match the filters, in chronological order.",
    discussion: """
      On a terminal the list goes through the pager ($TIMELINE_PAGER, else the configuration's pager, \
      else $PAGER, else less -FRX; \
      --no-pager prints directly), and control characters from the data are shown as placeholders. Into \
      a pipe or a file, CSV holds the data's exact text.
      """
  )

  @OptionGroup var data: DataOptions
  @OptionGroup var filters: FilterOptions
  @OptionGroup var sessionOptions: SessionOptions

  @OptionGroup var output: ListOutputOptions

  mutating func run() throws {
    // A bad configuration file is reported whichever of its settings this run would use.
    _ = try Config.current()
    try output.printList(data, filters, sessionOptions)
  }
}
