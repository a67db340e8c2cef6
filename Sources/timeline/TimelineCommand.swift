import ArgumentParser
import Foundation
import NcursesTerminal
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// `timeline`: opens the explorer on a timeline, or prints it when standard output is not a terminal.
@main
struct TimelineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "timeline",
    abstract: "Browse a timeline of events in the terminal: filter by country and person, search, read the sources.",
    discussion: """
      With no subcommand, opens the explorer on the bundled Sparks Group case (or on --data FILE). \
      When standard output is not a terminal, or with --format or --count, prints the events like \
      `timeline list` instead.

      Exit codes: 0 success, 64 usage error (including an unknown country or person, and a terminal the \
      explorer cannot use: TERM unset or unknown), 65 invalid data, 66 a file that cannot be read, \
      73 an output file that cannot be written, 78 a problem in the configuration file. With TERM=dumb, \
      prints the list as `timeline list` does.

      The configuration file, $XDG_CONFIG_HOME/timeline/config (else ~/.config/timeline/config), sets \
      the default data file, the mouse, colours and theme, the pager and the keys (man timeline, FILES).

      Shell completion (subcommands, options, formats, files, and the countries, people and other \
      values of the timeline in use): timeline --generate-completion-script bash|zsh|fish prints the \
      script; make install puts it where the shells find it.
      """,
    version: "timeline 0.1.0",
    subcommands: [ListCommand.self, ValidateCommand.self, ConvertCommand.self, RenderCommand.self]
  )

  @OptionGroup var data: DataOptions
  @OptionGroup var filters: FilterOptions
  @OptionGroup var output: ListOutputOptions
  @OptionGroup var sessionOptions: SessionOptions

  @Flag(name: .long, help: "No colours, attributes only (also when the NO_COLOR variable is set).")
  var noColor = false

  @Flag(name: .long, help: "Do not capture the mouse (keeps the terminal's own text selection).")
  var noMouse = false

  @Flag(
    name: .long,
    help: "Start afresh: not where the last session on this file left off (its marks and notes are kept).")
  var fresh = false

  @Flag(name: .long, help: "Do not watch the data file for changes (R reads it again).")
  var noWatch = false

  mutating func run() throws {
    StartupTrace.mark("main")
    // A bad configuration file is reported whichever of its settings this run would use.
    _ = try Config.current()
    // Like `git log`: a pipe or a file gets the plain list; the explorer needs a terminal.
    guard isatty(STDOUT_FILENO) != 0, !output.asksForList else { return try printList(output) }
    switch NcursesTerminal.capability() {
    case .usable: break
    case .cannotAddressCursor(let term):
      // TERM=dumb (an editor's shell buffer, a serial console): there is no screen to draw on, so the
      // list, printed straight out (a pager cannot page there either).
      Output.error("TERM=\(term) cannot move the cursor, so the explorer cannot run here; printing the list instead")
      var direct = output
      direct.noPager = true
      return try printList(direct)
    case .unknown(let term):
      let what = term.map { "TERM=\($0) is not a terminal type described on this system" } ?? "TERM is not set"
      Output.error("cannot open the explorer: \(what) (try TERM=xterm-256color, or `timeline list`)")
      throw ExitCode(64)
    }
    let config = try Config.current()
    let noColorVariable = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    let colors = !(noColor || noColorVariable || config.color == false)
    do {
      try Explorer.run(
        data: data, filters: filters, colors: colors, mouse: !noMouse && config.mouse != false, fresh: fresh, watch: !noWatch,
        markedOnly: sessionOptions.marked)
    } catch ExitCodeError.cannotOpen {
      // The terminal cannot be used: an environment problem, like a usage error, not a file (66).
      throw ExitCode(64)
    }
  }

  private func printList(_ output: ListOutputOptions) throws {
    try output.printList(data, filters, sessionOptions)
  }
}
